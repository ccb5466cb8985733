"""Returns of firms: template, dry run, import with units converted, changes audited,
outliers against each firm's history, approval per county, completeness."""

from __future__ import annotations

import datetime as dt
import io
import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput, Message
from clusterwatch.reporting import enterprise_returns as er
from clusterwatch.reporting.firm_values import json_objects
from clusterwatch.reporting.flags import explain, flags_of
from clusterwatch.reporting.models import EnterpriseValueChange, EnterpriseValues, ImportBatch, ReturnRecord
from clusterwatch.reporting.outliers import nan_median
from clusterwatch.reporting.queries import return_values
from clusterwatch.reporting.returns import import_return, make_template, read_return
from clusterwatch.reporting.workflow import completeness, transition
from tests.reporting.corpus.state import ADMIN, FIRMS, TODAY, USERS
from tests.reporting.test_outliers import modified_z

FORM = "enterprise-annual"
FIGURES = (1000, 250, 30, 20, 400, 2, 80)  # 万元 ×4, 吨标准煤, 吨, 人
FIRM_OUTLIER = "{value} is far from this firm's own history (modified z-score {score}): check it, or explain it when submitting"


def template(db, unit="440300", period="2025", user=ADMIN, today=TODAY) -> bytes:
    with db.sessions() as session:
        return make_template(session, active_plan(session), form_code=FORM, unit_code=unit, period_key=period,
                             today=today, user=user)


def filled(content: bytes, figures=FIGURES, cells: dict | None = None) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book["数据"]
    for row in range(5, sheet.max_row + 1):
        if sheet.cell(row, 1).value:
            for col, value in enumerate(figures, start=3):
                sheet.cell(row, col).value = value
    for ref, value in (cells or {}).items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def check(db, content, user=ADMIN, today=TODAY):
    with db.sessions() as session:
        return read_return(session, active_plan(session), content=content, filename="firms.xlsx", user=user, today=today)


def load(db, content, user=ADMIN, today=TODAY):
    with transaction(db.sessions) as session:
        plan = active_plan(session)
        result = read_return(session, plan, content=content, filename="firms.xlsx", user=user, today=today)
        return import_return(session, plan, result=result, user=user)


def count(db, model) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_template_lists_the_firms_in_scope_with_the_units_asked(firms_db):
    sheet = load_workbook(io.BytesIO(template(firms_db)))["数据"]
    assert [c.value for c in sheet[4]][:4] == ["统一社会信用代码", "企业名称", "营业收入（万元）", "增加值（万元）"]
    codes = [sheet.cell(r, 1).value for r in range(5, sheet.max_row + 1)]
    assert sorted(codes) == sorted(f["uscc"] for f in FIRMS if f["region_code"].startswith("4403"))
    own = load_workbook(io.BytesIO(template(firms_db, unit="440305", user=USERS["firm-05"])))["数据"]
    assert own.max_row == 5 and own["A5"].value == FIRMS[4]["uscc"]


def test_dry_run_import_and_unchanged(firms_db):
    content = filled(template(firms_db))
    result = check(firms_db, content)
    assert (result.error_count, result.rows, result.created, result.ignored) == (0, 7, 49, 0)
    assert count(firms_db, EnterpriseValues) == 0  # a dry run writes nothing
    load(firms_db, content)
    with firms_db.sessions() as session:
        row = session.scalar(select(EnterpriseValues).where(EnterpriseValues.region_code == "440305").limit(1))
        # Stored in the indicators' declared units: 1000 万元 is 0.1 亿元.
        assert row.values == {"revenue": 0.1, "value_added": 0.025, "tax_paid": 0.003, "rd_spending": 0.002,
                              "energy_use": 400, "pollutant_emissions": 2, "employment": 80}
        assert np.frombuffer(row.packed, dtype="<f8").tolist() == [0.1, 0.025, 0.003, 0.002, 400, 2, 80]
        counties = session.scalars(select(ReturnRecord.region_code).order_by(ReturnRecord.region_code)).all()
        assert counties == ["440303", "440304", "440305"]  # the firms' counties hold the returns
        assert session.scalar(select(ImportBatch.created)) == 49
    again = check(firms_db, content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 49)


def test_a_change_keeps_the_old_value_and_who_made_it(firms_db):
    load(firms_db, filled(template(firms_db)))
    changed = filled(template(firms_db), cells={"C5": 1200})
    result = check(firms_db, changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 48)
    load(firms_db, changed)
    with firms_db.sessions() as session:
        change = session.scalar(select(EnterpriseValueChange))
        assert (change.indicator_code, change.old_value, change.new_value) == ("revenue", 0.1, 0.12)
        form = session.scalar(select(er.Form).where(er.Form.code == FORM))
        county = session.get(er.Enterprise, change.enterprise_id).region_code
        audit = return_values(session, active_plan(session), form=form, unit=county, period="2025")
    # What the return's page shows: the imports that wrote the county's firms, and the change with both values.
    assert [(b["created"], b["updated"]) for b in audit["batches"]] == [(49, 0), (0, 1)]
    assert [(c["indicator"], c["old_value"], c["new_value"]) for c in audit["changes"]] == [("revenue", 0.1, 0.12)]


def test_stated_units_are_converted_and_empty_cells_keep_stored_values(firms_db):
    load(firms_db, filled(template(firms_db)))
    book = load_workbook(io.BytesIO(filled(template(firms_db))))
    sheet = book["数据"]
    sheet["C4"] = "营业收入（亿元）"
    for row in range(5, 12):
        sheet.cell(row, 3).value = 0.1  # the same 1000 万元, stated in 亿元
        sheet.cell(row, 4).value = None  # left empty: ignored, not erased
    buffer = io.BytesIO()
    book.save(buffer)
    result = check(firms_db, buffer.getvalue())
    assert (result.error_count, result.updated, result.unchanged, result.ignored) == (0, 0, 42, 7)


def test_a_value_far_from_the_firms_history_is_flagged(firms_db):
    for year in (2021, 2022, 2023, 2024):
        today = dt.date(year + 1, 2, 15)
        scale = 1 + (year - 2021) * 0.05
        load(firms_db, filled(template(firms_db, period=str(year), today=today),
                              figures=tuple(round(v * scale, 2) for v in FIGURES)), today=today)
    result = check(firms_db, filled(template(firms_db), cells={"C5": 12000}))
    flagged = {w.cell: w for w in result.warnings}
    assert set(flagged) == {"C5"} and result.error_count == 0  # flagged, not refused
    history = [0.1 * (1 + k * 0.05) for k in range(4)]
    assert flagged["C5"].extra["score"] == pytest.approx(modified_z(1.2, history), abs=0.01)
    assert "12000 is far from this firm's own history" in flagged["C5"].message
    load(firms_db, filled(template(firms_db), cells={"C5": 12000}))
    with firms_db.sessions() as session:
        plan = active_plan(session)
        form = session.scalar(select(er.Form).where(er.Form.code == FORM))
        [flag] = flags_of(session, form, "440303", "2025")
    assert (flag["cell"], flag["indicator"], flag["enterprise"]) == ("C5", "revenue", sorted(
        f["uscc"] for f in FIRMS if f["region_code"] == "440303")[0])
    # Written in bulk (COPY on PostgreSQL), the flag keeps its message to be shown in any language.
    assert isinstance(flag["reason"], Message) and flag["reason"].id == FIRM_OUTLIER
    assert flag["reason"] == flagged["C5"].message and flag["reason"].params["value"] == "12000"
    with pytest.raises(BadInput, match="need an explanation"), transaction(firms_db.sessions) as session:
        transition(session, plan, form_code=FORM, unit_code="440303", period="2025", action="submit", user=ADMIN)
    with transaction(firms_db.sessions) as session:  # the firm itself may explain its own value
        explain(session, flag_id=flag["id"], text="并购一家子公司", user=_firm_user(flag["enterprise"]))
        transition(session, plan, form_code=FORM, unit_code="440303", period="2025", action="submit", user=ADMIN)


def _firm_user(uscc):
    from types import SimpleNamespace

    return SimpleNamespace(role="enterprise_reporter", region_code=None, enterprise_uscc=uscc, id=None)


def test_approval_is_per_county_and_locks_it(firms_db):
    load(firms_db, filled(template(firms_db)))
    with transaction(firms_db.sessions) as session:
        plan = active_plan(session)
        for action in ("submit", "approve"):
            transition(session, plan, form_code=FORM, unit_code="440305", period="2025", action=action, user=ADMIN)
    with firms_db.sessions() as session:
        approved = dict(session.execute(select(EnterpriseValues.region_code, EnterpriseValues.approved).distinct()).all())
        status = completeness(session, active_plan(session), form_code=FORM, period="2025", today=TODAY, user=ADMIN)
    assert approved == {"440303": False, "440304": False, "440305": True}
    by_unit = {u["unit"]: u for u in status["units"]}
    assert set(by_unit) == {"440303", "440304", "440305", "440106"}  # counties with registered firms
    assert (by_unit["440305"]["firms_expected"], by_unit["440305"]["firms_reported"], by_unit["440305"]["received"]) == (3, 3, True)
    assert (by_unit["440106"]["firms_expected"], by_unit["440106"]["firms_reported"]) == (2, 0)
    with pytest.raises(BadInput, match="南山区（approved）") as refusal:
        load(firms_db, filled(template(firms_db), figures=tuple(v * 2 for v in FIGURES)))
    # The status is a word of its own in the message, translated where it is shown.
    words = {"approved": "已审核"}
    assert "南山区（已审核）" in refusal.value.message.render(lambda text: words.get(text, text))
    assert count(firms_db, EnterpriseValueChange) == 0  # refused whole: the other counties did not change either


def test_json_objects_are_json_and_leave_out_empty_values():
    matrix = np.array([[0.1, np.nan, 1e-05], [2.5e21, 3.0, -0.0], [np.nan, np.nan, np.nan]])
    texts = json_objects(["a", "b", "c"], matrix)
    assert [json.loads(t) for t in texts] == [{"a": 0.1, "c": 1e-05}, {"a": 2.5e21, "b": 3.0, "c": 0.0}, {}]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=6, max_size=6), min_size=1, max_size=12))
def test_the_fast_median_is_numpys_nanmedian(rows):
    stack = np.array([[np.nan if v is None else v for v in row] for row in rows]).reshape(len(rows), 2, 3)
    stack = np.moveaxis(stack, 0, -1)  # the periods last, as the outlier check stacks them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices
        expected = np.nanmedian(stack, axis=-1)
    np.testing.assert_allclose(nan_median(stack), expected, equal_nan=True)


def test_problems_are_counted_exactly_and_the_first_few_described(firms_db, monkeypatch):
    monkeypatch.setattr(er, "SHOWN_PROBLEMS", 5)
    result = check(firms_db, filled(template(firms_db), figures=("x",) * 7))  # 7 firms × 7 indicators, none a number
    assert (result.error_count, len(result.errors)) == (49, 5)
    summary = result.summary()
    assert (summary["error_count"], summary["warning_count"], len(summary["errors"])) == (49, 0, 5)
    first = summary["errors"][0]
    assert set(first) == {"row", "column", "cell", "reason"} and (first["row"], first["column"], first["cell"]) == (5, "C", "C5")
    assert first["reason"] == "'x' is not a number (write the figure in 万元, without units or text)"
    assert first["reason"].id == "{value} is not a number (write the figure in {unit}, without units or text)"


def test_many_warnings_are_all_counted_and_kept_as_flags(monkeypatch):
    from clusterwatch.problems import msg

    monkeypatch.setattr(er, "SHOWN_PROBLEMS", 2)
    result = er.EnterpriseReturnPlan(form=FORM, unit="440303", period="2025")
    result.warn(5, 2, msg("the register calls {code} {name}, the file {written}: check that the row is the right firm",
                          code="X", name="甲", written="'乙'"))

    def reason(i, j):
        return msg("{value} is far from this firm's own history (modified z-score {score}): check it, or explain it when submitting",
                   value=str(i), score="9.9"), {"score": 9.9}

    result.warn_many(np.array([0, 1, 2]), np.array([0, 0, 1]), reason, kind="outlier")
    assert (result.warning_count, [w.cell for w in result.warnings]) == (4, ["B5", "C5"])
    assert result.warnings[1].extra == {"score": 9.9} and result.summary()["warnings"][1]["score"] == 9.9
    assert [(cell, kind, str(text)[:1]) for _, _, cell, kind, text in result.all_flags()] == [
        ("C5", "outlier", "0"), ("C6", "outlier", "1"), ("D7", "outlier", "2")]


def test_a_header_without_its_unit_is_named_and_the_next_columns_still_checked(firms_db):
    book = load_workbook(io.BytesIO(filled(template(firms_db))))
    sheet = book["数据"]
    sheet["C4"], sheet["E4"] = "营业收入", "税金（万元）"
    buffer = io.BytesIO()
    book.save(buffer)
    result = check(firms_db, buffer.getvalue())
    reasons = {e.cell: e.message for e in result.errors}
    assert reasons == {"C4": "the header does not say the unit: write 营业收入（万元）",
                       "E4": "the column should be 实缴税金, it says '税金（万元）': were columns moved or renamed?"}
    assert reasons["C4"].params == {"header": "营业收入（万元）"} and result.created == 0


def test_a_firm_named_like_a_formula_does_not_block_its_county(firms_db):
    """A name registered before names were checked (=HYPERLINK(…)) is written into the template
    as text: the template has no formula, and the county's return is read as any other."""
    from clusterwatch.enterprises.models import Enterprise

    evil = '=HYPERLINK("http://example.com","点击")'
    with transaction(firms_db.sessions) as session:
        first = session.scalar(select(Enterprise).where(Enterprise.region_code.like("4403%")).order_by(Enterprise.uscc).limit(1))
        first.name_zh = evil
    content = template(firms_db)
    sheet = load_workbook(io.BytesIO(content))["数据"]
    assert evil in [sheet.cell(row, 2).value for row in range(5, sheet.max_row + 1)]
    result = check(firms_db, filled(content))
    assert result.errors == [] and result.created > 0
