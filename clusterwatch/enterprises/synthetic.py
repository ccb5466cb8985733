"""A register of made-up firms for the demo, the tests and the benchmarks.

Every firm is flagged synthetic and named as an example (示例) so that it can never be taken
for a real one; the codes are well-formed USCCs of the firm's county. Seeded: the same call
gives the same register.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clusterwatch import uscc
from clusterwatch.enterprises.models import Enterprise, EnterpriseCluster
from clusterwatch.plans.models import Cluster, LayoutPlacement, Plan
from clusterwatch.regions.models import Region

TRADES = ["电子", "装备", "材料", "汽车", "医药", "食品", "纺织", "家电", "化工", "软件", "光电", "机器人"]


def generate_register(session: Session, plan: Plan, *, count: int, seed: int = 2020,
                      counties: list[str] | None = None) -> list[int]:
    """Add `count` synthetic firms spread over the counties (all county-level regions by
    default), each in one to three of the clusters laid out in its city. Returns their ids."""
    rng = random.Random(seed)
    rows = session.execute(select(Region.code, Region.name_zh, Region.parent_code)
                           .where(Region.level == "county").order_by(Region.code)).all()
    if counties is not None:
        wanted = set(counties)
        rows = [r for r in rows if r.code in wanted]
    if not rows:
        raise ValueError("no county-level regions to register firms in")
    by_city: dict[str, list[int]] = {}
    for city, cluster_id in session.execute(select(LayoutPlacement.region_code, LayoutPlacement.cluster_id)
                                            .join(Cluster, Cluster.id == LayoutPlacement.cluster_id)
                                            .where(Cluster.plan_id == plan.id)):
        by_city.setdefault(city, []).append(cluster_id)
    taken = set(session.scalars(select(Enterprise.uscc)))
    now = dt.datetime.now(dt.UTC)
    firms, memberships = [], []
    first = len(taken) + 1
    for n in range(count):
        county = rows[rng.randrange(len(rows))]
        code = uscc.make(county.code[:6], rng)
        while code in taken:
            code = uscc.make(county.code[:6], rng)
        taken.add(code)
        above = rng.random() < 0.7
        firms.append({"uscc": code, "region_code": county.code,
                      "name_zh": f"{county.name_zh}示例{rng.choice(TRADES)}企业{first + n:05d}号",
                      "above_scale": above, "land_mu": round(rng.lognormvariate(3.5, 0.8), 1) if rng.random() > 0.03 else None,
                      "founded": dt.date(rng.randint(1985, 2023), rng.randint(1, 12), 1), "synthetic": True,
                      "created_at": now})
        options = by_city.get(county.parent_code, [])
        for position, cluster_id in enumerate(rng.sample(options, min(len(options), rng.choice((1, 1, 1, 2, 3))))):
            memberships.append((code, cluster_id, position))
    # Ids come from the database (a sequence on PostgreSQL), then are looked up by code.
    for start in range(0, len(firms), 10000):
        session.execute(insert(Enterprise), firms[start:start + 10000])
    ids = dict(session.execute(select(Enterprise.uscc, Enterprise.id).where(Enterprise.synthetic.is_(True))).all())
    links = [{"enterprise_id": ids[code], "cluster_id": cluster_id, "position": position}
             for code, cluster_id, position in memberships]
    for start in range(0, len(links), 10000):
        session.execute(insert(EnterpriseCluster), links[start:start + 10000])
    session.flush()
    return [ids[f["uscc"]] for f in firms]
