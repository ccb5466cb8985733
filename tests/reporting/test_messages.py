"""Messages in the user's language: every message the bad-file corpus and the row imports
produce has its Chinese wording, with its particulars carried over."""

from __future__ import annotations

import pytest

from clusterwatch.errors import BadInput, NotAllowed
from clusterwatch.messages import localize, localize_result, translated


@pytest.mark.parametrize(("english", "chinese"), [
    ("'12万' is not a number (write the figure in 万元, without units or text)", "'12万' 不是数字（请以万元为单位填写数字，不带单位或文字）"),
    ("return.xlsx: cells C5 hold formulas: paste them as values", "return.xlsx：单元格 C5 含有公式，请粘贴为数值"),
    ("'9144030379073J0330' is not a valid unified social credit code: the check character is '0', it should be 'K'",
     "'9144030379073J0330' 不是有效的统一社会信用代码：校验码为 '0'，应为 'K'"),
    ("cannot approve a return that is submitted", "状态为已提交的报表不能审核"),
    ("营业收入 is also given at line 2, value", "营业收入 已在 第 2 行 value 填报过"),
    ("市级营业收入与所辖县区合计相符: revenue == the sum of 11 child regions' revenue (within 1%) fails (1386 vs 1320)",
     "市级营业收入与所辖县区合计相符：revenue == 所辖 11 个下级地区的 revenue 之和（容差 1%）不成立（1386 对 1320）"),
])
def test_known_messages(english, chinese):
    assert localize(english, "zh") == chinese
    assert localize(english, "en") == english


def test_an_unknown_message_stays_as_it_is():
    assert localize("something new went wrong", "zh") == "something new went wrong" and not translated("something new")


def test_results_are_localized_cell_and_reason():
    summary = {"errors": [{"cell": "line 3, value", "reason": "the period is missing"}]}
    assert localize_result(summary, "zh")["errors"] == [{"cell": "第 3 行 value", "reason": "缺少报告期"}]


def test_every_corpus_message_is_translated(corpus_db):
    from clusterwatch.plans.queries import active_plan
    from clusterwatch.reporting.returns import read_return
    from tests.reporting.corpus.state import HERE, TODAY, USERS
    from tests.reporting.test_corpus import CASES

    messages = []
    for case in CASES:
        with corpus_db.sessions() as session:
            try:
                result = read_return(session, active_plan(session), content=(HERE / case["file"]).read_bytes(),
                                     filename=case["file"], user=USERS[case.get("user", "admin")], today=TODAY)
            except BadInput as exc:
                messages.append(exc.message)
                continue
            except NotAllowed as exc:
                messages.append(exc.reason)
                continue
            messages += [e["reason"] for e in result.errors + result.warnings]
    untranslated = [m for m in messages if not translated(m)]
    assert messages and untranslated == []


def test_every_row_import_message_is_translated(demo):
    from tests.reporting.test_exchange import csv_rows, dry_run
    from tests.reporting.test_exchange import test_bad_rows_are_named_by_line_and_column as case

    [cases] = [mark.args[1] for mark in case.pytestmark if mark.name == "parametrize"]
    messages = []
    for text, _cell, _fragment in cases:
        summary = dry_run(demo, csv_rows(text)).summary()
        messages += [e["reason"] for e in summary["errors"] + summary["warnings"]] + [e["cell"] for e in summary["errors"]]
    assert len(messages) >= len(cases) and [m for m in messages if not translated(m)] == []


def test_a_specific_message_is_matched_before_a_general_one():
    from clusterwatch.messages import localize

    # "the {field} is missing" would give 缺少firm's registered name.
    assert localize("the firm's registered name is missing", "zh") == "缺少企业登记名称"
