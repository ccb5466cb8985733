"""Values of a form as rows, not as a template: CSV, SDMX-CSV 2.0 and JSON.

Statistics systems export rows (unit, period, indicator, cluster, value); a file or a JSON
body of such rows may hold many units and periods. Each row is checked exactly as a template's
cell is (values.py) and named by its line (or its position in the JSON list); the rows are
grouped into returns (one per unit and period), each with the reporter's rights and the
period's entry window checked; the dry run sums what every return would do, and the import
writes all of them in one transaction, or nothing. docs/data-exchange.md gives the formats.

Returns of firms (level: enterprise) come as the Excel template for now.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from clusterwatch.accounts.permissions import can
from clusterwatch.errors import NotAllowed, NotFound
from clusterwatch.plans.models import Plan
from clusterwatch.problems import BadInput, Message, Problem, Problems, msg
from clusterwatch.reporting.models import Form
from clusterwatch.reporting.periods import open_period
from clusterwatch.reporting.queries import form_by_code, reporting_unit
from clusterwatch.reporting.region_returns import import_region_return
from clusterwatch.reporting.values import Cell, ReturnPlan, check_values
from clusterwatch.tabular import decode

FIELDS = ("unit", "period", "indicator", "cluster", "value", "status", "unit_measure")
SDMX_FIXED = ("STRUCTURE", "STRUCTURE_ID", "ACTION")
SDMX_FIELDS = {"REF_AREA": "unit", "TIME_PERIOD": "period", "INDICATOR": "indicator", "CLUSTER": "cluster",
               "OBS_VALUE": "value", "OBS_STATUS": "status", "UNIT_MEASURE": "unit_measure"}
NOT_APPLICABLE = "_Z"  # SDMX's code for a dimension that does not apply (no cluster)
MAX_ROWS = 200_000


@dataclass
class Row:
    line: int  # the line of the file, or the position in the JSON list
    fields: dict
    columns: dict  # field → the column name the source used, for messages
    in_json: bool = False  # an item of a JSON list, named by its path (values[3]); else a line of a file

    def cell(self, column: str) -> str | Message:
        """How messages name a field of the row: "line 7, value" (in words), or "values[3], value" (a path)."""
        return f"values[{self.line}], {column}" if self.in_json else msg("line {n}, {column}", n=self.line, column=column)


@dataclass
class ExchangePlan:
    """What importing the rows would do: one ReturnPlan per unit and period, and problems of
    rows that belong to no return (an unknown unit, a period that is not open)."""

    form: str
    returns: list[ReturnPlan] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)  # of rows that belong to no return

    @property
    def errors(self) -> list[Problem]:
        """Every error: of rows that belong to no return, then of each return."""
        return self.problems.errors + [e for r in self.returns for e in r.errors]

    @property
    def warnings(self) -> list[Problem]:
        return [w for r in self.returns for w in r.warnings]

    def summary(self) -> dict:
        totals = {k: sum(getattr(r, k) for r in self.returns) for k in ("created", "updated", "unchanged", "ignored")}
        errors = [e.as_dict() for e in self.problems.errors] + [{**e.as_dict(), "unit": r.unit, "period": r.period}
                                                                 for r in self.returns for e in r.errors]
        warnings = [{**w.as_dict(), "unit": r.unit, "period": r.period} for r in self.returns for w in r.warnings]
        return {"form": self.form, **totals, "returns": [{"unit": r.unit, "period": r.period, "created": r.created,
                                                          "updated": r.updated, "unchanged": r.unchanged, "ignored": r.ignored}
                                                         for r in self.returns],
                "errors": sorted(errors, key=lambda e: e["row"]), "warnings": sorted(warnings, key=lambda w: w["row"])}

    @property
    def error_count(self) -> int:
        return self.problems.error_count + sum(r.error_count for r in self.returns)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0


def rows_from_csv(content: bytes, filename: str) -> tuple[list[Row], str]:
    """Rows of a clusterwatch CSV or an SDMX-CSV 2.0 file (told apart by the header), and which."""
    text = decode(content, filename)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BadInput("file", msg("{file}: the file is empty", file=filename)) from None
    sdmx = header[:3] == list(SDMX_FIXED)
    mapping = _sdmx_columns(header, filename) if sdmx else _csv_columns(header, filename)
    rows = []
    for line, record in enumerate(reader, start=2):
        if not any(v.strip() for v in record):
            continue
        if len(record) != len(header):
            raise BadInput("file", msg("{file}, line {line}: {n} fields where the header has {m}", file=filename, line=line,
                                       n=len(record), m=len(header)))
        values = dict(zip(header, (v.strip() for v in record)))
        # The cells by field name, and for SDMX-CSV its three fixed columns as one tuple.
        fields: dict[str, str | tuple[str, str, str]] = {name: values[column] for column, name in mapping.items()}
        if sdmx:
            fields["_sdmx"] = (values["STRUCTURE"], values["STRUCTURE_ID"], values["ACTION"])
            if fields.get("cluster") == NOT_APPLICABLE:
                fields["cluster"] = ""
        rows.append(Row(line=line, fields=fields, columns={v: k for k, v in mapping.items()}))
        if len(rows) > MAX_ROWS:
            raise BadInput("file", msg("{file}: more than {n} rows; split the file", file=filename, n=MAX_ROWS))
    if not rows:
        # A header alone would "import" nothing and answer that it did.
        raise BadInput("file", msg("{file}: only the header, no rows of values below it", file=filename))
    return rows, "sdmx-csv" if sdmx else "csv"


def rows_from_json(values: list) -> list[Row]:
    if not isinstance(values, list):
        raise BadInput("values", msg("a list of {fields} objects", fields="{unit, period, indicator, cluster, value}"))
    if len(values) > MAX_ROWS:
        raise BadInput("values", msg("more than {n} values; send them in parts", n=MAX_ROWS))
    if not values:
        raise BadInput("values", msg("no values: send at least one {fields} object", fields="{unit, period, indicator, cluster, value}"))
    rows = []
    for i, item in enumerate(values):
        if not isinstance(item, dict):
            raise BadInput(f"values[{i}]", msg("an object with unit, period, indicator, cluster and value"))
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            raise BadInput(f"values[{i}].{unknown[0]}", msg("not a field of a value ({fields})", fields=", ".join(FIELDS)))
        fields = {k: ("" if item.get(k) is None else item[k] if k == "value" else str(item[k]).strip()) for k in FIELDS}
        rows.append(Row(line=i, fields=fields, columns={k: k for k in FIELDS}, in_json=True))
    return rows


def check_rows(session: Session, plan: Plan, *, form_code: str, rows: list[Row], user, today: dt.date) -> ExchangePlan:
    """Every row checked and grouped into returns: a dry run."""
    form = form_by_code(session, plan, form_code)
    if form.level == "enterprise":
        raise BadInput("form", msg("returns of firms ({form}) come as the form's Excel template", form=form.code))
    result = ExchangePlan(form=form.code)
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        problem = _row_problem(row, form)
        if problem:
            column, reason = problem
            result.problems.error(reason, row=row.line, column=column, cell=row.cell(column))
            continue
        groups.setdefault((row.fields["unit"], row.fields["period"]), []).append(row)
    for (unit_code, period_key), members in sorted(groups.items()):
        first = members[0]
        try:
            unit = reporting_unit(session, form, unit_code)
            if not can(user, "report", session=session, region=unit.code):
                raise NotAllowed("report", msg("you may not report for {region} ({code})", region=unit.name_zh, code=unit.code))
            period = open_period(form, period_key, today)
        except (BadInput, NotFound, NotAllowed) as exc:
            column = first.columns["unit" if isinstance(exc, (NotFound, NotAllowed)) or exc.field == "unit" else "period"]
            reason = exc.reason if isinstance(exc, NotAllowed) else exc.message
            for row in members:
                result.problems.error(reason, row=row.line, column=column, cell=row.cell(column))
            continue
        plan_of_return = ReturnPlan(form=form.code, unit=unit.code, period=period.key)
        cells = [Cell(row=row.line, column=row.columns["value"], label=row.cell(row.columns["value"]),
                      indicator=row.fields["indicator"], cluster=row.fields.get("cluster") or None, raw=row.fields["value"],
                      status=row.fields.get("status") or None, unit=row.fields.get("unit_measure") or None) for row in members]
        check_values(session, plan, plan_of_return, form=form, unit=unit, period=period, cells=cells)
        result.returns.append(plan_of_return)
    return result


def import_rows(session: Session, plan: Plan, *, result: ExchangePlan, user, reason: str) -> ExchangePlan:
    """Write every return of a checked set of rows in the caller's transaction, or nothing."""
    if result.has_errors:
        raise BadInput("values", msg("{n} problem(s); nothing was imported", n=result.error_count))
    for plan_of_return in result.returns:
        import_region_return(session, plan, result=plan_of_return, user=user, reason=reason)
    return result


def _row_problem(row: Row, form: Form) -> tuple[str, Message] | None:
    fields = row.fields
    if "_sdmx" in fields:
        structure, structure_id, action = fields["_sdmx"]
        expected = sdmx_structure_id(form)
        if structure.lower() not in ("dataflow", "datastructure"):
            return "STRUCTURE", msg("{value}: write dataflow", value=repr(structure))
        if structure_id != expected:
            return "STRUCTURE_ID", msg("{value} is not this form's dataflow: write {expected}", value=repr(structure_id),
                                       expected=expected)
        if action not in ("I", "A", "R", ""):
            return "ACTION", msg("{value}: only I (information), A (append) and R (replace) are taken; values are not deleted by import",
                                 value=repr(action))
    for name in ("unit", "period", "indicator"):
        if not fields.get(name):
            return row.columns.get(name, name), msg("the {field} is missing", field=msg(name))
    return None


def sdmx_structure_id(form: Form) -> str:
    return f"CW:{form.code.upper().replace('-', '_')}(1.0)"


def _csv_columns(header: list[str], filename: str) -> dict:
    missing = [name for name in ("unit", "period", "indicator", "value") if name not in header]
    if missing:
        raise BadInput("file", msg("{file}: the header lacks {names} (columns: {columns})", file=filename,
                                   names=", ".join(missing), columns=", ".join(FIELDS)))
    unknown = [h for h in header if h not in FIELDS]
    if unknown:
        raise BadInput("file", msg("{file}: {names} is not a column (columns: {columns})", file=filename,
                                   names=", ".join(repr(h) for h in unknown), columns=", ".join(FIELDS)))
    return {name: name for name in header}


def _sdmx_columns(header: list[str], filename: str) -> dict:
    needed = ["REF_AREA", "TIME_PERIOD", "INDICATOR", "OBS_VALUE"]
    missing = [name for name in needed if name not in header]
    if missing:
        raise BadInput("file", msg("{file}: an SDMX-CSV file of this platform has the columns {columns}; {names} is missing",
                                   file=filename, columns=", ".join(SDMX_FIXED + tuple(SDMX_FIELDS)), names=", ".join(missing)))
    unknown = [h for h in header[3:] if h not in SDMX_FIELDS]
    if unknown:
        raise BadInput("file", msg("{file}: {names} is not a dimension or attribute of the dataflow", file=filename,
                                   names=", ".join(repr(h) for h in unknown)))
    return {column: SDMX_FIELDS[column] for column in header[3:]}
