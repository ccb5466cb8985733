"""Review an extraction: store it, record each decision, build and load the confirmed plan.

    run = start_run(session, extraction, base=plan_file)      # items with status 'extracted'
    review_item(session, item_id=…, status="edited", edits={"year": 2019})
    plan_text = draft_plan_yaml(session, run_id=run.id)       # a plan file of the confirmed facts
    load_confirmed(session, run_id=run.id)                    # checked like any plan file, then loaded
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.errors import BadInput, NotFound
from clusterwatch.plans.extraction.mapping import Vocabulary
from clusterwatch.plans.loader import load_plan
from clusterwatch.plans.models import Plan
from clusterwatch.plans.planfile import PlanFile, parse_plan_text
from clusterwatch.plans.review.models import STATUSES, ExtractedItem, ExtractionRun

TARGET_FIELDS = {"code", "scope", "indicator", "indicator_text", "comparator", "value", "value_max", "unit", "year",
                 "aspirational", "headline", "note", "source", "measure"}
BASELINE_FIELDS = {"scope", "indicator", "indicator_text", "comparator", "value", "unit", "year", "note", "source"}
KEY_OF_KIND = {"targets": "target", "baselines": "baseline", "layout_tables": "layout_table", "tasks": "task", "lists": "list"}


def start_run(session: Session, extraction: dict, *, base: PlanFile) -> ExtractionRun:
    """Store an extraction's items for review, each with a suggested mapping onto `base`."""
    vocabulary = Vocabulary(base)
    run = ExtractionRun(created_at=dt.datetime.now(dt.timezone.utc), base_plan=base.plan.code,
                        documents=extraction["documents"], clusters=extraction.get("clusters", []),
                        conflicts=extraction.get("conflicts", []))
    session.add(run)
    session.flush()
    for key, kind in KEY_OF_KIND.items():
        for position, data in enumerate(extraction.get(key, [])):
            suggestion = {}
            if kind in ("target", "baseline"):
                scope = vocabulary.scope(data["scope"])
                suggestion = {"scope": scope, "indicator": vocabulary.indicator(data, scope)}
            session.add(ExtractedItem(run_id=run.id, kind=kind, position=position, data=data,
                                      suggestion=suggestion, status="extracted", edits={}))
    session.flush()
    return run


def get_run(session: Session, run_id: int) -> ExtractionRun:
    run = session.get(ExtractionRun, run_id)
    if run is None:
        raise NotFound("extraction run", str(run_id))
    return run


def run_items(session: Session, run_id: int, kind: str | None = None) -> list[ExtractedItem]:
    query = select(ExtractedItem).where(ExtractedItem.run_id == run_id)
    if kind:
        query = query.where(ExtractedItem.kind == kind)
    return list(session.scalars(query.order_by(ExtractedItem.kind, ExtractedItem.position)))


def review_item(session: Session, *, item_id: int, status: str, edits: dict | None = None) -> ExtractedItem:
    """Record a decision. Edits are kept beside the extracted data, which is never changed."""
    item = session.get(ExtractedItem, item_id)
    if item is None:
        raise NotFound("extracted item", str(item_id))
    if status not in STATUSES:
        raise BadInput("status", f"must be one of {', '.join(STATUSES)}")
    edits = {k: v for k, v in (edits or {}).items() if v not in (None, "")} if edits else {}
    allowed = TARGET_FIELDS if item.kind == "target" else BASELINE_FIELDS if item.kind == "baseline" else set()
    unknown = sorted(set(edits) - allowed)
    if unknown:
        raise BadInput(unknown[0], f"cannot be edited on a {item.kind} (editable: {', '.join(sorted(allowed)) or 'nothing'})")
    if status == "edited" and not edits:
        raise BadInput("edits", "an edited item needs at least one change")
    item.status = status
    item.edits = edits if status == "edited" else {}
    item.reviewed_at = dt.datetime.now(dt.timezone.utc)
    session.flush()
    return item


def effective(item: ExtractedItem) -> dict:
    """The item as the plan will hold it: the extraction, the suggestion, then the edits."""
    data, edits = item.data, item.edits or {}
    if item.kind == "layout_table":
        return data
    fields = {
        "scope": item.suggestion.get("scope"),
        "indicator": item.suggestion.get("indicator"),
        # The extractor's indicator word is a keyword (营业收入, 比重), not the plan's wording;
        # a reviewer writes indicator_text where the wording matters (软件业务收入).
        "indicator_text": None,
        "comparator": data["comparator"],
        "value": data["value"],
        "value_max": data.get("value_max"),
        "unit": data["unit"],
        "year": data["year"],
        "source": {"document": data["document"], "line": data["source"]["line"], "text": data["source"]["text"]},
    }
    if item.kind == "target":
        fields.update(aspirational=data["aspirational"], headline=False,
                      measure="cagr" if data.get("qualifier") == "年均增长" else "level")
    fields.update(edits)
    return fields


def _document_code(file: str) -> str:
    """002_3b6d5ab2f1885d00.txt → 002; plan.docx → plan."""
    stem = file.rsplit(".", 1)[0]
    return stem.split("_", 1)[0] if "_" in stem else stem


def draft_plan(session: Session, *, run_id: int, base: PlanFile) -> dict:
    """A plan file (as data) of the base plan's vocabulary and the confirmed or edited facts."""
    run = get_run(session, run_id)
    chosen = [i for i in run_items(session, run_id) if i.status in ("confirmed", "edited")]
    codes = {d["file"]: _document_code(d["file"]) for d in run.documents}
    used_documents = set()

    def source(fields: dict) -> dict:
        src = fields["source"]
        file = src.get("document")
        file = next((f for f, c in codes.items() if c == file), file)  # a code given in an edit
        used_documents.add(file)
        return {"document": codes.get(file, file), "line": src["line"], "text": src["text"]}

    layout, stated, targets, target_codes = [], [], [], set()
    for item in chosen:
        fields = effective(item)
        if item.kind == "layout_table":
            used_documents.add(fields["document"])
            layout.append({
                "table": f"{codes[fields['document']]}-{fields['header_line']}", "document": codes[fields["document"]],
                "header_line": fields["header_line"], "totals_line": fields["totals_line"],
                "marks": fields["marks"], "city_totals": fields["city_totals"], "rows": fields["rows"],
            })
        elif item.kind == "baseline":
            stated.append(_clean({
                "scope": fields["scope"] or {}, "indicator": fields["indicator"], "indicator_text": fields["indicator_text"],
                "year": fields["year"], "comparator": fields["comparator"], "value": fields["value"], "unit": fields["unit"],
                "note": fields.get("note"), "source": source(fields),
            }))
        elif item.kind == "target":
            code = fields.get("code") or _target_code(fields, target_codes)
            target_codes.add(code)
            targets.append(_clean({
                "code": code, "scope": fields["scope"] or {}, "indicator": fields["indicator"],
                "indicator_text": fields["indicator_text"], "measure": fields["measure"],
                "comparator": fields["comparator"], "value": fields["value"], "value_max": fields["value_max"],
                "unit": fields["unit"], "year": fields["year"], "aspirational": fields["aspirational"],
                "headline": fields["headline"], "note": fields.get("note"), "source": source(fields),
            }))
    base_data = base.model_dump(mode="json", exclude_none=True)
    documents = [_clean({"code": codes[d["file"]], "file": d["file"], "title": d["title"] or d["file"],
                         "number": d.get("number"), "issued": d.get("issued")})
                 for d in run.documents if d["file"] in used_documents]
    return {
        "format": "clusterwatch-plan/1", "plan": base_data["plan"], "documents": documents,
        "zones": base_data.get("zones", []), "regions": base_data["regions"], "indicators": base_data["indicators"],
        "clusters": base_data["clusters"], "layout": layout, "stated_figures": stated, "targets": targets,
    }


def _clean(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


def _target_code(fields: dict, taken: set[str]) -> str:
    scope = fields["scope"] or {}
    who = scope.get("cluster") or scope.get("cluster_group") or "region"
    base = re.sub(r"[^a-z0-9-]+", "-", f"{who}-{fields['indicator'] or 'goal'}-{fields['year']}".lower().replace("_", "-"))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def draft_plan_yaml(session: Session, *, run_id: int, base: PlanFile) -> str:
    return yaml.safe_dump(draft_plan(session, run_id=run_id, base=base), allow_unicode=True, sort_keys=False, width=120)


def load_confirmed(session: Session, *, run_id: int, base: PlanFile) -> Plan:
    """Check the confirmed facts as a plan file (every problem named) and load them."""
    text = draft_plan_yaml(session, run_id=run_id, base=base)
    validated = parse_plan_text(text.encode("utf-8"), source=f"review-{run_id}.yaml")
    return load_plan(session, validated)
