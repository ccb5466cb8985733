"""Validation rules: parsing, missing-value strategies, and their effect on a return."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from clusterwatch.plans.queries import active_plan
from clusterwatch.reporting.returns import make_template, read_return
from clusterwatch.reporting.rules import evaluate, parse_side
from tests.reporting.test_returns import ADMIN, TIANHE, TODAY, filled


def rule(left, op, right, missing="skip_if_any_missing"):
    return SimpleNamespace(left=left, operator=op, right=right, missing=missing)


def test_parse_sides():
    assert parse_side("value_added + rd_spending - revenue") == [(1, "value_added"), (1, "rd_spending"), (-1, "revenue")]
    for bad in ["", "revenue revenue", "3 * revenue", "Revenue"]:
        with pytest.raises(ValueError):
            parse_side(bad)


def test_evaluate_with_missing_value_strategies():
    assert evaluate(rule("rd_spending", "<=", "revenue"), {"rd_spending": 5, "revenue": 100}) == (True, 5, 100)
    assert evaluate(rule("rd_spending", "<=", "revenue"), {"rd_spending": 500, "revenue": 100})[0] is False
    assert evaluate(rule("rd_spending", "<=", "revenue"), {"rd_spending": 5}) == (None, None, None)
    assert evaluate(rule("a + b", ">=", "c", "skip_if_all_missing"), {"a": 1, "c": 2}) == (False, 1, 2)
    assert evaluate(rule("a", "==", "b", "never_skip"), {}) == (True, 0, 0)


def test_a_return_that_breaks_a_rule(demo):
    with demo.sessions() as session:
        plan = active_plan(session)
        content = make_template(session, plan, form_code="cluster-monthly", unit_code=TIANHE, period_key="2026-10", today=TODAY)
        # R&D spending above revenue: a high-importance rule, the import is refused at the cell.
        result = read_return(session, plan, content=filled(content, {"B5": 10, "D5": 20}), filename="r.xlsx", user=ADMIN,
                             today=TODAY)
        assert [(e["cell"], e.get("rule")) for e in result.errors] == [("D5", "rd-within-revenue")]
        assert "研发经费支出不超过营业收入" in result.errors[0]["reason"]
        # Value added above revenue: medium importance, a value to check.
        result = read_return(session, plan, content=filled(content, {"B5": 10, "C5": 12}), filename="r.xlsx", user=ADMIN,
                             today=dt.date(2026, 11, 5))
        assert result.errors == [] and [w.get("rule") for w in result.warnings] == ["value-added-within-revenue"]
