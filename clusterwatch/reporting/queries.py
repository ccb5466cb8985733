"""Read observations as they were stored (no aggregation)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterwatch.errors import NotFound
from clusterwatch.plans import queries as plan_queries
from clusterwatch.plans.models import Cluster, Indicator, LayoutPlacement, Plan
from clusterwatch.problems import BadInput, msg
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import DataSource, Form, FormIndicator, Observation
from clusterwatch.reporting.periods import Period, PeriodError
from clusterwatch.reporting.schemas import ObservationPage, ObservationPublic, ValueChangePublic


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
        except PeriodError as exc:
            raise BadInput("period", exc.message) from None
        query = query.where(Observation.period == key)
    if period_type is not None:
        query = query.where(Observation.period_type == period_type)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    assert total is not None  # count(*) always returns one row
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


def value_history(session: Session, plan: Plan, *, indicator: str, region: str, period: str,
                  cluster: str | None = None) -> list[ValueChangePublic]:
    """Every change of one value, oldest first: who, when, from what, to what, why."""
    from clusterwatch.accounts.models import User
    from clusterwatch.reporting.models import ObservationChange

    period = Period.parse(period).key
    query = (select(ObservationChange, User.username)
             .outerjoin(User, User.id == ObservationChange.user_id)
             .where(ObservationChange.indicator_code == indicator, ObservationChange.region_code == region,
                    ObservationChange.period == period))
    if cluster:
        query = query.where(ObservationChange.cluster_id == plan_queries.cluster_by_slug(session, plan, cluster).id)
    else:
        query = query.where(ObservationChange.cluster_id.is_(None))
    return [ValueChangePublic(indicator=c.indicator_code, region=c.region_code, cluster=cluster, period=c.period,
                              old_value=c.old_value, new_value=c.new_value, user=username,
                              changed_at=c.changed_at.isoformat(), reason=c.reason)
            for c, username in session.execute(query.order_by(ObservationChange.id))]


def form_by_code(session: Session, plan: Plan, code: str) -> Form:
    form = session.scalar(select(Form).where(Form.plan_id == plan.id, Form.code == code))
    if form is None:
        raise NotFound("form", code)
    return form


def reporting_unit(session: Session, form: Form, code: str) -> Region:
    """The region `code` as a unit that reports `form`: it exists and is of the form's level."""
    region = session.get(Region, code)
    if region is None:
        raise NotFound("region", code)
    level = return_level(form)
    if region.level != level:
        if form.level == "enterprise":
            raise BadInput("unit", msg("{region} is a {level}; the firms' returns of form {form} are kept per county",
                                       region=region.name_zh, level=msg(region.level), form=form.code))
        raise BadInput("unit", msg("{region} is a {level}; form {form} is reported by each {expected}", region=region.name_zh,
                                   level=msg(region.level), form=form.code, expected=msg(level)))
    return region


def return_level(form: Form) -> str:
    """The level whose units hold a form's returns: a form of firms is returned per county."""
    return "county" if form.level == "enterprise" else form.level


def return_values(session: Session, plan: Plan, *, form: Form, unit: str, period: str) -> dict:
    """What a return holds and how it came to be: each value of a region's return with every
    change of it (who, when, old, new, why); for a return of firms, the imports (batches)
    that wrote it and every value they changed."""
    from clusterwatch.accounts.models import User
    from clusterwatch.reporting.models import EnterpriseValueChange, EnterpriseValues, ImportBatch, ObservationChange

    codes = list(session.scalars(select(FormIndicator.indicator_code).where(FormIndicator.form_id == form.id)
                                 .order_by(FormIndicator.position)))
    if form.level == "enterprise":
        from clusterwatch.enterprises.models import Enterprise

        firms = select(EnterpriseValues.enterprise_id).where(EnterpriseValues.form_id == form.id,
                                                             EnterpriseValues.period == period,
                                                             EnterpriseValues.region_code == unit)
        batches = session.execute(
            select(ImportBatch, User.username).outerjoin(User, User.id == ImportBatch.user_id)
            .where(ImportBatch.id.in_(select(EnterpriseValues.batch_id).where(EnterpriseValues.enterprise_id.in_(firms),
                                                                              EnterpriseValues.form_id == form.id,
                                                                              EnterpriseValues.period == period)
                                      .union(select(EnterpriseValues.created_batch_id).where(
                                          EnterpriseValues.enterprise_id.in_(firms), EnterpriseValues.form_id == form.id,
                                          EnterpriseValues.period == period))))
            .order_by(ImportBatch.id)).all()
        changes = session.execute(
            select(EnterpriseValueChange, Enterprise.uscc, Enterprise.name_zh)
            .join(Enterprise, Enterprise.id == EnterpriseValueChange.enterprise_id)
            .where(EnterpriseValueChange.form_id == form.id, EnterpriseValueChange.period == period,
                   EnterpriseValueChange.enterprise_id.in_(firms)).order_by(EnterpriseValueChange.id)).all()
        return {"kind": "firms", "firms": session.scalar(select(func.count()).select_from(firms.subquery())),
                "batches": [{"id": b.id, "user": name, "at": b.at.isoformat(), "file": b.filename, "rows": b.rows,
                             "created": b.created, "updated": b.updated, "reason": b.reason} for b, name in batches],
                "changes": [{"enterprise": uscc, "name_zh": firm, "indicator": c.indicator_code, "old_value": c.old_value,
                             "new_value": c.new_value, "batch": c.batch_id} for c, uscc, firm in changes]}
    observations = session.execute(
        select(Observation, Cluster.slug).outerjoin(Cluster, Cluster.id == Observation.cluster_id)
        .where(Observation.region_code == unit, Observation.period == period, Observation.indicator_code.in_(codes))
        .order_by(Observation.cluster_id, Observation.indicator_code)).all()
    history: dict = {}
    for change, name in session.execute(
            select(ObservationChange, User.username).outerjoin(User, User.id == ObservationChange.user_id)
            .where(ObservationChange.region_code == unit, ObservationChange.period == period,
                   ObservationChange.indicator_code.in_(codes)).order_by(ObservationChange.id)):
        history.setdefault((change.indicator_code, change.cluster_id), []).append(
            {"old_value": change.old_value, "new_value": change.new_value, "user": name,
             "at": change.changed_at.isoformat(), "reason": change.reason})
    return {"kind": "values", "values": [
        {"indicator": o.indicator_code, "cluster": slug, "value": o.value, "status": o.status, "approved": o.approved,
         "history": history.get((o.indicator_code, o.cluster_id), [])} for o, slug in observations]}


def form_indicators(session: Session, form: Form) -> list[tuple[FormIndicator, Indicator]]:
    rows = session.execute(select(FormIndicator, Indicator).join(Indicator, Indicator.code == FormIndicator.indicator_code)
                           .where(FormIndicator.form_id == form.id).order_by(FormIndicator.position))
    return [(item, indicator) for item, indicator in rows]


def unit_clusters(session: Session, plan: Plan, form: Form, unit: Region) -> list[Cluster | None]:
    """The rows of a unit's return: the clusters its city hosts in the layout, or one row."""
    if form.disaggregation == "none":
        return [None]
    city = unit.code if unit.level == "city" else unit.parent_code
    return list(session.scalars(
        select(Cluster).join(LayoutPlacement, LayoutPlacement.cluster_id == Cluster.id)
        .where(Cluster.plan_id == plan.id, LayoutPlacement.region_code == city).order_by(Cluster.sort_order)))
