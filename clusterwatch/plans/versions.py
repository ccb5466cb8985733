"""Versions of a plan: what a load would add, change and remove, and every load kept.

A load replaces a plan's documents, layout, stated figures, targets and validation rules with
those of the file (forms, tasks and clusters with data are kept). Before it is written the
changes are counted per part, so that a person sees "targets: 39 removed" before confirming,
and every load is kept as a PlanVersion holding the file itself: loading that file again
restores the plan as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterwatch.errors import NotFound
from clusterwatch.plans.models import Cluster, Document, LayoutPlacement, Plan, PlanVersion, StatedFigure, Target
from clusterwatch.plans.planfile import Names, PlanFile, ValidatedPlan, parse_plan_text
from clusterwatch.plans.tasks_models import Task
from clusterwatch.problems import BadInput, msg
from clusterwatch.reporting.models import Form, ValidationRule

# The parts of a plan a load touches, in the order they are shown; forms and tasks are never
# removed by a load (returns hang on a form, updates on a task).
PARTS = ("documents", "layout", "stated_figures", "targets", "validation_rules", "forms", "tasks")
KEPT = ("forms", "tasks")


def plan_changes(session: Session, data: PlanFile) -> dict[str, dict[str, int]]:
    """Per part, how many entries loading `data` would add, change and remove."""
    plan = session.scalar(select(Plan).where(Plan.code == data.plan.code))
    now = _stored(session, plan) if plan is not None else {part: {} for part in PARTS}
    new = _in_file(data)
    changes = {}
    for part in PARTS:
        before, after = now[part], new[part]
        changes[part] = {"added": len(after.keys() - before.keys()),
                         "changed": sum(1 for key in after.keys() & before.keys() if after[key] != before[key]),
                         "removed": 0 if part in KEPT else len(before.keys() - after.keys())}
    return changes


def removes_anything(changes: Mapping[str, Mapping[str, int]]) -> bool:
    return any(part["removed"] for part in changes.values())


def _stored(session: Session, plan: Plan) -> dict[str, dict]:
    """Each part as {key: what a load compares}; a stated figure has no key of its own and is keyed by all it holds."""
    slugs: dict[int | None, str] = dict(session.execute(select(Cluster.id, Cluster.slug).where(Cluster.plan_id == plan.id)).all())
    docs = list(session.scalars(select(Document).where(Document.plan_id == plan.id)))
    documents: dict[int | None, str] = {d.id: d.code for d in docs}
    placements = session.execute(select(Cluster.slug, LayoutPlacement.region_code, LayoutPlacement.tier)
                                 .join(Cluster, Cluster.id == LayoutPlacement.cluster_id).where(Cluster.plan_id == plan.id))
    figures = session.scalars(select(StatedFigure).where(StatedFigure.plan_id == plan.id))
    targets = session.scalars(select(Target).where(Target.plan_id == plan.id))
    rules = session.scalars(select(ValidationRule).where(ValidationRule.plan_id == plan.id))
    forms = session.scalars(select(Form).where(Form.plan_id == plan.id))
    tasks = session.scalars(select(Task).where(Task.plan_id == plan.id))
    return {
        "documents": dict((d.code, (d.file, d.title, d.number, d.issued)) for d in docs),
        "layout": dict(((slug, region), tier) for slug, region, tier in placements),
        "stated_figures": dict(((f.indicator_code, f.region_code, slugs.get(f.cluster_id), f.cluster_group, f.year,
                                 f.comparator, _number(f.value), documents.get(f.document_id), f.source_line), None)
                               for f in figures),
        "targets": dict((t.code, (t.indicator_code, t.region_code, slugs.get(t.cluster_id), t.cluster_group, t.measure,
                                  t.comparator, _number(t.value), _number(t.value_max), t.unit, t.year, t.aspirational,
                                  t.headline, documents.get(t.document_id), t.source_line)) for t in targets),
        "validation_rules": dict((r.code, (r.left, r.operator, r.right, r.importance, r.missing, r.scope, _number(r.tolerance)))
                                 for r in rules),
        "forms": dict((f.code, (f.name_zh, f.period_type, f.level, f.disaggregation)) for f in forms),
        "tasks": dict((t.code, (t.kind, t.title)) for t in tasks),
    }


def _in_file(data: PlanFile) -> dict[str, dict]:
    names = Names(data)

    def scope(s) -> tuple:
        return (names.region(s.region) if s.region else data.plan.region, names.cluster(s.cluster) if s.cluster else None,
                s.cluster_group)

    return {
        "documents": dict((d.code, (d.file, d.title, d.number, d.issued)) for d in data.documents),
        "layout": dict(((names.cluster(row.cluster), names.region(city)), tier)
                       for table in data.layout for row in table.rows for city, tier in row.cells.items()),
        "stated_figures": dict(((f.indicator, *scope(f.scope), f.year, f.comparator, _number(f.value), f.source.document,
                                 f.source.line), None) for f in data.stated_figures),
        "targets": dict((t.code, (t.indicator, *scope(t.scope), t.measure, t.comparator, _number(t.value),
                                  _number(t.value_max), t.unit, t.year, t.aspirational, t.headline, t.source.document,
                                  t.source.line)) for t in data.targets),
        "validation_rules": dict((r.code, (r.left, r.operator, r.right, r.importance, r.missing, r.scope, _number(r.tolerance)))
                                 for r in data.validation_rules),
        "forms": dict((f.code, (f.name_zh, f.period_type, f.level, f.disaggregation)) for f in data.forms),
        "tasks": dict((t.code, (t.kind, t.title)) for t in data.tasks),
    }


def _number(value: float | None) -> float | None:
    # Stored and read back, a float may differ in its last bits from the file's.
    return None if value is None else round(float(value), 9)


def record_version(session: Session, validated: ValidatedPlan, changes: dict, *, user, reason: str | None) -> PlanVersion:
    """Keep this load: the file, who, why, and its changes."""
    code = validated.data.plan.code
    last = session.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.plan_code == code)) or 0
    version = PlanVersion(plan_code=code, number=last + 1, loaded_at=dt.datetime.now(dt.UTC), loaded_by=getattr(user, "id", None),
                          source=validated.source[:300], reason=(reason or "").strip() or None, sha256=validated.sha256,
                          content=validated.text, changes=changes)
    session.add(version)
    session.flush()
    return version


def plan_versions(session: Session, plan_code: str) -> list[dict]:
    """Every load of the plan, newest first, with who made it."""
    from clusterwatch.accounts.models import User

    rows = session.execute(select(PlanVersion, User.username).outerjoin(User, User.id == PlanVersion.loaded_by)
                           .where(PlanVersion.plan_code == plan_code).order_by(PlanVersion.number.desc()))
    return [{"number": v.number, "loaded_at": v.loaded_at.isoformat(), "loaded_by": name, "source": v.source,
             "reason": v.reason, "sha256": v.sha256, "changes": v.changes} for v, name in rows]


def version_file(session: Session, plan_code: str, number: int) -> ValidatedPlan:
    """A kept version's file, checked again as any plan file is (the vocabulary may have moved on)."""
    version = session.scalar(select(PlanVersion).where(PlanVersion.plan_code == plan_code, PlanVersion.number == number))
    if version is None:
        raise NotFound("plan version", f"{plan_code} {number}")
    if not version.content:
        raise BadInput("number", msg("version {n} was loaded without keeping its file: it cannot be restored", n=number))
    return parse_plan_text(version.content.encode("utf-8"), source=f"{plan_code} version {number}")
