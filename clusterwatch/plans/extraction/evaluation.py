"""Measure extraction against the labelled answer set (tests/plans/extraction/answers).

Goals match when document, value, unit and year agree (docs/methods.md, "Extraction
quality"); each answer matches at most one extracted goal. Layout cells match on document,
cluster, region and tier.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass
class Score:
    expected: int
    found: int
    matched: int

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0


def goal_key(document: str, item: dict) -> tuple:
    value = item.get("value")
    return (document, None if value is None else round(float(value), 4), item.get("unit"), item.get("year"))


def load_answers(directory: Path) -> dict[str, list[dict]]:
    return {path.stem + ".txt": yaml.safe_load(path.read_text(encoding="utf-8")) or []
            for path in sorted(directory.glob("*.yaml"))}


def score_goals(extracted: list[dict], answers: dict[str, list[dict]], kind: str = "goal") -> tuple[Score, list[tuple], list[tuple]]:
    """Score, and the keys missed and the keys found in excess (kind: goal or baseline)."""
    expected = Counter(goal_key(doc, a) for doc, items in answers.items() for a in items if a["kind"] == kind)
    # A goal stated in several documents is one target citing each of them: it counts once
    # for each document that states it.
    found = Counter(goal_key(doc, g) for g in extracted
                    for doc in {c["document"] for c in g.get("citations", [])} | {g["document"]} if doc in answers)
    matched = expected & found
    missed = sorted((expected - found).elements(), key=str)
    excess = sorted((found - expected).elements(), key=str)
    return Score(sum(expected.values()), sum(found.values()), sum(matched.values())), missed, excess


def score_layout(extracted: list[dict], expected_cells: set[tuple]) -> Score:
    found = {(c["cluster"], c["region"].removesuffix("市") + "市", c["tier"]) for c in extracted}
    return Score(len(expected_cells), len(found), len(found & expected_cells))
