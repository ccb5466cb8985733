"""The JSON API: the twin of every page, and the registry's facts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from clusterwatch.assessment import views
from clusterwatch.assessment.schemas import (
    CityDetailPublic,
    ClusterCardPublic,
    ClusterDetailPublic,
    IndicatorPublic,
    LayoutPlacementPublic,
    OverviewPublic,
    RegionPublic,
    TargetPublic,
)
from clusterwatch.plans import queries as plan_queries
from clusterwatch.plans.forms import FormPublic, form_list
from clusterwatch.reporting.queries import observation_page, value_history
from clusterwatch.reporting.schemas import ObservationPage, ValueChangePublic
from clusterwatch.reporting.workflow import may_read
from clusterwatch.web.deps import PlanDep, SessionDep, current_user

router = APIRouter(prefix="/api", tags=["api"])

Year = Annotated[int | None, Query(ge=1949, le=2100, description="annual period; default: the latest with data")]
KINDS = {"strategic": ("pillar", "emerging"), "pillar": ("pillar",), "emerging": ("emerging",),
         "future": ("future",), "sub": ("sub",), "all": ("pillar", "emerging", "future", "sub")}


@router.get("/overview", response_model=OverviewPublic, summary="Twin of the overview page")
def overview(session: SessionDep, plan: PlanDep, cluster: str | None = None,
             indicator: str = "revenue", year: Year = None) -> OverviewPublic:
    return views.overview(session, plan, cluster_slug=cluster or None, indicator_code=indicator, year=year)


@router.get("/clusters", response_model=list[ClusterCardPublic], summary="Clusters with their headline goal")
def clusters(session: SessionDep, plan: PlanDep, year: Year = None,
             kind: Literal["strategic", "pillar", "emerging", "future", "sub", "all"] = "strategic") -> list[ClusterCardPublic]:
    return views.cluster_cards(session, plan, year=year, kinds=KINDS[kind])


@router.get("/clusters/{slug}", response_model=ClusterDetailPublic, summary="Twin of a cluster page")
def cluster(slug: str, session: SessionDep, plan: PlanDep, year: Year = None) -> ClusterDetailPublic:
    return views.cluster_detail(session, plan, slug, year=year)


@router.get("/cities/{code}", response_model=CityDetailPublic, summary="Twin of a city page")
def city(code: str, session: SessionDep, plan: PlanDep, year: Year = None) -> CityDetailPublic:
    return views.city_detail(session, plan, code, year=year)


@router.get("/layout", response_model=list[LayoutPlacementPublic], summary="City × cluster placements with tiers")
def layout(session: SessionDep, plan: PlanDep, cluster: str | None = None, region: str | None = None,
           tier: Literal["core", "key", "general"] | None = None) -> list[LayoutPlacementPublic]:
    return views.layout_list(session, plan, cluster_slug=cluster, region_code=region, tier=tier)


@router.get("/regions", response_model=list[RegionPublic], summary="The region tree")
def regions(session: SessionDep) -> list[RegionPublic]:
    return views.region_list(session)


@router.get("/indicators", response_model=list[IndicatorPublic], summary="Indicators and how they aggregate")
def indicators(session: SessionDep) -> list[IndicatorPublic]:
    return views.indicator_list(session)


@router.get("/targets", response_model=list[TargetPublic], summary="Every goal with its citation and progress")
def targets(session: SessionDep, plan: PlanDep, year: Year = None) -> list[TargetPublic]:
    return views.target_list(session, plan, year=year)


@router.get("/forms", response_model=list[FormPublic], summary="The returns the plan collects (data sets)")
def forms(session: SessionDep, plan: PlanDep) -> list[FormPublic]:
    return form_list(session, plan)


@router.get("/observations/history", response_model=list[ValueChangePublic],
            summary="Every change of one value: who, when, old and new value, why")
def history(request: Request, session: SessionDep, plan: PlanDep, indicator: str, region: str, period: str,
            cluster: str | None = None) -> list[ValueChangePublic]:
    # The audit names who changed what, of values before they count: for those who may read the unit's returns.
    may_read(session, current_user(request), plan_queries.region_by_code(session, region))
    return value_history(session, plan, indicator=indicator, region=region, period=period, cluster=cluster)


@router.get("/observations", response_model=ObservationPage, summary="Stored observations, unaggregated")
def observations(
    session: SessionDep, plan: PlanDep, indicator: str | None = None, cluster: str | None = None,
    region: str | None = None, period: str | None = None,
    period_type: Literal["A", "Q", "M"] | None = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000, offset: Annotated[int, Query(ge=0)] = 0,
) -> ObservationPage:
    return observation_page(session, plan, indicator=indicator, cluster=cluster, region=region, period=period,
                            period_type=period_type, limit=limit, offset=offset)
