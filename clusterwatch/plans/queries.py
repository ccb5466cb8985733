"""Read the plan registry: the active plan, its clusters, layout, targets and regions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.errors import NotFound
from clusterwatch.plans.models import Cluster, Document, LayoutPlacement, Plan, Target
from clusterwatch.regions.models import Region

STRATEGIC_KINDS = ("pillar", "emerging")


def active_plan(session: Session, code: str | None = None) -> Plan:
    """The plan named by `code`, or the only (else the most recently loaded) plan."""
    query = select(Plan)
    if code:
        query = query.where(Plan.code == code)
    plan = session.scalar(query.order_by(Plan.loaded_at.desc()).limit(1))
    if plan is None:
        raise NotFound("plan", code or "(none loaded)")
    return plan


def clusters(session: Session, plan: Plan, kinds: tuple[str, ...] = STRATEGIC_KINDS) -> list[Cluster]:
    return list(session.scalars(
        select(Cluster).where(Cluster.plan_id == plan.id, Cluster.kind.in_(kinds)).order_by(Cluster.sort_order)
    ))


def cluster_by_slug(session: Session, plan: Plan, slug: str) -> Cluster:
    cluster = session.scalar(select(Cluster).where(Cluster.plan_id == plan.id, Cluster.slug == slug))
    if cluster is None:
        raise NotFound("cluster", slug)
    return cluster


REGISTRY_CACHE = "plan_registry"


def _remembered(session: Session, plan: Plan, name: str, load) -> list:
    """A plan's layout or targets, read once per session.

    The whole assessment asks for them in every one of its 42 reports; they change only when
    a plan is loaded, and `load_plan` forgets them (the key holds the plan's load time too).
    """
    cache = session.info.setdefault(REGISTRY_CACHE, {})
    key = (name, plan.id, plan.loaded_at)
    if key not in cache:
        cache[key] = load()
    return list(cache[key])


def layout(session: Session, plan: Plan) -> list[LayoutPlacement]:
    return _remembered(session, plan, "layout", lambda: list(session.scalars(
        select(LayoutPlacement).join(Cluster).where(Cluster.plan_id == plan.id)
        .order_by(Cluster.sort_order, LayoutPlacement.region_code)
    )))


def targets(session: Session, plan: Plan) -> list[Target]:
    return _remembered(session, plan, "targets", lambda: list(
        session.scalars(select(Target).where(Target.plan_id == plan.id).order_by(Target.id))))


def documents(session: Session, plan: Plan) -> dict[int, Document]:
    return {d.id: d for d in session.scalars(select(Document).where(Document.plan_id == plan.id))}


def cities(session: Session, plan: Plan) -> list[Region]:
    return list(session.scalars(
        select(Region).where(Region.parent_code == plan.region_code).order_by(Region.sort_order)
    ))


def region_by_code(session: Session, code: str) -> Region:
    region = session.get(Region, code)
    if region is None:
        raise NotFound("region", code)
    return region
