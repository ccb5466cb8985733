"""Stored schemes (versioned) and runs: evaluate a year from the database and keep every result.

A run reads the year's approved returns and the register (inputs.py), evaluates them with
engine.py, and stores one result per firm with its breakdown and the change from the firm's
class in the year before under the same scheme code. Running a year again with the same
scheme version replaces its results, in the caller's transaction: all or nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time

import pyarrow as pa
import pyarrow.compute as pc
import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clusterwatch import free_text
from clusterwatch.audit import trail
from clusterwatch.db import bulk_insert, driver_rows
from clusterwatch.enterprises.evaluation.engine import evaluate
from clusterwatch.enterprises.evaluation.inputs import read_inputs
from clusterwatch.enterprises.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme
from clusterwatch.enterprises.evaluation.scheme import SCHEMES, Scheme, parse_scheme
from clusterwatch.errors import NotFound
from clusterwatch.plans.models import Plan
from clusterwatch.problems import BadInput, msg, msgid
from clusterwatch.reporting.periods import check_year

DEFAULT_SCHEME = "per-mu-default"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def scheme_versions(session: Session, code: str = DEFAULT_SCHEME) -> list[EvaluationScheme]:
    """The stored versions of a scheme, newest first; the shipped file is stored as version 1
    the first time it is asked for."""
    rows = list(session.scalars(select(EvaluationScheme).where(EvaluationScheme.code == code)
                                .order_by(EvaluationScheme.version.desc())))
    if rows:
        return rows
    path = SCHEMES / f"{code}.yaml"
    if not path.exists():
        raise NotFound(msgid("evaluation scheme"), code)
    scheme = parse_scheme(yaml.safe_load(path.read_text(encoding="utf-8")))
    stored = EvaluationScheme(code=scheme.code, version=scheme.version, body=scheme.model_dump(mode="json"),
                              note="shipped with clusterwatch", created_at=_now())
    session.add(stored)
    session.flush()
    return [stored]


def current_scheme(session: Session, code: str = DEFAULT_SCHEME) -> tuple[EvaluationScheme, Scheme]:
    stored = scheme_versions(session, code)[0]
    return stored, Scheme.model_validate(stored.body)


def save_scheme_version(session: Session, data: dict, *, user=None, note: str = "", channel: str = "api") -> EvaluationScheme:
    """A new version of a scheme from plain data (a file's or a form's). Refused with every
    problem named by its field (BadInput.problems) and nothing stored when it is not right."""
    if not isinstance(data, dict):
        raise BadInput("scheme", msg("a scheme is an object of fields (code, indicators, benchmark, classing, …)"))
    code = data.get("code")
    latest = session.scalar(select(func.max(EvaluationScheme.version)).where(EvaluationScheme.code == code)) \
        if isinstance(code, str) else None
    if latest is None and isinstance(code, str) and (SCHEMES / f"{code}.yaml").exists():
        latest = scheme_versions(session, code)[0].version
    scheme = parse_scheme({**data, "version": (latest or 0) + 1})
    note = free_text.optional("note", note, limit=free_text.REASON_LIMIT) or ""
    stored = EvaluationScheme(code=scheme.code, version=scheme.version, body=scheme.model_dump(mode="json"),
                              note=note, created_by=getattr(user, "id", None), created_at=_now())
    session.add(stored)
    session.flush()
    # The versions table keeps each version's whole body; the trail says who made which, and why.
    trail.change(session, user, "scheme", f"{scheme.code} {scheme.version}", "create", label=scheme.code,
                 old={"version": latest} if latest else None, new={"version": scheme.version},
                 reason=stored.note or None, channel=channel)
    return stored


def run_evaluation(session: Session, plan: Plan, year: int, *, code: str = DEFAULT_SCHEME, user=None) -> EvaluationRun:
    """Evaluate `year` with the newest version of scheme `code` and store every firm's result."""
    check_year(year)
    stored, scheme = current_scheme(session, code)
    started = time.perf_counter()
    now = read_inputs(session, plan, scheme, year)
    if now.table.num_rows == 0:
        raise BadInput("year", msg("no approved annual returns of firms for {year}: nothing to evaluate", year=year))
    before = read_inputs(session, plan, scheme, year - 1).table
    result = evaluate(now.table.drop_columns(["region_code"]), scheme,
                      before.drop_columns(["region_code"]) if before.num_rows else None)
    seconds = time.perf_counter() - started
    codes = [i.code for i in scheme.indicators]
    # The engine returns firms in no order: the inputs' county and land are aligned to its rows.
    at = pc.index_in(result.column("enterprise_id"), now.table.column("enterprise_id"))
    land = pc.take(now.table.column("land_mu"), at)
    rated = pc.invert(result.column("unrated"))
    counts = {"firms_registered": now.registered, "without_return": now.without_return,
              "classes": {k: _count(pc.equal(result.column("klass"), k)) for k in ("A", "B", "C", "D", "U")},
              "without_land": _count(pc.and_(rated, pc.fill_null(pc.less_equal(land, 0.0), True))),
              "imputed": {c: _count(result.column(f"imputed_{c}")) for c in codes}}
    old = session.scalar(select(EvaluationRun).where(EvaluationRun.scheme_id == stored.id, EvaluationRun.year == year))
    if old is not None:  # the same year under the same version: replaced
        session.execute(delete(EvaluationResult).where(EvaluationResult.run_id == old.id))
        session.delete(old)
        session.flush()
    run = EvaluationRun(scheme_id=stored.id, year=year, firms=result.num_rows, rated=_count(rated), counts=counts,
                        seconds=round(seconds, 3), created_by=getattr(user, "id", None), created_at=_now())
    session.add(run)
    session.flush()
    firms = result.column("enterprise_id").to_pylist()
    previous = _previous_results(session, code, year - 1)
    before_class = [previous.get(firm, (None, None)) for firm in firms]
    columns = ["run_id", "enterprise_id", "region_code", "pool", "unrated", "total", "rank", "pool_size", "klass",
               "previous_klass", "previous_total", "breakdown"]
    out = zip(itertools.repeat(run.id), firms, pc.take(now.table.column("region_code"), at).to_pylist(),
              result.column("pool").to_pylist(), result.column("unrated").to_pylist(),
              pc.round(result.column("total"), 6).to_pylist(), result.column("rank").to_pylist(),
              result.column("pool_size").to_pylist(), result.column("klass").to_pylist(),
              [k for k, _ in before_class], [t for _, t in before_class], _breakdowns(result, codes))
    # Declarative types __table__ as any FromClause; a mapped class's is its Table.
    bulk_insert(session.connection(), EvaluationResult.__table__, columns, list(out))
    return run


def _count(mask) -> int:
    return int(pc.sum(mask).as_py() or 0)


def _breakdowns(result, codes: list[str]) -> list[str]:
    """Each firm's breakdown as the JSON text {code: [value, benchmark, score, imputed]}, written a
    column at a time by Arrow's string kernels (a dict and a dumps call per firm cost seconds for
    a province). Numbers are rounded to six places; a missing one is null."""
    parts = []
    for n, code in enumerate(codes):
        numbers = [pc.fill_null(pc.cast(pc.round(result.column(f"{part}_{code}"), 6), pa.string()), "null")
                   for part in ("x", "b", "s")]
        imputed = pc.cast(result.column(f"imputed_{code}"), pa.string())
        opening = ("{" if n == 0 else ",") + f'"{code}":['
        parts.append(pc.binary_join_element_wise(opening, numbers[0], ",", numbers[1], ",", numbers[2], ",", imputed, "]", ""))
    return pc.binary_join_element_wise(*parts, "}", "").to_pylist()


def _previous_results(session: Session, code: str, year: int) -> dict[int, tuple[str, float | None]]:
    run = latest_run(session, year, code=code)
    if run is None:
        return {}
    rows = driver_rows(session.connection(), select(EvaluationResult.enterprise_id, EvaluationResult.klass,
                                                    EvaluationResult.total).where(EvaluationResult.run_id == run.id))
    return {firm: (klass, total) for firm, klass, total in rows}


def latest_run(session: Session, year: int | None = None, *, code: str = DEFAULT_SCHEME) -> EvaluationRun | None:
    """The run of the newest scheme version that evaluated `year` (the latest year when None)."""
    query = (select(EvaluationRun).join(EvaluationScheme, EvaluationScheme.id == EvaluationRun.scheme_id)
             .where(EvaluationScheme.code == code))
    if year is not None:
        query = query.where(EvaluationRun.year == year)
    return session.scalar(query.order_by(EvaluationRun.year.desc(), EvaluationScheme.version.desc()).limit(1))


def run_years(session: Session, code: str = DEFAULT_SCHEME) -> list[int]:
    return list(session.scalars(select(EvaluationRun.year).join(EvaluationScheme, EvaluationScheme.id == EvaluationRun.scheme_id)
                                .where(EvaluationScheme.code == code).distinct().order_by(EvaluationRun.year.desc())))
