"""Synthetic firms for the demo: a register, their annual returns, lists and tiers, and evaluations.

Every firm is flagged synthetic and named 示例 (enterprises/synthetic.py); their figures are
drawn, not taken from anywhere, and every page that shows them says so. The returns go where
imported returns go (enterprise_values, one approved row per firm and year, written by one
import batch named as synthetic), so the evaluation reads them exactly as it reads real ones.
Seeded: the same call gives the same firms, figures and classes.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

import numpy as np
import orjson
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from clusterwatch.db import bulk_insert
from clusterwatch.enterprises.evaluation.models import EvaluationResult, EvaluationRun
from clusterwatch.enterprises.evaluation.runs import run_evaluation
from clusterwatch.enterprises.models import LISTS, Enterprise, EnterpriseCluster, ListMembership
from clusterwatch.enterprises.synthetic import generate_register
from clusterwatch.plans.models import Plan
from clusterwatch.reporting.firm_values import NEW_ROW_COLUMNS, layout_key, pack
from clusterwatch.reporting.models import EnterpriseValues, ImportBatch
from clusterwatch.reporting.queries import form_by_code, form_indicators

FIRMS = 3000
SEGMENTS = ("上游", "中游", "下游")
SOURCE = "synthetic (示例数据)"
# Share of firms on each list, drawn among the larger firms for the selective ones.
LIST_SHARES = {"hitech": 0.25, "specialised_sme": 0.06, "little_giant": 0.02, "white_list": 0.05,
               "single_champion": 0.005, "unicorn": 0.001}


@dataclass
class EnterpriseDemo:
    firms: int
    returns: int
    memberships: int
    runs: list[int]


def generate_enterprise_demo(session: Session, plan: Plan, *, seed: int = 2020, count: int = FIRMS,
                             form_code: str = "enterprise-annual") -> EnterpriseDemo:
    """Replace the demo's synthetic firms (and all that hangs on them) with freshly drawn ones."""
    _remove_synthetic(session)
    rng = random.Random(seed)
    ids = generate_register(session, plan, count=count, seed=seed)
    firms = {f.id: f for f in session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))}
    _segments_and_exemptions(session, ids, rng)
    form = form_by_code(session, plan, form_code)
    years = list(range(plan.horizon - 2, plan.horizon + 1))
    returns, sizes = _returns(session, plan, form, firms, years, seed)
    memberships = _memberships(session, firms, sizes, rng)
    session.flush()
    runs = [run_evaluation(session, plan, year).id for year in years]
    return EnterpriseDemo(firms=len(ids), returns=returns, memberships=memberships, runs=runs)


def _remove_synthetic(session: Session) -> None:
    synthetic = select(Enterprise.id).where(Enterprise.synthetic.is_(True))
    session.execute(delete(EvaluationResult).where(EvaluationResult.enterprise_id.in_(synthetic)))
    session.execute(delete(Enterprise).where(Enterprise.synthetic.is_(True)))  # their returns go with them
    session.execute(delete(ImportBatch).where(ImportBatch.filename == SOURCE))
    # Runs that evaluated only synthetic firms have nothing left to show.
    session.execute(delete(EvaluationRun).where(~EvaluationRun.id.in_(select(EvaluationResult.run_id))))


def _segments_and_exemptions(session: Session, ids: list[int], rng: random.Random) -> None:
    for link in session.scalars(select(EnterpriseCluster).where(EnterpriseCluster.enterprise_id.in_(ids))):
        link.segment = rng.choice(SEGMENTS)
    for firm_id in rng.sample(ids, max(1, len(ids) // 200)):
        firm = session.get(Enterprise, firm_id)
        assert firm is not None  # one of the firms generate_register has just added
        firm.exempt_reason = "公用事业，不参加评价（示例）"


def _returns(session: Session, plan: Plan, form, firms: dict[int, Enterprise], years: list[int],
             seed: int) -> tuple[int, dict[int, float]]:
    """One approved annual return per firm and year since it was founded; figures drawn from
    skewed distributions with a firm's own growth. Returns the count and each firm's last revenue."""
    codes = [indicator.code for _, indicator in form_indicators(session, form)]
    units = {indicator.code: indicator.unit for _, indicator in form_indicators(session, form)}
    now = dt.datetime.now(dt.UTC)
    batch = ImportBatch(form_id=form.id, period=str(years[-1]), at=now, filename=SOURCE, sha256="0" * 64,
                        rows=0, created=0, updated=0, unchanged=0, reason="synthetic demo returns")
    session.add(batch)
    session.flush()
    rng = np.random.default_rng(seed)
    rows, last = [], {}
    layout = layout_key(codes)
    money = 1e-4 if units.get("revenue") == "亿元" else 1.0  # drawn in 万元
    for firm_id, firm in sorted(firms.items()):
        base = rng.lognormal(9.3, 1.0) * (1.0 if firm.above_scale else 0.12)  # 万元
        growth, margin = rng.normal(0.06, 0.08), rng.uniform(0.15, 0.35)
        tax_rate, rd_rate = rng.uniform(0.005, 0.06), rng.uniform(0.0, 0.05)
        energy_ratio, emission_ratio = rng.uniform(2, 30), rng.uniform(50, 900)
        people = rng.uniform(40, 200)
        reports_rd = rng.random() > 0.1
        for i, year in enumerate(years):
            if firm.founded is not None and firm.founded.year > year:
                continue
            revenue = base * math.exp((growth + rng.normal(0, 0.05)) * i)
            figures = {
                "revenue": revenue * money, "value_added": revenue * margin * rng.uniform(0.95, 1.05) * money,
                "tax_paid": revenue * tax_rate * rng.uniform(0.9, 1.1) * money,
                "rd_spending": revenue * rd_rate * money if reports_rd else None,
                "energy_use": round(revenue / energy_ratio, 1), "pollutant_emissions": round(revenue / emission_ratio, 2),
                "employment": float(max(5, round(revenue / people))),
            }
            # Rounded once (亿元 to six places: 100 yuan), so the JSON and the packed row agree.
            values = {c: round(v, 6) for c, v in figures.items() if v is not None and c in codes}
            row = np.array([values.get(c, np.nan) for c in codes], dtype=float)
            rows.append((form.id, firm_id, firm.region_code, str(year), "A", year, orjson.dumps(values).decode(), layout,
                         pack(row), "A", True, batch.id, batch.id))
            last[firm_id] = revenue
    # Declarative types __table__ as any FromClause; a mapped class's is its Table.
    bulk_insert(session.connection(), EnterpriseValues.__table__, NEW_ROW_COLUMNS, rows)
    batch.rows = batch.created = len(rows)
    return len(rows), last


def _memberships(session: Session, firms: dict[int, Enterprise], sizes: dict[int, float], rng: random.Random) -> int:
    """Lists and tiers drawn mostly among the larger firms; about one in ten has since left its list."""
    by_size = sorted(sizes, key=lambda f: -sizes[f])
    main = dict(session.execute(select(EnterpriseCluster.enterprise_id, EnterpriseCluster.cluster_id)
                                .where(EnterpriseCluster.position == 0, EnterpriseCluster.enterprise_id.in_(list(firms)))).all())
    now = dt.datetime.now(dt.UTC)
    rows: list[dict] = []

    def add(firm_id: int, code: str, level: str, cluster_id: int | None = None) -> None:
        since = dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1)
        until = dt.date(since.year + rng.randint(1, 3), 12, 31) if rng.random() < 0.1 else None
        if until is not None and until > dt.date(2025, 12, 31):
            until = None
        rows.append({"enterprise_id": firm_id, "list_code": code, "level": level, "cluster_id": cluster_id,
                     "since": since, "until": until, "source": SOURCE, "created_at": now})

    # Chain leaders: the largest firm or two of each cluster.
    leaders: dict[int, int] = {}
    for firm_id in by_size:
        cluster_id = main.get(firm_id)
        if cluster_id is not None and leaders.get(cluster_id, 0) < 2:
            leaders[cluster_id] = leaders.get(cluster_id, 0) + 1
            add(firm_id, "chain_leader", "province", cluster_id)
    # The cultivation pool by level: the top 2% provincial, the next 4% city, the next 4% district.
    n = len(by_size)
    for start, end, level in ((0, 0.02, "province"), (0.02, 0.06, "city"), (0.06, 0.10, "district")):
        for firm_id in by_size[int(start * n):int(end * n)]:
            add(firm_id, "leading_pool", level, main.get(firm_id))
    for code, share in LIST_SHARES.items():
        among = by_size[: max(1, n // 2)] if code in ("little_giant", "single_champion", "unicorn", "white_list") else by_size
        for firm_id in rng.sample(among, max(1, round(share * n))):
            add(firm_id, code, LISTS[code]["levels"][0], main.get(firm_id) if code == "single_champion" else None)
    if rows:
        session.execute(insert(ListMembership), rows)
    return len(rows)
