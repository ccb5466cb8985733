"""Periods as SDMX keys: `2025` (year), `2025-Q1` (quarter), `2025-03` (month), and the
period a form is reported for: of its type, ended, and open for entry."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from clusterwatch.problems import BadInput, Message, msg, msgid
from clusterwatch.reporting.models import Form

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), "A"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "Q"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "M"),
]
_REPORTED_PER = {
    "A": msgid("form {form} is reported per year, not {key}"),
    "Q": msgid("form {form} is reported per quarter, not {key}"),
    "M": msgid("form {form} is reported per month, not {key}"),
}


# The years a period or a year of data may name: wide enough for any statistical series of the
# People's Republic and any plan ahead, narrow enough that every date computed from it exists.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def check_year(year: int, field: str = "year") -> int:
    """A year of data or of a plan as a person gives it, within FIRST_YEAR and LAST_YEAR."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadInput(field, msg("{key}: the year must lie between {first} and {last}", key=repr(year), first=FIRST_YEAR,
                                  last=LAST_YEAR))
    return year


class PeriodError(BadInput):
    """A key that is not a period, a bad input of the field "period" wherever it comes from."""

    def __init__(self, message: Message):
        super().__init__("period", message)


@dataclass(frozen=True)
class Period:
    key: str
    type: str  # A, Q or M (SDMX frequency codes)
    year: int
    index: int  # 1 for a year, the quarter or the month otherwise

    @classmethod
    def parse(cls, key: str) -> Period:
        key = key.strip()
        for pattern, kind in _PATTERNS:
            match = pattern.match(key)
            if match:
                year = int(match.group(1))
                if not FIRST_YEAR <= year <= LAST_YEAR:
                    raise PeriodError(msg("{key}: the year must lie between {first} and {last}", key=repr(key), first=FIRST_YEAR,
                                          last=LAST_YEAR))
                index = int(match.group(2)) if kind != "A" else 1
                return cls(key, kind, year, index)
        raise PeriodError(msg("{key} is not a period: write 2025, 2025-Q1 or 2025-03", key=repr(key)))

    @property
    def first_day(self) -> dt.date:
        month = {"A": 1, "Q": 3 * self.index - 2, "M": self.index}[self.type]
        return dt.date(self.year, month, 1)

    @property
    def last_day(self) -> dt.date:
        last_month = {"A": 12, "Q": 3 * self.index, "M": self.index}[self.type]
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def due(self, days_after_end: int) -> dt.date:
        """When a return for this period is due: N days after the period ends."""
        return self.last_day + dt.timedelta(days=days_after_end)

    def is_open(self, today: dt.date, expiry_days: int) -> bool:
        """Entry is possible once the period has ended and until it expires (N days after)."""
        return self.last_day < today <= self.last_day + dt.timedelta(days=expiry_days)

    def preceding(self, count: int) -> list[Period]:
        """The `count` periods of the same type before this one, latest first."""
        per_year = {"A": 1, "Q": 4, "M": 12}[self.type]
        ordinal = self.year * per_year + self.index - 1
        result = []
        for step in range(1, count + 1):
            year, index = divmod(ordinal - step, per_year)
            key = {"A": f"{year}", "Q": f"{year}-Q{index + 1}", "M": f"{year}-{index + 1:02d}"}[self.type]
            result.append(Period(key, self.type, year, index + 1))
        return result

    @classmethod
    def all_of(cls, kind: str, year: int) -> list[Period]:
        """Every period of a type in a year: 2025; 2025-Q1…Q4; 2025-01…12."""
        if kind == "A":
            return [cls(str(year), "A", year, 1)]
        if kind == "Q":
            return [cls(f"{year}-Q{q}", "Q", year, q) for q in range(1, 5)]
        if kind == "M":
            return [cls(f"{year}-{m:02d}", "M", year, m) for m in range(1, 13)]
        raise ValueError(f"{kind!r} is not a period type: A, Q or M")


def reporting_period(form: Form, key: str, today: dt.date) -> Period:
    try:
        period = Period.parse(key)
    except PeriodError as exc:
        raise BadInput("period", exc.message) from None
    if period.type != form.period_type:
        raise BadInput("period", msg(_REPORTED_PER[form.period_type], form=form.code, key=key))
    if period.last_day >= today:
        raise BadInput("period", msg("{key} has not ended yet", key=key))
    return period


def open_period(form: Form, key: str, today: dt.date) -> Period:
    """A period the form is reported for, ended, and still open for entry."""
    period = reporting_period(form, key, today)
    if not period.is_open(today, form.expiry_days):
        closed = (period.last_day + dt.timedelta(days=form.expiry_days)).isoformat()
        raise BadInput("period", msg("entry for {period} closed on {date}; ask the province to reopen it", period=period.key,
                                     date=closed))
    return period
