"""Review an extraction: store it, record each decision, build and load the confirmed plan.

    run = start_run(session, extraction, base=plan_file)      # items with status 'extracted'
    review_item(session, item_id=…, status="edited", edits={"year": 2019})
    plan_text = draft_plan_yaml(session, run_id=run.id)       # a plan file of the confirmed facts
    changes = load_preview(session, run_id=run.id, base=…)              # checked; what a load would change
    plan, changes = load_confirmed(session, run_id=run.id, base=…, user=…, reason="…")  # loaded, kept as a version
"""

from __future__ import annotations

import datetime as dt
import re

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch import free_text
from clusterwatch.errors import NotFound
from clusterwatch.numbers import parse_number
from clusterwatch.plans.extraction.mapping import Vocabulary
from clusterwatch.plans.loader import load_plan
from clusterwatch.plans.models import Plan
from clusterwatch.plans.planfile import PlanFile, ValidatedPlan, parse_plan_text
from clusterwatch.plans.review.models import STATUSES, ExtractedItem, ExtractionRun
from clusterwatch.plans.versions import plan_changes, plan_versions
from clusterwatch.problems import BadInput, msg, msgid
from clusterwatch.reporting.models import ValidationRule

TARGET_FIELDS = {"code", "scope", "indicator", "indicator_text", "comparator", "value", "value_max", "unit", "year",
                 "aspirational", "headline", "note", "source", "measure"}
BASELINE_FIELDS = {"scope", "indicator", "indicator_text", "comparator", "value", "unit", "year", "note", "source"}
KEY_OF_KIND = {"targets": "target", "baselines": "baseline", "layout_tables": "layout_table", "tasks": "task", "lists": "list"}
# The kinds of item as a reviewer's messages name them.
KIND_WORDS = {"target": msgid("target"), "baseline": msgid("baseline"), "layout_table": msgid("layout_table"),
              "task": msgid("task"), "list": msgid("list")}


def start_run(session: Session, extraction: dict, *, base: PlanFile) -> ExtractionRun:
    """Store an extraction's items for review, each with a suggested mapping onto `base`."""
    vocabulary = Vocabulary(base)
    run = ExtractionRun(created_at=dt.datetime.now(dt.UTC), base_plan=base.plan.code,
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


def known_cluster_names(base: PlanFile) -> list[str]:
    """The names and aliases of the plan's strategic clusters, for the extractor to recognise.

    Sub-clusters are left out: their names are everyday words (食品, 现代农业) that turn up
    inside other names (农副食品)."""
    return [name for c in base.clusters if c.kind in ("pillar", "emerging") for name in [c.name_zh, *c.aliases]]


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
        raise BadInput("status", msg("must be one of {options}", options=", ".join(STATUSES)))
    edits = {k: v for k, v in (edits or {}).items() if v not in (None, "")} if edits else {}
    allowed = TARGET_FIELDS if item.kind == "target" else BASELINE_FIELDS if item.kind == "baseline" else set()
    unknown = sorted(set(edits) - allowed)
    if unknown:
        raise BadInput(unknown[0], msg("cannot be edited on a {kind} (editable: {fields})",
                                       kind=msg(KIND_WORDS.get(item.kind, item.kind)),
                                       fields=", ".join(sorted(allowed)) or msg("nothing")))
    if status == "edited" and not edits:
        raise BadInput("edits", msg("an edited item needs at least one change"))
    item.status = status
    item.edits = edits if status == "edited" else {}
    item.reviewed_at = dt.datetime.now(dt.UTC)
    session.flush()
    return item


def effective(item: ExtractedItem, *, with_edits: bool = True) -> dict:
    """The item as the plan will hold it: the extraction, the suggestion, then the edits."""
    data, edits = item.data, (item.edits or {}) if with_edits else {}
    if item.kind not in ("target", "baseline"):
        return data  # layout tables, tasks and lists are confirmed or rejected whole
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
    """A plan file (as data) of the base plan's vocabulary and the run's confirmed or edited facts."""
    run = get_run(session, run_id)
    chosen = [i for i in run_items(session, run_id) if i.status in ("confirmed", "edited")]
    return build_plan(run.documents, chosen, base)


def build_plan(documents: list[dict], items: list, base: PlanFile) -> dict:
    """A plan file (as data): the base plan's vocabulary and these items, as `effective` shows them.

    `items` are ExtractedItem rows, or anything with kind, data, suggestion and edits."""
    codes = {d["file"]: _document_code(d["file"]) for d in documents}
    used_documents = set()

    def source(fields: dict) -> dict:
        src = fields["source"]
        file = src.get("document")
        file = next((f for f, c in codes.items() if c == file), file)  # a code given in an edit
        used_documents.add(file)
        return {"document": codes.get(file, file), "line": src["line"], "text": src["text"]}

    layout, stated, targets = [], [], []
    target_codes: set[str] = set()
    for item in items:
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
    plan_documents = [_clean({"code": codes[d["file"]], "file": d["file"], "title": d["title"] or d["file"],
                              "number": d.get("number"), "issued": d.get("issued")})
                      for d in documents if d["file"] in used_documents]
    return {
        "format": "clusterwatch-plan/1", "plan": base_data["plan"], "documents": plan_documents,
        "zones": base_data.get("zones", []), "regions": base_data["regions"], "indicators": base_data["indicators"],
        "clusters": base_data["clusters"], "layout": layout, "stated_figures": stated, "targets": targets,
        "forms": base_data.get("forms", []), "validation_rules": base_data.get("validation_rules", []),
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


def _confirmed_plan(session: Session, *, run_id: int, base: PlanFile) -> ValidatedPlan:
    """The confirmed facts checked as a plan file (every problem named). Refused when nothing is
    confirmed: the plan would be emptied."""
    run = get_run(session, run_id)
    if not any(i.status in ("confirmed", "edited") for i in run_items(session, run.id)):
        raise BadInput("run", msg("nothing of this review is confirmed or edited: loading it would empty the plan; "
                                  "confirm the facts to load first"))
    text = draft_plan_yaml(session, run_id=run_id, base=base)
    return parse_plan_text(text.encode("utf-8"), source=f"review-{run_id}.yaml")


def load_preview(session: Session, *, run_id: int, base: PlanFile) -> dict:
    """What loading the confirmed facts would add, change and remove, part by part (plans/versions.py)."""
    return plan_changes(session, _confirmed_plan(session, run_id=run_id, base=base).data)


def load_confirmed(session: Session, *, run_id: int, base: PlanFile, user, reason: str | None) -> tuple[Plan, dict]:
    """Load the confirmed facts as the plan, once the person has seen what changes and said
    why: the plan, and what the load changed (as kept with its version)."""
    reason = free_text.reason(reason, empty=msg("say why the plan is loaded (e.g. the reviewed 2026 plan replaces the old one)"))
    plan = load_plan(session, _confirmed_plan(session, run_id=run_id, base=base), user=user, reason=reason)
    return plan, plan_versions(session, plan.code)[0]["changes"]


def vocabulary_from_db(session: Session, plan: Plan) -> PlanFile:
    """The loaded plan's vocabulary (regions, zones, indicators, clusters), its forms and its
    validation rules as a plan file, for mapping extractions onto it. Its documents, layout and
    targets are left empty: a review's confirmed facts fill them."""
    from clusterwatch.plans.forms import form_list
    from clusterwatch.plans.models import Cluster, Indicator
    from clusterwatch.regions.models import Region, Zone

    clusters = list(session.scalars(select(Cluster).where(Cluster.plan_id == plan.id).order_by(Cluster.sort_order)))
    by_id = {c.id: c.slug for c in clusters}
    return PlanFile.model_validate({
        "format": "clusterwatch-plan/1",
        "plan": {"code": plan.code, "name_zh": plan.name_zh, "name_en": plan.name_en, "region": plan.region_code,
                 "horizon": plan.horizon},
        "documents": [],
        "zones": [{"code": z.code, "name_zh": z.name_zh, "name_en": z.name_en}
                  for z in session.scalars(select(Zone).order_by(Zone.sort_order))],
        "regions": [_clean({"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, "level": r.level,
                            "parent": r.parent_code, "zone": r.zone_code})
                    for r in session.scalars(select(Region).order_by(Region.sort_order))],
        "indicators": [_clean({"code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit,
                               "direction": i.direction, "aggregation": i.aggregation, "numerator": i.numerator_code,
                               "denominator": i.denominator_code, "scale": i.scale, "flow": i.flow})
                       for i in session.scalars(select(Indicator).order_by(Indicator.sort_order))],
        "clusters": [_clean({"slug": c.slug, "name_zh": c.name_zh, "name_en": c.name_en, "kind": c.kind,
                             "parent": by_id.get(c.parent_id) if c.parent_id is not None else None, "aliases": [a for a in c.aliases.split("|") if a]})
                     for c in clusters],
        "forms": [{**form.model_dump(exclude={"indicators"}),
                   "indicators": [_clean({"indicator": i.indicator, "min": i.min, "max": i.max}) for i in form.indicators]}
                  for form in form_list(session, plan)],
        # A review extracts no rules: the plan's own are carried over, never dropped by a load.
        "validation_rules": [{"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, "left": r.left, "operator": r.operator,
                              "right": r.right, "importance": r.importance, "missing": r.missing, "scope": r.scope,
                              "tolerance": r.tolerance}
                             for r in session.scalars(select(ValidationRule).where(ValidationRule.plan_id == plan.id)
                                                      .order_by(ValidationRule.id))],
    })


def parse_scope(value: str) -> dict:
    """'' → the plan's region, 'cluster:slug', 'group:pillar' (as the review form sends them)."""
    if not value:
        return {}
    kind, _, key = value.partition(":")
    if kind == "cluster" and key:
        return {"cluster": key}
    if kind == "group" and key in ("pillar", "emerging"):
        return {"cluster_group": key}
    raise BadInput("scope", msg("{value} is not a scope: use cluster:SLUG or group:pillar|emerging, or leave it empty",
                                value=repr(value)))


def decide_from_form(session: Session, *, item_id: int, action: str, form: dict[str, str]) -> ExtractedItem:
    """A reviewer's click: reject, or confirm as shown, where any changed field makes it 'edited'."""
    item = session.get(ExtractedItem, item_id)
    if item is None:
        raise NotFound("extracted item", str(item_id))
    if action == "reject":
        return review_item(session, item_id=item_id, status="rejected")
    if action == "reset":
        return review_item(session, item_id=item_id, status="extracted")
    if action != "confirm":
        raise BadInput("action", msg("must be confirm, reject or reset"))
    proposed = effective(item, with_edits=False)
    changes: dict = {}
    for field, raw in form.items():
        if field == "scope":
            value: dict | float | bool | str | None = parse_scope(raw)
        elif field in ("value", "value_max"):
            value = parse_number(raw) if raw.strip() else None
            if raw.strip() and value is None:
                raise BadInput(field, msg("{raw} is not a number", raw=repr(raw)))
        elif field == "year":
            if not raw.strip().isdigit() or not 1949 <= int(raw) <= 2100:
                raise BadInput("year", msg("{raw} is not a year", raw=repr(raw)))
            value = int(raw)
        elif field in ("headline", "aspirational"):
            value = raw in ("on", "true", "1")
        elif field in ("code", "indicator", "comparator", "note", "indicator_text", "unit"):
            value = raw.strip() or None
        else:
            continue
        if value != proposed.get(field):
            changes[field] = value
    return review_item(session, item_id=item_id, status="edited" if changes else "confirmed", edits=changes)


def draft_from_extraction(extraction: dict, base: PlanFile) -> tuple[str, list[str]]:
    """An unreviewed draft plan file (YAML) of everything the base plan's vocabulary can hold,
    and what was left out and why. For `plan extract --out`."""
    from types import SimpleNamespace

    vocabulary = Vocabulary(base)
    items, left_out, seen = [], [], set()
    for kind, key in (("layout_table", "layout_tables"), ("baseline", "baselines"), ("target", "targets")):
        for data in extraction.get(key, []):
            suggestion = {}
            if kind != "layout_table":
                scope = vocabulary.scope(data["scope"])
                suggestion = {"scope": scope, "indicator": vocabulary.indicator(data, scope)}
                where = f"{data['document']} line {data['source']['line']}: {data['source']['text']}"
                if scope is None or suggestion["indicator"] is None or data["value"] is None:
                    reason = "no value (a placeholder)" if data["value"] is None else \
                        f"scope {data['scope']!r} is not in the plan" if scope is None else "no indicator of the plan fits"
                    left_out.append(f"{kind} {where}: {reason}")
                    continue
                measure = "cagr" if data.get("qualifier") == "年均增长" else "level"
                identity = (kind, str(scope), suggestion["indicator"], measure, data["year"])
                if identity in seen:
                    left_out.append(f"{kind} {where}: the plan already has this {kind} for that scope, indicator and year")
                    continue
                seen.add(identity)
            items.append(SimpleNamespace(kind=kind, data=data, suggestion=suggestion, edits={}))
    plan = build_plan(extraction["documents"], items, base)
    return yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=120), left_out
