"""The target board and the periodic report on the demo data, on both engines."""

from __future__ import annotations

import pytest

from clusterwatch.assessment.aggregate import Aggregator
from clusterwatch.assessment.board import board
from clusterwatch.assessment.methods import assess
from clusterwatch.assessment.report import report_data
from clusterwatch.assessment.views import TargetAssessor, goal_of
from clusterwatch.errors import NotFound
from clusterwatch.plans import queries
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput


@pytest.fixture
def plan(demo_session):
    return active_plan(demo_session)


def test_every_goal_has_a_light_and_the_demo_shows_a_mix(demo_session, plan):
    page = board(demo_session, plan, period="2023")
    assert page.as_of_year == 2023 and page.total == len(page.rows) == len(queries.targets(demo_session, plan))
    assert sum(page.counts.values()) == page.total
    # A realistic board: some goals on track, some slipping, some off track, some without data.
    assert all(page.counts[light] > 0 for light in ("green", "amber", "red", "grey")), page.counts
    assert page.data.synthetic


def test_a_row_is_the_method_applied_to_the_aggregated_series(demo_session, plan):
    # Advanced materials: the plan states 2019's 21540亿元, the baseline of its goal.
    row = next(r for r in board(demo_session, plan, period="2023").rows if r.code == "advanced-materials-revenue")
    target = next(t for t in queries.targets(demo_session, plan) if t.code == "advanced-materials-revenue")
    aggregator = Aggregator(demo_session)
    series = TargetAssessor(demo_session, plan, aggregator).series(target)
    expected = assess(series, goal_of(target, aggregator.indicators["revenue"]), as_of=2023)
    assert row.progress.status == expected.status and row.progress.methods == expected.methods
    assert [p.period for p in row.trend] == [str(y) for y in range(2019, 2024)]
    assert row.progress.baseline_stated and (row.progress.baseline_year, row.progress.baseline_value) == (2019, 21540)


def test_a_quarter_is_judged_on_the_last_complete_year(demo_session, plan):
    page = board(demo_session, plan, period="2025-Q3")
    assert (page.period, page.as_of_year) == ("2025-Q3", 2024)
    assert board(demo_session, plan, period="2025-Q4").as_of_year == 2025
    assert board(demo_session, plan, period="2025-12").as_of_year == 2025
    assert board(demo_session, plan).period == "2025"  # the latest year with data


def test_filters(demo_session, plan):
    robotics = board(demo_session, plan, period="2023", cluster="robotics")
    assert {r.cluster for r in robotics.rows} == {"robotics"}
    red = board(demo_session, plan, period="2023", light="red")
    assert red.rows and {r.progress.light for r in red.rows} == {"red"}
    split = board(demo_session, plan, period="2023", disagree=True)
    assert split.rows and all(r.progress.disagree for r in split.rows)
    assert len({m.light for m in split.rows[0].progress.methods}) == 2
    province = board(demo_session, plan, period="2023", scope="province")
    assert province.rows and all(r.cluster is None and r.cluster_group is None for r in province.rows)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"period": "2025-Q5"}, "period"), ({"period": "soon"}, "period"), ({"light": "purple"}, "light"),
     ({"scope": "planet"}, "scope")],
)
def test_bad_filters_name_their_field(demo_session, plan, kwargs, field):
    with pytest.raises(BadInput) as info:
        board(demo_session, plan, **kwargs)
    assert info.value.field == field


def test_unknown_cluster(demo_session, plan):
    with pytest.raises(NotFound):
        board(demo_session, plan, cluster="no-such-cluster")


def test_report_of_a_cluster_for_a_quarter(demo_session, plan):
    report = report_data(demo_session, plan, scope="cluster:electronics", period="2025-Q3")
    assert (report.scope_name_zh, report.period_zh, report.as_of_year) == ("新一代电子信息", "2025年第三季度", 2024)
    assert [t.code for t in report.targets] == ["electronics-revenue"]
    revenue = next(y for y in report.year_to_date if y.indicator == "revenue")
    # January to September of 2025 against the same months of 2024, summed over the cluster's cities.
    cluster = queries.cluster_by_slug(demo_session, plan, "electronics")
    months = Aggregator(demo_session).values("revenue", regions=[plan.region_code], clusters=[cluster.id], period_type="M")
    now = sum(v for (_, p), v in months.items() if p.startswith("2025-") and int(p[5:]) <= 9)
    before = sum(v for (_, p), v in months.items() if p.startswith("2024-") and int(p[5:]) <= 9)
    assert revenue.months == 9 and revenue.value == pytest.approx(now) and revenue.previous == pytest.approx(before)
    assert revenue.growth == pytest.approx((now / before - 1) * 100)
    assert report.cluster_cities and not report.clusters


def test_report_of_a_city_and_of_the_province(demo_session, plan):
    city = report_data(demo_session, plan, scope="city:440300", period="2024")
    assert city.scope_name_zh == "深圳市" and city.city_clusters and city.targets == []
    province = report_data(demo_session, plan, scope="province", period="2025-09")
    assert province.period_zh == "2025年9月" and len(province.clusters) == 20 and len(province.targets) == province.counts["green"] + \
        province.counts["amber"] + province.counts["red"] + province.counts["grey"]


@pytest.mark.parametrize(
    ("scope", "period", "error", "text"),
    [("cluster:", "2025-Q3", BadInput, "is not a scope"), ("county:440106", "2025", BadInput, "is not a scope"),
     ("city:440106", "2025", BadInput, "is not a city of the plan's region"), ("cluster:nope", "2025", NotFound, "nope"),
     ("province", "2025-Q0", BadInput, "is not a period")],
)
def test_bad_report_requests(demo_session, plan, scope, period, error, text):
    with pytest.raises(error) as info:
        report_data(demo_session, plan, scope=scope, period=period)
    assert text in str(info.value)
