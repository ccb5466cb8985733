"""Returns through Excel: template, dry run, import with audit, and every kind of bad file."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput
from clusterwatch.reporting.models import Observation, ObservationChange
from clusterwatch.reporting.returns import import_return, make_template, read_return

TODAY = dt.date(2026, 11, 5)
ADMIN = SimpleNamespace(role="province_admin", region_code=None, id=None)
TIANHE = "440106"  # a district of Guangzhou, which hosts all 20 clusters


def template(database, *, form="cluster-monthly", unit=TIANHE, period="2026-10") -> bytes:
    with database.sessions() as session:
        return make_template(session, active_plan(session), form_code=form, unit_code=unit, period_key=period, today=TODAY)


def filled(content: bytes, cells: dict) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book["数据"]
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(database, content: bytes, user=ADMIN, today=TODAY):
    with database.sessions() as session:
        return read_return(session, active_plan(session), content=content, filename="return.xlsx", user=user, today=today)


def count(database, model) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_template_rows_are_the_citys_clusters(demo):
    book = load_workbook(io.BytesIO(template(demo)))
    sheet, codes = book["数据"], book["_codes"]
    assert sheet["A5"].value == "新一代电子信息" and sheet["B4"].value == "营业收入（亿元）"
    assert codes.sheet_state == "hidden"
    assert [c.value for c in codes[6]][:4] == ["columns", "revenue", "value_added", "rd_spending"]
    assert len([c for c in codes[7] if c.value]) - 1 == 20


def test_dry_run_then_import_then_unchanged(demo):
    content = filled(template(demo), {"B5": 120.5, "C5": 30, "D5": "4.2", "B6": "1,234.5"})
    before = count(demo, Observation)
    result = check(demo, content)
    assert result.errors == [] and (result.created, result.updated, result.ignored) == (4, 0, 56)
    assert count(demo, Observation) == before  # a dry run writes nothing
    with transaction(demo.sessions) as session:
        import_return(session, active_plan(session), result=result, user=ADMIN)
    assert count(demo, Observation) == before + 4 and count(demo, ObservationChange) == 4
    again = check(demo, content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = check(demo, filled(content, {"B5": 121}))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 3)
    with transaction(demo.sessions) as session:
        import_return(session, active_plan(session), result=changed, user=ADMIN)
    with demo.sessions() as session:
        history = session.execute(select(ObservationChange.old_value, ObservationChange.new_value)
                                  .where(ObservationChange.indicator_code == "revenue").order_by(ObservationChange.id)).all()
    assert history[-1] == (120.5, 121.0)  # the old value is kept, never overwritten without a trace


def test_cell_problems_are_named_and_nothing_is_imported(demo):
    content = filled(template(demo), {"B5": "12亿", "C6": -3, "D7": "n/a", "B8": 100})
    result = check(demo, content)
    assert [(e.cell, e.message.split(" ")[0]) for e in result.errors] == [("B5", "'12亿'"), ("C6", "-3"), ("D7", "'n/a'")]
    assert "is not a number" in result.errors[0].message and "below the lowest plausible value 0" in result.errors[1].message
    with pytest.raises(BadInput, match="3 problem"):
        with transaction(demo.sessions) as session:
            import_return(session, active_plan(session), result=result, user=ADMIN)
    assert count(demo, ObservationChange) == 0


def test_moved_rows_renamed_columns_and_added_rows(demo):
    content = filled(template(demo), {"A5": "绿色石化", "C4": "利润（亿元）", "A40": "新集群", "B40": 5})
    reasons = {e.cell: e.message for e in check(demo, content).errors}
    assert "the row should be 新一代电子信息" in reasons["A5"]
    assert "the column should be 增加值" in reasons["C4"]
    assert "a row added below" in reasons["A40"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"form": "nope"}, "no form 'nope'"),
        ({"unit": "440100"}, "广州市 is a city; form cluster-monthly is reported by each county"),
        ({"period": "2026-Q3"}, "reported per month, not 2026-Q3"),
        ({"period": "2026-11"}, "2026-11 has not ended yet"),
        ({"period": "2026-13"}, "write 2025, 2025-Q1 or 2025-03"),
    ],
)
def test_template_requests_that_cannot_be_made(demo, kwargs, message):
    with pytest.raises(Exception, match=message):
        template(demo, **kwargs)


def test_files_that_are_not_returns(demo):
    with pytest.raises(BadInput, match="not a readable .xlsx file"):
        check(demo, b"PK\x03\x04 not really a zip")
    book = Workbook()
    book.active["A1"] = "营业收入"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(BadInput, match="not a clusterwatch return template"):
        check(demo, buffer.getvalue())
    with pytest.raises(BadInput, match="larger than 64 MB"):
        check(demo, b"0" * (64 * 1024 * 1024 + 1))


def test_entry_closes_after_expiry(demo):
    with pytest.raises(BadInput, match="entry for 2026-10 closed on 2026-11-30"):
        check(demo, template(demo), today=dt.date(2026, 12, 1))


def test_a_reporter_reports_only_for_its_own_region(demo):
    content = template(demo)
    guangzhou = SimpleNamespace(role="reporter", region_code="440100", id=None)
    shenzhen = SimpleNamespace(role="reporter", region_code="440300", id=None)
    viewer = SimpleNamespace(role="viewer", region_code=None, id=None)
    assert check(demo, content, user=guangzhou).errors == []
    for user in (shenzhen, viewer, None):
        with pytest.raises(NotAllowed, match="you may not report for 天河区"):
            check(demo, content, user=user)


def test_a_value_far_from_the_units_history_is_flagged_not_refused(demo):
    # Guangzhou's annual electronics revenue is in the thousands of 亿元 in the demo data.
    with demo.sessions() as session:
        plan = active_plan(session)
        content = make_template(session, plan, form_code="cluster-annual", unit_code="440100", period_key="2025",
                                today=dt.date(2026, 3, 1))
        result = read_return(session, plan, content=filled(content, {"B5": 99999}), filename="gz.xlsx", user=ADMIN,
                             today=dt.date(2026, 3, 1))
    assert result.errors == []
    [warning] = result.warnings
    assert warning.cell == "B5" and warning.extra["score"] > 3.5 and "explain it when submitting" in warning.message


def test_formulas_are_refused_with_their_cells(demo):
    content = filled(template(demo), {"B5": "=1+2", "C6": "=SUM(B5:B6)"})
    with pytest.raises(BadInput, match="cells B5, C6 hold formulas: paste them as values"):
        check(demo, content)


def test_a_zip_bomb_is_refused_before_reading(demo):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))  # 60 MB of zeros, ~60 KB packed
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(BadInput, match="would unpack to 60 MB"):
        check(demo, buffer.getvalue())


def test_a_header_rewritten_in_another_unit_is_converted(demo):
    converted = check(demo, filled(template(demo), {"B4": "营业收入（万元）", "B5": 1205000}))
    assert converted.errors == [] and [v["value"] for v in converted.values] == [120.5]
    refused = check(demo, filled(template(demo), {"B4": "营业收入（美元）", "B5": 1}))
    assert [(e.cell, e.message.split(":")[0]) for e in refused.errors] == [("B5", "营业收入 is in 亿元")]
