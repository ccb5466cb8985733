"""Print the `tasks:` section of a plan file from the tasks a document assigns to departments.

Used to write the tasks of clusterwatch/plans/data/guangdong.yaml from the action plans; kept
so the step can be repeated and checked:

    python scripts/extract_tasks.py ../shared/seeds/000_8a4aa728e1e28b28.txt 000 advanced-materials

Each task is a sentence group that ends in (…牵头，…按职责分工负责): its title is the heading
before the first 。, its text the rest as the document words it (up to 300 characters), its
lead and co-operating departments as named, its citation the line of the parenthesis. A
heading that names a 工程 (programme) is a major project.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from clusterwatch.plans.extraction.reading import read_document
from clusterwatch.plans.extraction.structure import RESPONSIBILITY, extract_tasks

NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、[^（(]*)?(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、])\s*")


BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")  # Word's bookmarks, left in the text by the conversion


def title_of(text: str) -> str:
    heading = NUMBERING.sub("", text).split("。")[0]
    return heading[:80]


# A document of several plans (004: 广东省培育纺织服装产业集群行动计划, …食品饮料…): each task's
# title is prefixed with its plan's subject, since their headings repeat (强化政策支持).
PART = re.compile(r"广东省培育(?P<subject>.+?)产业集群行动")


def main(path: str, document: str, cluster: str) -> None:
    source = read_document(Path(path))
    tasks = extract_tasks(source)
    parts = []  # (first line, subject)
    for number, line in enumerate(source.lines, start=1):
        match = PART.search(line.replace(" ", ""))
        if match and (not parts or parts[-1][1] != match.group("subject")):
            parts.append((number, match.group("subject")))
    out = []
    for n, task in enumerate(tasks, start=1):
        text = BOOKMARK.sub("", task["text"]).strip()
        title = title_of(text)
        line = task["source"]["line"]
        if len(parts) > 1:
            subject = [s for first, s in parts if first <= line][-1]
            title = f"{subject}：{title}"
        match = RESPONSIBILITY.search(source.lines[line - 1])
        quote = match.group(0) if match else task["source"]["text"]
        kind = "project" if title.endswith("工程") else "task"
        out.append({
            "code": f"{cluster}-{document}-{n:02d}", "kind": kind, "scope": {"cluster": cluster}, "title": title,
            "text": NUMBERING.sub("", text), "lead": task["lead"], "cooperating": task["cooperating"],
            "source": {"document": document, "line": line, "text": quote},
        })
    print(yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=200))


if __name__ == "__main__":
    main(*sys.argv[1:])
