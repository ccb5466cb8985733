"""Load a validated plan file into the registry, whole or not at all.

Regions, zones and indicators are shared vocabulary and are upserted by code. A plan is
replaced by a new load of the same plan code: its documents, layout, stated figures and
targets are written anew, while its clusters keep their ids (observations point at them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clusterwatch import free_text
from clusterwatch.plans import queries
from clusterwatch.plans.forms import create_form, set_indicators
from clusterwatch.plans.models import Cluster, Document, Indicator, LayoutPlacement, Plan, StatedFigure, Target
from clusterwatch.plans.planfile import Names, PlanFileError, ValidatedPlan, region_depth
from clusterwatch.plans.tasks_models import Task, TaskDepartment
from clusterwatch.plans.versions import plan_changes, record_version, version_file
from clusterwatch.problems import Problem, msg
from clusterwatch.regions.models import Region, Zone
from clusterwatch.regions.tree import forget_region_tree
from clusterwatch.reporting.models import Form, Observation, ValidationRule


def load_plan(session: Session, validated: ValidatedPlan, *, user=None, reason: str | None = None) -> Plan:
    """Write the plan in `session` (the caller commits or rolls back), and keep the load as a
    version of the plan: the file, who loaded it, why, and what it changed (versions.py)."""
    session.info.pop(queries.REGISTRY_CACHE, None)
    data = validated.data
    changes = plan_changes(session, data)
    names = Names(data)
    _upsert_vocabulary(session, data)
    forget_region_tree(session)

    plan = session.scalar(select(Plan).where(Plan.code == data.plan.code))
    if plan is None:
        plan = Plan(code=data.plan.code)
        session.add(plan)
    plan.name_zh, plan.name_en = data.plan.name_zh, data.plan.name_en
    plan.region_code, plan.horizon = data.plan.region, data.plan.horizon
    plan.source_sha256 = validated.sha256
    plan.loaded_at = dt.datetime.now(dt.UTC)
    session.flush()

    # Forms and tasks are not among them: returns hang on a form, updates on a task, and a
    # reload must never delete reported data. They are updated by code (_upsert_forms,
    # _upsert_tasks); documents too, so that a task keeps its citation.
    for model in (Target, StatedFigure, ValidationRule):
        session.execute(delete(model).where(model.plan_id == plan.id))
    documents = {d.code: d for d in session.scalars(select(Document).where(Document.plan_id == plan.id))}
    listed = {doc.code for doc in data.documents}
    for code in set(documents) - listed:
        session.delete(documents.pop(code))
    for doc in data.documents:
        document = documents.get(doc.code) or Document(plan_id=plan.id, code=doc.code)
        document.file, document.title, document.number, document.issued = doc.file, doc.title, doc.number, doc.issued
        documents[doc.code] = document
        session.add(document)
    clusters = _upsert_clusters(session, plan, data, validated.source)
    session.flush()

    cluster_ids = {c.id for c in clusters.values()}
    session.execute(delete(LayoutPlacement).where(LayoutPlacement.cluster_id.in_(cluster_ids)))
    for table in data.layout:
        for row in table.rows:
            slug = names.cluster(row.cluster)
            assert slug is not None  # check_plan has resolved every cluster a layout row names
            cluster = clusters[slug]
            for city, tier in row.cells.items():
                session.add(LayoutPlacement(
                    cluster_id=cluster.id, region_code=names.region(city), tier=tier,
                    document_id=documents[table.document].id, source_line=row.line,
                    source_text=row.text,
                ))

    def scope_columns(scope):
        return dict(
            region_code=names.region(scope.region) if scope.region else data.plan.region,
            cluster_id=clusters[names.cluster(scope.cluster)].id if scope.cluster else None,
            cluster_group=scope.cluster_group,
        )

    figures: list[StatedFigure] = []
    for fig in data.stated_figures:
        figure = StatedFigure(
            plan_id=plan.id, **scope_columns(fig.scope), indicator_code=fig.indicator,
            indicator_text=fig.indicator_text, year=fig.year, comparator=fig.comparator,
            value=fig.value, unit=fig.unit, note=fig.note, document_id=documents[fig.source.document].id,
            source_line=fig.source.line, source_text=fig.source.text,
        )
        figures.append(figure)
        session.add(figure)
    session.flush()

    for tgt in data.targets:
        columns = scope_columns(tgt.scope)
        session.add(Target(
            plan_id=plan.id, code=tgt.code, **columns, indicator_code=tgt.indicator,
            indicator_text=tgt.indicator_text, measure=tgt.measure, base_year=tgt.base_year,
            method=tgt.method, comparator=tgt.comparator,
            value=tgt.value, value_max=tgt.value_max, unit=tgt.unit, year=tgt.year,
            aspirational=tgt.aspirational, headline=tgt.headline, note=tgt.note,
            baseline_figure_id=_baseline_for(figures, columns, tgt.indicator, tgt.year),
            document_id=documents[tgt.source.document].id, source_line=tgt.source.line,
            source_text=tgt.source.text,
        ))
    for rule in data.validation_rules:
        session.add(ValidationRule(plan_id=plan.id, **rule.model_dump()))
    _upsert_forms(session, plan, data.forms)
    _upsert_tasks(session, plan, data, documents, scope_columns)
    session.flush()
    record_version(session, validated, changes, user=user, reason=reason)
    return plan


def _upsert_tasks(session: Session, plan: Plan, data, documents: dict, scope_columns) -> None:
    """Tasks of the file, by code: new ones added, existing ones updated (their departments
    replaced). A task the file no longer lists is kept with its updates."""
    existing = {t.code: t for t in session.scalars(select(Task).where(Task.plan_id == plan.id))}
    default_due = dt.date(data.plan.horizon, 12, 31)
    for item in data.tasks:
        task = existing.get(item.code) or Task(plan_id=plan.id, code=item.code)
        task.kind, task.title, task.text = item.kind, item.title, item.text
        task.cluster_id = scope_columns(item.scope)["cluster_id"]
        task.due = item.due or default_due
        task.document_id = documents[item.source.document].id
        task.source_line, task.source_text = item.source.line, item.source.text
        named = [(d, "lead") for d in item.lead] + [(d, "cooperating") for d in item.cooperating]
        if task.id is not None:
            # The old rows go first: the new list may name the same departments again.
            task.departments.clear()
            session.flush()
        task.departments = [TaskDepartment(department=d.strip(), role=role, position=i) for i, (d, role) in enumerate(named)]
        session.add(task)


def _upsert_forms(session: Session, plan: Plan, forms) -> None:
    """Forms of the file: new ones added, existing ones (by code) updated with their list of
    indicators replaced. A form the file no longer lists is kept, with its returns."""
    existing = {f.code: f for f in session.scalars(select(Form).where(Form.plan_id == plan.id))}
    for form_data in forms:
        form = existing.get(form_data.code)
        if form is None:
            create_form(session, plan, form_data)
            continue
        for name in ("name_zh", "name_en", "period_type", "level", "disaggregation", "due_days", "expiry_days"):
            setattr(form, name, getattr(form_data, name))
        set_indicators(session, form, form_data.indicators)
    session.flush()


def _baseline_for(figures: list[StatedFigure], scope: dict, indicator: str, year: int) -> int | None:
    """The latest stated figure of the same scope and indicator before the target year."""
    matching = [
        f for f in figures
        if f.indicator_code == indicator and f.year < year
        and (f.region_code, f.cluster_id, f.cluster_group)
        == (scope["region_code"], scope["cluster_id"], scope["cluster_group"])
    ]
    return max(matching, key=lambda f: f.year).id if matching else None


def _upsert_vocabulary(session: Session, data) -> None:
    for order, zone in enumerate(data.zones):
        zone_row = session.get(Zone, zone.code) or Zone(code=zone.code)
        zone_row.name_zh, zone_row.name_en, zone_row.sort_order = zone.name_zh, zone.name_en, order
        session.add(zone_row)
    session.flush()
    # Parents first (province, then cities, then counties …), one depth at a time, so that
    # the foreign key holds at every flush whatever order the file lists them in.
    parents = {r.code: r.parent for r in data.regions}
    existing = {r.code: r for r in session.scalars(select(Region))}
    by_depth: dict[int, list] = {}
    for order, region in enumerate(data.regions):
        depth = region_depth(region.code, parents)
        assert depth is not None  # check_plan refuses a region that is its own ancestor
        by_depth.setdefault(depth, []).append((order, region))
    for depth in sorted(by_depth):
        for order, region in by_depth[depth]:
            row = existing.get(region.code) or Region(code=region.code)
            row.name_zh, row.name_en, row.level = region.name_zh, region.name_en, region.level
            row.parent_code, row.zone_code, row.sort_order = region.parent, region.zone, order
            session.add(row)
        session.flush()
    # Ratio indicators point at their parts: write the parts first.
    for ratios in (False, True):
        for order, ind in enumerate(data.indicators):
            if (ind.aggregation == "ratio") != ratios:
                continue
            indicator = session.get(Indicator, ind.code) or Indicator(code=ind.code)
            indicator.name_zh, indicator.name_en, indicator.unit = ind.name_zh, ind.name_en, ind.unit
            indicator.direction, indicator.aggregation = ind.direction, ind.aggregation
            indicator.numerator_code, indicator.denominator_code = ind.numerator, ind.denominator
            indicator.scale, indicator.flow, indicator.sort_order = ind.scale, ind.flow, order
            session.add(indicator)
        session.flush()


def _upsert_clusters(session: Session, plan: Plan, data, source: str) -> dict[str, Cluster]:
    existing = {c.slug: c for c in session.scalars(select(Cluster).where(Cluster.plan_id == plan.id))}
    wanted = {c.slug for c in data.clusters}
    for slug, cluster in existing.items():
        if slug in wanted:
            continue
        in_use = session.scalar(select(func.count()).select_from(Observation).where(Observation.cluster_id == cluster.id))
        if in_use:
            raise PlanFileError(source, [Problem(msg("cluster {slug} is no longer in the plan but has {n} observations; "
                                                     "keep it or remove its data first", slug=repr(slug), n=in_use),
                                                 field="clusters")])
        session.delete(cluster)
    session.flush()
    clusters: dict[str, Cluster] = {}
    for order, item in enumerate(data.clusters, start=1):
        cluster = existing.get(item.slug) or Cluster(plan_id=plan.id, slug=item.slug)
        cluster.name_zh, cluster.name_en, cluster.kind = item.name_zh, item.name_en, item.kind
        cluster.sort_order, cluster.aliases = order, "|".join(item.aliases)
        session.add(cluster)
        clusters[item.slug] = cluster
    session.flush()
    for item in data.clusters:
        clusters[item.slug].parent_id = clusters[item.parent].id if item.parent else None
    return clusters


def restore_version(session: Session, plan_code: str, number: int, *, user, reason: str | None) -> Plan:
    """Load a kept version's file again: the plan as that load left it, kept as a new version."""
    reason = free_text.reason(reason, empty=msg("say why the version is restored"))
    validated = version_file(session, plan_code, number)
    validated.source = f"version {number} restored"
    return load_plan(session, validated, user=user, reason=reason)
