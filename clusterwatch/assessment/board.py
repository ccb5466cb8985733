"""The target board: every goal of a plan with its light, its methods and its trend, as of a period.

A period of a year (2024) is assessed on that year's annual figures. A quarter or a month
(2025-Q3, 2025-09) is assessed on the last complete year before it (2024), because annual
goals are judged on annual figures; the year to date of such a period belongs to the
periodic report (assessment/report.py), not to the goal's light.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterwatch.assessment.aggregate import Aggregator
from clusterwatch.assessment.methods import LIGHT_ORDER, METHODS
from clusterwatch.assessment.schemas import ClusterPublic, DataNoticePublic, PlanPublic, PointPublic, TargetPublic
from clusterwatch.assessment.views import TargetAssessor, annual_years, cluster_public, data_notice, plan_public
from clusterwatch.plans import queries
from clusterwatch.plans.models import Target
from clusterwatch.problems import BadInput, msg
from clusterwatch.reporting.periods import Period, PeriodError

LIGHTS = ("green", "amber", "red", "grey")
SCOPES = ("province", "group", "cluster")


class BoardRowPublic(TargetPublic):
    previous_light: str | None  # the light a year earlier, on the same method
    turned_worse: bool
    trend: list[PointPublic]  # the annual series up to the year assessed


class BoardPublic(BaseModel):
    plan: PlanPublic
    data: DataNoticePublic
    period: str | None
    as_of_year: int | None
    years: list[int]
    clusters: list[ClusterPublic]
    methods: list[str]
    filters: dict[str, str | bool | None]
    counts: dict[str, int]  # per light, over the rows shown
    total: int  # targets before filtering
    rows: list[BoardRowPublic]


def as_of_year(period: Period) -> int:
    """The last year whose annual figures are complete at the end of `period`."""
    ends_year = period.type == "A" or (period.type == "Q" and period.index == 4) or (period.type == "M" and period.index == 12)
    return period.year if ends_year else period.year - 1


def parse_period(value: str | None, years: list[int]) -> tuple[str | None, int | None]:
    """(period key, year assessed); no period: the latest year with data."""
    if not value:
        return (str(years[-1]), years[-1]) if years else (None, None)
    try:
        period = Period.parse(value)
    except PeriodError as exc:
        raise BadInput("period", exc.message) from None
    return period.key, as_of_year(period)


def scope_of(target: Target) -> str:
    return "cluster" if target.cluster_id is not None else "group" if target.cluster_group else "province"


def board(session: Session, plan, *, period: str | None = None, cluster: str | None = None, light: str | None = None,
          scope: str | None = None, disagree: bool = False, aggregator: Aggregator | None = None) -> BoardPublic:
    if light is not None and light not in LIGHTS:
        raise BadInput("light", msg("{value} is not a light: {lights}", value=repr(light), lights=", ".join(LIGHTS)))
    if scope is not None and scope not in SCOPES:
        raise BadInput("scope", msg("{value} is not a scope: {scopes}", value=repr(scope), scopes=", ".join(SCOPES)))
    chosen = queries.cluster_by_slug(session, plan, cluster) if cluster else None
    aggregator = aggregator or Aggregator(session)
    years = annual_years(session, aggregator)
    key, year = parse_period(period, years)
    assessor = TargetAssessor(session, plan, aggregator)
    every_cluster = queries.clusters(session, plan, ("pillar", "emerging", "future", "sub"))
    slugs = {c.id: c.slug for c in every_cluster}
    targets = queries.targets(session, plan)
    rows = []
    for target in targets:
        if chosen is not None and target.cluster_id != chosen.id:
            continue
        if scope is not None and scope_of(target) != scope:
            continue
        series = assessor.series(target)
        progress = assessor.progress(target, year, series)
        if light is not None and progress.light != light:
            continue
        if disagree and not progress.disagree:
            continue
        before = assessor.progress(target, year - 1, series) if year is not None else None
        previous = next((m.light for m in before.methods if m.method == progress.method), None) if before else None
        worse = previous is not None and LIGHT_ORDER[progress.light] > LIGHT_ORDER[previous] >= 0
        public = assessor.public(target, year, slugs, progress)
        trend = [PointPublic(period=str(y), value=v) for y, v in sorted(series.items()) if year is None or y <= year]
        rows.append(BoardRowPublic(**public.model_dump(), previous_light=previous, turned_worse=worse, trend=trend))
    counts = {name: sum(1 for r in rows if r.progress.light == name) for name in LIGHTS}
    return BoardPublic(
        plan=plan_public(plan), data=data_notice(session, aggregator), period=key, as_of_year=year, years=years,
        clusters=[cluster_public(c) for c in queries.clusters(session, plan)], methods=list(METHODS),
        filters={"cluster": cluster, "light": light, "scope": scope, "disagree": disagree},
        counts=counts, total=len(targets), rows=rows,
    )
