"""Units of measure as the plans write them, and conversion between units of one kind.

Counts of different things are different kinds: 23万件 of patents converts to 件, never to
家. A unit that is not listed here is refused rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from clusterwatch.problems import Message, msg


@dataclass(frozen=True)
class Unit:
    symbol: str
    kind: str
    factor: float  # multiples of the kind's base unit


_UNITS = [
    Unit("元", "money", 1.0),
    Unit("万元", "money", 1e4),
    Unit("亿元", "money", 1e8),
    Unit("万亿元", "money", 1e12),
    Unit("%", "percent", 1.0),
    Unit("件", "items", 1.0),
    Unit("万件", "items", 1e4),
    Unit("家", "firms", 1.0),
    Unit("万家", "firms", 1e4),
    Unit("家次", "firm-times", 1.0),
    Unit("个", "units", 1.0),
    Unit("座", "sites", 1.0),
    Unit("人", "persons", 1.0),
    Unit("万人", "persons", 1e4),
    Unit("万元/人", "money-per-person", 1.0),
    Unit("元/人", "money-per-person", 1e-4),
    Unit("吨标准煤", "energy", 1.0),
    Unit("万吨标准煤", "energy", 1e4),
    Unit("千瓦时", "electricity", 1.0),
    Unit("万千瓦时", "electricity", 1e4),
    Unit("吨", "mass", 1.0),
    Unit("万吨", "mass", 1e4),
    Unit("亩", "area-mu", 1.0),
    # A multiple of a base year's value (翻一番 = 2倍): the unit of relative goals.
    Unit("倍", "multiple", 1.0),
]
UNITS: dict[str, Unit] = {u.symbol: u for u in _UNITS}


class UnitError(ValueError):
    """A unit that is not known, or does not convert; `message` says which, in words that translate
    (callers nest it in their own message as a parameter)."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message)


def get_unit(symbol: str) -> Unit:
    try:
        return UNITS[symbol]
    except KeyError:
        raise UnitError(msg("unknown unit {unit} (known units: {units})", unit=repr(symbol), units="、".join(UNITS))) from None


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert between units of one kind; refuse across kinds."""
    source, target = get_unit(from_unit), get_unit(to_unit)
    if source.kind != target.kind:
        raise UnitError(msg("{a} cannot be converted to {b}", a=from_unit, b=to_unit))
    if source.factor == target.factor:
        return value
    # Round away the binary noise of the multiplication (6.6 万亿元 is 66000 亿元, not
    # 65999.99999999999).
    return round(value * source.factor / target.factor, 9)
