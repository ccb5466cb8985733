"""Read a layout star matrix (cluster × city, ★ marks) from text converted from a document.

The manufacturing plan's annex 1 lays each cluster over the 21 cities as a table of stars,
flattened by the conversion to tab-separated lines: a header line with the city names, one
line per cluster ending with the count of its cities, and a last line counting each city's
clusters. The two tables mark tiers with different symbols (★★★/★★/★ and ★★★★/★★/★), so tiers
are assigned by rank within each table: most stars = core, then key, then general.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TIER_ORDER = ("core", "key", "general")
_ROW_START = re.compile(r"^\s*(\d+)\s*[.．、]\s*(\S.*?)\s*$")
_STARS = re.compile(r"^★+$")


class StarMatrixError(ValueError):
    """The text does not hold a well-formed star matrix."""


@dataclass
class StarRow:
    number: int
    name: str
    line: int
    text: str
    marks: dict[str, str]  # city name -> star string
    stated_count: int | None


@dataclass
class StarMatrix:
    cities: list[str]
    header_line: int
    rows: list[StarRow] = field(default_factory=list)
    stated_city_counts: dict[str, int] = field(default_factory=dict)
    totals_line: int | None = None

    def tiers(self) -> dict[str, str]:
        """Map each star string used in this table to a tier, by rank (most stars first)."""
        symbols = sorted({m for row in self.rows for m in row.marks.values()}, key=len, reverse=True)
        if len(symbols) > len(TIER_ORDER):
            raise StarMatrixError(
                f"the table uses {len(symbols)} kinds of marks ({', '.join(symbols)}); "
                f"at most {len(TIER_ORDER)} tiers are known"
            )
        return dict(zip(symbols, TIER_ORDER))

    def cells(self) -> list[tuple[StarRow, str, str]]:
        """(row, city, tier) for every marked cell."""
        tiers = self.tiers()
        return [(row, city, tiers[mark]) for row in self.rows for city, mark in row.marks.items()]

    def check_counts(self) -> list[str]:
        """Compare the marks with the table's own totals; return one message per mismatch."""
        problems = []
        for row in self.rows:
            if row.stated_count is not None and row.stated_count != len(row.marks):
                problems.append(
                    f"line {row.line}: {row.name} has {len(row.marks)} marked cities, "
                    f"the table says {row.stated_count}"
                )
        for city in self.cities:
            stated = self.stated_city_counts.get(city)
            counted = sum(1 for row in self.rows if city in row.marks)
            if stated is not None and stated != counted:
                problems.append(
                    f"line {self.totals_line}: {city} has {counted} marked clusters, "
                    f"the table says {stated}"
                )
        return problems


def _is_city_header(fields: list[str]) -> bool:
    names = [f.strip() for f in fields if f.strip()]
    return len(names) >= 3 and all(not _STARS.match(n) and not n.isdigit() for n in names) and not _ROW_START.match(fields[0] or "")


def parse_star_matrix(lines: list[str], start: int = 1, *, city_header_after: int | None = None) -> StarMatrix:
    """Parse the first star matrix found in `lines` (numbered from `start`).

    The city header is the last tab-separated line of plain names before the first cluster
    row; each cluster row is `N. name <tab> marks… <tab> count`.
    """
    header: tuple[int, list[str]] | None = None
    matrix: StarMatrix | None = None
    for offset, raw in enumerate(lines):
        number = start + offset
        if city_header_after is not None and number <= city_header_after:
            continue
        fields = raw.rstrip("\n").split("\t")
        if matrix is None:
            if len(fields) > 3 and _ROW_START.match(fields[0]) and header is not None:
                matrix = StarMatrix(cities=header[1], header_line=header[0])
            elif len(fields) > 3 and _is_city_header(fields[1:]) and not fields[0].strip():
                header = (number, [f.strip() for f in fields[1:] if f.strip()])
                continue
            else:
                continue
        if len(fields) < 2:
            if matrix.rows:
                break
            continue
        head = _ROW_START.match(fields[0])
        cells = fields[1 : 1 + len(matrix.cities)]
        tail = [f.strip() for f in fields[1 + len(matrix.cities) :] if f.strip()]
        if head:
            marks = {}
            for city, cell in zip(matrix.cities, cells):
                cell = cell.replace(" ", "").strip()
                if not cell:
                    continue
                if not _STARS.match(cell):
                    raise StarMatrixError(f"line {number}: unexpected mark {cell!r} under {city}")
                marks[city] = cell
            stated = int(tail[0]) if tail and tail[0].isdigit() else None
            matrix.rows.append(
                StarRow(int(head.group(1)), head.group(2).strip(), number, raw.strip(), marks, stated)
            )
        elif matrix.rows and all(c.strip().isdigit() for c in cells if c.strip()):
            matrix.stated_city_counts = {
                city: int(c) for city, c in zip(matrix.cities, cells) if c.strip().isdigit()
            }
            matrix.totals_line = number
            break
        else:
            break
    if matrix is None or not matrix.rows:
        raise StarMatrixError("no star matrix found (a header line of city names followed by numbered rows of ★)")
    return matrix


def parse_all_star_matrices(lines: list[str]) -> list[StarMatrix]:
    """Every star matrix in a document, in order."""
    found = []
    after = 0
    while True:
        try:
            matrix = parse_star_matrix(lines, 1, city_header_after=after)
        except StarMatrixError:
            break
        found.append(matrix)
        after = matrix.totals_line or matrix.rows[-1].line
    return found
