"""Extraction measured against the labelled answer set, and run on mangled text."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterwatch.plans.extraction.evaluation import load_answers, score_goals, score_layout
from clusterwatch.plans.extraction.extract import extract_document, extract_files
from clusterwatch.plans.extraction.reading import SourceDocument
from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
from tests.conftest import SEEDS

ANSWERS = load_answers(Path(__file__).parent / "answers")
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="the policy documents (shared/seeds) are not beside the repository")


@pytest.fixture(scope="module")
def extracted():
    return extract_files([SEEDS / name for name in ANSWERS])


def test_the_answer_set_covers_the_five_documents():
    assert len(ANSWERS) == 5
    goals = sum(1 for items in ANSWERS.values() for a in items if a["kind"] == "goal")
    assert goals >= 120


@needs_seeds
def test_goals_meet_95_percent_recall_and_precision(extracted):
    score, missed, excess = score_goals(extracted["targets"], ANSWERS)
    assert score.recall >= 0.95, missed
    assert score.precision >= 0.95, excess


@needs_seeds
def test_layout_cells_are_all_found(extracted):
    layout = read_plan_file(embedded_plan_path()).data.layout
    cells = {(row.cluster, city, tier) for table in layout for row in table.rows for city, tier in row.cells.items()}
    score = score_layout(extracted["layouts"], cells)
    assert (score.recall, score.precision) == (1.0, 1.0)
    assert [c for c in extracted["conflicts"] if c["kind"] == "layout_count"] == []


@needs_seeds
def test_every_quote_stands_at_its_line(extracted):
    lines = {name: (SEEDS / name).read_text(encoding="utf-8").split("\n") for name in ANSWERS}
    for key in ("targets", "baselines", "layouts", "tasks", "lists"):
        for item in extracted[key]:
            line = lines[item["document"]][item["source"]["line"] - 1]
            assert item["source"]["text"] in line.strip(), (key, item["source"])


@needs_seeds
def test_the_output_follows_the_contract(extracted):
    assert set(extracted) >= {"documents", "targets", "baselines", "layouts", "tasks", "lists", "conflicts"}
    target_keys = {"document", "scope", "indicator", "comparator", "value", "value_max", "unit", "year",
                   "year_inferred", "aspirational", "qualifier", "baseline", "source"}
    assert all(set(t) >= target_keys for t in extracted["targets"])
    assert all(t["comparator"] in {"=", ">", ">=", "<", "<=", "~", "range"} for t in extracted["targets"])
    json.dumps(extracted, ensure_ascii=False)  # serialisable as it stands
    titles = {d["file"]: d for d in extracted["documents"]}
    assert titles["000_8a4aa728e1e28b28.txt"]["title"].startswith("广东省发展先进材料战略性支柱产业集群行动计划")


@needs_seeds
def test_tasks_name_their_departments(extracted):
    tasks = [t for t in extracted["tasks"] if t["document"].startswith("000")]
    assert len(tasks) >= 10
    first = tasks[0]
    assert first["lead"] == ["省工业和信息化厅"]
    assert "省发展改革委" in first["cooperating"] and "省市场监管局" in first["cooperating"]


@needs_seeds
def test_box_lists(extracted):
    boxes = {(b["document"][:3], b["box"]): b for b in extracted["lists"]}
    subclusters = boxes[("000", "专栏1 以龙头骨干企业为依托，推进特色优势区域产业集群建设")]
    assert len(subclusters["items"]) >= 13 and subclusters["items"][0].startswith("佛山先进材料产业集群")


@needs_seeds
def test_extracting_the_five_documents_takes_under_five_seconds():
    start = time.perf_counter()
    extract_files(sorted(SEEDS.glob("*.txt")))
    assert time.perf_counter() - start < 5


def mangle(lines: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for line in lines:
        roll = rng.random()
        if roll < 0.1:
            continue  # dropped line
        if roll < 0.2 and line:
            cut = rng.randrange(len(line))
            out.extend([line[:cut], line[cut:]])  # broken line
        elif roll < 0.3 and line:
            i = rng.randrange(len(line))
            out.append(line[:i] + rng.choice(" \t　。，%*★亿万2") + line[i:])  # stray character
        else:
            out.append(line)
    return out


@needs_seeds
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(sorted(ANSWERS)))
def test_mangled_documents_never_crash(seed, name):
    lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
    extract_document(SourceDocument(name, mangle(lines, seed)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("到2025年，。；力争超过约以上达到亿元万件家个%*★\t （）牵头专栏1.一、")) | st.characters(),
                        max_size=80), max_size=12))
def test_random_text_never_crashes(lines):
    result = extract_document(SourceDocument("random.txt", lines or [""]))
    assert set(result) >= {"targets", "baselines", "layouts", "tasks", "lists"}


def test_a_matrix_with_too_many_kinds_of_marks_is_reported_not_fatal():
    lines = ["产业集群\t地区\t\t\t数量", "\t甲\t乙\t丙\t", "1. 电子\t★★★★\t★★★\t★\t3", "2. 材料\t★★\t\t\t1"]
    result = extract_document(SourceDocument("m.txt", lines))
    assert result["layouts"] == [] and result["layout_tables"] == []
    assert result["conflicts"][0]["kind"] == "layout_table" and "4 kinds of marks" in result["conflicts"][0]["detail"]
