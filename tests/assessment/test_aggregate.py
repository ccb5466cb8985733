"""Aggregation up the region tree and across clusters, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterwatch.assessment.aggregate import Aggregator
from clusterwatch.db import transaction
from clusterwatch.plans.models import Cluster, Indicator, Plan
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import DataSource, Observation


@pytest.fixture
def tree(database):
    """Province P > cities C1, C2; C1 > counties K1, K2. Two clusters."""
    with transaction(database.sessions) as s:
        s.add_all([
            Region(code="990000", name_zh="省", name_en="P", level="province"),
        ])
        s.flush()
        s.add_all([Region(code="990100", name_zh="市一", name_en="C1", level="city", parent_code="990000"),
                   Region(code="990200", name_zh="市二", name_en="C2", level="city", parent_code="990000")])
        s.flush()
        s.add_all([Region(code="990101", name_zh="县一", name_en="K1", level="county", parent_code="990100"),
                   Region(code="990102", name_zh="县二", name_en="K2", level="county", parent_code="990100")])
        s.add_all([
            Indicator(code="revenue", name_zh="营业收入", name_en="Revenue", unit="亿元", direction="higher", aggregation="sum"),
            Indicator(code="rd_spending", name_zh="研发", name_en="R&D", unit="亿元", direction="higher", aggregation="sum"),
            Indicator(code="share", name_zh="比重", name_en="Share", unit="%", direction="higher", aggregation="none"),
        ])
        s.flush()
        s.add(Indicator(code="rd_intensity", name_zh="强度", name_en="R&D intensity", unit="%", direction="higher",
                        aggregation="ratio", numerator_code="rd_spending", denominator_code="revenue", scale=100))
        plan = Plan(code="t", name_zh="t", name_en="t", region_code="990000", horizon=2025, source_sha256="0" * 64,
                    loaded_at=dt.datetime.now(dt.UTC))
        s.add(plan)
        s.flush()
        a = Cluster(plan_id=plan.id, slug="a", name_zh="甲", name_en="A", kind="pillar", sort_order=1)
        b = Cluster(plan_id=plan.id, slug="b", name_zh="乙", name_en="B", kind="pillar", sort_order=2)
        src = DataSource(code="t", name_zh="t", name_en="t", synthetic=True, created_at=dt.datetime.now(dt.UTC))
        s.add_all([a, b, src])
        s.flush()

        def obs(indicator, region, cluster, value, period="2024"):
            s.add(Observation(indicator_code=indicator, region_code=region, cluster_id=cluster.id if cluster else None,
                              period=period, period_type="A", year=int(period), value=value, source_id=src.id))

        obs("revenue", "990101", a, 10)
        obs("revenue", "990102", a, 20)
        obs("revenue", "990200", a, 30)
        obs("revenue", "990200", b, 5)
        obs("rd_spending", "990101", a, 1)
        obs("rd_spending", "990200", a, 6)
        obs("share", "990000", None, 31.5)
        ids = {"a": a.id, "b": b.id}
    yield database, ids


def test_sums_roll_up_the_tree(tree):
    database, ids = tree
    with database.sessions() as s:
        agg = Aggregator(s)
        values = agg.values("revenue", regions=["990000", "990100", "990200"], clusters=[ids["a"]])
        assert values == {("990000", "2024"): 60, ("990100", "2024"): 30, ("990200", "2024"): 30}
        assert agg.values("revenue", regions=["990000"], clusters=[ids["a"], ids["b"]]) == {("990000", "2024"): 65}


def test_a_regions_own_figure_wins_over_its_childrens_sum(tree):
    database, ids = tree
    with transaction(database.sessions) as s:
        src = s.query(DataSource).one()
        s.add(Observation(indicator_code="revenue", region_code="990100", cluster_id=ids["a"], period="2024",
                          period_type="A", year=2024, value=35, source_id=src.id))
    with database.sessions() as s:
        values = Aggregator(s).values("revenue", regions=["990000", "990100"], clusters=[ids["a"]])
        assert values == {("990000", "2024"): 65, ("990100", "2024"): 35}


def test_ratio_is_a_ratio_of_sums_not_a_mean_of_ratios(tree):
    database, ids = tree
    with database.sessions() as s:
        value = Aggregator(s).values("rd_intensity", regions=["990000"], clusters=[ids["a"]])[("990000", "2024")]
        # (1 + 0 + 6) / (10 + 20 + 30) = 11.67%; the mean of the three ratios would be 6.67%.
        assert value == pytest.approx(700 / 60)


def test_none_aggregation_reads_only_the_exact_region(tree):
    database, _ = tree
    with database.sessions() as s:
        agg = Aggregator(s)
        assert agg.values("share", regions=["990000"], clusters=None) == {("990000", "2024"): 31.5}
        assert agg.values("share", regions=["990100"], clusters=None) == {}


def test_values_per_cluster(tree):
    database, ids = tree
    with database.sessions() as s:
        agg = Aggregator(s)
        values = agg.values("revenue", regions=["990000", "990200"], clusters=[ids["a"], ids["b"]], by_cluster=True)
        assert values == {(ids["a"], "990000", "2024"): 60, (ids["b"], "990000", "2024"): 5,
                          (ids["a"], "990200", "2024"): 30, (ids["b"], "990200", "2024"): 5}
        ratio = agg.values("rd_intensity", regions=["990000"], clusters=[ids["a"], ids["b"]], by_cluster=True)
        # Cluster b reported no R&D spending: no value, rather than a made-up 0%.
        assert ratio == {(ids["a"], "990000", "2024"): pytest.approx(700 / 60)}


def test_a_period_asked_for_twice_is_counted_once(tree):
    database, ids = tree
    with database.sessions() as s:
        aggregator = Aggregator(s)
        once = aggregator.values("revenue", regions=["990000"], clusters=[ids["a"]], periods=["2024"])
        twice = aggregator.values("revenue", regions=["990000"], clusters=[ids["a"], ids["a"]], periods=["2024", "2024"])
    assert once == twice == {("990000", "2024"): 60}


def test_months_roll_up_to_quarters_and_years_for_flow_indicators(tree):
    database, ids = tree
    with transaction(database.sessions) as s:
        src = s.query(DataSource).one()
        s.query(Indicator).filter(Indicator.code == "revenue").one().flow = True

        def month(region, period, value):
            s.add(Observation(indicator_code="revenue", region_code=region, cluster_id=ids["a"], period=period,
                              period_type="M", year=int(period[:4]), value=value, source_id=src.id))

        for m in range(1, 13):
            month("990101", f"2023-{m:02d}", float(m))  # every month of 2023: 78 in all, Q1 = 6
        for m in (1, 2):
            month("990102", f"2023-{m:02d}", 100.0)  # two months of Q1 only: no quarter, no year
        s.add(Observation(indicator_code="revenue", region_code="990101", cluster_id=ids["a"], period="2023-Q2",
                          period_type="Q", year=2023, value=99.0, source_id=src.id))  # reported: wins over 4+5+6
    with database.sessions() as s:
        aggregator = Aggregator(s)
        quarters = aggregator.values("revenue", regions=["990101", "990102", "990100"], clusters=[ids["a"]], period_type="Q")
        assert quarters[("990101", "2023-Q1")] == 6 and quarters[("990101", "2023-Q2")] == 99
        assert quarters[("990101", "2023-Q4")] == 33 and ("990102", "2023-Q1") not in quarters
        assert quarters[("990100", "2023-Q1")] == 6  # the city: its counties' sum
        years = aggregator.values("revenue", regions=["990101", "990102"], clusters=[ids["a"]], periods=["2023"])
        assert years == {("990101", "2023"): 78}  # no annual figure of 2023 is stored: the months make it
        assert aggregator.values("revenue", regions=["990101"], clusters=[ids["a"]], periods=["2024"]) == {("990101", "2024"): 10}
        # A stock or a rate is not summed from months.
        assert aggregator.values("share", regions=["990000"], clusters=None, period_type="Q") == {}
