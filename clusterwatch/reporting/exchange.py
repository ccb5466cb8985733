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
from clusterwatch.errors import BadInput, NotAllowed, NotFound
from clusterwatch.plans.models import Plan
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
    place: str  # "line 7" or "values[3]": how messages name it
    line: int
    fields: dict
    columns: dict  # field → the column name the source used, for messages


@dataclass
class ExchangePlan:
    """What importing the rows would do: one ReturnPlan per unit and period, and problems of
    rows that belong to no return (an unknown unit, a period that is not open)."""

    form: str
    returns: list[ReturnPlan] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        totals = {k: sum(getattr(r, k) for r in self.returns) for k in ("created", "updated", "unchanged", "ignored")}
        errors = self.errors + [{**e, "unit": r.unit, "period": r.period} for r in self.returns for e in r.errors]
        warnings = [{**w, "unit": r.unit, "period": r.period} for r in self.returns for w in r.warnings]
        return {"form": self.form, **totals, "returns": [{"unit": r.unit, "period": r.period, "created": r.created,
                                                          "updated": r.updated, "unchanged": r.unchanged, "ignored": r.ignored}
                                                         for r in self.returns],
                "errors": sorted(errors, key=lambda e: e["row"]), "warnings": sorted(warnings, key=lambda w: w["row"])}

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.errors for r in self.returns)


def rows_from_csv(content: bytes, filename: str) -> tuple[list[Row], str]:
    """Rows of a clusterwatch CSV or an SDMX-CSV 2.0 file (told apart by the header), and which."""
    text = decode(content, filename)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BadInput("file", f"{filename}: the file is empty") from None
    sdmx = header[:3] == list(SDMX_FIXED)
    mapping = _sdmx_columns(header, filename) if sdmx else _csv_columns(header, filename)
    rows = []
    for line, record in enumerate(reader, start=2):
        if not any(v.strip() for v in record):
            continue
        if len(record) != len(header):
            raise BadInput("file", f"{filename}, line {line}: {len(record)} fields where the header has {len(header)}")
        values = dict(zip(header, (v.strip() for v in record)))
        # The cells by field name, and for SDMX-CSV its three fixed columns as one tuple.
        fields: dict[str, str | tuple[str, str, str]] = {name: values[column] for column, name in mapping.items()}
        if sdmx:
            fields["_sdmx"] = (values["STRUCTURE"], values["STRUCTURE_ID"], values["ACTION"])
            if fields.get("cluster") == NOT_APPLICABLE:
                fields["cluster"] = ""
        rows.append(Row(place=f"line {line}", line=line, fields=fields, columns={v: k for k, v in mapping.items()}))
        if len(rows) > MAX_ROWS:
            raise BadInput("file", f"{filename}: more than {MAX_ROWS} rows; split the file")
    return rows, "sdmx-csv" if sdmx else "csv"


def rows_from_json(values: list) -> list[Row]:
    if not isinstance(values, list):
        raise BadInput("values", "a list of {unit, period, indicator, cluster, value} objects")
    if len(values) > MAX_ROWS:
        raise BadInput("values", f"more than {MAX_ROWS} values; send them in parts")
    rows = []
    for i, item in enumerate(values):
        if not isinstance(item, dict):
            raise BadInput(f"values[{i}]", "an object with unit, period, indicator, cluster and value")
        unknown = sorted(set(item) - set(FIELDS))
        if unknown:
            raise BadInput(f"values[{i}].{unknown[0]}", f"not a field of a value ({', '.join(FIELDS)})")
        fields = {k: ("" if item.get(k) is None else item[k] if k == "value" else str(item[k]).strip()) for k in FIELDS}
        rows.append(Row(place=f"values[{i}]", line=i, fields=fields, columns={k: k for k in FIELDS}))
    return rows


def check_rows(session: Session, plan: Plan, *, form_code: str, rows: list[Row], user, today: dt.date) -> ExchangePlan:
    """Every row checked and grouped into returns: a dry run."""
    form = form_by_code(session, plan, form_code)
    if form.level == "enterprise":
        raise BadInput("form", f"returns of firms ({form.code}) come as the form's Excel template")
    result = ExchangePlan(form=form.code)
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        problem = _row_problem(row, form)
        if problem:
            column, reason = problem
            result.errors.append({"row": row.line, "column": column, "cell": f"{row.place}, {column}", "reason": reason})
            continue
        groups.setdefault((row.fields["unit"], row.fields["period"]), []).append(row)
    for (unit_code, period_key), members in sorted(groups.items()):
        first = members[0]
        try:
            unit = reporting_unit(session, form, unit_code)
            if not can(user, "report", session=session, region=unit.code):
                raise NotAllowed("report", f"you may not report for {unit.name_zh} ({unit.code})")
            period = open_period(form, period_key, today)
        except (BadInput, NotFound, NotAllowed) as exc:
            column = first.columns["unit" if isinstance(exc, (NotFound, NotAllowed)) or exc.field == "unit" else "period"]
            reason = exc.reason if isinstance(exc, NotAllowed) else exc.message if isinstance(exc, BadInput) else str(exc)
            for row in members:
                result.errors.append({"row": row.line, "column": column, "cell": f"{row.place}, {column}", "reason": reason})
            continue
        plan_of_return = ReturnPlan(form=form.code, unit=unit.code, period=period.key)
        cells = [Cell(row=row.line, column=row.columns["value"], label=f"{row.place}, {row.columns['value']}",
                      indicator=row.fields["indicator"], cluster=row.fields.get("cluster") or None, raw=row.fields["value"],
                      status=row.fields.get("status") or None, unit=row.fields.get("unit_measure") or None) for row in members]
        check_values(session, plan, plan_of_return, form=form, unit=unit, period=period, cells=cells)
        result.returns.append(plan_of_return)
    return result


def import_rows(session: Session, plan: Plan, *, result: ExchangePlan, user, reason: str) -> ExchangePlan:
    """Write every return of a checked set of rows in the caller's transaction, or nothing."""
    if result.has_errors:
        count = len(result.summary()["errors"])
        raise BadInput("values", f"{count} problem(s); nothing was imported")
    for plan_of_return in result.returns:
        import_region_return(session, plan, result=plan_of_return, user=user, reason=reason)
    return result


def _row_problem(row: Row, form: Form) -> tuple[str, str] | None:
    fields = row.fields
    if "_sdmx" in fields:
        structure, structure_id, action = fields["_sdmx"]
        expected = sdmx_structure_id(form)
        if structure.lower() not in ("dataflow", "datastructure"):
            return "STRUCTURE", f"{structure!r}: write dataflow"
        if structure_id != expected:
            return "STRUCTURE_ID", f"{structure_id!r} is not this form's dataflow: write {expected}"
        if action not in ("I", "A", "R", ""):
            return "ACTION", f"{action!r}: only I (information), A (append) and R (replace) are taken; values are not deleted by import"
    for name in ("unit", "period", "indicator"):
        if not fields.get(name):
            return row.columns.get(name, name), f"the {name} is missing"
    return None


def sdmx_structure_id(form: Form) -> str:
    return f"CW:{form.code.upper().replace('-', '_')}(1.0)"


def _csv_columns(header: list[str], filename: str) -> dict:
    missing = [name for name in ("unit", "period", "indicator", "value") if name not in header]
    if missing:
        raise BadInput("file", f"{filename}: the header lacks {', '.join(missing)} (columns: {', '.join(FIELDS)})")
    unknown = [h for h in header if h not in FIELDS]
    if unknown:
        raise BadInput("file", f"{filename}: {', '.join(repr(h) for h in unknown)} is not a column (columns: {', '.join(FIELDS)})")
    return {name: name for name in header}


def _sdmx_columns(header: list[str], filename: str) -> dict:
    needed = ["REF_AREA", "TIME_PERIOD", "INDICATOR", "OBS_VALUE"]
    missing = [name for name in needed if name not in header]
    if missing:
        raise BadInput("file", f"{filename}: an SDMX-CSV file of this platform has the columns {', '.join(SDMX_FIXED + tuple(SDMX_FIELDS))}; "
                               f"{', '.join(missing)} is missing")
    unknown = [h for h in header[3:] if h not in SDMX_FIELDS]
    if unknown:
        raise BadInput("file", f"{filename}: {', '.join(repr(h) for h in unknown)} is not a dimension or attribute of the dataflow")
    return {column: SDMX_FIELDS[column] for column in header[3:]}
