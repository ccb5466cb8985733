"""A plan's forms (data sets) as stored: written when a plan is loaded or a form is defined,
and read back for the pages, the API and the review's vocabulary. Checking a definition is
planfile.form_problems; defining one from the web is reporting/forms.py."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clusterwatch.plans.models import Plan
from clusterwatch.plans.planfile import FormIn
from clusterwatch.reporting.models import Form, FormIndicator


class FormIndicatorPublic(BaseModel):
    indicator: str
    min: float | None = None
    max: float | None = None
    unit: str | None = None  # the unit the form asks in, when not the indicator's own


class FormPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    period_type: str
    level: str
    disaggregation: str
    due_days: int
    expiry_days: int
    indicators: list[FormIndicatorPublic]


def create_form(session: Session, plan: Plan, form_in: FormIn) -> Form:
    """Store a checked form and its indicators in order."""
    form = Form(plan_id=plan.id, code=form_in.code, name_zh=form_in.name_zh, name_en=form_in.name_en,
                period_type=form_in.period_type, level=form_in.level, disaggregation=form_in.disaggregation,
                due_days=form_in.due_days, expiry_days=form_in.expiry_days)
    session.add(form)
    session.flush()
    set_indicators(session, form, form_in.indicators)
    return form


def set_indicators(session: Session, form: Form, items) -> None:
    """A form's indicators, in order, replacing any it had (nothing else refers to them)."""
    session.execute(delete(FormIndicator).where(FormIndicator.form_id == form.id))
    for position, item in enumerate(items):
        session.add(FormIndicator(form_id=form.id, indicator_code=item.indicator, position=position,
                                  min_value=item.min, max_value=item.max, unit=item.unit))
    session.flush()


def form_list(session: Session, plan: Plan) -> list[FormPublic]:
    """The plan's forms with their indicators, in order."""
    forms = list(session.scalars(select(Form).where(Form.plan_id == plan.id).order_by(Form.id)))
    items: dict[int, list[FormIndicatorPublic]] = {f.id: [] for f in forms}
    for item in session.scalars(select(FormIndicator).where(FormIndicator.form_id.in_(items)).order_by(FormIndicator.position)):
        items[item.form_id].append(FormIndicatorPublic(indicator=item.indicator_code, min=item.min_value, max=item.max_value,
                                                       unit=item.unit))
    return [FormPublic(code=f.code, name_zh=f.name_zh, name_en=f.name_en, period_type=f.period_type, level=f.level,
                       disaggregation=f.disaggregation, due_days=f.due_days, expiry_days=f.expiry_days,
                       indicators=items[f.id]) for f in forms]
