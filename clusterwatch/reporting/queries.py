"""Read observations as they were stored (no aggregation)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterwatch.errors import BadInput
from clusterwatch.plans import queries as plan_queries
from clusterwatch.plans.models import Cluster, Indicator, Plan
from clusterwatch.reporting.models import DataSource, Observation
from clusterwatch.reporting.periods import Period
from clusterwatch.reporting.schemas import ObservationPage, ObservationPublic


def observation_page(session: Session, plan: Plan, *, indicator: str | None = None, cluster: str | None = None,
                     region: str | None = None, period: str | None = None, period_type: str | None = None,
                     limit: int = 1000, offset: int = 0) -> ObservationPage:
    query = (
        select(Observation, Cluster.slug, DataSource.code, DataSource.synthetic)
        .join(DataSource, DataSource.id == Observation.source_id)
        .outerjoin(Cluster, Cluster.id == Observation.cluster_id)
    )
    if indicator is not None:
        if session.get(Indicator, indicator) is None:
            raise plan_queries.NotFound("indicator", indicator)
        query = query.where(Observation.indicator_code == indicator)
    if cluster is not None:
        query = query.where(Observation.cluster_id == plan_queries.cluster_by_slug(session, plan, cluster).id)
    if region is not None:
        query = query.where(Observation.region_code == plan_queries.region_by_code(session, region).code)
    if period is not None:
        try:
            key = Period.parse(period).key
        except ValueError as exc:
            raise BadInput("period", str(exc)) from None
        query = query.where(Observation.period == key)
    if period_type is not None:
        query = query.where(Observation.period_type == period_type)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.execute(
        query.order_by(Observation.indicator_code, Observation.cluster_id, Observation.region_code, Observation.period)
        .limit(limit).offset(offset)
    )
    items = [
        ObservationPublic(indicator=o.indicator_code, region=o.region_code, cluster=slug, period=o.period,
                          value=o.value, status=o.status, source=source, synthetic=synthetic)
        for o, slug, source, synthetic in rows
    ]
    return ObservationPage(total=total, limit=limit, offset=offset, items=items)
