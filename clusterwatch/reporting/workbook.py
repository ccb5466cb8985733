"""The return template as a workbook: its sheets, its hidden codes and its limits, and opening
an upload as one of our templates before any value is read.

A template carries hidden codes (a `_codes` sheet: form, unit, period, the indicator of each
column, the cluster or firm of each row), so an upload maps back without guessing. The region
template (region_returns.py) and the firms' template (enterprise_returns.py) share this frame.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from clusterwatch import tabular
from clusterwatch.plans.models import Plan
from clusterwatch.problems import BadInput, msg
from clusterwatch.reporting.models import Form
from clusterwatch.reporting.queries import form_by_code

if TYPE_CHECKING:
    from fastexcel import ExcelReader  # imported at run time only where a file is opened (open_upload)

TEMPLATE_VERSION = "1"
DATA_SHEET = "数据"
CODES_SHEET = "_codes"
FIRST_DATA_ROW = 5  # rows 1-3: title, unit, period; row 4: header
MAX_UPLOAD = 5 * 1024 * 1024
# A province-wide return of firms: 60,000 rows × 30 indicators is 13 MB, 77 MB unpacked.
MAX_ENTERPRISE_UPLOAD = 64 * 1024 * 1024
MAX_ENTERPRISE_UNPACKED = 512 * 1024 * 1024


def save_template(book, codes: dict[str, str | list[str]]) -> bytes:
    """The workbook as bytes, with its hidden codes sheet: the template's version, then a row
    per code (plan, form, unit, period, columns, rows), a list spreading over the row."""
    sheet = book.create_sheet(CODES_SHEET)
    sheet.append(["clusterwatch-return", TEMPLATE_VERSION])
    for key, value in codes.items():
        sheet.append([key, *value] if isinstance(value, list) else [key, value])
    sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell_name(row: int, col: int) -> str:
    """A cell as the spreadsheet names it: B5."""
    return f"{get_column_letter(col)}{row}"


@dataclass
class Upload:
    """An uploaded workbook that is a clusterwatch template of this plan: its hidden codes and form."""

    reader: ExcelReader
    codes: dict
    form: Form
    filename: str
    content: bytes


def open_upload(session: Session, plan: Plan, *, content: bytes, filename: str) -> Upload:
    """Refuse what is not one of our templates before reading any value; find its form."""
    import fastexcel

    if len(content) > MAX_ENTERPRISE_UPLOAD:
        raise BadInput("file", msg("{file}: larger than {n} MB", file=filename, n=MAX_ENTERPRISE_UPLOAD // (1024 * 1024)))
    unpacked = tabular.check_package(content, filename, MAX_ENTERPRISE_UNPACKED)
    too_big_for_a_region = BadInput("file", msg("{file}: would unpack to {n} MB; a return is far smaller", file=filename,
                                                n=unpacked // (1024 * 1024)))
    try:
        reader = fastexcel.read_excel(content)
    except Exception as exc:  # noqa: BLE001 - calamine reports every kind of broken file its own way
        if unpacked > tabular.MAX_UNPACKED:
            raise too_big_for_a_region from None
        raise BadInput("file", msg("{file}: not a readable .xlsx file ({kind})", file=filename,
                                   kind=exc.__class__.__name__)) from None
    if CODES_SHEET not in reader.sheet_names or DATA_SHEET not in reader.sheet_names:
        if unpacked > tabular.MAX_UNPACKED:
            raise too_big_for_a_region
        raise BadInput("file", msg("{file}: not a clusterwatch return template (download one from the form's page)", file=filename))
    codes = {row[0]: row[1:] for row in tabular.sheet_rows(reader, CODES_SHEET)}
    if codes.get("clusterwatch-return", [None])[0] != TEMPLATE_VERSION:
        raise BadInput("file", msg("{file}: a template of another version; download a new one", file=filename))
    if codes.get("plan", [None])[0] != plan.code:
        raise BadInput("file", msg("{file}: a template of plan {other}, not {plan}", file=filename,
                                   other=codes.get("plan", ["?"])[0], plan=plan.code))
    for key in ("form", "unit", "period", "columns"):
        if not codes.get(key) or codes[key][0] in (None, ""):
            raise BadInput("file", msg("{file}: the template's hidden codes ({key}) are missing; download a new one",
                                       file=filename, key=key))
    form = form_by_code(session, plan, str(codes["form"][0]))
    # A region's return is a few kilobytes; only a return of many firms may be large.
    if form.level != "enterprise" and len(content) > MAX_UPLOAD:
        raise BadInput("file", msg("{file}: larger than {n} MB; a return is a few kilobytes", file=filename,
                                   n=MAX_UPLOAD // (1024 * 1024)))
    if form.level != "enterprise" and unpacked > tabular.MAX_UNPACKED:
        raise too_big_for_a_region
    return Upload(reader=reader, codes=codes, form=form, filename=filename, content=content)
