"""A run's results as the evaluation page shows them: classes overall, by pool, by city (the
map), by county and by the firm's main cluster; moves between classes since the year before;
and the firms that could not be scored on every indicator."""

from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from clusterwatch.enterprises.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme
from clusterwatch.enterprises.evaluation.runs import DEFAULT_SCHEME, latest_run, run_years
from clusterwatch.enterprises.models import Enterprise, EnterpriseCluster
from clusterwatch.plans.models import Cluster, Plan
from clusterwatch.problems import BadInput, msg
from clusterwatch.regions.models import Region

CLASSES = ("A", "B", "C", "D", "U")


class Distribution(BaseModel):
    key: str
    name_zh: str
    name_en: str
    counts: dict[str, int]
    rated: int
    share_a: float | None  # per cent of the rated firms in class A
    share_ab: float | None


class SchemeSummary(BaseModel):
    code: str
    version: int
    name_zh: str
    name_en: str
    body: dict


class EvaluationPublic(BaseModel):
    year: int | None
    years: list[int]
    scheme: SchemeSummary | None
    firms: int
    rated: int
    counts: dict  # what the run could not use (firms without return, without land, imputed scores)
    seconds: float | None
    overall: Distribution | None
    by_pool: list[Distribution]
    by_city: list[Distribution]
    by_county: list[Distribution]
    by_cluster: list[Distribution]
    moves: dict[str, dict[str, int]]  # previous class → class → firms
    map: list[dict]  # per city: region, names and the share of its rated firms in A or B
    synthetic: bool


def _distribution(key: str, name_zh: str, name_en: str, classes: Counter) -> Distribution:
    rated = sum(classes[c] for c in "ABCD")
    return Distribution(key=key, name_zh=name_zh, name_en=name_en, counts={c: classes[c] for c in CLASSES}, rated=rated,
                        share_a=round(100 * classes["A"] / rated, 1) if rated else None,
                        share_ab=round(100 * (classes["A"] + classes["B"]) / rated, 1) if rated else None)


POOL_NAMES = {"above": ("规模以上", "above designated size"), "below": ("规模以下", "below designated size")}


def pool_name(pool: str, lang: str, places: dict[str, str] | None = None) -> str:
    parts = []
    for part in pool.split("·"):
        if part in POOL_NAMES:
            parts.append(POOL_NAMES[part][0 if lang == "zh" else 1])
        else:
            parts.append((places or {}).get(part, part))
    return " · ".join(parts)


def evaluation_summary(session: Session, plan: Plan, year: int | None = None) -> EvaluationPublic:
    years = run_years(session)
    if year is not None and year not in years:
        raise BadInput("year", msg("no evaluation run for {year} (runs: {years})", year=year,
                                   years=", ".join(map(str, years)) if years else msg("none")))
    run = latest_run(session, year)
    if run is None:
        return EvaluationPublic(year=None, years=[], scheme=None, firms=0, rated=0, counts={}, seconds=None, overall=None,
                                by_pool=[], by_city=[], by_county=[], by_cluster=[], moves={}, map=[], synthetic=False)
    stored = session.get(EvaluationScheme, run.scheme_id)
    assert stored is not None  # scheme_id is a foreign key: a run's scheme exists
    county = Region
    rows = session.execute(
        select(EvaluationResult.klass, EvaluationResult.previous_klass, EvaluationResult.pool, EvaluationResult.region_code,
               county.parent_code, EnterpriseCluster.cluster_id, Enterprise.synthetic)
        .join(county, county.code == EvaluationResult.region_code)
        .join(Enterprise, Enterprise.id == EvaluationResult.enterprise_id)
        .outerjoin(EnterpriseCluster, and_(EnterpriseCluster.enterprise_id == EvaluationResult.enterprise_id,
                                           EnterpriseCluster.position == 0))
        .where(EvaluationResult.run_id == run.id)).all()
    overall: Counter[str] = Counter()
    pools: defaultdict[str, Counter[str]] = defaultdict(Counter)
    cities: defaultdict[str | None, Counter[str]] = defaultdict(Counter)
    counties: defaultdict[str, Counter[str]] = defaultdict(Counter)
    clusters: defaultdict[int | None, Counter[str]] = defaultdict(Counter)  # None: a firm in no cluster (outer join)
    moves: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    synthetic = False
    for klass, previous, pool, county_code, city_code, cluster_id, firm_synthetic in rows:
        overall[klass] += 1
        pools[pool][klass] += 1
        cities[city_code][klass] += 1
        counties[county_code][klass] += 1
        clusters[cluster_id][klass] += 1
        if previous:
            moves[previous][klass] += 1
        synthetic = synthetic or firm_synthetic
    regions = {code: (zh, en, parent) for code, zh, en, parent in session.execute(
        select(Region.code, Region.name_zh, Region.name_en, Region.parent_code))}
    names = {c.id: c for c in session.scalars(select(Cluster).where(Cluster.plan_id == plan.id))}
    places_zh = {code: v[0] for code, v in regions.items()}
    places_en = {code: v[1] for code, v in regions.items()}
    by_city = [_distribution(code, regions[code][0], regions[code][1], c) for code, c in sorted(cities.items()) if code in regions]
    return EvaluationPublic(
        year=run.year, years=years,
        scheme=SchemeSummary(code=stored.code, version=stored.version, name_zh=stored.body["name_zh"],
                             name_en=stored.body["name_en"], body=stored.body),
        firms=run.firms, rated=run.rated, counts=run.counts, seconds=run.seconds,
        overall=_distribution("all", "全部", "all", overall),
        by_pool=[_distribution(p, pool_name(p, "zh", places_zh), pool_name(p, "en", places_en), c) for p, c in sorted(pools.items())],
        by_city=by_city,
        by_county=sorted((_distribution(code, regions[code][0], regions[code][1], c) for code, c in counties.items()),
                         key=lambda d: (regions[d.key][2] or "", d.key)),
        by_cluster=[_distribution(names[cid].slug if cid in names else "-", names[cid].name_zh if cid in names else "（无集群）",
                                  names[cid].name_en if cid in names else "(no cluster)", c)
                    for cid, c in sorted(clusters.items(), key=lambda kv: names[kv[0]].sort_order if kv[0] in names else 999)],
        moves={p: dict(m) for p, m in sorted(moves.items())}, synthetic=synthetic,
        map=[{"region": d.key, "name_zh": d.name_zh, "name_en": d.name_en, "value": d.share_ab} for d in by_city])


def result_rows(session: Session, run: EvaluationRun) -> list[dict]:
    """Every firm's result of a run with its breakdown, for the exports."""
    stored = session.get(EvaluationScheme, run.scheme_id)
    assert stored is not None  # scheme_id is a foreign key: a run's scheme exists
    codes = [i["code"] for i in stored.body["indicators"]]
    out = []
    for result, uscc, name, synthetic, county in session.execute(
            select(EvaluationResult, Enterprise.uscc, Enterprise.name_zh, Enterprise.synthetic, Region.name_zh)
            .join(Enterprise, Enterprise.id == EvaluationResult.enterprise_id)
            .join(Region, Region.code == EvaluationResult.region_code)
            .where(EvaluationResult.run_id == run.id)
            .order_by(EvaluationResult.pool, EvaluationResult.unrated, EvaluationResult.rank, Enterprise.uscc)):
        row = {"uscc": uscc, "name_zh": name, "county": county, "pool": result.pool, "klass": result.klass,
               "total": result.total, "rank": result.rank, "pool_size": result.pool_size,
               "previous_klass": result.previous_klass, "synthetic": synthetic}
        for code in codes:
            x, b, s, imputed = result.breakdown.get(code, [None, None, None, False])
            row.update({f"{code}_value": x, f"{code}_benchmark": b, f"{code}_score": s, f"{code}_imputed": bool(imputed)})
        out.append(row)
    return out


def run_for(session: Session, year: int | None) -> EvaluationRun:
    run = latest_run(session, year, code=DEFAULT_SCHEME)
    if run is None:
        raise BadInput("year", msg("no evaluation has been run for this year"))
    return run


def export_columns(rows: list[dict]) -> list[tuple[str, str, str]]:
    """The headers of a results file (key, Chinese, English): the firm, its place, and per
    indicator its value, benchmark, score and whether the score was imputed."""
    codes = [key[: -len("_value")] for key in (rows[0] if rows else {}) if key.endswith("_value")]
    columns = [("uscc", "统一社会信用代码", "USCC"), ("name_zh", "企业名称", "Name"), ("county", "所在县区", "County"),
               ("pool", "评价组", "Pool"), ("klass", "类别", "Class"), ("total", "综合得分", "Score"), ("rank", "组内排名", "Rank"),
               ("pool_size", "组内参评企业数", "Pool size"), ("previous_klass", "上年类别", "Class a year before")]
    for code in codes:
        columns += [(f"{code}_value", f"{code} 指标值", f"{code} value"), (f"{code}_benchmark", f"{code} 基准值", f"{code} benchmark"),
                    (f"{code}_score", f"{code} 得分", f"{code} score"), (f"{code}_imputed", f"{code} 以组均分代替", f"{code} imputed")]
    return columns + [("synthetic", "示例数据", "Synthetic")]
