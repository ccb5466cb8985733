"""Early warnings: goals off track, sharp falls found to the figure, returns not in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from clusterwatch.assessment.board import board
from clusterwatch.assessment.warnings import warnings_for
from clusterwatch.db import transaction
from clusterwatch.plans.models import Cluster
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput
from clusterwatch.reporting.models import Observation

TODAY = dt.date(2026, 11, 23)


def test_every_red_goal_is_warned_of(demo_session):
    plan = active_plan(demo_session)
    found = warnings_for(demo_session, plan, period="2025-Q3", today=TODAY)
    red = {r.code for r in board(demo_session, plan, period="2025-Q3").rows if r.progress.light == "red"}
    assert {w.target for w in found.warnings if w.kind == "off_track"} == red and red
    assert found.counts["off_track"] == len(red)
    # High first.
    assert [w.severity for w in found.warnings] == sorted((w.severity for w in found.warnings), key=lambda s: s != "high")


def test_returns_not_in_are_one_warning_per_form_and_period(demo_session):
    # The demo's figures were generated, not returned: every county's monthly returns are missing.
    found = warnings_for(demo_session, active_plan(demo_session), period="2025-Q3", kind="returns_missing", today=TODAY)
    assert [(w.form, w.period) for w in found.warnings] == [("cluster-monthly", f"2025-{m:02d}") for m in (7, 8, 9)]
    assert all(len(w.units) == w.value == 122 for w in found.warnings)
    shenzhen = warnings_for(demo_session, active_plan(demo_session), period="2025-Q3", kind="returns_missing",
                            city="440300", today=TODAY)
    assert {len(w.units) for w in shenzhen.warnings} == {9}  # Shenzhen's nine districts
    not_yet = warnings_for(demo_session, active_plan(demo_session), period="2025-Q3", kind="returns_missing",
                           today=dt.date(2025, 10, 5))
    assert [w.period for w in not_yet.warnings] == ["2025-07", "2025-08"]  # September's are due on 10 October


@pytest.fixture
def fallen(demo):
    """The demo, with Guangzhou's electronics revenue of 2024 cut by 30% and of 2025-09 by half."""
    database = demo
    with transaction(database.sessions) as session:
        cluster = session.scalar(select(Cluster).where(Cluster.slug == "electronics"))
        for period, factor in (("2024", 0.7), ("2025-09", 0.5)):
            row = session.scalar(select(Observation).where(
                Observation.cluster_id == cluster.id, Observation.region_code == "440100",
                Observation.indicator_code == "revenue", Observation.period == period))
            row.value = round(row.value * factor, 2)
    return database


def test_sharp_falls_are_found_with_their_figures(fallen):
    with fallen.sessions() as session:
        plan = active_plan(session)
        year = warnings_for(session, plan, period="2024", kind="yoy_fall", city="440100", cluster="electronics", today=TODAY)
        (annual,) = [w for w in year.warnings if w.period == "2024" and w.indicator == "revenue"]
        assert annual.change == pytest.approx((annual.value / annual.reference - 1) * 100) and annual.change < -10
        month = warnings_for(session, plan, period="2025-09", city="440100", cluster="electronics", today=TODAY)
        kinds = {(w.kind, w.period, w.indicator) for w in month.warnings}
        assert {("yoy_fall", "2025-09", "revenue"), ("mom_fall", "2025-09", "revenue")} <= kinds
        severe = next(w for w in month.warnings if w.kind == "mom_fall")
        # About −50% against a threshold of 35%: medium (high from twice the threshold, −70%).
        assert -60 < severe.change < -40 and severe.severity == "medium"
        relaxed = warnings_for(session, plan, period="2025-09", city="440100", cluster="electronics", kind="mom_fall",
                               mom_fall=60, today=TODAY)
        assert relaxed.warnings == [] and relaxed.thresholds["mom_fall"] == 60


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"period": "2025-Q5"}, "period"), ({"period": "2025", "kind": "gossip"}, "kind"),
     ({"period": "2025", "yoy_fall": 0}, "yoy_fall"), ({"period": "2025", "mom_fall": 120}, "mom_fall"),
     ({"period": "2025", "city": "440106"}, "city")],
)
def test_bad_requests_name_their_field(demo_session, kwargs, field):
    with pytest.raises(BadInput) as info:
        warnings_for(demo_session, active_plan(demo_session), today=TODAY, **kwargs)
    assert info.value.field == field
