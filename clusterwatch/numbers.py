"""Numbers as people write them in a cell or a form field, read one way everywhere.

A figure may carry thousands separators (1,234.5 or 1，234.5) and spaces around it; it may not
carry units or words, and "nan" or "inf", which Python's float() would accept, are not
figures. A cell that is a number already (an .xlsx number, a JSON number) is taken as it is;
a boolean is not a number. `parse_column` applies the same rules to a whole column at once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SEPARATORS = (",", "，")  # thousands separators, as typed with an ASCII and a Chinese keyboard


def parse_number(raw) -> float | None:
    """The figure `raw` holds, or None when it holds none."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = str(raw).strip()
        for separator in SEPARATORS:
            text = text.replace(separator, "")
        try:
            value = float(text)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def parse_column(cells: pa.Array | Sequence) -> tuple[np.ndarray, np.ndarray]:
    """A column of cells (None or blank text for an empty one): (the figures, NaN where empty
    or not a figure; a mask of the cells that hold something that is not a figure). Text cells
    (an Arrow column, as a sheet is read) are parsed at once; cells of any other kind (an
    .xlsx number, a JSON value) one by one, by parse_number."""
    if not isinstance(cells, pa.Array):
        if any(cell is not None and not isinstance(cell, str) for cell in cells):
            parsed = [parse_number(cell) for cell in cells]
            numbers = np.array([math.nan if p is None else p for p in parsed], dtype=float)
            written = np.array([not (cell is None or (isinstance(cell, str) and not cell.strip())) for cell in cells], dtype=bool)
            return numbers, written & np.isnan(numbers)
        cells = pa.array(cells, type=pa.string())
    text = pc.utf8_trim_whitespace(cells)
    for separator in SEPARATORS:
        text = pc.replace_substring(text, separator, "")
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    written = pc.is_valid(text).to_numpy(zero_copy_only=False)
    try:
        numbers = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False).copy()
    except pa.ArrowInvalid:
        # Some cell is not a number: find which, one by one (only in this column).
        parsed = [parse_number(v) if v is not None else math.nan for v in text.to_pylist()]
        numbers = np.array([math.nan if p is None else p for p in parsed], dtype=float)
    bad = written & ~np.isfinite(numbers)
    numbers[bad] = math.nan
    return numbers, bad
