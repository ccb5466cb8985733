"""Validation rules: parsing, missing-value strategies, and their effect on a return."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest

from clusterwatch.plans.queries import active_plan
from clusterwatch.plans.rule_syntax import parse_side
from clusterwatch.reporting.returns import make_template, read_return
from clusterwatch.reporting.rules import evaluate_rows
from tests.reporting.test_returns import ADMIN, TIANHE, TODAY, filled


def rule(left, op, right, missing="skip_if_any_missing"):
    return SimpleNamespace(left=left, operator=op, right=right, missing=missing)


def evaluate(rule, values: dict[str, float | None]) -> tuple[bool | None, float | None, float | None]:
    """One row through the column implementation: (holds, left, right); holds is None when skipped."""
    codes = [code for side in (rule.left, rule.right) for _, code in parse_side(side)]
    columns = {code: np.array([np.nan if values.get(code) is None else values[code]], dtype=float) for code in codes}
    holds, skipped, left, right = evaluate_rows(rule, columns)
    if skipped[0]:
        return None, None, None
    return bool(holds[0]), float(left[0]), float(right[0])


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
        assert [(e.cell, e.extra.get("rule")) for e in result.errors] == [("D5", "rd-within-revenue")]
        assert "研发经费支出不超过营业收入" in result.errors[0].message
        # Value added above revenue: medium importance, a value to check.
        result = read_return(session, plan, content=filled(content, {"B5": 10, "C5": 12}), filename="r.xlsx", user=ADMIN,
                             today=dt.date(2026, 11, 5))
        assert result.errors == [] and [w.extra.get("rule") for w in result.warnings] == ["value-added-within-revenue"]


def test_a_city_against_the_sum_of_its_counties_within_the_tolerance(demo):
    """Guangdong's rule city-matches-its-counties: a city's revenue of a cluster = the sum of
    its counties' within 1%, the counties' months summed when they report months."""
    import datetime as dt
    from types import SimpleNamespace

    from sqlalchemy import select

    from clusterwatch.db import transaction
    from clusterwatch.plans.queries import active_plan, cluster_by_slug
    from clusterwatch.regions.models import Region
    from clusterwatch.reporting.models import DataSource, Observation
    from clusterwatch.reporting.returns import make_template, read_return
    from tests.reporting.test_returns import filled

    admin = SimpleNamespace(role="province_admin", region_code=None, enterprise_uscc=None, id=None)
    today = dt.date(2026, 3, 1)

    def check(value):
        with demo.sessions() as session:
            plan = active_plan(session)
            content = make_template(session, plan, form_code="cluster-annual", unit_code="440100", period_key="2025", today=today)
            result = read_return(session, plan, content=filled(content, {"B5": value}), filename="gz.xlsx", user=admin, today=today)
        return [w.message for w in result.warnings if w.extra.get("rule") == "city-matches-its-counties"]

    assert check(8000) == []  # no county has figures: nothing to compare
    with transaction(demo.sessions) as session:
        plan = active_plan(session)
        electronics = cluster_by_slug(session, plan, "electronics").id
        source = session.scalars(select(DataSource)).first().id
        counties = list(session.scalars(select(Region.code).where(Region.parent_code == "440100").order_by(Region.code)))
        for county in counties:  # each county: 10 亿元 a month
            for month in range(1, 13):
                session.add(Observation(indicator_code="revenue", region_code=county, cluster_id=electronics,
                                        period=f"2025-{month:02d}", period_type="M", year=2025, value=10.0, source_id=source))
    total = 120.0 * len(counties)
    assert len(counties) == 11 and total == 1320  # the example of docs/methods.md
    assert check(1326.6) == []  # 0.5% off: within 1%
    [reason] = check(1386)
    assert "revenue == the sum of 11 child regions' revenue (within 1%) fails (1386 vs 1320)" in reason
