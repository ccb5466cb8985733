"""`clusterwatch plan extract` and `plan eval` from the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from clusterwatch.cli import app
from tests.conftest import SEEDS
from tests.test_cli import english  # noqa: F401 - problems said in English here

runner = CliRunner()


def test_extract_json_contract(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text("广东省测试产业集群行动计划（2021—2025年）\n到2025年，测试产业营业收入达到1.5万亿元。\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", "extract", str(doc), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"][0]["file"] == "plan.txt"
    [target] = data["targets"]
    assert (target["value"], target["unit"], target["year"], target["source"]["line"]) == (15000, "亿元", 2025, 2)


def test_a_document_without_goals_is_not_an_error(tmp_path):
    doc = tmp_path / "notice.txt"
    doc.write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", "extract", str(doc)])
    assert result.exit_code == 0 and "0 goals" in result.output and "no quantitative goals were found" in result.output


def test_an_unreadable_file_is_named_and_nothing_is_printed_as_a_result(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("到2025年，收入达到5亿元。", encoding="utf-8")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    result = runner.invoke(app, ["plan", "extract", str(good), str(bad), "--json"])
    assert result.exit_code == 1
    assert "bad.pdf: not a readable PDF" in result.output and "targets" not in result.output


@pytest.mark.skipif(not SEEDS.exists(), reason="the policy documents (shared/seeds) are not beside the repository")
def test_eval_prints_recall_and_precision():
    result = runner.invoke(app, ["plan", "eval", "--documents", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("goals:") and "layout:" in result.output and "recall" in result.output


def test_eval_without_documents(tmp_path):
    result = runner.invoke(app, ["plan", "eval", "--documents", str(tmp_path)])
    assert result.exit_code == 1 and "are not in" in result.output


def test_out_writes_a_draft_plan_that_loads(tmp_path):
    doc = tmp_path / "robots.txt"
    doc.write_text("广东省培育测试产业集群行动计划（2021—2025年）\n到2025年，智能机器人产业营业收入达到900亿元，"
                   "力争培育龙头企业10家。\n", encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["plan", "extract", str(doc), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 items left out" in result.output and "no indicator of the plan fits" in result.output
    from clusterwatch.plans.planfile import read_plan_file

    draft = read_plan_file(out).data
    [target] = draft.targets
    assert (target.scope.cluster, target.indicator, target.value, target.source.line) == ("robotics", "revenue", 900, 2)
    load = runner.invoke(app, ["load-plan", str(out), "--db", str(tmp_path / "d.db")])
    assert load.exit_code == 0, load.output


def test_out_with_a_bad_base_writes_nothing(tmp_path):
    doc = tmp_path / "robots.txt"
    doc.write_text("到2025年，收入达到5亿元。", encoding="utf-8")
    base = tmp_path / "base.yaml"
    base.write_text("format: clusterwatch-plan/1\nplan: {}\n", encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["plan", "extract", str(doc), "--out", str(out), "--base", str(base)])
    assert result.exit_code == 1 and "base.yaml" in result.output and "plan.code" in result.output
    assert not out.exists()
