"""Reading star matrices from converted text, and checking them against their totals."""

from __future__ import annotations

import pytest

from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
from clusterwatch.plans.star_matrix import StarMatrixError, parse_all_star_matrices, parse_star_matrix
from tests.conftest import SEEDS

SMALL = """说明：布局

产业集群\t地区\t\t\t数量
\t甲\t乙\t丙\t
1. 电子\t★★★\t★\t\t2
2. 材料\t★★\t★★\t★\t3
各地市布局的集群数量（个）\t2\t2\t1\t
"""


def test_parses_a_small_matrix():
    matrix = parse_star_matrix(SMALL.split("\n"))
    assert matrix.cities == ["甲", "乙", "丙"]
    assert [(r.name, r.line, r.stated_count) for r in matrix.rows] == [("电子", 5, 2), ("材料", 6, 3)]
    assert matrix.tiers() == {"★★★": "core", "★★": "key", "★": "general"}
    assert [(row.name, city, tier) for row, city, tier in matrix.cells()] == [
        ("电子", "甲", "core"), ("电子", "乙", "general"),
        ("材料", "甲", "key"), ("材料", "乙", "key"), ("材料", "丙", "general")]
    assert matrix.check_counts() == []


def test_reports_a_row_and_a_column_that_disagree_with_the_totals():
    text = SMALL.replace("1. 电子\t★★★\t★\t\t2", "1. 电子\t★★★\t★\t\t3").replace("\t2\t2\t1\t", "\t2\t2\t2\t")
    problems = parse_star_matrix(text.split("\n")).check_counts()
    assert problems == [
        "line 5: 电子 has 2 marked cities, the table says 3",
        "line 7: 丙 has 1 marked clusters, the table says 2",
    ]


def test_tiers_are_ranked_within_each_table():
    text = SMALL.replace("★★★", "★★★★")
    assert parse_star_matrix(text.split("\n")).tiers() == {"★★★★": "core", "★★": "key", "★": "general"}


def test_an_unexpected_mark_is_an_error_with_its_line():
    with pytest.raises(StarMatrixError, match="line 6: unexpected mark 'x' under 乙"):
        parse_star_matrix(SMALL.replace("★★\t★★\t★", "★★\tx\t★").split("\n"))


def test_text_without_a_matrix():
    with pytest.raises(StarMatrixError, match="no star matrix"):
        parse_star_matrix(["到2025年，营业收入达到1万亿元。", ""])
    assert parse_all_star_matrices(["nothing here"]) == []


@pytest.mark.skipif(not SEEDS.exists(), reason="the policy documents (shared/seeds) are not beside the repository")
def test_the_manufacturing_plan_annex_gives_the_embedded_layout():
    lines = (SEEDS / "002_3b6d5ab2f1885d00.txt").read_text(encoding="utf-8").split("\n")
    matrices = parse_all_star_matrices(lines)
    assert [len(m.cells()) for m in matrices] == [153, 134]
    assert all(m.check_counts() == [] for m in matrices)
    parsed = {(row.name, city + "市", tier) for m in matrices for row, city, tier in m.cells()}
    plan = read_plan_file(embedded_plan_path()).data
    embedded = {(row.cluster, city, tier) for t in plan.layout for row in t.rows for city, tier in row.cells.items()}
    assert parsed == embedded
