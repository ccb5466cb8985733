"""Every figure the embedded plan takes from a document is quoted as it stands at its line."""

from __future__ import annotations

import pytest

from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="the policy documents (shared/seeds) are not beside the repository")


def document_lines(plan):
    return {d.code: (SEEDS / d.file).read_text(encoding="utf-8").split("\n") for d in plan.documents}


def test_each_goal_and_stated_figure_quotes_its_line():
    plan = read_plan_file(embedded_plan_path()).data
    lines = document_lines(plan)
    misquoted = [
        (item.source.document, item.source.line, item.source.text)
        for item in [*plan.targets, *plan.stated_figures]
        if item.source.text not in lines[item.source.document][item.source.line - 1]
    ]
    assert misquoted == []


def test_each_layout_row_quotes_its_line():
    plan = read_plan_file(embedded_plan_path()).data
    lines = document_lines(plan)
    for table in plan.layout:
        for row in table.rows:
            assert lines[table.document][row.line - 1].strip() == row.text


def test_each_goal_value_appears_in_its_quote():
    """The number in the file is the number in the sentence (before unit conversion)."""
    import yaml

    raw = yaml.safe_load(embedded_plan_path().read_text(encoding="utf-8"))
    for item in raw["targets"] + raw["stated_figures"]:
        value = item["value"]
        text = item["source"]["text"].replace(" ", "")
        written = f"{value:g}"
        assert written in text, (item.get("code"), written, text)
