"""Build the made-up part of the bad-file corpus, from the repository root:

    .venv/bin/python -m tests.reporting.corpus.build

Each file is a template downloaded in the corpus's fixed state (state.py) with one mistake
people make in it; cases.yaml says what each must produce. A file someone actually sent that
broke something goes next to these by hand, with its case: the corpus grows with every bug.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from clusterwatch.db import make_engine, migrate, session_factory, transaction
from clusterwatch.plans.loader import load_plan
from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
from clusterwatch.plans.queries import active_plan
from clusterwatch.reporting.returns import make_template
from tests.reporting.corpus.state import ADMIN, FIRMS, HERE, TODAY, USERS, load_firms

FIRMS_SZ = "enterprise-annual", "440300", "2025"
FIRM_05 = "enterprise-annual", "440305", "2025"
CITY_SZ = "cluster-annual", "440300", "2025"


def fill(sheet, rows=range(5, 12)) -> None:
    """Plausible figures for every firm row: revenue 1000 万元 and the rest in proportion."""
    for row in rows:
        if sheet.cell(row, 1).value:
            for col, value in zip(range(3, 10), (1000, 250, 30, 20, 400, 2, 80)):
                sheet.cell(row, col, value)


def edit(change):
    def apply(book):
        sheet = book["数据"]
        fill(sheet)
        change(sheet, book)
    return apply


def swap_columns(sheet, _book):
    for row in range(4, 12):
        a, b = sheet.cell(row, 3).value, sheet.cell(row, 4).value
        sheet.cell(row, 3, b)
        sheet.cell(row, 4, a)


def set_code(key, value):
    def change(_sheet, book):
        for row in book["_codes"].iter_rows():
            if row[0].value == key:
                row[1].value = value
    return change


CASES = {
    "e-check-digit.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(5, 1, s.cell(5, 1).value[:-1] + ("0" if s.cell(5, 1).value[-1] != "0" else "1")))),
    "e-unknown-firm.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(5, 1, "91440305CC6K57744F"))),
    "e-duplicate-firm.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(6, 1, s.cell(5, 1).value))),
    "e-missing-code.xlsx": (FIRMS_SZ, edit(lambda s, b: setattr(s.cell(6, 1), "value", None))),
    "e-text-in-number.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(5, 3, "12万"))),
    "e-negative.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(6, 4, -5))),
    "e-renamed-column.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(4, 4, "利润（万元）"))),
    "e-moved-columns.xlsx": (FIRMS_SZ, edit(swap_columns)),
    "e-unknown-unit.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(4, 3, "营业收入（万美元）"))),
    "e-unit-of-another-kind.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(4, 3, "营业收入（吨）"))),
    "e-rule-broken.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(7, 6, 5000))),
    "e-extra-column.xlsx": (FIRMS_SZ, edit(lambda s, b: (s.cell(4, 10, "备注"), s.cell(5, 10, "新开工")))),
    "e-formula.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(5, 3, "=800+200"))),
    "e-merged-cells.xlsx": (FIRMS_SZ, edit(lambda s, b: s.merge_cells("C6:D6"))),
    "e-future-period.xlsx": (FIRMS_SZ, edit(set_code("period", "2026"))),
    "e-wrong-period-type.xlsx": (FIRMS_SZ, edit(set_code("period", "2025-03"))),
    "e-stale-template.xlsx": (FIRMS_SZ, edit(lambda s, b: b["_codes"].cell(6, 3, "profit"))),
    "e-other-firms-row.xlsx": (FIRM_05, edit(lambda s, b: (s.cell(6, 1, FIRMS[5]["uscc"]), s.cell(6, 2, FIRMS[5]["name_zh"]),
                                                           [s.cell(6, c, 1) for c in range(3, 10)]))),
    "e-outside-scope.xlsx": (FIRMS_SZ, edit(lambda s, b: None)),
    "e-stated-in-yi.xlsx": (FIRMS_SZ, edit(lambda s, b: [s.cell(4, 3, "营业收入（亿元）")] + [s.cell(r, 3, 0.1) for r in range(5, 12) if s.cell(r, 1).value])),
    "e-renamed-firm.xlsx": (FIRMS_SZ, edit(lambda s, b: s.cell(5, 2, "另一家公司"))),
    "r-merged-cells.xlsx": (CITY_SZ, lambda book: book["数据"].merge_cells("B5:C5")),
    "r-shifted-rows.xlsx": (CITY_SZ, lambda book: book["数据"].insert_rows(5)),
}


def template(sessions, form: str, unit: str, period: str) -> bytes:
    with sessions() as session:
        user = USERS["firm-05"] if unit == "440305" else ADMIN
        return make_template(session, active_plan(session), form_code=form, unit_code=unit, period_key=period,
                             today=TODAY, user=user)


def not_a_template() -> bytes:
    book = Workbook()
    book.active["A1"] = "统一社会信用代码"
    book.active["B1"] = "营业收入"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb(content: bytes) -> bytes:
    """A city's template whose sheet unpacks to 60 MB of blank space (a region return is
    a few kilobytes): it must be refused before any cell is read."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * (60 * 1024 * 1024), 1)
            target.writestr(item, data)
    return buffer.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'corpus.db'}")
        migrate(engine)
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            load_plan(session, read_plan_file(embedded_plan_path()))
            load_firms(session)
        for name, ((form, unit, period), change) in CASES.items():
            book = load_workbook(io.BytesIO(template(sessions, form, unit, period)))
            change(book)
            book.save(HERE / name)
        (HERE / "e-not-a-template.xlsx").write_bytes(not_a_template())
        (HERE / "r-zip-bomb.xlsx").write_bytes(zip_bomb(template(sessions, *CITY_SZ)))
        engine.dispose()
    print(f"wrote {len(CASES) + 2} files to {HERE}")


if __name__ == "__main__":
    main()
