"""Periods as SDMX keys: `2025` (year), `2025-Q1` (quarter), `2025-03` (month)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "A"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "Q"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "M"),
]


@dataclass(frozen=True)
class Period:
    key: str
    type: str  # A, Q or M (SDMX frequency codes)
    year: int
    index: int  # 1 for a year, the quarter or the month otherwise

    @classmethod
    def parse(cls, key: str) -> "Period":
        key = key.strip()
        for pattern, kind in _PATTERNS:
            match = pattern.match(key)
            if match:
                year = int(match.group(1))
                index = int(match.group(2)) if kind != "A" else 1
                return cls(key, kind, year, index)
        raise ValueError(f"{key!r} is not a period: write 2025, 2025-Q1 or 2025-03")
