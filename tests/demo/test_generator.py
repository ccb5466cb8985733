"""The synthetic demo data: deterministic, placed where the layout places clusters, and
adding up exactly to the figures the plans state."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.demo.allocation import split_exact
from clusterwatch.demo.generator import generate_demo
from clusterwatch.plans.models import Cluster, LayoutPlacement, Plan
from clusterwatch.reporting.models import DataSource, Observation


def province_total(session, indicator, period, *, slug=None, kind=None):
    query = (select(func.sum(Observation.value)).join(Cluster, Cluster.id == Observation.cluster_id)
             .where(Observation.indicator_code == indicator, Observation.period == period))
    if slug:
        query = query.where(Cluster.slug == slug)
    if kind:
        query = query.where(Cluster.kind == kind)
    return session.scalar(query)


def test_province_totals_equal_the_stated_2019_figures(demo_session):
    assert province_total(demo_session, "revenue", "2019", kind="pillar") == pytest.approx(150000, abs=0.005)
    assert province_total(demo_session, "revenue", "2019", kind="emerging") == pytest.approx(15000, abs=0.005)
    assert province_total(demo_session, "revenue", "2019", slug="advanced-materials") == pytest.approx(21540, abs=0.005)
    assert province_total(demo_session, "value_added", "2019", slug="advanced-materials") == pytest.approx(5089, abs=0.005)
    assert province_total(demo_session, "revenue", "2019", slug="frontier-materials") == pytest.approx(500, abs=0.005)


def test_stated_province_figures_are_kept(demo_session):
    value = demo_session.scalar(select(Observation.value).where(
        Observation.indicator_code == "mfg_rd_intensity", Observation.period == "2019", Observation.cluster_id.is_(None)))
    assert value == 1.67


def test_data_only_where_the_layout_places_the_cluster(demo_session):
    placed = set(demo_session.execute(select(LayoutPlacement.cluster_id, LayoutPlacement.region_code)).all())
    observed = set(demo_session.execute(
        select(Observation.cluster_id, Observation.region_code).where(Observation.cluster_id.is_not(None)).distinct()).all())
    assert observed == placed
    assert len(placed) == 287


def test_annual_series_2019_to_2025_and_monthly_for_2024_and_2025(demo_session):
    years = demo_session.scalars(select(Observation.period).where(Observation.period_type == "A").distinct()).all()
    assert sorted(years) == [str(y) for y in range(2019, 2026)]
    months = demo_session.scalars(select(Observation.period).where(Observation.period_type == "M").distinct()).all()
    assert sorted(months) == [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)]


def test_months_add_up_to_the_year(demo_session):
    annual = {}
    sums = defaultdict(float)
    for cluster, region, value in demo_session.execute(select(Observation.cluster_id, Observation.region_code, Observation.value)
                                                       .where(Observation.indicator_code == "revenue", Observation.period_type == "M",
                                                              Observation.year == 2025)):
        sums[(cluster, region)] += value
    for cluster, region, value in demo_session.execute(select(Observation.cluster_id, Observation.region_code, Observation.value)
                                                       .where(Observation.indicator_code == "revenue", Observation.period == "2025")):
        annual[(cluster, region)] = value
    assert set(sums) == set(annual)
    assert all(sums[k] == pytest.approx(annual[k], abs=0.005) for k in annual)


def test_every_observation_is_from_the_synthetic_source(demo_session):
    sources = demo_session.execute(select(DataSource.code, DataSource.synthetic).join(
        Observation, Observation.source_id == DataSource.id).distinct()).all()
    assert sources == [("demo-synthetic", True)]


def test_core_cities_outweigh_general_ones(demo_session):
    rows = demo_session.execute(select(LayoutPlacement.tier, func.avg(Observation.value)).join(
        Observation, (Observation.cluster_id == LayoutPlacement.cluster_id) & (Observation.region_code == LayoutPlacement.region_code))
        .where(Observation.indicator_code == "revenue", Observation.period == "2025").group_by(LayoutPlacement.tier)).all()
    mean = dict(rows)
    assert mean["core"] > mean["key"] > mean["general"]


def test_the_same_seed_gives_the_same_data(demo):
    database = demo

    def snapshot():
        with database.sessions() as session:
            return session.execute(select(Observation.indicator_code, Observation.region_code, Observation.cluster_id,
                                          Observation.period, Observation.value).order_by(Observation.id)).all()

    first = snapshot()
    with transaction(database.sessions) as session:
        generate_demo(session, session.scalar(select(Plan)), seed=2020)
    assert snapshot() == first
    with transaction(database.sessions) as session:
        generate_demo(session, session.scalar(select(Plan)), seed=7)
    assert snapshot() != first


def test_split_exact_adds_up_to_the_cent():
    parts = split_exact(100.0, [1, 1, 1])
    assert parts == [33.34, 33.33, 33.33] and round(sum(parts), 2) == 100.0
    assert split_exact(0.05, [3, 1]) == [0.04, 0.01]
    with pytest.raises(ValueError):
        split_exact(10, [0, 0])
