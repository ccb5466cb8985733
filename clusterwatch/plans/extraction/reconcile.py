"""Across documents: one target for a goal stated twice, and conflicts reported, never resolved.

The same goal (same scope, indicator family, unit, year and value) stated in several
documents becomes one target that cites all of them. Two values for one goal, or a cluster
called pillar in one place and emerging in another, become conflicts with every citation: the
reviewer decides.
"""

from __future__ import annotations

import re
from collections import defaultdict

from clusterwatch.plans.extraction.reading import SourceDocument
from clusterwatch.plans.extraction.scope import ScopeResolver, canonical
from clusterwatch.plans.extraction.text import sentences
from clusterwatch.plans.star_matrix import parse_all_star_matrices

KIND = {"支柱": "pillar", "新兴": "emerging"}
ENUMERATION = re.compile(r"(?P<list>(?:[\u4e00-\u9fff]{2,12}、)+[\u4e00-\u9fff]{2,12})等(?:十大)?战略性(?P<kind>支柱|新兴)产业")
NAMED_KIND = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,14}?)战略性(?P<kind>支柱|新兴)产业集群")
FAMILIES = [
    ("revenue", ("主营业务收入", "营业收入", "业务收入", "产业规模", "规模", "收入")),
    ("output", ("总产值", "产值")),
    ("value_added", ("工业增加值", "增加值")),
]


def family(indicator: str) -> str:
    for name, words in FAMILIES:
        if any(word in indicator for word in words):
            return name
    return indicator


def goal_key(target: dict) -> tuple:
    measure = "growth" if target.get("qualifier") in ("年均增长",) else "level"
    return (canonical(target["scope"]), family(target["indicator"]), measure, target["unit"], target["year"])


def _citation(target: dict) -> dict:
    """Where a statement stands, with how that statement words the goal: documents may agree
    on the figure and differ on the comparator (达到2.8万亿元 / 达28000亿元以上)."""
    return {"document": target["document"], "line": target["source"]["line"], "text": target["source"]["text"],
            "comparator": target["comparator"], "aspirational": target["aspirational"]}


def reconcile_targets(targets: list[dict]) -> tuple[list[dict], list[dict]]:
    """Merge goals stated identically in several documents; report differing values."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for target in targets:
        groups[goal_key(target)].append(target)
    merged: list[dict] = []
    conflicts: list[dict] = []
    seen: set[int] = set()
    for target in targets:
        if id(target) in seen:
            continue
        key = goal_key(target)
        group = groups[key]
        if not key[0] or len({t["document"] for t in group}) < 2:
            seen.add(id(target))
            target.setdefault("citations", [_citation(target)])
            merged.append(target)
            continue
        by_value: dict = defaultdict(list)
        for t in group:
            by_value[t["value"]].append(t)
        for _value, same in by_value.items():
            first = same[0]
            first["citations"] = [_citation(t) for t in same]
            merged.append(first)
            seen.update(id(t) for t in same)
        if len(by_value) > 1 and len({t["document"] for t in group}) > 1:
            values = ", ".join(f"{v} {target['unit']} ({', '.join(sorted({t['document'] for t in ts}))})" for v, ts in by_value.items())
            conflicts.append({
                "kind": "value",
                "detail": f"{key[0]} {key[1]} {key[4]}: {values}",
                "sources": [_citation(t) for t in group],
            })
    return merged, conflicts


def cluster_kinds(documents: list[SourceDocument], scopes: ScopeResolver) -> tuple[list[dict], list[dict]]:
    """Each cluster's kind as every document states it, and the clusters stated both ways."""
    statements: dict[str, list[dict]] = defaultdict(list)

    def state(name: str, kind: str, document: str, line: int, text: str) -> None:
        cluster = scopes.cluster_name(name)
        if cluster:
            statements[cluster].append({"kind": KIND[kind], "document": document, "line": line, "text": text})

    for document in documents:
        for matrix in parse_all_star_matrices(document.lines):
            title = next((document.lines[n - 1] for n in range(matrix.header_line - 1, max(0, matrix.header_line - 6), -1)
                          if re.search(r"支柱|新兴", document.lines[n - 1])), "")
            kind = re.search(r"支柱|新兴", title)
            if kind:
                for row in matrix.rows:
                    state(row.name, kind.group(0), document.file, row.line, row.text)
        for sentence in sentences(document.lines):
            for match in ENUMERATION.finditer(sentence.text):
                line = sentence.origin(match.start("kind"))[0]
                for name in match.group("list").split("、"):
                    state(name, match.group("kind"), document.file, line, match.group(0))
            for match in NAMED_KIND.finditer(sentence.text):
                line = sentence.origin(match.start("kind"))[0]
                state(match.group("name"), match.group("kind"), document.file, line, match.group(0))
    clusters, conflicts = [], []
    for name, said in statements.items():
        kinds = sorted({s["kind"] for s in said})
        clusters.append({"name": name, "kinds": kinds, "sources": said})
        if len(kinds) > 1:
            detail = "; ".join(f"{k} in " + ", ".join(f"{s['document']} line {s['line']}" for s in said if s["kind"] == k)
                               for k in kinds)
            conflicts.append({"kind": "cluster_kind", "detail": f"{name}: {detail}", "sources": said})
    return clusters, conflicts
