"""Deterministic synthetic demo data for a loaded plan.

What it makes, for every city × cluster that the layout places (and only there):
annual values for the first year through the plan horizon of revenue, value added, R&D
spending and employment (and gross output where a cluster's goal is stated as output), and
monthly values of the flow indicators for the last two years (so that a month can be set
against the same month a year before); plus annual values of the province-wide
indicators that the plan sets goals for.

How (docs/methods.md, "Synthetic demo data"): each cluster's province total starts at the
figure the plans state for the first year, or a share of its group's stated total weighted
by the cluster's goal; it then moves along a noisy geometric path to a synthetic 2025
outcome between 88% and 110% of its goal, so the demo shows a mix of goals met and missed.
Totals are split over cities by layout tier (core 6 : key 2.5 : general 1, with a fixed
random lean per city) in whole cents, so the cities add up exactly to the stated figures.
The same seed always gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clusterwatch.db import bulk_insert
from clusterwatch.demo.allocation import split_exact
from clusterwatch.demo.enterprises import FIRMS, EnterpriseDemo, generate_enterprise_demo
from clusterwatch.demo.task_updates import generate_task_updates
from clusterwatch.plans.models import Cluster, LayoutPlacement, Plan, StatedFigure, Target
from clusterwatch.reporting.models import DataSource, Observation

SOURCE_CODE = "demo-synthetic"
FIRST_YEAR = 2019
TIER_WEIGHTS = {"core": 6.0, "key": 2.5, "general": 1.0}
# Gross output runs a little above operating revenue in the clusters that state goals as
# output (synthetic assumption).
OUTPUT_TO_REVENUE = 1.05
# Spring Festival empties February; the year-end rush fills December.
SEASONAL = [0.080, 0.060, 0.085, 0.082, 0.083, 0.085, 0.084, 0.085, 0.086, 0.085, 0.088, 0.107]

# Synthetic starting points (first year) of the province-wide indicators the plan sets
# goals for, when the plan states no figure of its own. They are plausible, not real.
PROVINCE_STARTS = {
    "mfg_va_gdp_share": 31.5,
    "hitech_mfg_va_share": 30.5,
    "mfg_rd_intensity": 1.60,
    "mfg_invention_patents": 120000,
    "mfg_quality_pass_rate": 93.2,
    "quality_award_firms": 9,
    "mfg_labour_productivity": 22.6,
    "industrial_internet_firms": 8000,
    "hitech_export_share": 31.0,
    "mfg_fdi_share": 24.0,
    "mfg_odi_share": 8.0,
    "lighthouse_factories": 1,
    "non_fossil_energy_share": 26.0,
}
COUNT_UNITS = {"件", "家", "家次", "个", "座", "人"}


@dataclass
class DemoSummary:
    observations: int
    annual: int
    monthly: int
    years: tuple[int, int]
    monthly_year: int
    enterprises: EnterpriseDemo | None = None


def _rng(seed: int, *parts: object) -> random.Random:
    # String seeds are hashed with SHA-512 by `random`, so this is stable across runs and
    # Python versions, unlike hash().
    return random.Random(":".join(map(str, (seed, *parts))))


def _path(start: float, end: float, years: list[int], rng: random.Random, *, dip: float = 0.0) -> dict[int, float]:
    """A geometric path from start to end with year-on-year noise; ends fixed exactly."""
    n = len(years) - 1
    growth = (end / start) ** (1 / n) if start > 0 and end > 0 else 1.0
    values = {}
    for i, year in enumerate(years):
        trend = start * growth**i
        if 0 < i < n:
            trend *= 1 + rng.uniform(-0.025, 0.025)
            if year == 2020:
                trend *= 1 - dip  # the pandemic year
        values[year] = trend
    values[years[0]], values[years[-1]] = start, end
    return values


def generate_demo(session: Session, plan: Plan, *, seed: int = 2020, monthly_year: int | None = None,
                  firms: int = FIRMS) -> DemoSummary:
    """Replace the plan's synthetic demo observations, and the synthetic firms with their
    returns, lists and evaluations, with freshly generated ones."""
    years = list(range(FIRST_YEAR, plan.horizon + 1))
    monthly_year = monthly_year or plan.horizon
    source = _demo_source(session)
    session.execute(delete(Observation).where(Observation.source_id == source.id))

    clusters = list(session.scalars(
        select(Cluster).where(Cluster.plan_id == plan.id, Cluster.kind.in_(("pillar", "emerging"))).order_by(Cluster.sort_order)
    ))
    targets = list(session.scalars(select(Target).where(Target.plan_id == plan.id).order_by(Target.id)))
    figures = list(session.scalars(select(StatedFigure).where(StatedFigure.plan_id == plan.id).order_by(StatedFigure.id)))
    layout: dict[int, list[LayoutPlacement]] = {}
    query = select(LayoutPlacement).where(LayoutPlacement.cluster_id.in_([c.id for c in clusters]))
    for placement in session.scalars(query.order_by(LayoutPlacement.region_code)):
        layout.setdefault(placement.cluster_id, []).append(placement)

    starts = _first_year_revenue(clusters, targets, figures, seed)
    rows: list[dict] = []
    for cluster in clusters:
        placements = layout.get(cluster.id, [])
        if not placements:
            continue
        rng = _rng(seed, cluster.slug)
        goal = _headline_goal(cluster, targets)
        output_goal = goal is not None and goal.indicator_code == "gross_output"
        start = starts[cluster.id]
        goal_revenue = (_goal_value(goal) / OUTPUT_TO_REVENUE if output_goal else _goal_value(goal)) if goal else start * 1.5
        outcome = goal_revenue * rng.uniform(0.88, 1.10)
        totals = _path(start, outcome, years, rng, dip=rng.uniform(0.0, 0.06))
        va_ratio = _stated_ratio(figures, cluster, "value_added", "revenue") or rng.uniform(0.18, 0.30)
        rd_ratio = rng.uniform(0.010, 0.045)
        productivity = rng.uniform(15, 35)  # 万元/人 in the first year
        leans = {p.region_code: _rng(seed, cluster.slug, p.region_code).lognormvariate(0, 0.3) for p in placements}
        drifts = {p.region_code: _rng(seed, cluster.slug, p.region_code, "drift").uniform(-0.04, 0.06) for p in placements}
        for year in years:
            i = year - FIRST_YEAR
            weights = [TIER_WEIGHTS[p.tier] * leans[p.region_code] * (1 + drifts[p.region_code]) ** i for p in placements]
            revenue = dict(zip([p.region_code for p in placements], split_exact(totals[year], weights)))
            va_total = _stated_value(figures, cluster, "value_added", year) or totals[year] * va_ratio * (1 + 0.004 * i)
            va = dict(zip(revenue, split_exact(va_total, [revenue[c] * rng.uniform(0.95, 1.05) for c in revenue])))
            indicators: dict[str, dict[str, float]] = {
                "revenue": revenue,
                "value_added": va,
                "rd_spending": {c: round(v * (rd_ratio + 0.0006 * i) * rng.uniform(0.9, 1.1), 2) for c, v in revenue.items()},
                "employment": {c: max(1, round(v * 1e4 / (productivity * 1.05**i * rng.uniform(0.9, 1.1)))) for c, v in va.items()},
            }
            if output_goal:
                indicators["gross_output"] = dict(zip(revenue, split_exact(totals[year] * OUTPUT_TO_REVENUE, [revenue[c] for c in revenue])))
            for code, by_city in indicators.items():
                for city, value in by_city.items():
                    rows.append(_obs(code, city, cluster.id, str(year), "A", year, value, _status(year, plan), source.id))
                if monthly_year - 1 <= year <= monthly_year and code != "employment":
                    for city, value in by_city.items():
                        months = split_exact(value, [s * rng.uniform(0.93, 1.07) for s in SEASONAL])
                        for month, v in enumerate(months, start=1):
                            rows.append(_obs(code, city, cluster.id, f"{year}-{month:02d}", "M", year, v,
                                             "P" if year == plan.horizon else "A", source.id))

    rows.extend(_province_rows(plan, targets, figures, years, seed, source.id))
    # The driver's bulk path (COPY on PostgreSQL): 30,000 rows in a fraction of executemany's
    # time, which every test that builds the demo pays.
    columns = ["indicator_code", "region_code", "cluster_id", "period", "period_type", "year", "value", "status",
               "source_id", "approved"]
    # Declarative types __table__ as any FromClause; a mapped class's is its Table.
    bulk_insert(session.connection(), Observation.__table__, columns,
                [tuple(r[c] for c in columns[:-1]) + (True,) for r in rows])
    generate_task_updates(session, plan, seed=seed)
    enterprises = generate_enterprise_demo(session, plan, seed=seed, count=firms) if firms else None
    monthly = sum(1 for r in rows if r["period_type"] == "M")
    return DemoSummary(len(rows), len(rows) - monthly, monthly, (years[0], years[-1]), monthly_year, enterprises)


def _status(year: int, plan: Plan) -> str:
    """The latest year is provisional (SDMX P), as a statistics office would mark it."""
    return "P" if year == plan.horizon else "A"


def _obs(code, region, cluster_id, period, ptype, year, value, status, source_id) -> dict:
    return dict(indicator_code=code, region_code=region, cluster_id=cluster_id, period=period,
                period_type=ptype, year=year, value=value, status=status, source_id=source_id)


def _demo_source(session: Session) -> DataSource:
    source = session.scalar(select(DataSource).where(DataSource.code == SOURCE_CODE))
    if source is None:
        source = DataSource(
            code=SOURCE_CODE,
            name_zh="合成演示数据（非真实统计数据）",
            name_en="Synthetic demo data (not real statistics)",
            synthetic=True,
            description="Generated by clusterwatch.demo.generator from the plan's stated figures and goals; every number is made up.",
            created_at=dt.datetime.now(dt.UTC),
        )
        session.add(source)
        session.flush()
    return source


def _headline_goal(cluster: Cluster, targets: list[Target]) -> Target | None:
    for target in targets:
        if target.cluster_id == cluster.id and target.headline and target.measure == "level":
            return target
    return None


def _goal_value(target: Target) -> float:
    # A target is only loaded with a value: the plan file refuses a placeholder (TargetIn).
    assert target.value is not None
    return target.value


def _stated_value(figures: list[StatedFigure], cluster: Cluster, indicator: str, year: int) -> float | None:
    for figure in figures:
        if figure.cluster_id == cluster.id and figure.indicator_code == indicator and figure.year == year:
            return figure.value
    return None


def _stated_ratio(figures, cluster, numerator: str, denominator: str) -> float | None:
    for figure in figures:
        if figure.cluster_id == cluster.id and figure.indicator_code == numerator:
            base = _stated_value(figures, cluster, denominator, figure.year)
            if base:
                return figure.value / base
    return None


def _first_year_revenue(clusters: list[Cluster], targets: list[Target], figures: list[StatedFigure], seed: int) -> dict[int, float]:
    """First-year revenue of each cluster: its own stated figure, else a share of its group's.

    The group's stated total (e.g. the 10 pillar clusters' 15万亿元 in 2019) less the
    clusters with figures of their own is split by each cluster's goal; a cluster without a
    numeric goal weighs as the smallest goal of its group. With no group figure, a cluster
    starts at its goal discounted by 8% a year.
    """
    starts: dict[int, float] = {}
    for kind in ("pillar", "emerging"):
        group = [c for c in clusters if c.kind == kind]
        own = {c.id: _stated_value(figures, c, "revenue", FIRST_YEAR) for c in group}
        goals = {}
        for c in group:
            goal = _headline_goal(c, targets)
            if goal is not None:
                goals[c.id] = _goal_value(goal) / OUTPUT_TO_REVENUE if goal.indicator_code == "gross_output" else _goal_value(goal)
        smallest = min(goals.values(), default=1000.0)
        weights = {c.id: goals.get(c.id, smallest) for c in group if own[c.id] is None}
        group_total = next((f.value for f in figures if f.cluster_group == kind and f.indicator_code == "revenue" and f.year == FIRST_YEAR), None)
        for cid, stated in own.items():
            if stated is not None:
                starts[cid] = stated
        if group_total is not None and weights:
            rest = group_total - sum(v for v in own.values() if v is not None)
            ids = list(weights)
            for cid, value in zip(ids, split_exact(rest, [weights[i] for i in ids])):
                starts[cid] = value
        else:
            for cid, weight in weights.items():
                starts[cid] = round(weight / 1.08 ** 6, 2)
    return starts


def _province_rows(plan: Plan, targets: list[Target], figures: list[StatedFigure], years: list[int], seed: int, source_id: int) -> list[dict]:
    rows = []
    seen = set()
    for target in targets:
        code = target.indicator_code
        if target.cluster_id is not None or target.cluster_group is not None or target.measure != "level" or code in seen:
            continue
        if code not in PROVINCE_STARTS:
            continue
        seen.add(code)
        rng = _rng(seed, "province", code)
        end = _goal_value(target) * rng.uniform(0.92, 1.07)
        values = _path(PROVINCE_STARTS[code], end, years, rng)
        stated = {f.year: f.value for f in figures if f.indicator_code == code and f.cluster_id is None and f.cluster_group is None}
        values.update({y: v for y, v in stated.items() if y in values})
        counted = target.unit in COUNT_UNITS
        previous = None
        for year in years:
            value = values[year]
            if counted:
                # Counts of patents, firms and factories only grow and are whole numbers.
                value = round(max(value, previous or 0))
            else:
                value = round(value, 2)
            previous = value
            rows.append(_obs(code, plan.region_code, None, str(year), "A", year, value, _status(year, plan), source_id))
    return rows
