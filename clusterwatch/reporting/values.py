"""A region's return, wherever it comes from, as the matrix the checks run over.

The Excel template, a CSV file, an SDMX-CSV file, the JSON API and the web entry form all
arrive here as cells: where the value was (so that a message can name it: "B5", or "line 7"),
which indicator and cluster it is for, and what was written. Each cell is placed in the
return's matrix (an indicator of the form, a cluster laid out in the unit's city, given once,
a known observation status); the values are then checked by the one pipeline (checking.py),
against the unit's own history of the period type, and by the rules over child regions,
which only a region's return has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.plans.models import Indicator, Plan
from clusterwatch.plans.rule_syntax import parse_side
from clusterwatch.problems import Message, msg
from clusterwatch.regions.models import Region
from clusterwatch.regions.tree import region_tree
from clusterwatch.reporting.checking import ReturnDryRun, check_outliers, check_rules, columns_of, count, history_matrix, read_values, row_rules
from clusterwatch.reporting.models import OBS_STATUSES, Form, Observation, ValidationRule
from clusterwatch.reporting.periods import Period
from clusterwatch.reporting.queries import form_indicators, unit_clusters
from clusterwatch.reporting.rules import COMPARE


@dataclass(kw_only=True)
class ReturnPlan(ReturnDryRun):
    """A region's return: its matrix has a row per cluster laid out in the unit's city (or one
    row, for a form not split by cluster); each value's place is the cell it came from."""

    cluster_ids: list[int | None] = field(default_factory=list)  # per row
    cluster_slugs: list[str | None] = field(default_factory=list)
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # where each given value came from
    statuses: dict[tuple[int, int], str] = field(default_factory=dict)  # SDMX OBS_STATUS, where the source gave one

    def place(self, i: int, j: int) -> dict:
        # A rule is named at its first indicator's cell, or the row's first cell when that one was not given.
        cell = self.cells.get((i, j)) or next(c for (row, _), c in self.cells.items() if row == i)
        return {"row": cell.row, "column": cell.column, "cell": cell.label}

    def subject(self, i: int, j: int) -> dict:
        return {"indicator": self.codes[j], "cluster": self.cluster_slugs[i]}

    @property
    def values(self) -> list[dict]:
        """The values the import writes: every new or changed one, with the value it replaces."""
        return [{"indicator": self.codes[j], "cluster_id": self.cluster_ids[i], "value": float(self.new[i, j]),
                 "old": None if np.isnan(self.old[i, j]) else float(self.old[i, j]), "status": self.statuses.get((i, j))}
                for i, j in zip(*(a.tolist() for a in np.nonzero(self.changing())))]


@dataclass
class Cell:
    row: int  # the row of the sheet, or the line of the file
    column: str  # the column letter, or the field's name
    label: str | Message  # how messages name the place: "B5", or msg("line {n}, {column}", …)
    indicator: str
    cluster: str | None  # the cluster's slug; None for a form not split by cluster
    raw: object
    status: str | None = None  # SDMX OBS_STATUS, when the source gives one
    unit: str | None = None  # the unit the source states for the value, when it states one


def check_values(session: Session, plan: Plan, result: ReturnPlan, *, form: Form, unit: Region, period: Period,
                 cells: list[Cell]) -> None:
    """Place each cell in the return's matrix (an indicator of the form, a cluster laid out in
    the unit's city, given once), then check the values through the pipeline (checking.py)
    and the rules over child regions; every problem is added to `result` by its cell."""
    indicators = form_indicators(session, form)
    columns = columns_of(indicators)
    at_column = {column.code: j for j, column in enumerate(columns)}
    rows = unit_clusters(session, plan, form, unit)
    at_row = {c.slug: i for i, c in enumerate(rows) if c is not None}
    result.codes = [column.code for column in columns]
    result.cluster_ids = [c.id if c is not None else None for c in rows]
    result.cluster_slugs = [c.slug if c is not None else None for c in rows]

    def error(cell: Cell, reason: Message) -> None:
        result.problems.error(reason, row=cell.row, column=cell.column, cell=cell.label)

    for cell in cells:
        if cell.indicator not in at_column:
            error(cell, msg("{indicator} is not an indicator of form {form} ({codes})", indicator=repr(cell.indicator),
                            form=form.code, codes=", ".join(at_column)))
            continue
        if form.disaggregation == "cluster":
            if (cell.cluster or "") not in at_row:
                error(cell, msg("cluster {slug} is not laid out in {region}", slug=repr(cell.cluster), region=unit.name_zh)
                      if cell.cluster else msg("form {form} is reported by cluster: say which", form=form.code))
                continue
            i = at_row[cell.cluster or ""]
        else:
            if cell.cluster:
                error(cell, msg("form {form} is not reported by cluster; leave the cluster empty", form=form.code))
                continue
            i = 0
        if cell.status is not None and cell.status not in OBS_STATUSES:
            error(cell, msg("{status} is not an observation status (A, P, E, F, B or M)", status=repr(cell.status)))
            continue
        j = at_column[cell.indicator]
        if (i, j) in result.cells:
            # The indicator (and cluster) by their names, as the sheet shows them: data, not words to translate.
            cluster = rows[i]
            name = " · ".join([columns[j].name, cluster.name_zh] if cluster is not None else [columns[j].name])
            error(cell, msg("{indicator} is also given at {place}", indicator=name, place=result.cells[(i, j)].label))
            continue
        result.cells[(i, j)] = cell
        if cell.status is not None:
            result.statuses[(i, j)] = cell.status

    given = np.zeros((len(rows), len(columns)), dtype=bool)
    raw: list[list] = [[None] * len(rows) for _ in columns]
    units = np.full((len(rows), len(columns)), None, dtype=object)
    for (i, j), cell in result.cells.items():
        given[i, j], raw[j][i], units[i, j] = True, cell.raw, cell.unit
    checked = read_values(result, raw, columns, given=given, units=units)
    result.old = _stored_matrix(session, unit, period, result.codes, result.cluster_ids)
    count(result, checked)
    check_outliers(result, _history(session, unit, period, result.codes, result.cluster_ids), columns, firms=False)
    check_rules(result, row_rules(session, plan, result.codes), columns)
    _check_children_rules(session, plan, result, unit, period)


def _check_children_rules(session: Session, plan: Plan, result: ReturnPlan, unit: Region, period: Period) -> None:
    """Rules over child regions: the unit's `left` (as it will stand after the import) against
    the sum of its child regions' stored `right` for the same period and cluster, within the
    rule's tolerance (per cent of the right side). A yearly figure of a flow indicator is
    compared with the children's months (or quarters) when they report those instead, and
    only when every child has every one of them: an incomplete sum says nothing."""
    rules = [r for r in session.scalars(select(ValidationRule).where(ValidationRule.plan_id == plan.id,
                                                                      ValidationRule.scope == "children"))
             if parse_side(r.left)[0][1] in result.codes]
    children = region_tree(session).children.get(unit.code, [])
    if not rules or not children:
        return
    changing = result.changing()
    for rule in rules:
        left_code, right_code = parse_side(rule.left)[0][1], parse_side(rule.right)[0][1]
        indicator = session.get(Indicator, right_code)
        assert indicator is not None  # the plan's loader refuses a rule naming an unknown indicator
        j = result.codes.index(left_code)
        failing, totals = [], {}
        for i in np.flatnonzero(changing[:, j]).tolist():
            total = _children_sum(session, children, right_code, result.cluster_ids[i], period, indicator.flow)
            if total is None:
                continue  # no (complete) figures of the children: nothing to compare
            value = float(result.new[i, j])
            margin = abs(total) * rule.tolerance / 100
            if not (bool(COMPARE[rule.operator](np.asarray(value), np.asarray(total))) or abs(value - total) <= margin):
                failing.append(i)
                totals[i] = total

        def reason(i: int, j: int, rule=rule, totals=totals) -> tuple[Message, dict]:
            return (msg("{rule}: {left} {op} the sum of {n} child regions' {right} (within {tol}%) fails ({a} vs {b})",
                        rule=rule.name_zh, left=rule.left, op=rule.operator, n=len(children), right=rule.right,
                        tol=format(rule.tolerance, "g"), a=format(result.new[i, j], "g"), b=format(totals[i], "g")),
                    {"rule": rule.code})

        rows = np.array(failing, dtype=np.int64)
        if rule.importance == "high":
            result.error_many(rows, np.full(len(rows), j), reason)
        else:
            result.warn_many(rows, np.full(len(rows), j), reason, kind="rule")


def _children_sum(session: Session, children: list[str], code: str, cluster_id, period: Period, flow: bool) -> float | None:
    def rows(where):
        query = select(Observation.region_code, Observation.period, Observation.value).where(
            Observation.region_code.in_(children), Observation.indicator_code == code, Observation.value.is_not(None), *where)
        query = query.where(Observation.cluster_id.is_(None) if cluster_id is None else Observation.cluster_id == cluster_id)
        return session.execute(query).all()

    same = rows([Observation.period == period.key])
    if same:
        return sum(value for _, _, value in same)
    if not flow or period.type == "M":
        return None
    for finer in ("M", "Q") if period.type == "A" else ("M",):
        keys = {p.key for p in Period.all_of(finer, period.year)
                if period.first_day <= p.first_day and p.last_day <= period.last_day}
        found = [r for r in rows([Observation.period_type == finer, Observation.year == period.year]) if r[1] in keys]
        if found:
            by_child: dict[str, set] = {}
            for region, key, _ in found:
                by_child.setdefault(region, set()).add(key)
            complete = all(by_child.get(child) == keys for child in children)
            return sum(value for _, _, value in found) if complete else None
    return None


def stored_values(session: Session, unit: Region, period: Period, codes: list[str], cluster_ids: list[int]) -> dict:
    """The unit's stored values of the period, per (indicator, cluster id)."""
    query = select(Observation.indicator_code, Observation.cluster_id, Observation.value).where(
        Observation.region_code == unit.code, Observation.period == period.key, Observation.indicator_code.in_(codes))
    query = query.where(Observation.cluster_id.in_(cluster_ids)) if cluster_ids else query.where(Observation.cluster_id.is_(None))
    return {(code, cluster): value for code, cluster, value in session.execute(query)}


def _stored_matrix(session: Session, unit: Region, period: Period, codes: list[str], cluster_ids: list[int | None]) -> np.ndarray:
    stored = stored_values(session, unit, period, codes, [c for c in cluster_ids if c is not None])
    old = np.full((len(cluster_ids), len(codes)), np.nan)
    for i, cluster in enumerate(cluster_ids):
        for j, code in enumerate(codes):
            value = stored.get((code, cluster))
            if value is not None:
                old[i, j] = value
    return old


def _history(session: Session, unit: Region, period: Period, codes: list[str], cluster_ids: list[int | None]) -> np.ndarray:
    """The unit's earlier values of the same period type, rows × indicators × periods."""
    rows = session.execute(select(Observation.indicator_code, Observation.cluster_id, Observation.value).where(
        Observation.region_code == unit.code, Observation.period_type == period.type, Observation.period < period.key,
        Observation.indicator_code.in_(codes), Observation.value.is_not(None)))
    at_row, at_column = {c: i for i, c in enumerate(cluster_ids)}, {c: j for j, c in enumerate(codes)}
    history: dict[tuple[int, int], list[float]] = {}
    for code, cluster, value in rows:
        if cluster in at_row and value is not None:
            history.setdefault((at_row[cluster], at_column[code]), []).append(value)
    return history_matrix(len(cluster_ids), len(codes), history)
