"""Checking the values of one region's return, wherever they come from.

The Excel template, a CSV file, an SDMX-CSV file and the JSON API all arrive here as cells:
where the value was (so that a message can name it: "B5", or "line 7"), which indicator and
cluster it is for, and what was written. The checks are the same for all: an indicator of
the form, a cluster laid out in the unit's city, no value given twice, a number, within the
form's bounds, compared with what is stored (created, updated, unchanged), scored against the
unit's own history, and the validation rules on each row as it will stand after the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.numbers import parse_number
from clusterwatch.plans.models import Plan
from clusterwatch.plans.rule_syntax import parse_side
from clusterwatch.plans.units import UnitError, convert
from clusterwatch.problems import DryRun, Message, msg
from clusterwatch.regions.models import Region
from clusterwatch.regions.tree import region_tree
from clusterwatch.reporting.bounds import outside_bounds
from clusterwatch.reporting.models import OBS_STATUSES, Form, Observation, ValidationRule
from clusterwatch.reporting.outliers import is_outlier
from clusterwatch.reporting.periods import Period
from clusterwatch.reporting.queries import form_indicators, unit_clusters
from clusterwatch.reporting.rules import COMPARE, evaluate


@dataclass
class ReturnDryRun(DryRun):
    """What importing a return would do, whichever way it came in: the values it would create,
    change, leave or ignore, and its problems by cell (warnings of outliers and rules carry their
    indicator, cluster, score or rule). A region's return (ReturnPlan) and a return of firms
    (enterprise_returns.EnterpriseReturnPlan) add what each writes."""

    form: str
    unit: str
    period: str

    def summary(self) -> dict:
        return {"form": self.form, "unit": self.unit, "period": self.period, **super().summary()}


@dataclass
class ReturnPlan(ReturnDryRun):
    """A region's return: the dry run and the values it would write."""

    values: list[dict] = field(default_factory=list)


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


def check_values(session: Session, plan: Plan, result, *, form: Form, unit: Region, period: Period, cells: list[Cell]) -> None:
    """Add to `result` (a ReturnPlan) every value to write and every problem, by its cell."""
    indicators = {indicator.code: (item, indicator) for item, indicator in form_indicators(session, form)}
    clusters = {c.slug: c for c in unit_clusters(session, plan, form, unit) if c is not None}
    existing = stored_values(session, unit, period, list(indicators), [c.id for c in clusters.values()])
    history = _history(session, unit, period, list(indicators))
    seen: dict[tuple, Cell] = {}

    def error(cell: Cell, reason: Message) -> None:
        result.problems.error(reason, row=cell.row, column=cell.column, cell=cell.label)

    for cell in cells:
        if cell.indicator not in indicators:
            error(cell, msg("{indicator} is not an indicator of form {form} ({codes})", indicator=repr(cell.indicator),
                            form=form.code, codes=", ".join(indicators)))
            continue
        item, indicator = indicators[cell.indicator]
        if form.disaggregation == "cluster":
            cluster = clusters.get(cell.cluster or "")
            if cluster is None:
                error(cell, msg("cluster {slug} is not laid out in {region}", slug=repr(cell.cluster), region=unit.name_zh)
                      if cell.cluster else msg("form {form} is reported by cluster: say which", form=form.code))
                continue
        else:
            cluster = None
            if cell.cluster:
                error(cell, msg("form {form} is not reported by cluster; leave the cluster empty", form=form.code))
                continue
        if cell.status is not None and cell.status not in OBS_STATUSES:
            error(cell, msg("{status} is not an observation status (A, P, E, F, B or M)", status=repr(cell.status)))
            continue
        key = (indicator.code, cluster.id if cluster else None)
        if key in seen:
            # The indicator (and cluster) by their names, as the sheet shows them: data, not words to translate.
            name = " · ".join([indicator.name_zh, cluster.name_zh] if cluster else [indicator.name_zh])
            error(cell, msg("{indicator} is also given at {place}", indicator=name, place=seen[key].label))
            continue
        seen[key] = cell
        raw = cell.raw
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            result.ignored += 1
            continue
        asked = item.unit or indicator.unit
        value = parse_number(raw)
        if value is None:
            error(cell, msg("{value} is not a number (write the figure in {unit}, without units or text)", value=repr(raw),
                            unit=asked))
            continue
        if cell.unit and cell.unit != asked:
            # A stated unit is converted by the table of units, never guessed from the size.
            try:
                value = convert(value, cell.unit, asked)
            except UnitError as exc:
                error(cell, msg("{name} is in {unit}: {problem}", name=indicator.name_zh, unit=asked, problem=exc.message))
                continue
        outside = next(outside_bounds(np.array([value]), low=item.min_value, high=item.max_value, unit=asked), None)
        if outside is not None:
            error(cell, outside[1])
            continue
        if asked != indicator.unit:
            value = convert(value, asked, indicator.unit)
        old = existing.get(key)
        if old is not None and abs(old - value) < 1e-9:
            result.unchanged += 1
            continue
        if old is None:
            result.created += 1
        else:
            result.updated += 1
        # Only new and changed values are checked against the unit's history.
        flagged, score = is_outlier(value, history.get(key, []))
        if flagged:
            assert score is not None  # is_outlier flags only a value it could score
            result.problems.warn(
                msg("{value} is far from this unit's own history (modified z-score {score}): check it, or explain it when submitting",
                    value=format(value, "g"), score=format(score, ".1f")),
                row=cell.row, column=cell.column, cell=cell.label, indicator=indicator.code,
                cluster=cluster.slug if cluster else None, score=round(score, 2))
        result.values.append({"indicator": indicator.code, "cluster_id": key[1], "value": value, "old": old,
                              "status": cell.status})
    _check_rules(session, plan, result, list(indicators), clusters, seen, existing)
    _check_children_rules(session, plan, result, unit, period, list(indicators), clusters, seen, existing)


def _check_rules(session: Session, plan: Plan, result, codes: list[str], clusters: dict, seen: dict, existing: dict) -> None:
    """Validation rules on each row (a cluster, or the unit) whose values change, with the
    values as they will stand after the import; a failure is named at the cell of the rule's
    first indicator in that row (or the row's first cell when that one was not given)."""
    rules = [r for r in session.scalars(select(ValidationRule).where(ValidationRule.plan_id == plan.id,
                                                                      ValidationRule.scope == "row"))
             if all(code in codes for side in (r.left, r.right) for _, code in parse_side(side))]
    if not rules:
        return
    slugs = {c.id: slug for slug, c in clusters.items()}
    new = {(v["indicator"], v["cluster_id"]): v["value"] for v in result.values}
    for cluster_id in dict.fromkeys(cluster for _, cluster in new):
        row_values = {code: new.get((code, cluster_id), existing.get((code, cluster_id))) for code in codes}
        first = next(seen[key] for key in seen if key[1] == cluster_id)
        for rule in rules:
            holds, left, right = evaluate(rule, row_values)
            if holds is False:
                code = parse_side(rule.left)[0][1]
                cell = seen.get((code, cluster_id), first)
                assert left is not None and right is not None  # a rule that holds not is one that was evaluated
                reason = msg("{rule}: {left} {op} {right} fails ({a} vs {b})", rule=rule.name_zh, left=rule.left,
                             op=rule.operator, right=rule.right, a=format(left, "g"), b=format(right, "g"))
                report = result.problems.error if rule.importance == "high" else result.problems.warn
                report(reason, row=cell.row, column=cell.column, cell=cell.label, rule=rule.code, indicator=code,
                       cluster=slugs.get(cluster_id))


def _check_children_rules(session: Session, plan: Plan, result, unit: Region, period: Period, codes: list[str],
                          clusters: dict, seen: dict, existing: dict) -> None:
    """Rules over child regions: the unit's `left` (as it will stand after the import) against
    the sum of its child regions' stored `right` for the same period and cluster, within the
    rule's tolerance (per cent of the right side). A yearly figure of a flow indicator is
    compared with the children's months (or quarters) when they report those instead, and
    only when every child has every one of them: an incomplete sum says nothing."""
    from clusterwatch.plans.models import Indicator

    rules = [r for r in session.scalars(select(ValidationRule).where(ValidationRule.plan_id == plan.id,
                                                                      ValidationRule.scope == "children"))
             if parse_side(r.left)[0][1] in codes]
    children = region_tree(session).children.get(unit.code, [])
    if not rules or not children:
        return
    slugs = {c.id: slug for slug, c in clusters.items()}
    new = {(v["indicator"], v["cluster_id"]): v["value"] for v in result.values}
    for rule in rules:
        left_code, right_code = parse_side(rule.left)[0][1], parse_side(rule.right)[0][1]
        indicator = session.get(Indicator, right_code)
        assert indicator is not None  # the plan's loader refuses a rule naming an unknown indicator
        flow = indicator.flow
        for (code, cluster_id), value in new.items():
            if code != left_code:
                continue
            total = _children_sum(session, children, right_code, cluster_id, period, flow)
            if total is None:
                continue  # no (complete) figures of the children: nothing to compare
            margin = abs(total) * rule.tolerance / 100
            holds = bool(COMPARE[rule.operator](np.asarray(value), np.asarray(total))) or abs(value - total) <= margin
            if holds:
                continue
            cell = seen[(code, cluster_id)]
            reason = msg("{rule}: {left} {op} the sum of {n} child regions' {right} (within {tol}%) fails ({a} vs {b})",
                         rule=rule.name_zh, left=rule.left, op=rule.operator, n=len(children), right=rule.right,
                         tol=format(rule.tolerance, "g"), a=format(value, "g"), b=format(total, "g"))
            report = result.problems.error if rule.importance == "high" else result.problems.warn
            report(reason, row=cell.row, column=cell.column, cell=cell.label, rule=rule.code, indicator=code,
                   cluster=slugs.get(cluster_id))


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


def _history(session: Session, unit: Region, period: Period, codes: list[str]) -> dict:
    """The unit's earlier values of the same period type, per (indicator, cluster)."""
    rows = session.execute(select(Observation.indicator_code, Observation.cluster_id, Observation.value).where(
        Observation.region_code == unit.code, Observation.period_type == period.type, Observation.period < period.key,
        Observation.indicator_code.in_(codes), Observation.value.is_not(None)))
    history: dict = {}
    for code, cluster, value in rows:
        history.setdefault((code, cluster), []).append(value)
    return history
