"""Lists of firms as files: CSV (UTF-8 with a byte-order mark, which Excel opens as such) or .xlsx.

Every export of the register, a list or a run's results goes through `table_file`, so they
share their headers' language, their number formats and the synthetic-data notice.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
SYNTHETIC_NOTE = {"zh": "注：以下企业及数据为演示用合成数据，并非真实企业。",
                  "en": "Note: these firms and figures are synthetic demo data, not real enterprises."}


def _cell(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "；".join(str(v) for v in value)
    return value


def table_file(columns: list[tuple[str, str, str]], rows: list[dict], fmt: str, *, lang: str = "zh",
               sheet: str = "data", synthetic: bool = False) -> tuple[bytes, str]:
    """`columns` are (key, Chinese header, English header); returns the file and its media type.
    A synthetic export says so in its first line (CSV) or above the header (xlsx)."""
    header = [zh if lang == "zh" else en for _, zh, en in columns]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if synthetic:
            writer.writerow([SYNTHETIC_NOTE[lang]])
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(key) is None else _cell(row.get(key)) for key, _, _ in columns])
        return out.getvalue().encode("utf-8-sig"), CSV
    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    if synthetic:
        ws.append([SYNTHETIC_NOTE[lang]])
    ws.append(header)
    for row in rows:
        ws.append([_cell(row.get(key)) for key, _, _ in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), XLSX
