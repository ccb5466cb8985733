"""Forms defined outside a plan file: the same checks, every problem named by its field."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clusterwatch.db import transaction
from clusterwatch.plans.queries import active_plan
from clusterwatch.reporting.forms import FormProblems, define_form
from clusterwatch.reporting.models import Form, FormIndicator

GOOD = {"code": "firm-quarterly", "name_zh": "企业季度快报", "name_en": "Firms, quarterly", "period_type": "Q",
        "level": "enterprise", "due_days": 15, "expiry_days": 45,
        "indicators": [{"indicator": "revenue", "unit": "万元", "min": 0}, {"indicator": "employment", "min": 0}]}


def define(db, data):
    with transaction(db.sessions) as session:
        return define_form(session, active_plan(session), data).code


def test_a_good_form_is_stored_with_its_indicators_in_order(demo):
    assert define(demo, GOOD) == "firm-quarterly"
    with demo.sessions() as session:
        form = session.scalar(select(Form).where(Form.code == "firm-quarterly"))
        items = session.execute(select(FormIndicator.indicator_code, FormIndicator.unit)
                                .where(FormIndicator.form_id == form.id).order_by(FormIndicator.position)).all()
    assert items == [("revenue", "万元"), ("employment", None)]


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"code": "cluster-monthly"}, "code", "the plan already has a form cluster-monthly"),
    ({"code": "Bad Code"}, "code", "Input should match the pattern"),
    ({"period_type": "W"}, "period_type", "Input should be 'A', 'Q' or 'M'"),
    ({"expiry_days": 5}, "expiry_days", "entry would lock (5 days) before the return is due (15 days)"),
    ({"indicators": [{"indicator": "nope"}]}, "indicators.0.indicator", "unknown indicator 'nope'"),
    ({"indicators": [{"indicator": "rd_intensity"}]}, "indicators.0.indicator", "computed from its parts"),
    ({"indicators": [{"indicator": "revenue", "unit": "吨"}]}, "indicators.0.unit", "吨 cannot be converted to 亿元"),
    ({"indicators": [{"indicator": "revenue", "min": 5, "max": 1}]}, "indicators.0.max", "max is below min"),
    ({"indicators": []}, "indicators", "at least 1 item"),
])
def test_bad_forms_are_refused_with_the_field_named(demo, change, field, message):
    with pytest.raises(FormProblems) as refusal:
        define(demo, {**GOOD, **change})
    assert any(p.field == field and message in p.message for p in refusal.value.problems), refusal.value.problems
    with demo.sessions() as session:
        assert session.scalar(select(Form).where(Form.code == "firm-quarterly")) is None
