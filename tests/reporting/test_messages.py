"""Messages in the user's language: every message id in the source has its Chinese
translation with the same placeholders, and every message the bad-file corpus and the row
imports produce is a Message whose ids (its own and its parameters') are translated."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from clusterwatch.errors import NotAllowed, NotFound
from clusterwatch.problems import BadInput, Message, Problem, msg, placeholders
from clusterwatch.web.i18n import LOCALE_DIR, localized, problem_lines

PACKAGE = Path(__file__).resolve().parents[2] / "clusterwatch"


def catalogue() -> dict[str, str]:
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string}


@lru_cache(maxsize=1)
def source_ids() -> frozenset[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")],
                                                keywords={"msg": (1,), "msgid": (1,)}):
        found.add(message if isinstance(message, str) else message[0])
    return frozenset(found)


def ids_of(message: Message) -> set[str]:
    """The message's id and those of the messages among its parameters."""
    nested = set()
    for value in message.params.values():
        if isinstance(value, Message):
            nested |= ids_of(value)
    return {message.id} | nested


def test_every_message_id_in_the_source_has_a_chinese_translation():
    ids, zh = source_ids(), catalogue()
    assert len(ids) > 200, "too few ids extracted: the extraction itself is broken"
    assert sorted(ids - set(zh)) == []


def test_a_translation_has_the_placeholders_of_its_id():
    zh, ids = catalogue(), source_ids()
    wrong = {i: s for i, s in zh.items() if i in ids and placeholders(i) != placeholders(s)}
    assert wrong == {}


@pytest.mark.parametrize(("message", "english", "chinese"), [
    (msg("{value} is not a number (write the figure in {unit}, without units or text)", value=repr("12万"), unit="万元"),
     "'12万' is not a number (write the figure in 万元, without units or text)", "'12万' 不是数字（请以万元为单位填写数字，不带单位或文字）"),
    (msg("{file}: cells {cells} hold formulas: paste them as values", file="return.xlsx", cells="C5"),
     "return.xlsx: cells C5 hold formulas: paste them as values", "return.xlsx：单元格 C5 含有公式，请粘贴为数值"),
    (msg("cannot {action} a return that is {status}", action=msg("approve"), status=msg("submitted")),
     "cannot approve a return that is submitted", "状态为已提交的报表不能审核"),
    (msg("{indicator} is also given at {place}", indicator="营业收入", place=msg("line {n}, {column}", n=2, column="value")),
     "营业收入 is also given at line 2, value", "营业收入 已在 第 2 行 value 填报过"),
    (msg("{code} is not a valid unified social credit code: {reason}", code=repr("9144030379073J0330"),
         reason=msg("the check character is {written}, it should be {expected}", written=repr("0"), expected=repr("K"))),
     "'9144030379073J0330' is not a valid unified social credit code: the check character is '0', it should be 'K'",
     "'9144030379073J0330' 不是有效的统一社会信用代码：校验码为 '0'，应为 'K'"),
    (msg("{rule}: {left} {op} the sum of {n} child regions' {right} (within {tol}%) fails ({a} vs {b})",
         rule="市级营业收入与所辖县区合计相符", left="revenue", op="==", n=11, right="revenue", tol=1, a=1386, b=1320),
     "市级营业收入与所辖县区合计相符: revenue == the sum of 11 child regions' revenue (within 1%) fails (1386 vs 1320)",
     "市级营业收入与所辖县区合计相符：revenue == 所辖 11 个下级地区的 revenue 之和（容差 1%）不成立（实为 1386，对照值 1320）"),
    (msg("{region} is a {level}; form {form} is reported by each {expected}", region="广州市", level=msg("city"),
         form="F1", expected=msg("county")),
     "广州市 is a city; form F1 is reported by each county", "广州市是市；报表 F1 由每个县（区）填报"),
])
def test_known_messages(message, english, chinese):
    assert message == english and localized(message, "en") == english
    assert localized(message, "zh") == chinese


def test_a_message_survives_storage_and_pickling():
    import pickle

    message = msg("{file}: {problem}", file="a.csv", problem=msg("{value} is not a number", value="'x'"))
    assert Message.from_json(message.to_json()).render() == message
    assert pickle.loads(pickle.dumps(message)).id == message.id


def test_answers_are_rendered_in_one_place():
    problem = Problem(msg("the {field} is missing", field=msg("period")), row=3, column="period",
                      cell=msg("line {n}, {column}", n=3, column="period"))
    assert localized({"errors": [problem.as_dict()]}, "zh")["errors"] == [
        {"row": 3, "column": "period", "cell": "第 3 行 period", "reason": "缺少报告期"}]
    assert problem_lines([problem], "en") == ["line 3, period: the period is missing"]
    assert problem_lines([Problem(msg("sign in first"), field="user", row=12)], "zh") == ["第 12 行 user：请先登录"]


def test_errors_carry_messages():
    assert localized(NotFound("cluster", "x").message, "zh") == "没有集群 'x'"
    error = BadInput.from_pairs([("a", msg("sign in first")), ("b", msg("pages are numbered from 1"))])
    assert [p.field for p in error.problems] == ["a", "b"] and error.message == "sign in first"


def _untranslated(messages: list, zh: dict[str, str]) -> list:
    """The messages that are not Messages, or name an id the catalogue lacks."""
    return [m for m in messages if not isinstance(m, Message) or not ids_of(m) <= set(zh) | {"{detail}"}]


def test_every_corpus_message_is_translated(corpus_db):
    from clusterwatch.plans.queries import active_plan
    from clusterwatch.reporting.returns import read_return
    from tests.reporting.corpus.state import HERE, TODAY, USERS
    from tests.reporting.test_corpus import CASES

    messages: list = []
    for case in CASES:
        with corpus_db.sessions() as session:
            try:
                result = read_return(session, active_plan(session), content=(HERE / case["file"]).read_bytes(),
                                     filename=case["file"], user=USERS[case.get("user", "admin")], today=TODAY)
            except BadInput as exc:
                messages += [p.message for p in exc.problems]
                continue
            except NotAllowed as exc:
                messages.append(exc.reason)
                continue
            messages += [p.message for p in result.errors + result.warnings]
    assert messages and _untranslated(messages, catalogue()) == []


def test_every_row_import_message_is_translated(demo):
    from tests.reporting.test_exchange import csv_rows, dry_run
    from tests.reporting.test_exchange import test_bad_rows_are_named_by_line_and_column as case

    [cases] = [mark.args[1] for mark in case.pytestmark if mark.name == "parametrize"]
    messages: list = []
    for text, _cell, _fragment in cases:
        result = dry_run(demo, csv_rows(text))
        messages += [p.message for p in result.errors + result.warnings]
        messages += [p.cell for p in result.errors]
    assert len(messages) >= len(cases) and _untranslated(messages, catalogue()) == []
