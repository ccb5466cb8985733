"""The value-checking pipeline on a small matrix: every step, and that a refused cell goes no further."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from clusterwatch.reporting.checking import Column, ReturnDryRun, count, read_values

REVENUE = Column(code="revenue", name="营业收入", asked="万元", declared="亿元", low=0, high=1e6)
FIRMS = Column(code="firms", name="企业数", asked="家", declared="家", low=None, high=None)


@dataclass(kw_only=True)
class Matrix(ReturnDryRun):
    def place(self, i, j):
        return {"row": i, "column": str(j), "cell": f"{i},{j}"}


def checked(cells, *, units=None, old=None):
    result = Matrix(form="f", unit="u", period="2025", codes=["revenue", "firms"])
    rows = len(cells[0])
    given = np.ones((rows, 2), dtype=bool)
    ok = read_values(result, cells, [REVENUE, FIRMS], given=given, units=units)
    result.old = np.full((rows, 2), np.nan) if old is None else old
    count(result, ok)
    return result, ok


def test_numbers_units_and_bounds_column_by_column():
    revenue = ["1,234.5", "abc", None, "  ", "-1", "0.5"]
    firms = [3, True, float("inf"), 1e999, "7", float("nan")]  # values of any kind, as JSON gives them
    units = np.array([[None, None], [None, None], [None, None], [None, None], [None, None], ["亿元", None]], dtype=object)
    result, ok = checked([revenue, firms], units=units)
    errors = {e.cell: str(e.message) for e in result.errors}
    assert errors == {
        "1,0": "'abc' is not a number (write the figure in 万元, without units or text)",
        "4,0": "-1 is below the lowest plausible value 0 万元",
        "1,1": "True is not a number (write the figure in 家, without units or text)",
        "2,1": "inf is not a number (write the figure in 家, without units or text)",
        "3,1": "inf is not a number (write the figure in 家, without units or text)",
        "5,1": "nan is not a number (write the figure in 家, without units or text)"}
    # 1234.5 万元 is 0.123450 亿元; 0.5 亿元 stated is 5000 万元 asked, 0.5 亿元 stored.
    assert result.new[0, 0] == 0.12345 and result.new[5, 0] == 0.5 and result.new[4, 1] == 7
    assert np.isnan(result.new[[1, 4], 0]).all() and np.isnan(result.new[[1, 2, 3, 5], 1]).all()
    # Refused cells are not counted; empty ones are passed over.
    assert ok.tolist() == [[True, True], [False, False], [True, False], [True, False], [False, True], [True, False]]
    assert (result.created, result.ignored) == (4, 2)


def test_a_unit_of_another_kind_is_refused_only_where_a_figure_stands():
    units = np.array([["吨", None], ["吨", None]], dtype=object)
    result, ok = checked([pa.array(["5", ""]), pa.array(["1", "2"])], units=units)
    assert [(e.cell, str(e.message)) for e in result.errors] == [("0,0", "营业收入 is in 万元: 吨 cannot be converted to 万元")]
    assert ok[:, 0].tolist() == [False, True]


def test_stored_values_decide_created_updated_unchanged():
    old = np.array([[0.0001, 3.0], [np.nan, 5.0]])
    result, _ = checked([["1", "2"], ["3", "6"]], old=old)  # 1 万元 = 0.0001 亿元: unchanged
    assert (result.created, result.updated, result.unchanged, result.ignored) == (1, 1, 2, 0)
    assert result.changing().tolist() == [[False, False], [True, True]]
