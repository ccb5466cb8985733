"""What the review pages and their JSON twins show."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.plans.extraction.extract import extract_files
from clusterwatch.plans.models import Plan
from clusterwatch.plans.review.models import ExtractedItem, ExtractionRun
from clusterwatch.plans.review.service import effective, get_run, known_cluster_names, load_confirmed, load_preview, run_items, start_run, vocabulary_from_db
from clusterwatch.plans.versions import PARTS


def start_review(session: Session, plan: Plan, paths: list[Path]) -> ExtractionRun:
    base = vocabulary_from_db(session, plan)
    return start_run(session, extract_files(paths, known_cluster_names(base)), base=base)


def run_summaries(session: Session) -> list[dict]:
    runs = list(session.scalars(select(ExtractionRun).order_by(ExtractionRun.id.desc())))
    statuses = Counter(session.execute(select(ExtractedItem.run_id, ExtractedItem.status)).tuples().all())
    return [{"id": r.id, "created_at": r.created_at.isoformat(), "base_plan": r.base_plan,
             "documents": [d["file"] for d in r.documents],
             "statuses": {s: statuses.get((r.id, s), 0) for s in ("extracted", "confirmed", "edited", "rejected")}}
            for r in runs]


def choices(session: Session, plan: Plan) -> dict:
    base = vocabulary_from_db(session, plan)
    return {
        "scopes": [("", "全省 / region")] + [(f"group:{k}", f"战略性{'支柱' if k == 'pillar' else '新兴'}产业集群")
                                             for k in ("pillar", "emerging")]
                  + [(f"cluster:{c.slug}", c.name_zh) for c in base.clusters],
        "indicators": [(i.code, f"{i.name_zh} ({i.unit})") for i in base.indicators],
        "comparators": ["=", ">", ">=", "<", "<=", "~", "range"],
    }


def _scope_value(scope: dict | None) -> str:
    if not scope:
        return ""
    if "cluster" in scope:
        return f"cluster:{scope['cluster']}"
    return f"group:{scope['cluster_group']}"


def item_view(session: Session, plan: Plan, item: ExtractedItem) -> dict:
    shown = effective(item)
    view = {"id": item.id, "kind": item.kind, "status": item.status, "data": item.data, "edits": item.edits,
            "suggestion": item.suggestion, "effective": shown}
    if item.kind in ("target", "baseline"):
        view["scope_value"] = _scope_value(shown.get("scope"))
    return view


def run_detail(session: Session, plan: Plan, run_id: int) -> dict:
    run = get_run(session, run_id)
    items = [item_view(session, plan, i) for i in run_items(session, run_id)]
    by_kind: dict[str, list] = {}
    for view in items:
        by_kind.setdefault(view["kind"], []).append(view)
    return {"id": run.id, "created_at": run.created_at.isoformat(), "base_plan": run.base_plan,
            "documents": run.documents, "conflicts": run.conflicts, "clusters": run.clusters,
            "statuses": dict(Counter(i["status"] for i in items)), "items": by_kind,
            "choices": choices(session, plan)}


def preview_run(session: Session, plan: Plan, run_id: int) -> list[dict]:
    """What loading the run would change, part by part, as the page and the API show it."""
    return _rows(load_preview(session, run_id=run_id, base=vocabulary_from_db(session, plan)))


def load_run(session: Session, plan: Plan, run_id: int, *, user, reason: str | None) -> tuple[Plan, list[dict]]:
    """Load the run as the plan: the plan, and what the load changed, as preview_run shows it."""
    loaded, changes = load_confirmed(session, run_id=run_id, base=vocabulary_from_db(session, plan), user=user, reason=reason)
    return loaded, _rows(changes)


def _rows(changes: dict) -> list[dict]:
    return [{"part": part, **changes[part]} for part in PARTS]
