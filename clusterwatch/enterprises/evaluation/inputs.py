"""The evaluation's inputs read from the platform's database, as the Arrow table engine.py takes.

One row per registered firm with an approved annual return for the year: its pool (by the
scheme's pool keys), whether it is rated, and the scheme's inputs in the scheme's units (the
returns hold money in the indicators' units, 亿元; the benchmarks speak of 万元). Land comes
from the register. A firm without an approved return that year is not evaluated; it is
counted, so a run says how many it left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.db import driver_rows
from clusterwatch.enterprises.evaluation.scheme import INPUT_UNITS, Scheme
from clusterwatch.enterprises.models import Enterprise, EnterpriseCluster
from clusterwatch.errors import BadInput
from clusterwatch.plans.models import Cluster, Plan
from clusterwatch.plans.units import convert
from clusterwatch.reporting.enterprise_returns import approved_values
from clusterwatch.reporting.models import Form
from clusterwatch.reporting.returns import form_indicators

SIZE_CLASS = {True: "above", False: "below"}  # 规上 / 规下


@dataclass
class Inputs:
    table: pa.Table  # enterprise_id, pool, unrated, region_code, and the inputs
    registered: int  # firms in the register
    without_return: int  # registered firms with no approved return for the year


def read_inputs(session: Session, plan: Plan, scheme: Scheme, year: int) -> Inputs:
    form = session.scalar(select(Form).where(Form.plan_id == plan.id, Form.code == scheme.source_form))
    if form is None or form.level != "enterprise" or form.period_type != "A":
        raise BadInput("source_form", f"{scheme.source_form!r} is not an annual form of firms in plan {plan.code}")
    columns = _form_columns(session, form)
    firm_ids, matrix = approved_values(session, form, str(year), [code for code, _ in columns])
    connection = session.connection()
    register = driver_rows(connection, select(Enterprise.id, Enterprise.region_code, Enterprise.above_scale,
                                              Enterprise.land_mu, Enterprise.founded, Enterprise.exempt_reason)
                           .order_by(Enterprise.id))
    main_cluster = dict(driver_rows(connection, select(EnterpriseCluster.enterprise_id, Cluster.slug)
                                    .join(Cluster, Cluster.id == EnterpriseCluster.cluster_id)
                                    .where(EnterpriseCluster.position == 0, Cluster.plan_id == plan.id)))
    firm = {row[0]: row for row in register}
    keep = np.array([int(i) in firm for i in firm_ids], dtype=bool)
    firm_ids, matrix = firm_ids[keep], matrix[keep]
    # A firm is rated from its first full year: founded on or before the year's end less the
    # scheme's minimum age. SQLite hands dates back as text; both are read the same way.
    youngest = dt.date(year, 12, 31) - dt.timedelta(days=round(365.25 * scheme.unrated.younger_than_years))
    rows = [firm[int(i)] for i in firm_ids]
    founded = [_date(r[4]) for r in rows]
    unrated = [bool(r[5]) or (f is not None and f > youngest) for r, f in zip(rows, founded)]
    pools = [_pool(scheme, r, main_cluster.get(r[0])) for r in rows]
    data = {"enterprise_id": pa.array(firm_ids, pa.int64()), "pool": pa.array(pools, pa.string()),
            "unrated": pa.array(unrated, pa.bool_()), "region_code": pa.array([r[1] for r in rows], pa.string())}
    for name in INPUT_UNITS:
        if name == "land_mu":
            data[name] = pa.array([r[3] if r[3] is not None else None for r in rows], pa.float64())
            continue
        where = next((j for j, (code, _) in enumerate(columns) if code == name), None)
        if where is None:
            data[name] = pa.nulls(len(rows), pa.float64())
            continue
        values = matrix[:, where] * convert(1.0, columns[where][1], INPUT_UNITS[name])
        # Missing figures are nulls (NaN would be a number to the engine).
        data[name] = pa.array(values, pa.float64(), mask=np.isnan(values))
    return Inputs(table=pa.table(data), registered=len(register), without_return=len(register) - len(rows))


def _form_columns(session: Session, form: Form) -> list[tuple[str, str]]:
    """The form's indicators in order, each with the unit its stored values are in (the indicator's)."""
    return [(indicator.code, indicator.unit) for _, indicator in form_indicators(session, form)]


def _pool(scheme: Scheme, row: tuple, cluster: str | None) -> str:
    parts = []
    for key in scheme.pools:
        if key == "size_class":
            parts.append(SIZE_CLASS[bool(row[2])])
        elif key == "county":
            parts.append(row[1])
        else:
            parts.append(cluster or "-")
    return "·".join(parts)


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
