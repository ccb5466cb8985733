"""Returns of regions as Excel files: a template per form × unit × period, and reading it back.

The visible names of the template's rows and columns are checked against its hidden codes
(workbook.py), so moved rows or columns are caught. Reading (with fastexcel, calamine
underneath) checks every cell through the checking pipeline (values.py) and returns a dry-run
summary; the import itself writes all values and their audit trail in one transaction, or
nothing.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch import tabular
from clusterwatch.accounts.permissions import can
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.models import Plan
from clusterwatch.problems import BadInput, Message, msg
from clusterwatch.reporting.flags import record_region_flags
from clusterwatch.reporting.models import DataSource, Form, Observation, ObservationChange
from clusterwatch.reporting.periods import Period, open_period, reporting_period
from clusterwatch.reporting.queries import form_by_code, form_indicators, reporting_unit, unit_clusters
from clusterwatch.reporting.records import ensure_editable
from clusterwatch.reporting.values import Cell, ReturnPlan, check_values, stored_values
from clusterwatch.reporting.workbook import DATA_SHEET, FIRST_DATA_ROW, Upload, cell_name, save_template


def make_region_template(session: Session, plan: Plan, *, form: Form, unit_code: str, period_key: str,
                         today: dt.date) -> bytes:
    """The Excel template of a form of regions for one unit and period, holding the values stored so far."""
    unit = reporting_unit(session, form, unit_code)
    period = reporting_period(form, period_key, today)
    indicators = form_indicators(session, form)
    clusters = unit_clusters(session, plan, form, unit)
    existing = stored_values(session, unit, period, [i.code for _, i in indicators], [c.id for c in clusters if c is not None])

    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    sheet["A1"] = form.name_zh
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"填报单位：{unit.name_zh}（{unit.code}）"
    sheet["A3"] = f"报告期：{period.key}　截止日期：{period.due(form.due_days).isoformat()}"
    sheet.cell(FIRST_DATA_ROW - 1, 1, "产业集群" if form.disaggregation == "cluster" else "项目")
    header_fill = PatternFill("solid", fgColor="DDE3EA")
    for col, (_, indicator) in enumerate(indicators, start=2):
        cell = sheet.cell(FIRST_DATA_ROW - 1, col, f"{indicator.name_zh}（{indicator.unit}）")
        cell.font, cell.fill = Font(bold=True), header_fill
        sheet.column_dimensions[get_column_letter(col)].width = 22
    sheet.column_dimensions["A"].width = 24
    for row, cluster in enumerate(clusters, start=FIRST_DATA_ROW):
        tabular.set_text(sheet.cell(row, 1), cluster.name_zh if cluster else unit.name_zh)
        for col, (_, indicator) in enumerate(indicators, start=2):
            value = existing.get((indicator.code, cluster.id if cluster else None))
            cell = sheet.cell(row, col, value)
            cell.protection = Protection(locked=False)
    sheet.protection.sheet = True  # names and headers locked; value cells open
    return save_template(book, {"plan": plan.code, "form": form.code, "unit": unit.code, "period": period.key,
                                "columns": [indicator.code for _, indicator in indicators],
                                "rows": [cluster.slug if cluster else "-" for cluster in clusters]})


def read_region_return(session: Session, plan: Plan, *, upload: Upload, user, today: dt.date) -> ReturnPlan:
    """Check an uploaded return of a region completely and work out what importing it would do (a dry run)."""
    reader, codes, form = upload.reader, upload.codes, upload.form
    unit = reporting_unit(session, form, str(codes["unit"][0]))
    if not can(user, "report", session=session, region=unit.code):
        raise NotAllowed("report", msg("you may not report for {region} ({code})", region=unit.name_zh, code=unit.code))
    period = open_period(form, str(codes["period"][0]), today)
    indicators = form_indicators(session, form)
    expected_columns = [i.code for _, i in indicators]
    if [c for c in codes["columns"] if c] != expected_columns:
        raise BadInput("file", msg("{file}: the form's indicators have changed since the template was made; download a new one",
                                   file=upload.filename))
    clusters = unit_clusters(session, plan, form, unit)
    by_slug = {c.slug: c for c in clusters if c is not None}
    row_codes = [c for c in codes["rows"] if c]
    data = tabular.sheet_rows(reader, DATA_SHEET)
    result = ReturnPlan(form=form.code, unit=unit.code, period=period.key)

    def error(row: int, col: int, reason: Message) -> None:
        result.problems.error(reason, row=row, column=get_column_letter(col), cell=cell_name(row, col))

    header = data[FIRST_DATA_ROW - 2] if len(data) >= FIRST_DATA_ROW - 1 else []
    stated: dict[str, str | None] = {}  # the unit each column's header states: (亿元) as made, or rewritten
    for col, (_, indicator) in enumerate(indicators, start=2):
        written = str(header[col - 1]) if len(header) >= col and header[col - 1] is not None else ""
        if not written.startswith(indicator.name_zh):
            error(FIRST_DATA_ROW - 1, col, msg("the column should be {name}, it says {written}: were columns moved or renamed?",
                                               name=indicator.name_zh, written=repr(written)))
        stated[indicator.code] = written[len(indicator.name_zh):].strip().strip("（）()") or None
    cells, seen = [], set()
    for offset, slug in enumerate(row_codes):
        row_number = FIRST_DATA_ROW + offset
        row = data[row_number - 1] if len(data) >= row_number else []
        cluster = by_slug.get(slug) if slug != "-" else None
        if slug != "-" and cluster is None:
            error(row_number, 1, msg("cluster {slug} is not laid out in {region}", slug=repr(slug), region=unit.name_zh))
            continue
        name = cluster.name_zh if cluster else unit.name_zh
        written = str(row[0]) if row and row[0] is not None else ""
        if written != name:
            error(row_number, 1, msg("the row should be {name}, it says {written}: were rows moved or deleted?", name=name,
                                     written=repr(written)))
            continue
        if slug in seen:
            error(row_number, 1, msg("{name} appears twice", name=name))
            continue
        seen.add(slug)
        for col, (_, indicator) in enumerate(indicators, start=2):
            cells.append(Cell(row=row_number, column=get_column_letter(col), label=cell_name(row_number, col),
                              indicator=indicator.code, cluster=cluster.slug if cluster else None,
                              raw=row[col - 1] if len(row) >= col else None, unit=stated.get(indicator.code)))
    check_values(session, plan, result, form=form, unit=unit, period=period, cells=cells)
    extra = data[FIRST_DATA_ROW - 1 + len(row_codes):]
    for offset, row in enumerate(extra):
        if any(v not in (None, "") for v in row):
            error(FIRST_DATA_ROW + len(row_codes) + offset, 1, msg("a row added below the form's rows: it is not read"))
    return result


def import_region_return(session: Session, plan: Plan, *, result: ReturnPlan, user, reason: str) -> ReturnPlan:
    """Write a checked return of a region: all values and their audit records, in the caller's transaction."""
    if result.problems.has_errors:
        raise BadInput("file", msg("{n} problem(s); nothing was imported", n=result.error_count))
    ensure_editable(session, form_by_code(session, plan, result.form), result.unit, result.period)
    source = session.scalar(select(DataSource).where(DataSource.code == f"return:{result.form}"))
    now = dt.datetime.now(dt.UTC)
    if source is None:
        source = DataSource(code=f"return:{result.form}", name_zh=f"报表 {result.form}", name_en=f"Return {result.form}",
                            synthetic=False, description="Values imported from returns", created_at=now)
        session.add(source)
        session.flush()
    period = Period.parse(result.period)
    # The unit's stored values for the period, read once: one query, not one per value.
    stored = {(o.indicator_code, o.cluster_id): o for o in session.scalars(select(Observation).where(
        Observation.region_code == result.unit, Observation.period == result.period,
        Observation.indicator_code.in_({v["indicator"] for v in result.values})))}
    for value in result.values:
        observation = stored.get((value["indicator"], value["cluster_id"]))
        if observation is None:
            observation = Observation(indicator_code=value["indicator"], region_code=result.unit,
                                      cluster_id=value["cluster_id"], period=result.period, period_type=period.type,
                                      year=period.year)
            session.add(observation)
        observation.value = value["value"]
        observation.status = value.get("status") or "P"  # provisional unless the source says otherwise
        observation.source_id = source.id
        observation.approved = False  # counts once the return is approved
        session.add(ObservationChange(indicator_code=value["indicator"], region_code=result.unit,
                                      cluster_id=value["cluster_id"], period=result.period, old_value=value["old"],
                                      new_value=value["value"], user_id=getattr(user, "id", None), changed_at=now,
                                      reason=reason))
    session.flush()
    record_region_flags(session, form_by_code(session, plan, result.form), result.unit, result.period, result)
    return result
