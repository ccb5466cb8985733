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
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.db import driver_rows
from clusterwatch.enterprises.evaluation.scheme import INPUT_UNITS, Scheme
from clusterwatch.enterprises.models import Enterprise, EnterpriseCluster
from clusterwatch.plans.models import Cluster, Plan
from clusterwatch.plans.units import convert
from clusterwatch.problems import BadInput, msg
from clusterwatch.reporting.firm_values import approved_values
from clusterwatch.reporting.models import Form
from clusterwatch.reporting.queries import form_indicators

SIZE_CLASS = {True: "above", False: "below"}  # 规上 / 规下


@dataclass
class Inputs:
    table: pa.Table  # enterprise_id, pool, unrated, region_code, and the inputs
    registered: int  # firms in the register
    without_return: int  # registered firms with no approved return for the year


def read_inputs(session: Session, plan: Plan, scheme: Scheme, year: int) -> Inputs:
    form = session.scalar(select(Form).where(Form.plan_id == plan.id, Form.code == scheme.source_form))
    if form is None or form.level != "enterprise" or form.period_type != "A":
        raise BadInput("source_form", msg("{form} is not an annual form of firms in plan {plan}", form=repr(scheme.source_form),
                                          plan=plan.code))
    columns = _form_columns(session, form)
    firm_ids, matrix = approved_values(session, form, str(year), [code for code, _ in columns])
    connection = session.connection()
    register = driver_rows(connection, select(Enterprise.id, Enterprise.region_code, Enterprise.above_scale,
                                              Enterprise.land_mu, Enterprise.founded, Enterprise.exempt_reason)
                           .order_by(Enterprise.id))
    main_cluster = dict(driver_rows(connection, select(EnterpriseCluster.enterprise_id, Cluster.slug)
                                    .join(Cluster, Cluster.id == EnterpriseCluster.cluster_id)
                                    .where(EnterpriseCluster.position == 0, Cluster.plan_id == plan.id)))
    # The register as Arrow columns; the firms with a return picked from it by id. Whole columns
    # at a time: a province's 100,000 firms are read twice a run (the year and the year before).
    ids, counties, above, land, founded, exempt = (list(column) for column in zip(*register)) if register else ([],) * 6
    at = pc.index_in(pa.array(firm_ids, pa.int64()), pa.array(ids, pa.int64()))
    keep = pc.is_valid(at).to_numpy(zero_copy_only=False)
    firm_ids, matrix, at = firm_ids[keep], matrix[keep], pc.drop_null(at)

    def pick(values, kind) -> pa.Array:
        return pc.take(pa.array(values, kind), at)

    # A firm is rated from its first full year: founded on or before the year's end less the
    # scheme's minimum age. SQLite hands dates back as text, PostgreSQL as dates: both cast.
    youngest = dt.date(year, 12, 31) - dt.timedelta(days=round(365.25 * scheme.unrated.younger_than_years))
    born = pc.cast(pick([None if f is None else str(f)[:10] for f in founded], pa.string()), pa.date32())
    unrated = pc.or_(pc.is_valid(pick(exempt, pa.string())), pc.fill_null(pc.greater(born, pa.scalar(youngest)), False))
    county = pick(counties, pa.string())
    data = {"enterprise_id": pa.array(firm_ids, pa.int64()),
            "pool": _pools(scheme, county, pick([bool(a) for a in above], pa.bool_()),
                           pick([main_cluster.get(i) for i in ids], pa.string())),
            "unrated": unrated, "region_code": county}
    for name in INPUT_UNITS:
        if name == "land_mu":
            data[name] = pick(land, pa.float64())
            continue
        where = next((j for j, (code, _) in enumerate(columns) if code == name), None)
        if where is None:
            data[name] = pa.nulls(len(firm_ids), pa.float64())
            continue
        values = matrix[:, where] * convert(1.0, columns[where][1], INPUT_UNITS[name])
        # Missing figures are nulls (NaN would be a number to the engine).
        data[name] = pa.array(values, pa.float64(), mask=np.isnan(values))
    return Inputs(table=pa.table(data), registered=len(register), without_return=len(register) - len(firm_ids))


def _form_columns(session: Session, form: Form) -> list[tuple[str, str]]:
    """The form's indicators in order, each with the unit its stored values are in (the indicator's)."""
    return [(indicator.code, indicator.unit) for _, indicator in form_indicators(session, form)]


def _pools(scheme: Scheme, county: pa.Array, above: pa.Array, cluster: pa.Array) -> pa.Array:
    """Each firm's pool: its keys by the scheme's pool rules, joined by "·" (above·440106·robotics)."""
    parts = []
    for key in scheme.pools:
        if key == "size_class":
            parts.append(pc.if_else(above, SIZE_CLASS[True], SIZE_CLASS[False]))
        elif key == "county":
            parts.append(county)
        else:
            parts.append(pc.fill_null(cluster, "-"))
    return parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "·")
