"""The embedded Guangdong plan is reproducible by extracting the five documents and reviewing.

A simulated reviewer confirms the extracted facts that the embedded plan holds, adds what only
a person can (each target's code and headline flag, and which statement of a goal stated twice
to cite), corrects what the extractor cannot read (a footnote that moves a figure's year), and
rejects the rest. The draft plan built from that review must equal the embedded plan; the test
lists every difference.
"""

from __future__ import annotations

import pytest

from clusterwatch.db import transaction
from clusterwatch.plans.extraction.extract import extract_files
from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
from clusterwatch.plans.review.service import draft_plan, review_item, run_items, start_run
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="the policy documents (shared/seeds) are not beside the repository")

# Facts a person decides: not in the documents' words, or not readable from them.
EDITORIAL = {"code", "headline", "note", "indicator_text"}
# Reviewer's corrections of what the extractor read, each with its reason.
CORRECTIONS = {
    ("002", 82, 1.67): ({"year": 2019}, "footnote ② on line 88: 均为2019年数据"),
}


def facts(items: list[dict], key) -> dict:
    return {key(item): item for item in items}


def test_extract_review_and_compare(database):
    embedded = read_plan_file(embedded_plan_path())
    base = embedded.data
    files = {d.code: d.file for d in base.documents}
    result = extract_files([SEEDS / d.file for d in base.documents])
    decisions = []
    with transaction(database.sessions) as session:
        run = start_run(session, result, base=base)
        targets = run_items(session, run.id, "target")
        baselines = run_items(session, run.id, "baseline")
        chosen = set()
        for goal in base.targets:
            where = (files[goal.source.document], goal.source.line)
            scope = goal.scope.model_dump(exclude_none=True)
            item = next(i for i in targets if i.id not in chosen and i.data["value"] == goal.value
                        and where in {(c["document"], c["line"]) for c in i.data["citations"]}
                        and i.suggestion == {"scope": scope, "indicator": goal.indicator})
            chosen.add(item.id)
            edits = {"code": goal.code, "headline": goal.headline, "note": goal.note, "indicator_text": goal.indicator_text}
            if (item.data["document"], item.data["source"]["line"]) != where:
                cited = next(c for c in item.data["citations"] if (c["document"], c["line"]) == where)
                edits["source"] = {"document": cited["document"], "line": cited["line"], "text": cited["text"]}
                edits["comparator"] = cited["comparator"]
            review_item(session, item_id=item.id, status="edited", edits=edits)
            decisions.append(("target", goal.code, sorted(k for k, v in edits.items() if v not in (None, False))))
        for figure in base.stated_figures:
            where = (files[figure.source.document], figure.source.line)
            item = next(i for i in baselines if i.id not in chosen and i.data["value"] == figure.value
                        and (i.data["document"], i.data["source"]["line"]) == where)
            chosen.add(item.id)
            correction, reason = CORRECTIONS.get((figure.source.document, figure.source.line, figure.value), ({}, None))
            edits = {**correction, "note": figure.note} if correction else {}
            if figure.indicator_text:
                edits["indicator_text"] = figure.indicator_text
            review_item(session, item_id=item.id, status="edited" if edits else "confirmed", edits=edits)
        for item in run_items(session, run.id, "layout_table"):
            review_item(session, item_id=item.id, status="confirmed")
        for item in run_items(session, run.id):
            if item.status == "extracted":
                review_item(session, item_id=item.id, status="rejected")
        draft = draft_plan(session, run_id=run.id, base=base)

    import yaml

    from clusterwatch.plans.planfile import parse_plan_text

    reproduced = parse_plan_text(yaml.safe_dump(draft, allow_unicode=True).encode(), source="draft").data
    differences = []
    want = facts(base.targets, lambda t: t.code)
    got = facts(reproduced.targets, lambda t: t.code)
    for code in sorted(set(want) | set(got)):
        if code not in got or code not in want:
            differences.append(f"target {code}: only in {'embedded' if code in want else 'draft'}")
            continue
        a, b = want[code].model_dump(), got[code].model_dump()
        # Any verbatim piece of the line may serve as the quote: compare where, not which words.
        a["source"].pop("text"), b["source"].pop("text")
        for field in a:
            if a[field] != b[field]:
                differences.append(f"target {code}.{field}: embedded {a[field]!r}, draft {b[field]!r}")
    key = lambda f: (f.scope.cluster, f.scope.cluster_group, f.indicator, f.year)  # noqa: E731
    want_f, got_f = facts(base.stated_figures, key), facts(reproduced.stated_figures, key)
    for k in sorted(set(want_f) | set(got_f), key=str):
        if k not in got_f or k not in want_f:
            differences.append(f"stated figure {k}: only in {'embedded' if k in want_f else 'draft'}")
            continue
        a, b = want_f[k].model_dump(), got_f[k].model_dump()
        a["source"].pop("text"), b["source"].pop("text")
        differences += [f"stated figure {k}.{f}: embedded {a[f]!r}, draft {b[f]!r}" for f in a if a[f] != b[f]]
    cells = lambda plan: {(row.cluster, city, tier) for t in plan.layout for row in t.rows for city, tier in row.cells.items()}  # noqa: E731
    names = {r.name_zh[:-1]: r.name_zh for r in base.regions if r.name_zh.endswith("市")}
    draft_cells = {(c, names.get(city, city), tier) for c, city, tier in cells(reproduced)}
    differences += [f"layout cell {c} only in embedded" for c in sorted(cells(base) - draft_cells)]
    differences += [f"layout cell {c} only in draft" for c in sorted(draft_cells - cells(base))]
    assert differences == [], "\n".join(differences)
    # What the reviewer had to add or change beyond confirming, target by target.
    changed = {field for _, _, fields in decisions for field in fields} - EDITORIAL
    assert changed <= {"source", "comparator"}
