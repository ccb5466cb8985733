"""Values typed into the web entry form (/reporting/entry): the return they belong to, and
their check, cell by cell, through the same pipeline as a template's cells (values.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from clusterwatch.accounts.permissions import can
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.models import Plan
from clusterwatch.problems import BadInput, msg
from clusterwatch.reporting.periods import open_period
from clusterwatch.reporting.queries import form_by_code, form_indicators, reporting_unit
from clusterwatch.reporting.values import Cell, ReturnPlan, check_values


def entry_target(session: Session, plan: Plan, *, form_code: str, unit_code: str, period_key: str, user, today):
    """The form, unit and period of a return typed on the web, once the user may report for
    the unit and the period is open: (form, unit, period)."""
    form = form_by_code(session, plan, form_code)
    if form.level == "enterprise":
        raise BadInput("form", msg("returns of firms ({form}) come as the form's Excel template", form=form.code))
    unit = reporting_unit(session, form, unit_code)
    if not can(user, "report", session=session, region=unit.code):
        raise NotAllowed("report", msg("you may not report for {region} ({code})", region=unit.name_zh, code=unit.code))
    return form, unit, open_period(form, period_key, today)


def check_entry(session: Session, plan: Plan, *, form_code: str, unit_code: str, period_key: str, entries: dict,
                user, today) -> tuple:
    """Values typed into the web entry form, {(indicator, cluster slug or None): text}, checked
    exactly as a template's cells: (the ReturnPlan, the form, the unit, the period). Each cell
    is named by its indicator and cluster, as the page shows them (names, not words to translate)."""
    form, unit, period = entry_target(session, plan, form_code=form_code, unit_code=unit_code, period_key=period_key,
                                      user=user, today=today)
    names = {indicator.code: indicator.name_zh for _, indicator in form_indicators(session, form)}
    result = ReturnPlan(form=form.code, unit=unit.code, period=period.key)
    cells = [Cell(row=0, column=indicator, label=f"{names.get(indicator, indicator)}{' · ' + slug if slug else ''}",
                  indicator=indicator, cluster=slug, raw=raw) for (indicator, slug), raw in entries.items()]
    check_values(session, plan, result, form=form, unit=unit, period=period, cells=cells)
    return result, form, unit, period
