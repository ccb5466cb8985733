"""Tables in and out as people keep them: .xlsx and CSV, read and written safely.

Every import and export goes through here, so that each refuses the same dangers the same way
before a value is read: a zip bomb, a formula whose value Excel may not have saved, merged
cells; decodes CSV as Excel and WPS save it on a Chinese Windows (UTF-8 with or without the
byte-order mark, else GB18030); reads every cell as text, so that text in a number column is
seen and reported, never inferred away; and writes codes and dates as text, never as a
formula, with a notice above the header when the figures are synthetic.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from clusterwatch.problems import BadInput, msg

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
MAX_UNPACKED = 50 * 1024 * 1024
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f[ >/]')
_MERGED = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def check_package(content: bytes, filename: str, max_unpacked: int = MAX_UNPACKED) -> int:
    """Before any cell is read: refuse what would unpack to far more than a return holds (a
    zip bomb), a damaged package, cells holding formulas, whose values Excel may not have saved,
    and merged cells. Returns the unpacked size."""
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        members = package.infolist()
    except zipfile.BadZipFile:
        raise BadInput("file", msg("{file}: not a readable .xlsx file (not a zip package)", file=filename)) from None
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unpacked:
        raise BadInput("file", msg("{file}: would unpack to {n} MB; a return is far smaller", file=filename,
                                    n=unpacked // (1024 * 1024)))
    for member in members:
        try:
            # Every member is read once (zipfile stops at the size the header states and checks
            # the CRC), so that a damaged or lying package is refused here, not halfway through.
            xml = package.read(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise BadInput("file", msg("{file}: the .xlsx package is damaged ({problem}): save it again from Excel or WPS",
                                        file=filename, problem=str(exc)[:120])) from None
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            # A cheap scan first: most sheets hold no formula element at all.
            cells = [c.decode() for c in _FORMULA_CELL.findall(xml)] if b"<f" in xml else []
            if cells:
                raise BadInput("file", msg("{file}: cells {cells} hold formulas: paste them as values", file=filename,
                                            cells=", ".join(cells[:10])))
            # A merged range keeps its value in the first cell only; the others would read as empty.
            merged = [m.decode() for m in _MERGED.findall(xml)] if b"<mergeCell " in xml else []
            if merged:
                raise BadInput("file", msg("{file}: cells {cells} are merged: unmerge them and give each cell its own value",
                                            file=filename, cells=", ".join(merged[:10])))
    return unpacked


def decode(content: bytes, filename: str) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else GB18030: what Excel and WPS save
    a CSV in on a Chinese Windows."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    # GB18030 gives a character for almost any pair of bytes, so a Latin-1 or Windows-1252 file
    # (Société → 0xE9 't') "decodes" into rare characters. Chinese text saved by Excel or WPS
    # is nearly all in GB2312's common set; when most of the file's characters are not, it was
    # another encoding, and saying so beats a confusing count of fields later.
    if text is not None and _mostly_common_chinese(text):
        return text
    raise BadInput("file", msg("{file}: neither UTF-8 nor GB18030 text; save the file as CSV (UTF-8)", file=filename))


def _mostly_common_chinese(text: str) -> bool:
    wide = [c for c in text if ord(c) > 0x7F]
    common = 0
    for c in wide:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common * 2 >= len(wide)


def sheet_rows(reader, name: str) -> list[list]:
    """A sheet of an open workbook (fastexcel) as rows of strings (or None), every cell as text."""
    sheet = reader.load_sheet_by_name(name, header_row=None, dtypes="string")
    return [list(record.values()) for record in sheet.to_arrow().to_pylist()]


@dataclass
class Table:
    filename: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells as text); blank rows left out


def read_table(content: bytes, filename: str, *, max_bytes: int, max_unpacked: int, max_rows: int) -> Table:
    """A table with its header in the first row: the first sheet of an .xlsx, or a CSV."""
    if len(content) > max_bytes:
        raise BadInput("file", msg("{file}: larger than {n} MB; split the file", file=filename, n=max_bytes // (1024 * 1024)))
    if not content.strip():
        raise BadInput("file", msg("{file}: the file is empty", file=filename))
    if filename.lower().endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content, filename, max_unpacked, max_rows)
    else:
        table = _read_csv(content, filename, max_rows)
    if not any(table.header) or not table.rows:
        raise BadInput("file", msg("{file}: the file is empty", file=filename))
    return table


def _read_xlsx(content: bytes, filename: str, max_unpacked: int, max_rows: int) -> Table:
    import fastexcel

    check_package(content, filename, max_unpacked)
    try:
        reader = fastexcel.read_excel(content)
        # Every cell as text, so that text in a number column is seen, never inferred away.
        sheet = reader.load_sheet(0, header_row=None, dtypes="string").to_arrow()
    except Exception as exc:  # noqa: BLE001 - calamine reports every kind of broken file its own way
        raise BadInput("file", msg("{file}: not a readable .xlsx file ({kind})", file=filename,
                                    kind=exc.__class__.__name__)) from None
    if sheet.num_rows == 0 or sheet.num_columns == 0:
        raise BadInput("file", msg("{file}: the file is empty", file=filename))
    if sheet.num_rows - 1 > max_rows:
        raise BadInput("file", msg("{file}: more than {n} rows; split the file", file=filename, n=max_rows))
    columns = [["" if v is None else v.strip() for v in sheet.column(i).to_pylist()] for i in range(sheet.num_columns)]
    header = [c[0] for c in columns]
    rows = []
    for index, cells in enumerate(zip(*columns)):
        if index and any(cells):
            rows.append((index + 1, list(cells)))
    return Table(filename, header, rows)


def _read_csv(content: bytes, filename: str, max_rows: int) -> Table:
    reader = csv.reader(io.StringIO(decode(content, filename)))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BadInput("file", msg("{file}: the file is empty", file=filename)) from None
    rows = []
    for line, record in enumerate(reader, start=2):
        cells = [v.strip() for v in record]
        if not any(cells):
            continue
        if len(cells) > len(header):
            if any(cells[len(header):]):
                raise BadInput("file", msg("{file}, line {line}: {n} fields where the header has {m}", file=filename, line=line,
                                            n=len(cells), m=len(header)))
            cells = cells[:len(header)]
        rows.append((line, cells + [""] * (len(header) - len(cells))))
        if len(rows) > max_rows:
            raise BadInput("file", msg("{file}: more than {n} rows; split the file", file=filename, n=max_rows))
    return Table(filename, header, rows)


# What a spreadsheet may take for a formula when a cell begins with it (OWASP's CSV injection):
# text from people (a firm's name) is written so that it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Text that Excel or WPS would read as a formula, not a figure: =1+1, @SUM(…), +A1; -5 is a figure."""
    if not text.startswith(FORMULA_STARTS):
        return False
    try:
        float(text.replace(",", ""))
        return False
    except ValueError:
        return True


def csv_value(value):
    """A value as a CSV cell: text that would run as a formula gets a leading apostrophe, which
    Excel shows as text and does not run."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return "" if value is None else value


def xlsx_row(sheet, values) -> list:
    """A row for a write-only sheet: text beginning with = is kept as text (openpyxl would
    otherwise write it as a live formula); other values as they are."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row


def set_text(cell, value) -> None:
    """A cell of a sheet (not write-only) holding `value`, text beginning with = kept as text."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def append_row(sheet, values) -> None:
    """sheet.append for a sheet that is not write-only, text beginning with = kept as text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def write_csv(header: list[str], rows, *, note: str | None = None) -> bytes:
    """CSV with the byte-order mark (Excel then reads it as UTF-8); `note` is a line above the
    header. No text cell can run as a formula (csv_value)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if note:
        writer.writerow([csv_value(note)])
    writer.writerow([csv_value(h) for h in header])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(sheet_title: str, header: list[str], rows, *, note: str | None = None,
               widths: dict[int, int] | None = None) -> bytes:
    """A workbook written row by row (write-only: 60,000 rows in seconds), the header in bold.
    Values are written as they are given: callers pass codes and dates as text, so no leading
    zero is lost and no date format depends on the locale; no text becomes a formula (xlsx_row)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    for col, width in (widths or {}).items():
        sheet.column_dimensions[get_column_letter(col + 1)].width = width
    if note:
        sheet.append([note])
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
