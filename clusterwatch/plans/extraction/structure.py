"""Layout matrices, tasks with their departments, and box lists (专栏) of a document."""

from __future__ import annotations

import re

from clusterwatch.plans.extraction.reading import SourceDocument
from clusterwatch.plans.extraction.text import normalise_line
from clusterwatch.plans.star_matrix import StarMatrixError, parse_all_star_matrices

# （省工业和信息化厅牵头，省发展改革委、科技厅、商务厅按职责分工负责）
RESPONSIBILITY = re.compile(r"[（(](?P<lead>[^（）()]*?)牵头(?:[，,、](?P<coop>[^（）()]*?)(?:按职责分工?负责|配合|参与))?[）)]")
BOX = re.compile(r"^\s*#*\s*专栏\s*(?P<number>\d+)\s*[：:]?\s*(?P<title>.*)$")
LIST_MARK = re.compile(r"^\s*(?:\*\*)?\s*(?:\d+\s*[.．、]?|[（(]\d+[)）]|[-•·])\s*")
BLOCK_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节]|附件)")


def extract_layout_tables(document: SourceDocument) -> list[dict]:
    """Each star matrix whole, with its own totals: what a plan file's `layout` section holds."""
    tables = []
    for matrix in parse_all_star_matrices(document.lines):
        try:
            tiers = matrix.tiers()
        except StarMatrixError:
            continue  # reported by extract_layouts as a conflict
        tables.append({
            "document": document.file, "header_line": matrix.header_line, "totals_line": matrix.totals_line,
            "marks": tiers, "city_totals": dict(matrix.stated_city_counts),
            "rows": [{"cluster": row.name, "line": row.line, "text": row.text, "stated_count": row.stated_count,
                      "cells": {city: tiers[mark] for city, mark in row.marks.items()}} for row in matrix.rows],
        })
    return tables


def extract_layouts(document: SourceDocument) -> tuple[list[dict], list[dict]]:
    """Cells of every star matrix, tiers ranked within each table, and count mismatches."""
    cells, conflicts = [], []
    for matrix in parse_all_star_matrices(document.lines):
        try:
            matrix.tiers()
        except StarMatrixError as exc:
            conflicts.append({"kind": "layout_table", "detail": f"line {matrix.header_line}: {exc}",
                              "sources": [{"document": document.file, "line": matrix.header_line}]})
            continue
        for problem in matrix.check_counts():
            conflicts.append({"kind": "layout_count", "detail": problem,
                              "sources": [{"document": document.file, "line": matrix.header_line}]})
        for row, city, tier in matrix.cells():
            cells.append({
                "document": document.file, "cluster": row.name, "region": city, "tier": tier,
                "source": {"line": row.line, "text": row.text},
            })
    return cells, conflicts


# The documents name one department several ways; the short official forms (those of the
# umbrella document, 003) are kept, so that "my department" finds every task it is named in.
# 省环境保护厅 became 省生态环境厅 in the 2018 reorganisation; the 2019 drafts still say the old name.
DEPARTMENT_ALIASES = {
    "省市场监督管理局": "省市场监管局", "省人力资源和社会保障厅": "省人力资源社会保障厅",
    "省住房和城乡建设厅": "省住房城乡建设厅", "省文化旅游厅": "省文化和旅游厅", "省环境保护厅": "省生态环境厅",
}
OWN_PLACE = re.compile(r"^(?:省|各|[\u4e00-\u9fff]{2,3}(?:市(?!场)|县|区))")
PROVINCE_BODY = re.compile(r"(?:厅|委|局|办|会)$")


def _departments(text: str, province: bool = False) -> list[str]:
    """Department names as the list gives them, each in its canonical form.

    省发展改革委、科技厅: the second is 省科技厅, its 省 left out by the list; a co-operating list
    that follows a provincial lead leaves out the 省 of every name (`province`). A trailing
    等有关部门 is dropped, and 省地方金融监管局和各地级以上市人民政府 names two.
    """
    names = []
    for part in re.split(r"[、，,]|和(?=各)", text):
        name = re.sub(r"等(?:有关)?部门$", "", part.strip(" ，,、"))
        if name:
            names.append(name)
    prefix = "省" if province or (names and names[0].startswith("省")) else ""
    result = []
    for name in names:
        if prefix and not OWN_PLACE.match(name) and PROVINCE_BODY.search(name):
            name = prefix + name
        name = DEPARTMENT_ALIASES.get(name, name)
        if name not in result:
            result.append(name)
    return result


def extract_tasks(document: SourceDocument) -> list[dict]:
    """Tasks that name a lead department (…牵头) and co-operating ones (…按职责分工负责)."""
    tasks = []
    task_start = 1
    for number, raw in enumerate(document.lines, start=1):
        text, _ = normalise_line(raw)
        if BLOCK_START.match(text) or LIST_MARK.match(text) and len(text) > 30:
            task_start = number
        for match in RESPONSIBILITY.finditer(text):
            body = "".join(normalise_line(line)[0] for line in document.lines[task_start - 1:number])
            body = body[: body.rfind(match.group(0))] if match.group(0) in body else body
            tasks.append({
                "document": document.file,
                "text": body.strip()[:300],
                "lead": (lead := _departments(match.group("lead"))),
                "cooperating": [d for d in _departments(match.group("coop") or "", province=bool(lead) and lead[0].startswith("省"))
                                if d not in lead],
                "source": {"line": number, "text": raw.strip()[max(0, raw.strip().find("（")):][:200] if "（" in raw else match.group(0)},
            })
            task_start = number + 1
    return tasks


def extract_lists(document: SourceDocument) -> list[dict]:
    """The items of each box (专栏): sub-clusters, zones, technologies, towns."""
    boxes = []
    lines = document.lines
    index = 0
    while index < len(lines):
        text, _ = normalise_line(lines[index].strip().strip("\t"))
        match = BOX.match(text.replace("*", ""))
        if not match:
            index += 1
            continue
        title_line = index + 1
        items, seen_item, gap = [], False, 0
        index += 1
        while index < len(lines):
            line = lines[index].strip()
            norm, _ = normalise_line(line)
            if not norm:
                gap += 1
                if seen_item and gap >= 2:
                    break
                index += 1
                continue
            gap = 0
            if BOX.match(norm.replace("*", "")) or BLOCK_START.match(norm):
                break
            if seen_item and not LIST_MARK.match(norm) and len(norm) > 120 and "：" not in norm[:20]:
                break  # back in the body text
            item = LIST_MARK.sub("", norm).replace("**", "").strip()
            if item:
                items.append({"text": item, "line": index + 1})
                seen_item = True
            index += 1
        boxes.append({
            "document": document.file, "box": f"专栏{match.group('number')} {match.group('title').strip()}".strip(),
            "items": [i["text"] for i in items],
            "item_lines": [i["line"] for i in items],
            "source": {"line": title_line, "text": lines[title_line - 1].strip()},
        })
    return boxes
