"""Defining forms (data sets) outside a plan file: from the web page or the API.

The same checks as a plan file's forms (planfile.form_problems), against the indicators the
database holds; a bad form is refused whole with every problem named by its field.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.audit import trail
from clusterwatch.plans.forms import create_form
from clusterwatch.plans.models import Indicator, Plan
from clusterwatch.plans.planfile import FormIn, form_problems
from clusterwatch.problems import BadInput, Problem, msg, pydantic_message
from clusterwatch.reporting.models import Form


class FormProblems(BadInput):
    """Every problem of a form definition, each with the field it is about."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].field, problems[0].message, problems)


def parse_form(data: dict) -> FormIn:
    try:
        return FormIn.model_validate(data)
    except ValidationError as exc:
        raise FormProblems([Problem(pydantic_message(error), field=".".join(str(p) for p in error["loc"]) or "form")
                            for error in exc.errors()]) from None


def define_form(session: Session, plan: Plan, data: dict | FormIn, *, user=None, channel: str = "api") -> Form:
    """Check a form definition against the database's indicators and add it to the plan, with
    an entry in the audit trail."""
    form_in = data if isinstance(data, FormIn) else parse_form(data)
    rows = list(session.scalars(select(Indicator).where(Indicator.code.in_([item.indicator for item in form_in.indicators]))))
    indicators = {i.code: _IndicatorView(i) for i in rows}
    problems = [Problem(message, field=".".join(str(p) for p in path)) for path, message in form_problems(form_in, indicators)]
    if session.scalar(select(Form.id).where(Form.plan_id == plan.id, Form.code == form_in.code)) is not None:
        problems.insert(0, Problem(msg("the plan already has a form {form}", form=form_in.code), field="code"))
    if problems:
        raise FormProblems(problems)
    form = create_form(session, plan, form_in)
    names = {i.code: i.name_zh for i in rows}
    trail.change(session, user, "form", form.code, "create", label=form.name_zh, channel=channel, new={
        "name": form.name_zh, "name_en": form.name_en, "period_type": form.period_type, "level": form.level,
        "disaggregation": form.disaggregation, "due_days": form.due_days, "expiry_days": form.expiry_days,
        "indicators": "、".join(names[item.indicator] + (f"（{item.unit}）" if item.unit else "") for item in form_in.indicators)})
    return form


class _IndicatorView:
    """An indicator row seen the way form_problems reads a plan file's indicator."""

    def __init__(self, row: Indicator):
        self.unit, self.aggregation = row.unit, row.aggregation
        self.numerator, self.denominator = row.numerator_code, row.denominator_code
