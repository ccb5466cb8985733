"""The enterprise register as files: import with a dry run (.xlsx and CSV), every bad input
named by row and column with nothing written, updates, export and the round trip; lists and
tiers; the web route."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, update

from clusterwatch import tabular, uscc
from clusterwatch.db import transaction
from clusterwatch.enterprises import register_file as rf
from clusterwatch.enterprises.models import Enterprise, EnterpriseCluster, ListMembership
from clusterwatch.plans.models import Cluster
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput, Message
from clusterwatch.regions.models import Region
from clusterwatch.web.i18n import localized

ZH = list(rf.REGISTER_COLUMNS.values())
EN = list(rf.REGISTER_COLUMNS)
MEMBERSHIP_ZH = list(rf.MEMBERSHIP_COLUMNS.values())


def code(n: int, region: str = "440106") -> str:
    return uscc.make(region, random.Random(n))


A, B, C = code(1), code(2), code(3, "440304")
GOOD = [
    [A, "广州示例电子有限公司", "440106", "是", "120.5", "2015-03-01", "3976", "新一代电子信息;robotics", "上游·材料", ""],
    [B, "广州示例装备有限公司", "天河区", "否", "", "", "", "", "", "公用事业"],
    [C, "深圳示例软件有限公司", "广州市天河区", "", "0", "2020-1-5", "", "software", "", ""],
]


# ---------------------------------------------------------------------------------------------
# Helpers


@pytest.fixture
def db(plan_db):
    return plan_db


def csv_file(header, rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(header, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def assert_translated(messages) -> None:
    """Every message a test produces has Chinese (the English text is not shown as it is)."""
    for message in messages:
        assert isinstance(message, Message), message
        assert localized(message, "zh") != message, message


def check(db, content, filename="register.csv", kind="register") -> rf.RegisterPlan:
    read = rf.read_register if kind == "register" else rf.read_memberships
    with db.sessions() as session:
        result = read(session, active_plan(session), content, filename)
    assert_translated([p.message for p in result.errors + result.warnings] + [p.cell for p in result.errors])
    return result


def load(db, content, filename="register.csv", kind="register") -> rf.RegisterPlan:
    read, write = (rf.read_register, rf.import_register) if kind == "register" else (rf.read_memberships, rf.import_memberships)
    with transaction(db.sessions) as session:
        plan = active_plan(session)
        return write(session, plan, read(session, plan, content, filename))


def refused(db, content, filename="register.csv", kind="register") -> str:
    """The message a whole file is refused with; nothing is written."""
    before = counts(db)
    with pytest.raises(BadInput) as caught:
        load(db, content, filename, kind)
    assert counts(db) == before
    assert_translated([caught.value.message])
    return caught.value.message


def counts(db) -> tuple[int, int, int]:
    with db.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Enterprise, EnterpriseCluster, ListMembership))


def firm(db, code_: str) -> tuple[Enterprise, list[tuple[str, int, str | None]]]:
    with db.sessions() as session:
        found = session.scalar(select(Enterprise).where(Enterprise.uscc == code_))
        links = session.execute(select(Cluster.slug, EnterpriseCluster.position, EnterpriseCluster.segment)
                                .join(Cluster, Cluster.id == EnterpriseCluster.cluster_id)
                                .where(EnterpriseCluster.enterprise_id == found.id).order_by(EnterpriseCluster.position)).all()
        session.expunge(found)
        return found, [tuple(link) for link in links]


# ---------------------------------------------------------------------------------------------
# Good files


def test_a_csv_with_chinese_headers_dry_run_then_import(db):
    content = csv_file(ZH, GOOD)
    result = check(db, content)
    assert (result.rows, result.created, result.updated, result.unchanged, result.errors) == (3, 3, 0, 0, [])
    # Empty and zero land: imported, with a warning naming the row and column.
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (3, "用地面积（亩）", "the land area is empty: no per-mu indicator can be computed for this firm"),
        (4, "用地面积（亩）", "the land area is 0 亩: no per-mu indicator can be computed for this firm")]
    assert counts(db) == (0, 0, 0)  # the dry run wrote nothing
    summary = load(db, content).summary()
    assert (summary["created"], summary["error_count"], summary["warning_count"]) == (3, 0, 2)
    a, links = firm(db, A)
    assert (a.name_zh, a.region_code, a.above_scale, a.land_mu, a.founded, a.industry_code, a.exempt_reason, a.synthetic) == (
        "广州示例电子有限公司", "440106", True, 120.5, dt.date(2015, 3, 1), "3976", None, False)
    assert a.created_at is not None
    assert links == [("electronics", 0, "上游·材料"), ("robotics", 1, None)]
    b, links = firm(db, B)
    assert (b.region_code, b.above_scale, b.land_mu, b.founded, b.exempt_reason, links) == ("440106", False, None, None, "公用事业", [])
    c, links = firm(db, C)
    assert (c.region_code, c.above_scale, c.land_mu, c.founded, links) == ("440106", True, 0.0, dt.date(2020, 1, 5), [("software", 0, None)])


def test_an_xlsx_with_english_headers_and_excel_cells(db):
    # Dates and numbers as Excel's own cells, the synthetic column of an export (ignored).
    rows = [[A, "示例一", 440106, "no", 12, dt.date(2015, 3, 1), "0511", "新一代电子信息；智能机器人", "下游", None, "是"],
            [B, "示例二", "天河区", "TRUE", 3.5, None, None, None, None, None, None]]
    content = xlsx_file(EN + ["synthetic"], rows)
    result = check(db, content, "register.xlsx")
    assert (result.created, result.errors, result.warnings) == (2, [], [])
    load(db, content, "register.xlsx")
    a, links = firm(db, A)
    assert (a.above_scale, a.land_mu, a.founded, a.industry_code, a.synthetic) == (False, 12.0, dt.date(2015, 3, 1), "0511", False)
    assert links == [("electronics", 0, "下游"), ("robotics", 1, None)]
    assert firm(db, B)[0].above_scale is True


def test_a_gb18030_csv_from_excel_on_chinese_windows(db):
    content = csv_file(ZH, GOOD, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert check(db, content).created == 3
    load(db, content)
    assert firm(db, B)[0].name_zh == "广州示例装备有限公司"


def test_an_existing_firm_is_updated_and_clusters_replaced(db):
    load(db, csv_file(ZH, GOOD))
    changed = [[A, "广州示例电子股份有限公司", "440304", "否", "99", "2016-04-02", "3971", "software", "中游", ""],
               GOOD[1]]
    result = check(db, csv_file(ZH, changed))
    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 1, 1, [])
    firms_before = counts(db)
    load(db, csv_file(ZH, changed))
    assert counts(db) == (firms_before[0], firms_before[1] - 1, 0)
    a, links = firm(db, A)
    assert (a.name_zh, a.region_code, a.above_scale, a.land_mu, a.founded, a.industry_code) == (
        "广州示例电子股份有限公司", "440304", False, 99.0, dt.date(2016, 4, 2), "3971")
    assert links == [("software", 0, "中游")]
    # A file of some columns only: the others are left as they are.
    result = load(db, csv_file(["uscc", "name", "land_mu"], [[A, "广州示例电子股份有限公司", "100"]]))
    assert result.updated == 1
    a, links = firm(db, A)
    assert (a.region_code, a.above_scale, a.land_mu, a.industry_code, links) == ("440304", False, 100.0, "3971", [("software", 0, "中游")])
    # A new segment for the main cluster only.
    load(db, csv_file(["uscc", "name", "segment"], [[A, "广州示例电子股份有限公司", "上游"]]))
    assert firm(db, A)[1] == [("software", 0, "上游")]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_imports_back_unchanged(db, fmt):
    load(db, csv_file(ZH, GOOD))
    with transaction(db.sessions) as session:
        from clusterwatch.enterprises.register import add_enterprise

        demo = add_enterprise(session, uscc=code(9, "440305"), name_zh="示例企业（合成）", region_code="440305",
                              synthetic=True, land_mu=7.25)
        demo.founded = dt.date(1999, 12, 31)
        session.add(EnterpriseCluster(enterprise_id=demo.id, cluster_id=session.scalar(select(Cluster.id).where(
            Cluster.slug == "semiconductors")), position=0, segment="上游"))
    with db.sessions() as session:
        content = rf.export_register(session, active_plan(session), fmt)
    if fmt == "csv":
        assert content.startswith(b"\xef\xbb\xbf")
        assert content.decode("utf-8-sig").splitlines()[0] == ",".join(ZH)
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        header = [c.value for c in sheet[1]]
        assert header == ZH + ["示例数据"]
        synthetic = {row[0]: row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert synthetic == {A: None, B: None, C: None, code(9, "440305"): "是"}
    result = check(db, content, f"register.{fmt}")
    assert (result.rows, result.created, result.updated, result.unchanged, result.errors) == (4, 0, 0, 4, [])
    # Only some firms.
    with db.sessions() as session:
        ids = session.scalars(select(Enterprise.id).where(Enterprise.uscc.in_([A, B]))).all()
        some = rf.export_register(session, active_plan(session), fmt, firm_ids=ids)
    assert check(db, some, f"register.{fmt}").unchanged == 2


def test_sixty_thousand_firms_in_seconds(db):
    rng = random.Random(7)
    counties = ["440106", "440304", "440305", "440604"]
    codes = {uscc.make(counties[i % 4], rng) for i in range(60_500)}
    rows = [[c, f"示例企业{i:05d}号", c[2:8], "是", f"{i % 300}.5", "2010-01-01", "3976", "新一代电子信息;software", "中游", ""]
            for i, c in enumerate(sorted(codes)[:60_000])]
    content = csv_file(ZH, rows)
    start = time.perf_counter()
    result = load(db, content)
    first = time.perf_counter() - start
    assert (result.created, result.error_count) == (60_000, 0)
    start = time.perf_counter()
    again = check(db, content)
    assert (again.unchanged, again.created) == (60_000, 0)
    assert counts(db)[:2] == (60_000, 120_000)
    assert first < 40 and time.perf_counter() - start < 20, first


# ---------------------------------------------------------------------------------------------
# Bad rows: each named by row and column, and nothing written


def _with(row: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in GOOD]
    rows[row - 2][ZH.index(column)] = value
    return rows


BAD_CELLS = [
    ("统一社会信用代码", A[:17] + ("0" if A[17] != "0" else "1"), "is not a valid unified social credit code: the check character is"),
    ("统一社会信用代码", "12345", "is not a valid unified social credit code: 5 characters, not 18"),
    ("统一社会信用代码", "", "no unified social credit code: every row is one firm"),
    ("企业名称", "", "the firm's name is empty: write its registered name"),
    ("企业名称", "名" * 201, "longer than 200 characters"),
    ("所在县区", "999999", "'999999' is not a county-level region code or name"),
    ("所在县区", "440100", "'440100' is not a county-level region (a firm is registered in its county or district)"),
    ("所在县区", "天河", "'天河' is not a county-level region code or name"),
    ("所在县区", "", "the county is missing"),
    ("规模以上", "大概", "'大概' is not yes or no: write 是 or 否"),
    ("用地面积（亩）", "-5", "land area -5 亩 is negative"),
    ("用地面积（亩）", "12亩", "'12亩' is not a number (write the figure in 亩, without units or text)"),
    ("成立日期", "2015-02-30", "'2015-02-30' is not a date: write YYYY-MM-DD (e.g. 2015-03-01)"),
    ("成立日期", "2015年3月", "'2015年3月' is not a date"),
    ("行业代码", "397", "'397' is not a GB/T 4754 industry class: write its four digits (e.g. 3976)"),
    ("行业代码", "C397", "'C397' is not a GB/T 4754 industry class"),
    ("所属集群", "software;不存在的集群", "'不存在的集群' is not a cluster of the plan"),
    ("所属集群", "software;软件与信息服务", "软件与信息服务 appears twice"),
    ("产业链环节", "上游", "a segment of the chain needs a cluster: write the firm's main cluster first"),  # row 3 has no cluster
    ("不参评原因", "因" * 201, "longer than 200 characters"),
]


@pytest.mark.parametrize("column, value, reason", BAD_CELLS, ids=[f"{c}={v[:20]}" for c, v, _ in BAD_CELLS])
def test_a_bad_cell_is_named_and_nothing_is_written(db, column, value, reason):
    rows = _with(3, column, value)
    result = check(db, csv_file(ZH, rows))
    assert [(e.row, e.column) for e in result.errors] == [(3, column)], result.errors
    assert reason in result.errors[0].message and result.errors[0].extra["value"] == value
    assert localized(result.errors[0].cell, "zh") == f"第 3 行 {column}"
    assert refused(db, csv_file(ZH, rows)) == "1 problem(s); nothing was imported"
    assert counts(db) == (0, 0, 0)


def test_the_same_firm_twice_names_both_rows(db):
    rows = GOOD + [[A, "重复", "440106", "是", "1", "", "", "", "", ""]]
    result = check(db, csv_file(ZH, rows))
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (5, "统一社会信用代码", f"{A} is also in row 2: one row per firm")]
    refused(db, csv_file(ZH, rows))


def test_a_county_name_of_several_counties_names_the_candidates(db):
    with transaction(db.sessions) as session:
        # 汕尾市城区 (441502) is in the plan's regions; another county of the name, made up.
        session.add(Region(code="440199", name_zh="城区", name_en="Chengqu", level="county", parent_code="440100"))
    result = check(db, csv_file(ZH, _with(2, "所在县区", "城区")))
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "所在县区", "'城区' is the name of 2 counties (440199 城区、441502 城区): write the code")]
    assert check(db, csv_file(ZH, _with(2, "所在县区", "汕尾市城区"))).errors == []


def test_the_answer_names_each_problem_by_row_column_cell_and_value(db):
    """The dry run's answer keeps its shape: each problem {row, column, cell, value, reason}, counts exact."""
    summary = check(db, csv_file(ZH, _with(3, "行业代码", "397"))).summary()
    assert (summary["error_count"], summary["warning_count"]) == (1, 2)
    [entry] = summary["errors"]
    assert list(entry) == ["row", "column", "cell", "value", "reason"]
    assert entry == {"row": 3, "column": "行业代码", "cell": "row 3, 行业代码", "value": "397",
                     "reason": "'397' is not a GB/T 4754 industry class: write its four digits (e.g. 3976)"}
    assert isinstance(entry["reason"], Message) and isinstance(entry["cell"], Message)
    assert [w["value"] for w in summary["warnings"]] == ["", "0"]


def test_only_the_first_problems_are_described_and_all_are_counted(db, monkeypatch):
    monkeypatch.setattr(rf, "SHOWN_PROBLEMS", 2)
    rows = [[code(100 + n), "", "440106", "是", "1", "", "", "", "", ""] for n in range(5)]
    result = check(db, csv_file(ZH, rows))
    assert (result.error_count, len(result.errors)) == (5, 2)
    assert result.summary()["error_count"] == 5 and len(result.summary()["errors"]) == 2


def test_a_firm_added_alone_is_refused_in_the_words_of_the_file(db):
    """register.py and the register file check a firm the same way, with the same messages."""
    from clusterwatch.enterprises.register import add_enterprise

    cases = [(dict(name_zh=""), "name_zh", "企业名称", ""),
             (dict(region_code="440100"), "region_code", "所在县区", "440100"),
             (dict(land_mu=-5.0), "land_mu", "用地面积（亩）", "-5"),
             (dict(uscc="12345"), "uscc", "统一社会信用代码", "12345")]
    for change, field, column, value in cases:
        with transaction(db.sessions) as session, pytest.raises(BadInput) as caught:
            add_enterprise(session, **{"uscc": A, "name_zh": "示例", "region_code": "440106", **change})
        from_file = check(db, csv_file(ZH, _with(2, column, value))).errors
        assert caught.value.field == field
        assert [(e.message.id, e.message) for e in from_file] == [(caught.value.message.id, caught.value.message)]
    assert counts(db) == (0, 0, 0)


def test_an_xlsx_row_is_named_by_its_row(db):
    rows = _with(4, "行业代码", "12")
    result = check(db, xlsx_file(ZH, rows), "register.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(4, "行业代码")]
    refused(db, xlsx_file(ZH, rows), "register.xlsx")


# ---------------------------------------------------------------------------------------------
# Bad files


def test_bad_files_are_refused_whole(db, monkeypatch):
    assert "'省份' is not a column (columns: 统一社会信用代码/uscc, 企业名称/name" in refused(db, csv_file(ZH + ["省份"], [r + ["广东"] for r in GOOD]))
    assert refused(db, csv_file(["统一社会信用代码", "所在县区"], [[A, "440106"]])) == (
        "register.csv: the header lacks 企业名称/name (columns: " + ", ".join(f"{zh}/{key}" for key, zh in rf.REGISTER_COLUMNS.items()) + ")")
    assert refused(db, csv_file(["uscc", "name", "统一社会信用代码"], [[A, "x", A]])) == "register.csv: two columns are headed 统一社会信用代码"
    assert refused(db, b"") == "register.csv: the file is empty"
    assert refused(db, csv_file(ZH, [])) == "register.csv: the file is empty"
    assert refused(db, xlsx_file([], []), "register.xlsx") == "register.xlsx: the file is empty"
    assert refused(db, "统一社会信用代码,企业名称\n".encode() + b"\xff\xff\xff\n") == (
        "register.csv: neither UTF-8 nor GB18030 text; save the file as CSV (UTF-8)")
    assert refused(db, b"PK\x03\x04 not really a zip", "register.xlsx") == "register.xlsx: not a readable .xlsx file (not a zip package)"
    assert refused(db, csv_file(ZH, [GOOD[0] + ["extra"]])) == "register.csv, line 2: 11 fields where the header has 10"
    formula = Workbook()
    formula.active.append(ZH)
    formula.active.append(GOOD[0][:4] + ["=1+1"])
    buffer = io.BytesIO()
    formula.save(buffer)
    assert refused(db, buffer.getvalue(), "register.xlsx") == "register.xlsx: cells E2 hold formulas: paste them as values"
    monkeypatch.setattr(rf, "MAX_ROWS", 2)
    assert refused(db, csv_file(ZH, GOOD)) == "register.csv: more than 2 rows; split the file"
    assert refused(db, xlsx_file(ZH, GOOD), "register.xlsx") == "register.xlsx: more than 2 rows; split the file"
    monkeypatch.setattr(rf, "MAX_UPLOAD", 100)
    assert refused(db, csv_file(ZH, GOOD)) == "register.csv: larger than 0 MB; split the file"
    assert counts(db) == (0, 0, 0)


# ---------------------------------------------------------------------------------------------
# Lists and tiers


@pytest.fixture
def firms_db(db):
    load(db, csv_file(ZH, GOOD))
    return db


MEMBERSHIPS = [[A, "链主企业", "省级", "新一代电子信息", "2023-05-01", "", "粤工信〔2023〕12号"],
               [A, "hitech", "national", "", "2021-12-01", "2024-11-30", ""],
               [B, "专精特新中小企业", "province", "", "2022-01-01", "", ""]]


def test_memberships_dry_run_import_and_unchanged_again(firms_db):
    content = csv_file(MEMBERSHIP_ZH, MEMBERSHIPS)
    result = check(firms_db, content, "lists.csv", "memberships")
    assert (result.rows, result.created, result.updated, result.unchanged, result.errors) == (3, 3, 0, 0, [])
    assert counts(firms_db)[2] == 0
    load(firms_db, content, "lists.csv", "memberships")
    with firms_db.sessions() as session:
        stored = session.execute(select(ListMembership.list_code, ListMembership.level, Cluster.slug, ListMembership.since,
                                        ListMembership.until, ListMembership.source)
                                 .outerjoin(Cluster, Cluster.id == ListMembership.cluster_id).order_by(ListMembership.since)).all()
    assert [tuple(r) for r in stored] == [
        ("hitech", "national", None, dt.date(2021, 12, 1), dt.date(2024, 11, 30), ""),
        ("specialised_sme", "province", None, dt.date(2022, 1, 1), None, ""),
        ("chain_leader", "province", "electronics", dt.date(2023, 5, 1), None, "粤工信〔2023〕12号")]
    # The same listings again: unchanged, not duplicated; a listing closed: updated.
    again = load(firms_db, content, "lists.csv", "memberships")
    assert (again.created, again.unchanged) == (0, 3)
    closed = [MEMBERSHIPS[0][:5] + ["2025-06-30", MEMBERSHIPS[0][6]]]
    assert load(firms_db, csv_file(MEMBERSHIP_ZH, closed), "lists.csv", "memberships").updated == 1
    assert counts(firms_db)[2] == 3
    # Export and import back: all unchanged (the firm's name is there to read, and ignored).
    for fmt in ("xlsx", "csv"):
        with firms_db.sessions() as session:
            exported = rf.export_memberships(session, active_plan(session), fmt)
        result = check(firms_db, exported, f"lists.{fmt}", "memberships")
        assert (result.rows, result.unchanged, result.created, result.updated, result.errors) == (3, 3, 0, 0, [])


BAD_MEMBERSHIPS = [
    ("名单", "白名单", "'白名单' is not a list: write one of 链主企业、"),
    ("级别", "国家级", "链主企业 is not awarded at 国家级 (only 省级、市级)"),
    ("级别", "乡镇级", "'乡镇级' is not a level: write 国家级, 省级, 市级 or 区县级"),
    ("退出日期", "2023-04-30", "the exit date 2023-04-30 is before the listing date 2023-05-01"),
    ("认定日期", "", "the date of listing is empty: write YYYY-MM-DD"),
    ("认定日期", "2023-5", "'2023-5' is not a date"),
    ("统一社会信用代码", code(99), f"{code(99)} is not in the enterprise register: register the firm first"),
    ("统一社会信用代码", "91440106XXXX", "is not a valid unified social credit code"),
    ("所属集群", "电子", "'电子' is not a cluster of the plan"),
]


@pytest.mark.parametrize("column, value, reason", BAD_MEMBERSHIPS, ids=[f"{c}={v}" for c, v, _ in BAD_MEMBERSHIPS])
def test_a_bad_membership_is_named_and_nothing_is_written(firms_db, column, value, reason):
    rows = [list(r) for r in MEMBERSHIPS]
    rows[0][MEMBERSHIP_ZH.index(column)] = value
    result = check(firms_db, csv_file(MEMBERSHIP_ZH, rows), "lists.csv", "memberships")
    assert [(e.row, e.column) for e in result.errors] == [(2, column)], result.errors
    assert reason in result.errors[0].message
    refused(firms_db, csv_file(MEMBERSHIP_ZH, rows), "lists.csv", "memberships")
    assert counts(firms_db)[2] == 0


def test_the_same_listing_twice_in_a_file(firms_db):
    rows = MEMBERSHIPS + [MEMBERSHIPS[0]]
    result = check(firms_db, csv_file(MEMBERSHIP_ZH, rows), "lists.csv", "memberships")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (5, "统一社会信用代码", "the same listing is also in row 2")]


# ---------------------------------------------------------------------------------------------
# The web route


@pytest.fixture
def web(db):
    """The app over the plan (no demo data), with a province administrator and a viewer."""
    from fastapi.testclient import TestClient

    from clusterwatch.settings import Settings
    from clusterwatch.web.app import create_app
    from clusterwatch.web.routes import register
    from tests.web.conftest import add_user

    add_user(db, "admin", "province_admin")
    add_user(db, "viewer", "viewer")
    app = create_app(Settings(database_url=db.url, database_schema=db.schema))
    if not any(getattr(route, "path", "") == "/api/enterprises/import" for route in app.routes):
        # Until app.py includes it, as it must: before /api/enterprises/{uscc}, which would take export.csv for a code.
        app.include_router(register.api)
        ours = app.router.routes[-len(register.api.routes):]
        app.router.routes[:] = ours + app.router.routes[:-len(ours)]
    with TestClient(app) as client:
        client.database = db
        yield client


def test_the_route_dry_run_rights_and_chinese_reasons(web):
    from tests.web.conftest import sign_in

    client = web
    assert client.post("/api/enterprises/import", files={"file": ("register.csv", b"", "text/csv")}).status_code == 401
    sign_in(client, "viewer")
    files = {"file": ("register.csv", csv_file(ZH, GOOD), "text/csv")}
    assert client.post("/api/enterprises/import", files=files).status_code == 403
    assert client.get("/api/enterprises/export.csv").status_code == 403

    sign_in(client, "admin")
    before = counts(client.database)
    response = client.post("/api/enterprises/import?dry_run=true&kind=register", files=files)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["dry_run"], body["imported"], body["created"], body["warning_count"]) == (True, False, 3, 2)
    assert counts(client.database) == before

    bad = {"file": ("register.csv", csv_file(ZH, _with(3, "行业代码", "397")), "text/csv")}
    response = client.post("/api/enterprises/import?dry_run=false&lang=zh", files=bad)
    assert response.status_code == 400
    assert [(e["row"], e["column"], e["reason"], e["cell"]) for e in response.json()["errors"]] == [
        (3, "行业代码", "'397' 不是 GB/T 4754 行业小类代码：请填写 4 位数字（如 3976）", "第 3 行 行业代码")]
    response = client.post("/api/enterprises/import?lang=zh", files={"file": ("register.csv", b"", "text/csv")})
    assert response.status_code == 400 and response.json()["detail"][0]["msg"] == "register.csv：文件为空"
    assert counts(client.database) == before

    response = client.post("/api/enterprises/import?dry_run=false", files=files)
    assert response.status_code == 200 and response.json()["imported"] is True
    assert counts(client.database)[0] == before[0] + 3
    lists = {"file": ("lists.csv", csv_file(MEMBERSHIP_ZH, MEMBERSHIPS), "text/csv")}
    assert client.post("/api/enterprises/import?kind=memberships", files=lists).json()["created"] == 3
    exported = client.get("/api/enterprises/export.xlsx?kind=register")
    assert exported.status_code == 200 and exported.headers["content-type"] == tabular.XLSX
    assert client.get("/api/enterprises/export.csv?kind=memberships").content.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.com","点击")', "@SUM(A1:A9)", "+A1", "'=1+1", "\t=1"])
def test_a_name_that_would_run_as_a_formula_is_refused_by_its_cell(db, name):
    result = check(db, csv_file(ZH, [[A, name, "440106", "是", "", "", "", "", "", ""]]))
    assert [(e.row, e.column) for e in result.errors] == [(2, ZH[1])]  # the name's cell, and nothing else
    assert "would run it as a formula" in str(result.errors[0].message)
    assert result.created == 0
    from clusterwatch.enterprises.register import add_enterprise

    with pytest.raises(BadInput, match="formula"), transaction(db.sessions) as session:
        add_enterprise(session, uscc=A, name_zh=name, region_code="440106")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_name_stored_before_the_check_is_exported_as_text(db, fmt):
    """A firm named =HYPERLINK(…) (registered before names were checked) is written as text in
    every export: no live formula in .xlsx, a leading apostrophe in CSV."""
    load(db, csv_file(ZH, GOOD))
    evil = '=HYPERLINK("http://example.com","点击")'
    with transaction(db.sessions) as session:
        session.execute(update(Enterprise).where(Enterprise.uscc == A).values(name_zh=evil))
    with db.sessions() as session:
        content = rf.export_register(session, active_plan(session), fmt)
    if fmt == "csv":
        assert "'" + evil.replace('"', '""') in content.decode("utf-8-sig")
    else:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            sheet = package.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet and b"<f " not in sheet
        names = [row[1] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
        assert evil in names
