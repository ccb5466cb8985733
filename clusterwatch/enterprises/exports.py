"""Lists of firms as files: CSV (UTF-8 with a byte-order mark, which Excel opens as such) or .xlsx.

Every export of the register, a list or a run's results goes through `table_file`, so they
share their headers' language, their number formats and the synthetic-data notice.
"""

from __future__ import annotations

from clusterwatch import tabular

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
    note = SYNTHETIC_NOTE[lang] if synthetic else None
    cells = ([_cell(row.get(key)) for key, _, _ in columns] for row in rows)
    if fmt == "csv":
        return tabular.write_csv(header, cells, note=note), tabular.CSV
    return tabular.write_xlsx(sheet, header, cells, note=note), tabular.XLSX
