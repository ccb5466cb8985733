"""Returns as Excel files: a template per form × unit × period, and reading it back.

The template carries hidden codes (a `_codes` sheet: form, unit, period, the indicator of
each column and the cluster of each row), so an upload maps back without guessing; the
visible names are checked against the codes, so moved rows or columns are caught. Reading
(with fastexcel, calamine underneath) checks every cell and returns a dry-run summary; the
import itself writes all values and their audit trail in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.errors import BadInput, NotAllowed, NotFound
from clusterwatch.plans.models import Cluster, Indicator, LayoutPlacement, Plan
from clusterwatch.regions.models import Region
from clusterwatch.reporting.flags import record_region_flags
from clusterwatch.reporting.models import DataSource, Form, FormIndicator, Observation, ObservationChange
from clusterwatch.reporting.periods import Period
from clusterwatch.reporting.queries import form_by_code, reporting_unit
from clusterwatch.reporting.values import Cell, check_values, stored_values

TEMPLATE_VERSION = "1"
DATA_SHEET = "数据"
CODES_SHEET = "_codes"
FIRST_DATA_ROW = 5  # rows 1-3: title, unit, period; row 4: header
MAX_UPLOAD = 5 * 1024 * 1024
# A province-wide return of firms: 60,000 rows × 30 indicators is 13 MB, 77 MB unpacked.
MAX_ENTERPRISE_UPLOAD = 64 * 1024 * 1024
MAX_ENTERPRISE_UNPACKED = 512 * 1024 * 1024


@dataclass
class ReturnPlan:
    """What an import would do: a dry run's summary, and the values it would write."""

    form: str
    unit: str
    period: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    errors: list[dict] = field(default_factory=list)  # {row, column, cell, reason}
    warnings: list[dict] = field(default_factory=list)  # outliers: {row, column, cell, reason, score}
    values: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {"form": self.form, "unit": self.unit, "period": self.period, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "ignored": self.ignored, "errors": self.errors,
                "warnings": self.warnings}


def reporting_period(form: Form, key: str, today: dt.date) -> Period:
    try:
        period = Period.parse(key)
    except ValueError as exc:
        raise BadInput("period", str(exc)) from None
    if period.type != form.period_type:
        raise BadInput("period", f"form {form.code} is reported per {dict(A='year', Q='quarter', M='month')[form.period_type]}, not {key}")
    if period.last_day >= today:
        raise BadInput("period", f"{key} has not ended yet")
    return period


def open_period(form: Form, key: str, today: dt.date) -> Period:
    """A period the form is reported for, ended, and still open for entry."""
    period = reporting_period(form, key, today)
    if not period.is_open(today, form.expiry_days):
        closed = (period.last_day + dt.timedelta(days=form.expiry_days)).isoformat()
        raise BadInput("period", f"entry for {period.key} closed on {closed}; ask the province to reopen it")
    return period


def form_indicators(session: Session, form: Form) -> list[tuple[FormIndicator, Indicator]]:
    rows = session.execute(select(FormIndicator, Indicator).join(Indicator, Indicator.code == FormIndicator.indicator_code)
                           .where(FormIndicator.form_id == form.id).order_by(FormIndicator.position))
    return [(item, indicator) for item, indicator in rows]


def unit_clusters(session: Session, plan: Plan, form: Form, unit: Region) -> list[Cluster | None]:
    """The rows of a unit's return: the clusters its city hosts in the layout, or one row."""
    if form.disaggregation == "none":
        return [None]
    city = unit.code if unit.level == "city" else unit.parent_code
    return list(session.scalars(
        select(Cluster).join(LayoutPlacement, LayoutPlacement.cluster_id == Cluster.id)
        .where(Cluster.plan_id == plan.id, LayoutPlacement.region_code == city).order_by(Cluster.sort_order)))


def may_report(user, unit: Region, session: Session) -> bool:
    """Province administrators report for anyone; a reporter for its region and below."""
    if user is None:
        return False
    if user.role == "province_admin":
        return True
    if user.role != "reporter" or not user.region_code:
        return False
    code: str | None = unit.code
    while code is not None:
        if code == user.region_code:
            return True
        code = session.get(Region, code).parent_code
    return False


def make_template(session: Session, plan: Plan, *, form_code: str, unit_code: str, period_key: str,
                  today: dt.date | None = None, user=None) -> bytes:
    """The Excel template of a form for one unit and period, holding the values stored so far."""
    today = today or dt.date.today()
    form = form_by_code(session, plan, form_code)
    if form.level == "enterprise":
        from clusterwatch.reporting.enterprise_returns import make_enterprise_template

        unit = session.get(Region, unit_code)
        if unit is None:
            raise NotFound("region", unit_code)
        return make_enterprise_template(session, plan, form=form, unit=unit, period_key=period_key, user=user, today=today)
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
        sheet.cell(row, 1, cluster.name_zh if cluster else unit.name_zh)
        for col, (_, indicator) in enumerate(indicators, start=2):
            value = existing.get((indicator.code, cluster.id if cluster else None))
            cell = sheet.cell(row, col, value)
            cell.protection = Protection(locked=False)
    sheet.protection.sheet = True  # names and headers locked; value cells open
    codes = book.create_sheet(CODES_SHEET)
    codes.append(["clusterwatch-return", TEMPLATE_VERSION])
    codes.append(["plan", plan.code])
    codes.append(["form", form.code])
    codes.append(["unit", unit.code])
    codes.append(["period", period.key])
    codes.append(["columns", *[indicator.code for _, indicator in indicators]])
    codes.append(["rows", *[cluster.slug if cluster else "-" for cluster in clusters]])
    codes.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MAX_UNPACKED = 50 * 1024 * 1024
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f[ >/]')
_MERGED = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def check_package(content: bytes, filename: str, max_unpacked: int = MAX_UNPACKED) -> int:
    """Before any cell is read: refuse what would unpack to far more than a return holds (a
    zip bomb), cells holding formulas, whose values Excel may not have saved, and merged cells."""
    import zipfile

    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        members = package.infolist()
    except zipfile.BadZipFile:
        raise BadInput("file", f"{filename}: not a readable .xlsx file (not a zip package)") from None
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unpacked:
        raise BadInput("file", f"{filename}: would unpack to {unpacked // (1024 * 1024)} MB; a return is far smaller")
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            xml = package.read(member)
            # A cheap scan first: most sheets hold no formula element at all.
            cells = [c.decode() for c in _FORMULA_CELL.findall(xml)] if b"<f" in xml else []
            if cells:
                raise BadInput("file", f"{filename}: cells {', '.join(cells[:10])} hold formulas: paste them as values")
            # A merged range keeps its value in the first cell only; the others would read as empty.
            merged = [m.decode() for m in _MERGED.findall(xml)] if b"<mergeCell " in xml else []
            if merged:
                raise BadInput("file", f"{filename}: cells {', '.join(merged[:10])} are merged: unmerge them and give each cell its own value")
    return unpacked


def _cell(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


@dataclass
class Upload:
    """An uploaded workbook that is a clusterwatch template of this plan: its hidden codes and form."""

    reader: object
    codes: dict
    form: Form
    filename: str
    content: bytes


def open_upload(session: Session, plan: Plan, *, content: bytes, filename: str) -> Upload:
    """Refuse what is not one of our templates before reading any value; find its form."""
    import fastexcel

    if len(content) > MAX_ENTERPRISE_UPLOAD:
        raise BadInput("file", f"{filename}: larger than {MAX_ENTERPRISE_UPLOAD // (1024 * 1024)} MB")
    unpacked = check_package(content, filename, MAX_ENTERPRISE_UNPACKED)
    too_big_for_a_region = BadInput("file", f"{filename}: would unpack to {unpacked // (1024 * 1024)} MB; a return is far smaller")
    try:
        reader = fastexcel.read_excel(content)
    except Exception as exc:  # noqa: BLE001 - calamine reports every kind of broken file its own way
        if unpacked > MAX_UNPACKED:
            raise too_big_for_a_region from None
        raise BadInput("file", f"{filename}: not a readable .xlsx file ({exc.__class__.__name__})") from None
    if CODES_SHEET not in reader.sheet_names or DATA_SHEET not in reader.sheet_names:
        if unpacked > MAX_UNPACKED:
            raise too_big_for_a_region
        raise BadInput("file", f"{filename}: not a clusterwatch return template (download one from the form's page)")
    codes = {row[0]: row[1:] for row in _rows(reader, CODES_SHEET)}
    if codes.get("clusterwatch-return", [None])[0] != TEMPLATE_VERSION:
        raise BadInput("file", f"{filename}: a template of another version; download a new one")
    if codes.get("plan", [None])[0] != plan.code:
        raise BadInput("file", f"{filename}: a template of plan {codes.get('plan', ['?'])[0]}, not {plan.code}")
    for key in ("form", "unit", "period", "columns"):
        if not codes.get(key) or codes[key][0] in (None, ""):
            raise BadInput("file", f"{filename}: the template's hidden codes ({key}) are missing; download a new one")
    form = form_by_code(session, plan, str(codes["form"][0]))
    # A region's return is a few kilobytes; only a return of many firms may be large.
    if form.level != "enterprise" and len(content) > MAX_UPLOAD:
        raise BadInput("file", f"{filename}: larger than {MAX_UPLOAD // (1024 * 1024)} MB; a return is a few kilobytes")
    if form.level != "enterprise" and unpacked > MAX_UNPACKED:
        raise too_big_for_a_region
    return Upload(reader=reader, codes=codes, form=form, filename=filename, content=content)


def read_return(session: Session, plan: Plan, *, content: bytes, filename: str, user,
                today: dt.date | None = None):
    """Check an uploaded return completely and work out what importing it would do (a dry run)."""
    today = today or dt.date.today()
    upload = open_upload(session, plan, content=content, filename=filename)
    if upload.form.level == "enterprise":
        from clusterwatch.reporting.enterprise_returns import read_enterprise_return

        return read_enterprise_return(session, plan, upload=upload, user=user, today=today)
    reader, codes, form = upload.reader, upload.codes, upload.form
    unit = reporting_unit(session, form, str(codes["unit"][0]))
    if not may_report(user, unit, session):
        raise NotAllowed("report", f"you may not report for {unit.name_zh} ({unit.code})")
    period = open_period(form, str(codes["period"][0]), today)
    indicators = form_indicators(session, form)
    expected_columns = [i.code for _, i in indicators]
    if [c for c in codes["columns"] if c] != expected_columns:
        raise BadInput("file", f"{filename}: the form's indicators have changed since the template was made; download a new one")
    clusters = unit_clusters(session, plan, form, unit)
    by_slug = {c.slug: c for c in clusters if c is not None}
    row_codes = [c for c in codes["rows"] if c]
    data = _rows(reader, DATA_SHEET)
    result = ReturnPlan(form=form.code, unit=unit.code, period=period.key)

    def error(row: int, col: int, reason: str) -> None:
        result.errors.append({"row": row, "column": get_column_letter(col), "cell": _cell(row, col), "reason": reason})

    header = data[FIRST_DATA_ROW - 2] if len(data) >= FIRST_DATA_ROW - 1 else []
    stated: dict[str, str | None] = {}  # the unit each column's header states: (亿元) as made, or rewritten
    for col, (_, indicator) in enumerate(indicators, start=2):
        written = str(header[col - 1]) if len(header) >= col and header[col - 1] is not None else ""
        if not written.startswith(indicator.name_zh):
            error(FIRST_DATA_ROW - 1, col, f"the column should be {indicator.name_zh}, it says {written!r}: were columns moved or renamed?")
        stated[indicator.code] = written[len(indicator.name_zh):].strip().strip("（）()") or None
    cells, seen = [], set()
    for offset, slug in enumerate(row_codes):
        row_number = FIRST_DATA_ROW + offset
        row = data[row_number - 1] if len(data) >= row_number else []
        cluster = by_slug.get(slug) if slug != "-" else None
        if slug != "-" and cluster is None:
            error(row_number, 1, f"cluster {slug!r} is not laid out in {unit.name_zh}")
            continue
        name = cluster.name_zh if cluster else unit.name_zh
        written = str(row[0]) if row and row[0] is not None else ""
        if written != name:
            error(row_number, 1, f"the row should be {name}, it says {written!r}: were rows moved or deleted?")
            continue
        if slug in seen:
            error(row_number, 1, f"{name} appears twice")
            continue
        seen.add(slug)
        for col, (_, indicator) in enumerate(indicators, start=2):
            cells.append(Cell(row=row_number, column=get_column_letter(col), label=_cell(row_number, col),
                              indicator=indicator.code, cluster=cluster.slug if cluster else None,
                              raw=row[col - 1] if len(row) >= col else None, unit=stated.get(indicator.code)))
    check_values(session, plan, result, form=form, unit=unit, period=period, cells=cells)
    extra = data[FIRST_DATA_ROW - 1 + len(row_codes):]
    for offset, row in enumerate(extra):
        if any(v not in (None, "") for v in row):
            error(FIRST_DATA_ROW + len(row_codes) + offset, 1, "a row added below the form's rows: it is not read")
    return result


def _rows(reader, name: str) -> list[list]:
    """A sheet as rows of strings (or None). Every cell is read as text so that text in a
    number column is seen and reported, never turned into an empty cell by type inference."""
    sheet = reader.load_sheet_by_name(name, header_row=None, dtypes="string")
    return [list(record.values()) for record in sheet.to_arrow().to_pylist()]


def parse_number(raw) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return float(raw)
    text = str(raw).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def import_return(session: Session, plan: Plan, *, result, user, reason: str = "return imported"):
    """Write a checked return: all values and their audit records, in the caller's transaction."""
    from clusterwatch.reporting.workflow import ensure_editable

    if not isinstance(result, ReturnPlan):
        from clusterwatch.reporting.enterprise_returns import import_enterprise_return

        return import_enterprise_return(session, plan, result=result, user=user, reason=reason)
    if result.errors:
        raise BadInput("file", f"{len(result.errors)} problem(s); nothing was imported")
    ensure_editable(session, form_by_code(session, plan, result.form), result.unit, result.period)
    source = session.scalar(select(DataSource).where(DataSource.code == f"return:{result.form}"))
    now = dt.datetime.now(dt.timezone.utc)
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
    form = form_by_code(session, plan, result.form)
    slugs = dict(session.execute(select(Cluster.slug, Cluster.id).where(Cluster.plan_id == plan.id)).all())
    record_region_flags(session, form, result.unit, result.period, result, slugs)
    return result
