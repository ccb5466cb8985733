"""The web entry form: a return typed in the browser, each cell checked as it is left (htmx),
the whole checked again and imported on saving, by the same checks as a template's cells."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from clusterwatch.problems import BadInput, Problem, msg
from clusterwatch.reporting.queries import form_by_code, form_indicators, reporting_unit, unit_clusters
from clusterwatch.reporting.returns import import_return
from clusterwatch.reporting.values import stored_values
from clusterwatch.reporting.web_entry import check_entry, entry_target
from clusterwatch.web.deps import LangDep, PlanDep, SessionDep, check_csrf, signed_in
from clusterwatch.web.i18n import localized
from clusterwatch.web.routes.pages import render
from clusterwatch.web.routes.reporting import reporting_date

router = APIRouter(include_in_schema=False)


def _entries(form_data) -> dict:
    """Fields named v|indicator|cluster (cluster "-" for a form not split by cluster); a field
    named otherwise after v| was not made by the page, and is refused by its name."""
    entries = {}
    for name, value in form_data.multi_items():
        if name.startswith("v|"):
            parts = name.split("|")
            if len(parts) != 3 or not parts[1] or not parts[2]:
                raise BadInput(name[:80], msg("{name} is not a field of the entry form (v|indicator|cluster)", name=repr(name[:80])))
            entries[(parts[1], None if parts[2] == "-" else parts[2])] = value if isinstance(value, str) else ""
    return entries


def _grid(session, plan, form_code: str, unit_code: str, period, typed: dict | None = None) -> dict:
    form = form_by_code(session, plan, form_code)
    unit = reporting_unit(session, form, unit_code)
    indicators = form_indicators(session, form)
    clusters = unit_clusters(session, plan, form, unit)
    stored = stored_values(session, unit, period, [i.code for _, i in indicators], [c.id for c in clusters if c is not None])
    rows = []
    for cluster in clusters:
        cells = []
        for _item, indicator in indicators:
            key = (indicator.code, cluster.slug if cluster else None)
            value = (typed or {}).get(key, stored.get((indicator.code, cluster.id if cluster else None)))
            cells.append({"name": f"v|{indicator.code}|{cluster.slug if cluster else '-'}", "key": key,
                          "value": "" if value is None else value})
        rows.append({"label": cluster.name_zh if cluster else unit.name_zh, "cells": cells})
    return {"form": form, "unit": unit, "indicators": indicators, "rows": rows}


@router.get("/reporting/entry", response_class=HTMLResponse)
def entry_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, form: str, unit: str,
               period: str) -> HTMLResponse:
    user = signed_in(request)
    _, region, key = entry_target(session, plan, form_code=form, unit_code=unit.strip(), period_key=period, user=user,
                                  today=reporting_date(request))
    return render(request, lang, "entry.html", grid=_grid(session, plan, form, region.code, key), period=key.key,
                  problems={}, page={"plan": plan}, notice=None)


@router.post("/reporting/entry/cell", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def check_cell(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    """One cell checked as it is left: its problem, or nothing."""
    data = await request.form()
    entries = _entries(data)
    result, *_ = check_entry(session, plan, form_code=str(data.get("form", "")), unit_code=str(data.get("unit", "")),
                             period_key=str(data.get("period", "")), entries=entries, user=signed_in(request),
                             today=reporting_date(request))
    html = "".join(f'<span class="{"warning" if p.warning else "error"}">{_escape(localized(p.message, lang))}</span>'
                   for p in [*result.errors, *result.warnings])
    return HTMLResponse(html)


@router.post("/reporting/entry", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def save_entry(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep):
    data = await request.form()
    user = signed_in(request)
    entries = _entries(data)
    form_code, unit_code, period_key = str(data.get("form", "")), str(data.get("unit", "")), str(data.get("period", ""))
    result, form, unit, period = check_entry(session, plan, form_code=form_code, unit_code=unit_code,
                                             period_key=period_key, entries=entries, user=user, today=reporting_date(request))
    if result.errors:  # nothing is written; the page comes back with what was typed and every problem by its cell
        by_cell: dict[str, list[str]] = {}
        for problem in result.errors:
            by_cell.setdefault(_cell_key(problem, entries), []).append(localized(problem.message, lang))
        response = render(request, lang, "entry.html", grid=_grid(session, plan, form.code, unit.code, period, entries),
                          period=period.key, problems=by_cell, page={"plan": plan}, notice=None)
        response.status_code = 400
        return response
    import_return(session, plan, result=result, user=user, reason="entered on the web")
    session.commit()
    query = urlencode({"form": form.code, "unit": unit.code, "period": period.key})
    return RedirectResponse(f"/reporting/return?{query}", status_code=303)


def _cell_key(problem: Problem, entries: dict) -> str:
    """The input a problem belongs to (its label is "indicator name · cluster")."""
    for indicator, slug in entries:
        if problem.column == indicator and (slug is None or str(problem.cell).endswith(" · " + slug)):
            return f"v|{indicator}|{slug or '-'}"
    return ""


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
