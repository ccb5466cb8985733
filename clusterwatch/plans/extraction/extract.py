"""Extract everything from a set of policy documents into the --json contract of `plan extract`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from clusterwatch.plans.extraction.goals import extract_goals
from clusterwatch.plans.extraction.reading import SourceDocument, read_document
from clusterwatch.plans.extraction.reconcile import cluster_kinds, reconcile_targets
from clusterwatch.plans.extraction.scope import ScopeResolver
from clusterwatch.plans.extraction.structure import extract_layout_tables, extract_layouts, extract_lists, extract_tasks
from clusterwatch.plans.extraction.text import normalise_line

TITLE_WORDS = re.compile(r"计划|规划|意见|方案|通知|办法")
ISSUED = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[]\s*(?:19|20)\d\d\s*[〕\]]\s*\d+\s*号")


def _title_blocks(lines: list[str]) -> list[str]:
    """Runs of short lines at the head of a document, joined: titles are broken across lines."""
    blocks: list[str] = []
    current: list[str] = []
    blanks = 0
    for line in lines[:60]:
        text, _ = normalise_line(line.strip().lstrip("#").strip())
        if not text:
            blanks += 1
            if blanks > 1 and current:
                blocks.append("".join(current))
                current = []
            continue
        blanks = 0
        if len(text) > 40 or text.endswith(("：", ":", "。")) or DOCUMENT_NUMBER.fullmatch(text):
            if current:
                blocks.append("".join(current))
            current = []
            continue
        current.append(text)
    if current:
        blocks.append("".join(current))
    return blocks


def find_title(lines: list[str]) -> str | None:
    """The document's title: what a 关于印发…的通知 publishes, else the first title-like block."""
    blocks = _title_blocks(lines)
    for block in blocks:
        match = re.search(r"关于印发《?(?P<title>.+?)》?的通知", block)
        if match:
            return match.group("title")
    for block in blocks:
        block = re.sub(r"^附件\d*", "", block)
        if 6 <= len(block) <= 120 and TITLE_WORDS.search(block):
            return block
    return None


def describe(document: SourceDocument) -> dict:
    """File name, title and date of issue, where the document states them."""
    title = find_title(document.lines)
    issued = None
    head_and_tail = document.lines[:80] + document.lines[-40:]
    for line in head_and_tail:
        match = ISSUED.search(normalise_line(line)[0])
        if match:
            issued = f"{int(match.group(1)):04d}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
            break
    number = next((m.group(0) for line in document.lines[:60] if (m := DOCUMENT_NUMBER.search(normalise_line(line)[0]))), None)
    return {"file": document.file, "title": title, "issued": issued, "number": number}


def extract_document(document: SourceDocument, scopes: ScopeResolver | None = None) -> dict:
    goals, baselines = extract_goals(document, scopes)
    layouts, conflicts = extract_layouts(document)
    return {
        "documents": [describe(document)],
        "targets": goals,
        "baselines": baselines,
        "layouts": layouts,
        "layout_tables": extract_layout_tables(document),
        "tasks": extract_tasks(document),
        "lists": extract_lists(document),
        "conflicts": conflicts,
    }


def extract_files(paths: Sequence[str | Path], known_clusters: list[str] | tuple[str, ...] = ()) -> dict:
    """Read and extract each file; ReadError for the first that cannot be read, before any work.

    `known_clusters`: names of clusters a plan already holds, to recognise besides the
    names the documents define themselves."""
    documents = [read_document(path) for path in paths]
    result: dict = {"documents": [], "targets": [], "baselines": [], "layouts": [], "layout_tables": [], "tasks": [],
                    "lists": [], "conflicts": []}
    # Cluster names from all the documents: a layout table in one names the clusters of all.
    scopes = ScopeResolver(documents, known_clusters)
    for document in documents:
        for key, values in extract_document(document, scopes).items():
            result[key].extend(values)
    result["targets"], value_conflicts = reconcile_targets(result["targets"])
    result["clusters"], kind_conflicts = cluster_kinds(documents, scopes)
    result["conflicts"].extend(value_conflicts + kind_conflicts)
    if not result["targets"]:
        result["notes"] = ["no quantitative goals were found"]
    return result
