"""The checks of reported values, defined once, over a matrix: a row per cluster, unit or firm,
a column per indicator of the form, each step run a whole column at a time.

1. number: what a cell holds is a figure (numbers.py), or it is empty;
2. unit: a figure in a unit its source states is converted to the unit the form asks in
   (plans/units.py), never guessed from its size;
3. bounds: a figure within the form's plausible range, in the unit the form asks in (bounds.py);
4. stored: compared with what is stored, a value is created, updated or unchanged, and an empty
   cell is passed over (ignored);
5. outliers: a new or changed value against its row's own history (outliers.py);
6. rules: the validation rules on each row whose values change, with the values as they will
   stand after the import (rules.py).

A cell with an error in steps 1–3 goes no further and is not counted. The ways in differ only in
where the values are, so that a message can name the place ("B5", "line 7, value", an
indicator on the entry form), and in the history they keep: values.py builds the matrix of a
region's return from its cells, enterprise_returns.py that of a return of firms from its sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.numbers import parse_column
from clusterwatch.plans.models import Indicator, Plan
from clusterwatch.plans.rule_syntax import parse_side
from clusterwatch.plans.units import UnitError, convert
from clusterwatch.problems import DryRun, Message, msg
from clusterwatch.reporting.bounds import outside_bounds
from clusterwatch.reporting.models import FormIndicator, ValidationRule
from clusterwatch.reporting.outliers import THRESHOLD, modified_z_scores
from clusterwatch.reporting.rules import evaluate_rows

# A reason for the value at (row index, column index): its message and the particulars an answer carries.
Reason = Callable[[int, int], tuple[Message, dict]]


@dataclass(frozen=True)
class Column:
    """An indicator as a form asks for it."""

    code: str
    name: str  # the indicator's name, as the sheet and the page show it
    asked: str  # the unit the form asks in (the form's own, else the indicator's)
    declared: str  # the indicator's unit, in which values are stored
    low: float | None  # the plausible range, in the asked unit
    high: float | None

    @property
    def to_declared(self) -> float:
        return convert(1.0, self.asked, self.declared)


def columns_of(indicators: Sequence[tuple[FormIndicator, Indicator]]) -> list[Column]:
    """The columns of a form, from its items (reporting.queries.form_indicators)."""
    return [Column(code=indicator.code, name=indicator.name_zh, asked=item.unit or indicator.unit, declared=indicator.unit,
                   low=item.min_value, high=item.max_value) for item, indicator in indicators]


def unit_factor(stated: str, column: Column) -> tuple[float, Message | None]:
    """The factor from the `stated` unit to the unit `column` is asked in, or NaN and why a
    figure in that unit cannot stand for it (unknown, or of another kind)."""
    try:
        return convert(1.0, stated, column.asked), None
    except UnitError as exc:
        return float("nan"), msg("{name} is in {unit}: {problem}", name=column.name, unit=column.asked, problem=exc.message)


def not_a_number(raw: object, unit: str) -> Message:
    """A cell that holds something other than a figure (a return's value, a firm's land area)."""
    return msg("{value} is not a number (write the figure in {unit}, without units or text)", value=repr(raw), unit=unit)


@dataclass(kw_only=True)
class ReturnDryRun(DryRun):
    """What importing a return would do, whichever way it came in: the values as matrices (rows
    × `codes`, in the indicators' declared units, NaN where empty), the counts, and the problems
    by cell. A region's return (values.ReturnPlan) and a return of firms
    (enterprise_returns.EnterpriseReturnPlan) say where each value is (`place`) and add what
    each writes."""

    form: str
    unit: str
    period: str
    codes: list[str] = field(default_factory=list)
    new: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # NaN: empty, wrong, or not given
    old: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # NaN: nothing stored
    # Every flagged value (not only those described): (kind, row indexes, column indexes, reason).
    flag_sets: list = field(default_factory=list)

    def place(self, i: int, j: int) -> dict:
        """Where the value at row index i, column index j is: row, column and cell, for a message."""
        raise NotImplementedError

    def subject(self, i: int, j: int) -> dict:
        """What a warning of the value at (i, j) names besides its place (a region's indicator and cluster)."""
        return {}

    def error_at(self, i: int, j: int, reason: Message, **extra) -> None:
        self.problems.error(reason, **self.place(i, j), **extra)

    def warn_many(self, rows: np.ndarray, cols: np.ndarray, reason: Reason, kind: str) -> None:
        """Warnings of many values at once: all are counted and kept as flags, the first the
        problems keep (`shown`) described."""
        self.flag_sets.append((kind, rows, cols, reason))
        shown = self.problems.shown
        room = len(rows) if shown is None else min(max(shown - len(self.warnings), 0), len(rows))
        for i, j in zip(rows[:room].tolist(), cols[:room].tolist()):
            text, extra = reason(i, j)
            self.problems.warn(text, **self.place(i, j), **self.subject(i, j), **extra)
        self.problems.count_warnings(len(rows) - room)

    def error_many(self, rows: np.ndarray, cols: np.ndarray, reason: Reason) -> None:
        """Errors of many values at once: counted exactly, described as far as the problems keep
        them (a province's firms may fail a rule by the thousand)."""
        shown = self.problems.shown
        room = len(rows) if shown is None else min(max(shown - len(self.errors), 0), len(rows))
        for i, j in zip(rows[:room].tolist(), cols[:room].tolist()):
            text, extra = reason(i, j)
            self.error_at(i, j, text, **self.subject(i, j), **extra)
        self.problems.count_errors(len(rows) - room)

    def all_flags(self):
        """(row index, column index, cell, kind, reason) of every flagged value."""
        for kind, rows, cols, reason in self.flag_sets:
            for i, j in zip(rows.tolist(), cols.tolist()):
                yield i, j, self.place(i, j)["cell"], kind, reason(i, j)[0]

    def changing(self) -> np.ndarray:
        """The cells the import would create or change."""
        with np.errstate(invalid="ignore"):
            same = np.abs(self.new - self.old) < 1e-9
        return ~np.isnan(self.new) & ~same

    def after(self) -> np.ndarray:
        """The values as they will stand after the import."""
        return np.where(np.isnan(self.new), self.old, self.new)

    def summary(self) -> dict:
        return {"form": self.form, "unit": self.unit, "period": self.period, **super().summary()}


# ---------------------------------------------------------------------------------------------
# Steps 1–4: number, unit, bounds, stored


def read_values(result: ReturnDryRun, cells: Sequence[pa.Array | Sequence], columns: list[Column], *,
                given: np.ndarray, units: np.ndarray | None = None) -> np.ndarray:
    """Check every given cell (`cells`: what was written, a sequence per column) and set
    `result.new`, in the declared units; returns the mask of the given cells without an error.
    `units` holds the unit each cell's source states (rows × columns, None where it states
    none: the asked unit); a unit problem is named at the cell, and only of a cell that holds a
    figure."""
    rows = len(given)
    new = np.full((rows, len(columns)), np.nan)
    fault = np.zeros(given.shape, dtype=bool)
    for j, column in enumerate(columns):
        numbers, bad = parse_column(cells[j])
        bad &= given[:, j]
        for i in np.flatnonzero(bad).tolist():
            result.error_at(i, j, not_a_number(_written(cells[j], i), column.asked))
        usable = given[:, j] & ~bad & ~np.isnan(numbers)
        factor = np.ones(rows)
        if units is not None:
            factor = _factors(result, j, units[:, j], usable, column)
            fault[:, j] |= usable & np.isnan(factor)
            usable &= ~np.isnan(factor)
        in_asked = np.where(usable, numbers * factor, np.nan)
        for i, message in outside_bounds(in_asked, low=column.low, high=column.high, unit=column.asked):
            result.error_at(i, j, message)
            in_asked[i] = np.nan
            fault[i, j] = True
        fault[:, j] |= bad
        scale = column.to_declared
        # Round away the binary noise of a conversion (5000 万元 is 0.5 亿元, not 0.5000000000000001).
        converted = (factor != 1.0) | (scale != 1.0)
        new[:, j] = np.where(converted, np.round(in_asked * scale, 9), in_asked)
    result.new = new
    return given & ~fault


def _written(column: pa.Array | Sequence, i: int) -> object:
    raw = column[i].as_py() if isinstance(column, pa.Array) else column[i]
    return raw.strip() if isinstance(raw, str) else raw


def _factors(result: ReturnDryRun, j: int, stated: np.ndarray, usable: np.ndarray, column: Column) -> np.ndarray:
    """Per cell, the factor from the unit its source states to the asked unit; NaN (and an
    error at the cell) where the stated unit is unknown or of another kind."""
    factor = np.ones(len(stated))
    for unit in {u for u in stated[usable].tolist() if u and u != column.asked}:
        at = usable & (stated == unit)
        factor[at], problem = unit_factor(unit, column)
        if problem is not None:
            for i in np.flatnonzero(at).tolist():
                result.error_at(i, j, problem)
    return factor


def count(result: ReturnDryRun, counted: np.ndarray) -> None:
    """Created, updated, unchanged and ignored (empty) among the `counted` cells (those given
    without an error, as read_values returns them)."""
    present = counted & ~np.isnan(result.new)
    had = ~np.isnan(result.old)
    with np.errstate(invalid="ignore"):
        same = present & had & (np.abs(result.new - result.old) < 1e-9)
    result.created = int((present & ~had).sum())
    result.updated = int((present & had & ~same).sum())
    result.unchanged = int(same.sum())
    result.ignored = int((counted & ~present).sum())


# ---------------------------------------------------------------------------------------------
# Step 5: outliers


def check_outliers(result: ReturnDryRun, history: np.ndarray, columns: list[Column], *, firms: bool) -> None:
    """Warn of each new or changed value far from its row's own history (rows × columns ×
    earlier periods, NaN where absent), by the modified z-score; the value is shown in the unit
    the form asks in, as the person wrote it."""
    score = modified_z_scores(result.new, history)
    with np.errstate(invalid="ignore"):
        flagged = result.changing() & (np.abs(score) > THRESHOLD)
    scales = [column.to_declared for column in columns]
    text = (msg("{value} is far from this firm's own history (modified z-score {score}): check it, or explain it when submitting")
            if firms else msg("{value} is far from this unit's own history (modified z-score {score}): check it, or explain it when submitting"))

    def reason(i: int, j: int) -> tuple[Message, dict]:
        shown = {"value": format(result.new[i, j] / scales[j], "g"), "score": format(score[i, j], ".1f")}
        return msg(text, **shown), {"score": round(float(score[i, j]), 2)}

    rows, cols = np.nonzero(flagged)
    result.warn_many(rows, cols, reason, kind="outlier")


def history_matrix(rows: int, columns: int, values: dict[tuple[int, int], list[float]]) -> np.ndarray:
    """Lists of earlier values by (row index, column index) as rows × columns × periods, NaN-padded."""
    depth = max((len(v) for v in values.values()), default=0)
    history = np.full((rows, columns, depth), np.nan)
    for (i, j), earlier in values.items():
        history[i, j, :len(earlier)] = earlier
    return history


# ---------------------------------------------------------------------------------------------
# Step 6: validation rules on each row


def row_rules(session: Session, plan: Plan, codes: list[str]) -> list[ValidationRule]:
    """The plan's rules on a row that only name indicators of the form."""
    return [r for r in session.scalars(select(ValidationRule).where(ValidationRule.plan_id == plan.id, ValidationRule.scope == "row"))
            if all(code in codes for side in (r.left, r.right) for _, code in parse_side(side))]


def check_rules(result: ReturnDryRun, rules: list[ValidationRule], columns: list[Column]) -> None:
    """Each rule on every row whose values change, with the values as they will stand after the
    import: a high-importance failure is an error, others values to check; either is named at
    the rule's first indicator in the row, its figures in the unit the form asks in."""
    if not rules:
        return
    at = {column.code: j for j, column in enumerate(columns)}
    after = result.after()
    changing = result.changing().any(axis=1)
    for rule in rules:
        holds, skip, left, right = evaluate_rows(rule, {code: after[:, j] for code, j in at.items()})
        failing = np.flatnonzero(changing & ~skip & ~holds)
        j = at[parse_side(rule.left)[0][1]]
        column = columns[j]
        shown = 1 / column.to_declared

        def reason(i: int, _j: int, rule=rule, left=left, right=right, unit=column.asked, shown=shown) -> tuple[Message, dict]:
            # The unit goes with the right side's figure: "(5200 vs 5000 万元)".
            return (msg("{rule}: {left} {op} {right} fails ({a} vs {b})", rule=rule.name_zh, left=rule.left, op=rule.operator,
                        right=rule.right, a=format(left[i] * shown, "g"), b=" ".join([format(right[i] * shown, "g"), unit])),
                    {"rule": rule.code})

        if rule.importance == "high":
            result.error_many(failing, np.full(len(failing), j), reason)
        else:
            result.warn_many(failing, np.full(len(failing), j), reason, kind="rule")
