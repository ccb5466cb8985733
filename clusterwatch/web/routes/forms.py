"""/reporting/forms: the forms of the plan, and a new one defined on the page (province
administrators), with the plan file's checks and every problem shown by its field."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from clusterwatch.accounts.permissions import require
from clusterwatch.numbers import parse_number
from clusterwatch.plans.forms import form_list
from clusterwatch.plans.models import Indicator
from clusterwatch.reporting.forms import FormProblems, define_form
from clusterwatch.web.deps import LangDep, PlanDep, SessionDep, check_csrf, current_user
from clusterwatch.web.i18n import localized
from clusterwatch.web.routes.pages import render

router = APIRouter(include_in_schema=False)
FIELDS = ("code", "name_zh", "name_en", "period_type", "level", "disaggregation", "due_days", "expiry_days")


def parse_indicator_lines(text: str) -> list[dict]:
    """One indicator per line: its code, then optionally the unit asked in and min and max,
    e.g. `revenue 万元 0`. A min or max that is not a number is passed on as written, for the
    form's checks to name."""
    items = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        item: dict = {"indicator": parts[0]}
        rest = parts[1:]
        if rest and parse_number(rest[0]) is None:
            item["unit"] = rest.pop(0)
        for key, value in zip(("min", "max"), rest):
            number = parse_number(value)
            item[key] = number if number is not None else value
        items.append(item)
    return items


def _page(request, session, plan, lang, *, typed=None, problems=None, status=200) -> HTMLResponse:
    from sqlalchemy import select

    indicators = list(session.scalars(select(Indicator).where(Indicator.aggregation != "ratio").order_by(Indicator.sort_order)))
    response = render(request, lang, "forms.html", forms=form_list(session, plan), indicators=indicators,
                      typed=typed or {}, problems=problems or [], page={"plan": plan}, notice=None)
    response.status_code = status
    return response


@router.get("/reporting/forms", response_class=HTMLResponse)
def forms_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    require(current_user(request), "form.define")
    return _page(request, session, plan, lang)


@router.post("/reporting/forms", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def define_from_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep):
    user = require(current_user(request), "form.define")
    data = await request.form()
    typed = {key: str(data.get(key, "")).strip() for key in (*FIELDS, "indicators")}
    body: dict[str, object] = {key: typed[key] for key in FIELDS if typed[key] != ""}
    if typed["disaggregation"] == "":
        body.pop("disaggregation", None)
    body["indicators"] = parse_indicator_lines(typed["indicators"])
    try:
        form = define_form(session, plan, body, user=user, channel="web")
    except FormProblems as exc:
        session.rollback()
        problems = [(p.field, localized(p.message, lang)) for p in exc.problems]
        return _page(request, session, plan, lang, typed=typed, problems=problems, status=400)
    session.commit()
    return RedirectResponse(f"/reporting/forms?defined={form.code}", status_code=303)
