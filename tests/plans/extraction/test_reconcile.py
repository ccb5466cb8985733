"""One target for a goal stated twice; conflicts reported with every citation."""

from __future__ import annotations

import pytest

from clusterwatch.plans.extraction.extract import extract_files
from tests.conftest import SEEDS

needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="the policy documents (shared/seeds) are not beside the repository")


@pytest.fixture(scope="module")
def extracted():
    return extract_files(sorted(SEEDS.glob("*.txt")))


@needs_seeds
def test_the_same_goal_in_two_documents_is_one_target_with_both_citations(extracted):
    advanced = [t for t in extracted["targets"] if t["scope"] == "先进材料" and t["value"] == 28000]
    assert len(advanced) == 1
    assert {(c["document"][:3], c["line"]) for c in advanced[0]["citations"]} == {("000", 64), ("002", 266)}
    frontier = [t for t in extracted["targets"] if t["scope"] == "前沿新材料" and t["value"] == 1000 and t["unit"] == "亿元"]
    assert {(c["document"][:3], c["line"]) for c in frontier[0]["citations"]} == {("001", 64), ("002", 468)}


@needs_seeds
def test_a_cluster_called_pillar_and_emerging_is_a_conflict_not_a_choice(extracted):
    conflicts = {c["detail"].split(":")[0]: c for c in extracted["conflicts"] if c["kind"] == "cluster_kind"}
    electronics = conflicts["新一代电子信息"]
    said = {(s["document"][:3], s["line"], s["kind"]) for s in electronics["sources"]}
    assert ("001", 56, "emerging") in said and ("003", 37, "pillar") in said
    kinds = {c["name"]: c["kinds"] for c in extracted["clusters"]}
    assert kinds["新一代电子信息"] == ["emerging", "pillar"]  # both kept for the reviewer
    assert kinds["先进材料"] == ["pillar"] and kinds["前沿新材料"] == ["emerging"]
    assert len(kinds) == 20


def two_plans(tmp_path, first: str, second: str) -> dict:
    """Extract two one-goal plans of the same cluster, a.txt and b.txt."""
    paths = []
    for name, sentence in (("a.txt", first), ("b.txt", second)):
        path = tmp_path / name
        path.write_text(f"广东省培育测试产业集群行动计划（2021—2025年）\n{sentence}\n", encoding="utf-8")
        paths.append(path)
    return extract_files(paths)


def test_two_values_for_one_goal_are_a_conflict(tmp_path):
    result = two_plans(tmp_path, "到2025年，测试产业营业收入达到3000亿元。", "到2025年，测试产业营业收入超过3500亿元。")
    [conflict] = [c for c in result["conflicts"] if c["kind"] == "value"]
    assert "3000.0 亿元 (a.txt)" in conflict["detail"] and "3500.0 亿元 (b.txt)" in conflict["detail"]
    assert {s["document"] for s in conflict["sources"]} == {"a.txt", "b.txt"}
    assert len(result["targets"]) == 2  # both kept, neither chosen


def test_the_same_goal_spelt_differently_is_merged(tmp_path):
    result = two_plans(tmp_path, "到2025年，测试产业营业收入达到2.8万亿元。", "到 2025 年，测试产业主营业务收入达28000亿元。")
    [target] = result["targets"]
    assert [c["document"] for c in target["citations"]] == ["a.txt", "b.txt"]
