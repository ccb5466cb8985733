"""Returns of many firms: one row per enterprise, checked a whole column at a time.

A form reported by enterprises (level: enterprise) is one sheet: a row per firm (its unified
social credit code and name) and a column per indicator. A county's reporter fills it for the
county's firms, the province's statistics office for the whole province (60,000 firms), a firm
for itself. Every check runs on whole columns (Arrow and NumPy) rather than cell by cell, so a
province-wide file is read, checked and stored in seconds; the messages still name each row
and column. The firms of a county make up the county's return of the form, which is submitted,
approved and accepted like any other (workflow.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from clusterwatch import uscc as uscc_codes
from clusterwatch.accounts.permissions import can
from clusterwatch.db import bulk_insert, driver_rows
from clusterwatch.enterprises.models import Enterprise
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.models import Plan
from clusterwatch.plans.units import convert
from clusterwatch.problems import BadInput, Message, Problems, listing, msg
from clusterwatch.regions.models import Region
from clusterwatch.regions.tree import region_tree
from clusterwatch.reporting.checking import Column, ReturnDryRun, check_outliers, check_rules, columns_of, count, read_values, row_rules, unit_factor
from clusterwatch.reporting.firm_values import NEW_ROW_COLUMNS, as_object, json_objects, layout_key, pack, read_rows
from clusterwatch.reporting.flags import record_enterprise_flags
from clusterwatch.reporting.models import EnterpriseValueChange, EnterpriseValues, Form, ImportBatch, ReturnRecord
from clusterwatch.reporting.periods import Period, open_period, reporting_period
from clusterwatch.reporting.queries import form_by_code, form_indicators
from clusterwatch.reporting.records import EDITABLE
from clusterwatch.reporting.workbook import DATA_SHEET, FIRST_DATA_ROW, Upload, save_template
from clusterwatch.tabular import xlsx_row

USCC_HEADER = "统一社会信用代码"
NAME_HEADER = "企业名称"
FIRST_VALUE_COLUMN = 3  # A: USCC, B: name
HISTORY_PERIODS = 12  # the outlier check looks at a firm's last 12 returns of the form
SHOWN_PROBLEMS = 1000  # a broken province-wide file could list 10⁶ cells; the count is exact


@dataclass(kw_only=True)
class EnterpriseReturnPlan(ReturnDryRun):
    """A return of firms: the dry run, with exact counts of problems (only the first
    SHOWN_PROBLEMS are described); its matrix has a row per row of the sheet."""

    problems: Problems = field(default_factory=lambda: Problems(shown=SHOWN_PROBLEMS))
    filename: str = ""
    sha256: str = ""
    rows: int = 0
    # What the import writes, row by row of the file (rows with an error are never written).
    # Empty until read_enterprise_return fills them (it returns before that when the header is wrong).
    enterprise_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    counties: list[str] = field(default_factory=list)
    stored_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # the stored row of each firm for the period, or -1

    def error(self, row: int, col: int, reason: Message) -> None:
        """An error at a row and column of the sheet (the header, a firm's code)."""
        self.problems.error(reason, **_cell(row, col))

    def warn(self, row: int, col: int, reason: Message, **extra) -> None:
        self.problems.warn(reason, **_cell(row, col), **extra)

    def place(self, i: int, j: int) -> dict:
        return _cell(FIRST_DATA_ROW + i, FIRST_VALUE_COLUMN + j)

    def summary(self) -> dict:
        return {**super().summary(), "rows": self.rows}


def _cell(row: int, col: int) -> dict:
    letter = get_column_letter(col)
    return {"row": row, "column": letter, "cell": f"{letter}{row}"}


# ---------------------------------------------------------------------------------------------
# Who may report for which firms


def reporting_scope(session: Session, user, unit: Region) -> tuple[set[str], str | None]:
    """The regions whose firms the user may report for within `unit`, and the one firm an
    enterprise reporter is limited to. Raises NotAllowed when the user may report for none."""
    if user is None:
        raise NotAllowed("report", msg("sign in first"))
    regions = region_tree(session).subtree(unit.code)
    if can(user, "report", session=session, region=unit.code):
        return regions, None
    if user.enterprise_uscc:
        firm = session.scalar(select(Enterprise).where(Enterprise.uscc == user.enterprise_uscc))
        if firm is not None and firm.region_code in regions and can(user, "report", firm=firm.uscc):
            return {firm.region_code}, firm.uscc
    raise NotAllowed("report", msg("you may not report for the firms of {region} ({code})", region=unit.name_zh, code=unit.code))


# ---------------------------------------------------------------------------------------------
# The template


def make_enterprise_template(session: Session, plan: Plan, *, form: Form, unit: Region, period_key: str, user,
                             today: dt.date) -> bytes:
    """A sheet with a row per firm the user may report for in `unit`, filled with stored values."""
    period = reporting_period(form, period_key, today)
    regions, only = reporting_scope(session, user, unit)
    indicators = form_indicators(session, form)
    query = select(Enterprise.id, Enterprise.uscc, Enterprise.name_zh).where(Enterprise.region_code.in_(regions))
    if only:
        query = query.where(Enterprise.uscc == only)
    firms = session.execute(query.order_by(Enterprise.region_code, Enterprise.uscc)).all()
    stored = _stored(session, form, period.key, [firm.id for firm in firms])

    # write_only: a province's 60,000 firms stream out instead of building 2 million cell objects.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(DATA_SHEET)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 30
    for col in range(FIRST_VALUE_COLUMN, FIRST_VALUE_COLUMN + len(indicators)):
        sheet.column_dimensions[get_column_letter(col)].width = 18
    sheet.append([form.name_zh])
    sheet.append([f"填报范围：{unit.name_zh}（{unit.code}），{len(firms)} 家企业"])
    sheet.append([f"报告期：{period.key}　截止日期：{period.due(form.due_days).isoformat()}"])
    sheet.append([USCC_HEADER, NAME_HEADER,
                  *[f"{indicator.name_zh}（{item.unit or indicator.unit}）" for item, indicator in indicators]])
    factors = [_factor(indicator.unit, item.unit or indicator.unit) for item, indicator in indicators]
    for firm in firms:
        values = stored.get(firm.id, {})
        row = [firm.uscc, firm.name_zh]
        for (_item, indicator), factor in zip(indicators, factors):
            value = values.get(indicator.code)
            row.append(None if value is None else round(value * factor, 9))
        sheet.append(xlsx_row(sheet, row))  # a firm named =HYPERLINK(…) stays a name
    return save_template(book, {"plan": plan.code, "form": form.code, "unit": unit.code, "period": period.key,
                                "columns": [indicator.code for _, indicator in indicators]})


def _factor(from_unit: str, to_unit: str) -> float:
    return convert(1.0, from_unit, to_unit)


def _stored(session: Session, form: Form, period: str, enterprise_ids: list[int]) -> dict[int, dict]:
    if not enterprise_ids:
        return {}
    rows = session.execute(select(EnterpriseValues.enterprise_id, EnterpriseValues.values).where(
        EnterpriseValues.form_id == form.id, EnterpriseValues.period == period))
    wanted = set(enterprise_ids)
    return {firm: values for firm, values in rows if firm in wanted}


# ---------------------------------------------------------------------------------------------
# Reading and checking


def read_enterprise_return(session: Session, plan: Plan, *, upload: Upload, user, today: dt.date) -> EnterpriseReturnPlan:
    """Check a return of firms completely and work out what importing it would do (a dry run)."""
    form, codes = upload.form, upload.codes
    unit = session.get(Region, str(codes["unit"][0]))
    if unit is None:
        raise BadInput("file", msg("{file}: the template names region {code}, which does not exist", file=upload.filename,
                                   code=repr(codes["unit"][0])))
    regions, only = reporting_scope(session, user, unit)
    period = open_period(form, str(codes["period"][0]), today)
    indicators = form_indicators(session, form)
    if [c for c in codes["columns"] if c] != [indicator.code for _, indicator in indicators]:
        raise BadInput("file", msg("{file}: the form's indicators have changed since the template was made; download a new one",
                                   file=upload.filename))
    result = EnterpriseReturnPlan(form=form.code, unit=unit.code, period=period.key, filename=upload.filename,
                                  sha256=hashlib.sha256(upload.content).hexdigest(),
                                  codes=[indicator.code for _, indicator in indicators])
    columns = columns_of(indicators)

    table = upload.reader.load_sheet_by_name(DATA_SHEET, header_row=None, dtypes="string").to_arrow()
    header = [table.column(i)[FIRST_DATA_ROW - 2].as_py() if table.num_rows >= FIRST_DATA_ROW - 1 else None
              for i in range(table.num_columns)]
    data = table.slice(FIRST_DATA_ROW - 1)
    stated = _check_header(result, header, columns)
    if result.error_count:
        return result  # with the columns in doubt, no value can be read safely

    firms, row_ok = _check_firms(session, result, data, regions, only, unit)
    result.rows = int(row_ok.sum())
    result.enterprise_ids = np.array([firms[i][0] if row_ok[i] else -1 for i in range(len(firms))], dtype=np.int64)
    result.counties = [firms[i][1] if row_ok[i] else "" for i in range(len(firms))]
    # A column the sheet lacks reads as empty; each column's unit is the one its header states.
    cells = [data.column(FIRST_VALUE_COLUMN - 1 + j) if data.num_columns > FIRST_VALUE_COLUMN - 1 + j
             else pa.nulls(data.num_rows, pa.string()) for j in range(len(columns))]
    given = np.broadcast_to(row_ok[:, None], (data.num_rows, len(columns)))
    units = np.broadcast_to(np.array(stated, dtype=object), (data.num_rows, len(columns)))
    checked = read_values(result, cells, columns, given=given, units=units)
    _stored_matrix(session, form, period.key, result)
    count(result, checked)
    check_outliers(result, _history(session, result, form, period), columns, firms=True)
    check_rules(result, row_rules(session, plan, result.codes), columns)
    return result


def _check_header(result: EnterpriseReturnPlan, header: list, columns: list[Column]) -> list[str]:
    """Each column where the template put it, and the unit its header states: returns the
    stated unit of each column."""
    def text(col: int) -> str:
        value = header[col - 1] if len(header) >= col else None
        return "" if value is None else str(value).strip()

    row = FIRST_DATA_ROW - 1
    if not text(1).startswith(USCC_HEADER):
        result.error(row, 1, msg("the column should be {name}, it says {written}: were columns moved or renamed?",
                                 name=USCC_HEADER, written=repr(text(1))))
    units = []
    for col, column in enumerate(columns, start=FIRST_VALUE_COLUMN):
        written = text(col)
        units.append(column.asked)
        if not written.startswith(column.name):
            result.error(row, col, msg("the column should be {name}, it says {written}: were columns moved or renamed?",
                                       name=column.name, written=repr(written)))
            continue
        stated = written[len(column.name):].strip().strip("（）()")
        if not stated:
            as_made = f"{column.name}（{column.asked}）"  # the header as the template writes it
            result.error(row, col, msg("the header does not say the unit: write {header}", header=as_made))
            continue
        _, problem = unit_factor(stated, column)
        if problem is not None:
            result.error(row, col, problem)
        units[-1] = stated
    for col in range(FIRST_VALUE_COLUMN + len(columns), len(header) + 1):
        if text(col):
            result.error(row, col, msg("{text} is not a column of this form", text=repr(text(col))))
    return units


def _check_firms(session: Session, result: EnterpriseReturnPlan, data: pa.Table, regions: set[str], only: str | None,
                 unit: Region) -> tuple[list, np.ndarray]:
    """Each row's firm: a valid code, in the register, once, and one the user may report for."""
    codes = pc.utf8_trim_whitespace(data.column(0)).to_pylist() if data.num_columns else []
    names = data.column(1).to_pylist() if data.num_columns > 1 else [None] * len(codes)
    blank = _blank_rows(data)
    register = {uscc: (firm_id, county, name) for uscc, firm_id, county, name in driver_rows(session.connection(),
        select(Enterprise.uscc, Enterprise.id, Enterprise.region_code, Enterprise.name_zh)
        .where(Enterprise.region_code.in_(regions)))}
    elsewhere = _elsewhere(session, [c for c in codes if c and c not in register])
    firms, ok = [], np.zeros(len(codes), dtype=bool)
    first_row: dict[str, int] = {}
    for i, code in enumerate(codes):
        row = FIRST_DATA_ROW + i
        firms.append((-1, ""))
        if blank[i]:
            continue
        if not code:
            result.error(row, 1, msg("no unified social credit code: every row is one firm"))
            continue
        if code in first_row:
            result.error(row, 1, msg("{code} is also in row {row}: one row per firm", code=code, row=first_row[code]))
            continue
        first_row[code] = row
        known = register.get(code)
        if known is None:
            problem = uscc_codes.problem(code)
            if problem is not None:
                result.error(row, 1, problem.message)
            elif code in elsewhere:
                result.error(row, 1, msg("{code} ({region}) is registered outside {unit}: you may not report for it here",
                                         code=code, region=elsewhere[code], unit=unit.name_zh))
            else:
                result.error(row, 1, msg("{code} is not in the enterprise register: register the firm first", code=code))
            continue
        if only is not None and code != only:
            result.error(row, 1, msg("{code}: you may report for your own firm only ({own})", code=code, own=only))
            continue
        firm_id, county, name = known
        written = names[i]
        if written and str(written).strip() != name:
            result.warn(row, 2, msg("the register calls {code} {name}, the file {written}: check that the row is the right firm",
                                    code=code, name=name, written=repr(written)))
        firms[-1] = (firm_id, county)
        ok[i] = True
    return firms, ok


def _blank_rows(data: pa.Table) -> np.ndarray:
    blank = np.ones(data.num_rows, dtype=bool)
    for column in data.columns:
        filled = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(column), ""), False)
        blank &= ~filled.to_numpy(zero_copy_only=False)
    return blank


def _elsewhere(session: Session, codes: list[str]) -> dict[str, str]:
    """Where firms the user's scope does not hold are registered (for the message)."""
    found = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start:start + 500]
        for uscc, region in session.execute(select(Enterprise.uscc, Region.name_zh)
                                            .join(Region, Region.code == Enterprise.region_code)
                                            .where(Enterprise.uscc.in_(chunk))):
            found[uscc] = region
    return found


def _positions(result: EnterpriseReturnPlan, firm_ids: np.ndarray) -> np.ndarray:
    """For each stored row's firm, its row in the file (or -1)."""
    known = result.enterprise_ids
    top = int(max(known.max(initial=0), firm_ids.max(initial=0))) + 1
    lookup = np.full(top, -1, dtype=np.int64)
    valid = known >= 0
    lookup[known[valid]] = np.flatnonzero(valid)
    return lookup[firm_ids]


def _stored_matrix(session: Session, form: Form, period: str, result: EnterpriseReturnPlan) -> None:
    """The stored values of the file's firms for the period, aligned with the file's rows."""
    result.old = np.full((len(result.enterprise_ids), len(result.codes)), np.nan)
    result.stored_ids = np.full(len(result.enterprise_ids), -1, dtype=np.int64)
    row_ids, firm_ids, _, matrix = read_rows(session, form, [period], result.codes)
    at = _positions(result, firm_ids)
    found = at >= 0
    result.stored_ids[at[found]] = row_ids[found]
    result.old[at[found]] = matrix[found]


def _history(session: Session, result: EnterpriseReturnPlan, form: Form, period: Period) -> np.ndarray:
    """Each firm's values in its last HISTORY_PERIODS returns of the form: firms × indicators ×
    periods (NaN where absent), in single precision, ample for a score compared with 3.5 and
    half what is sorted."""
    earlier = [p.key for p in period.preceding(HISTORY_PERIODS)]
    _, firm_ids, periods, matrix = read_rows(session, form, earlier, result.codes, with_ids=False)
    at = _positions(result, firm_ids) if len(firm_ids) else firm_ids
    found = at >= 0
    # One slice per period that has data (not per period asked for): most are empty.
    slots, slot = np.unique(np.array(periods)[found], return_inverse=True)
    # Each firm's values of an indicator side by side in memory.
    history = np.full((len(result.enterprise_ids), len(result.codes), len(slots)), np.nan, dtype=np.float32)
    if found.any():
        history[at[found], :, slot] = matrix[found]
    return history


# ---------------------------------------------------------------------------------------------
# Importing


def import_enterprise_return(session: Session, plan: Plan, *, result: EnterpriseReturnPlan, user,
                             reason: str = "return imported") -> EnterpriseReturnPlan:
    """Write a checked return of firms in the caller's transaction: every value, the batch that
    wrote it, and the old and new value of every change; or, on any problem, nothing."""
    if result.problems.has_errors:
        raise BadInput("file", msg("{n} problem(s); nothing was imported", n=result.error_count))
    form = form_by_code(session, plan, result.form)
    period = Period.parse(result.period)
    changing = result.changing()
    rows = np.flatnonzero(changing.any(axis=1))
    _ensure_editable(session, form, period.key, sorted({result.counties[i] for i in rows}))
    now = dt.datetime.now(dt.UTC)
    batch = ImportBatch(form_id=form.id, period=period.key, user_id=getattr(user, "id", None), at=now,
                        filename=result.filename[:300], sha256=result.sha256, rows=result.rows, created=result.created,
                        updated=result.updated, unchanged=result.unchanged, reason=reason)
    session.add(batch)
    session.flush()

    codes = result.codes
    layout = layout_key(codes)
    after = result.after()
    fresh = rows[result.stored_ids[rows] < 0]
    objects = json_objects(codes, after[fresh])
    bulk_insert(session.connection(), EnterpriseValues.__table__, NEW_ROW_COLUMNS, [
        (form.id, int(result.enterprise_ids[i]), result.counties[i], period.key, period.type, period.year, text, layout,
         pack(after[i]), "P", False, batch.id, batch.id) for i, text in zip(fresh.tolist(), objects)])
    updates, changes = rows[result.stored_ids[rows] >= 0].tolist(), []
    for i in updates:
        for j in np.flatnonzero(changing[i]):
            old = result.old[i, j]
            changes.append({"form_id": form.id, "enterprise_id": int(result.enterprise_ids[i]), "period": period.key,
                            "indicator_code": codes[j], "old_value": None if np.isnan(old) else float(old),
                            "new_value": float(result.new[i, j]), "batch_id": batch.id})
    if updates:
        _update_rows(session, result, updates, after, batch.id)
    if changes:
        session.execute(insert(EnterpriseValueChange), changes)
    record_enterprise_flags(session, form, period.key, result, result.enterprise_ids[rows])
    session.flush()
    return result


def _update_rows(session: Session, result: EnterpriseReturnPlan, rows: list[int], after: np.ndarray, batch_id: int) -> None:
    """Changed firms: their stored object, with the new values over the old (keys the form no
    longer asks for are kept)."""
    ids = [int(result.stored_ids[i]) for i in rows]
    stored: dict[int, dict] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        stored.update(session.execute(select(EnterpriseValues.id, EnterpriseValues.values)
                                      .where(EnterpriseValues.id.in_(chunk))).all())
    for i, row_id in zip(rows, ids):
        values = dict(stored[row_id])
        values.update(as_object(result.codes, after[i]))
        session.execute(update(EnterpriseValues).where(EnterpriseValues.id == row_id)
                        .values(values=values, layout=layout_key(result.codes), packed=pack(after[i]), batch_id=batch_id,
                                approved=False, status="P"))


def _ensure_editable(session: Session, form: Form, period: str, counties: list[str]) -> None:
    """The counties' returns the import goes into: drafts made where there are none; refused
    while any is submitted or approved."""

    existing = {r.region_code: r for r in session.scalars(select(ReturnRecord).where(
        ReturnRecord.form_id == form.id, ReturnRecord.period == period))}
    locked = [code for code in counties if code in existing and existing[code].status not in EDITABLE]
    if locked:
        names = dict(session.execute(select(Region.code, Region.name_zh).where(Region.code.in_(locked[:10]))).all())
        listed = listing([msg("{region}（{status}）", region=names.get(c, c), status=msg(existing[c].status)) for c in locked[:10]],
                         separator="、")
        raise BadInput("period", msg("the returns of {listed} for {period} are locked: ask the approver to return them before changing them",
                                     listed=listed, period=period))
    now = dt.datetime.now(dt.UTC)
    missing = [code for code in counties if code not in existing]
    if missing:
        session.execute(insert(ReturnRecord), [{"form_id": form.id, "region_code": code, "period": period,
                                                "status": "draft", "updated_at": now} for code in missing])
