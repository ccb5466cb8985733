"""Cities ranked within each cluster and overall by a composite score, for commendation (通报表扬).

The composite (docs/methods.md, "Rankings"): for each indicator i of the scheme, a city's value
x_ci for the year is normalised over the cities ranked together, then weighted:
    min_max:  s = 100 (x − min) / (max − min)        (all equal: 100)
    z_score:  s = 50 + 10 (x − mean) / sd            (sd = 0: 50)
    rank:     s = 100 (n − r) / (n − 1)              (r = 1 for the best; n = 1: 100)
    score_c = Σ w_i s_ci / Σ w_i over the indicators the city has a value for.
A lower-is-better indicator is negated before normalising. A city missing an indicator is
scored on the rest, and marked incomplete, so that a missing return neither sinks nor lifts
it silently. Weights are percentages and must add up to 100.
"""

from __future__ import annotations

import statistics

from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterwatch.assessment.aggregate import Aggregator
from clusterwatch.assessment.board import parse_period
from clusterwatch.assessment.schemas import ClusterPublic
from clusterwatch.assessment.views import annual_years, cluster_public
from clusterwatch.plans import queries
from clusterwatch.problems import BadInput, msg

# (indicator, weight %): size, momentum, innovation, efficiency.
DEFAULT_SCHEME = {"revenue": 30.0, "revenue_growth": 25.0, "rd_intensity": 20.0, "labour_productivity": 15.0,
                  "value_added_growth": 10.0}
GROWTH = {"revenue_growth": "revenue", "value_added_growth": "value_added"}
NORMALISATIONS = ("min_max", "z_score", "rank")


class ComponentPublic(BaseModel):
    indicator: str
    weight: float
    value: float | None
    score: float | None


class RankedCityPublic(BaseModel):
    rank: int
    region: str
    name_zh: str
    name_en: str
    score: float
    incomplete: bool
    components: list[ComponentPublic]


class RankingPublic(BaseModel):
    cluster: ClusterPublic | None  # None: overall, all strategic clusters together
    cities: list[RankedCityPublic]


class RankingsPublic(BaseModel):
    period: str
    year: int
    normalisation: str
    scheme: dict[str, float]
    overall: RankingPublic
    clusters: list[RankingPublic]


def parse_scheme(text: str | None, known: set[str]) -> dict[str, float]:
    """'revenue:40,revenue_growth:60' → weights; the default scheme when empty."""
    if not text:
        return dict(DEFAULT_SCHEME)
    scheme: dict[str, float] = {}
    for part in text.split(","):
        name, _, weight = part.strip().partition(":")
        if name not in known:
            raise BadInput("weights", msg("unknown indicator {name}: use {names}", name=repr(name), names=", ".join(sorted(known))))
        try:
            value = float(weight)
        except ValueError:
            raise BadInput("weights", msg("{part} needs a weight: write indicator:percent", part=repr(part.strip()))) from None
        if value <= 0:
            raise BadInput("weights", msg("the weight of {name} must be above 0", name=name))
        scheme[name] = value
    if abs(sum(scheme.values()) - 100) > 1e-6:
        raise BadInput("weights", msg("the weights add up to {total}, not 100", total=f"{sum(scheme.values()):g}"))
    return scheme


def normalise(values: dict[str, float], method: str) -> dict[str, float]:
    if not values:
        return {}
    xs = list(values.values())
    if method == "min_max":
        low, high = min(xs), max(xs)
        return {k: 100.0 if high == low else 100 * (v - low) / (high - low) for k, v in values.items()}
    if method == "z_score":
        mean = statistics.fmean(xs)
        sd = statistics.pstdev(xs)
        return {k: 50.0 if sd == 0 else 50 + 10 * (v - mean) / sd for k, v in values.items()}
    n = len(values)
    # Ties share the better rank.
    ranks = {k: 1 + sum(1 for other in xs if other > v) for k, v in values.items()}
    return {k: 100.0 if n == 1 else 100 * (n - ranks[k]) / (n - 1) for k in values}


def rank(values: dict[str, dict[str, float]], scheme: dict[str, float], method: str,
         lower_is_better: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, float, bool, dict[str, float]]]:
    """[(region, composite, incomplete, {indicator: score})], best first; `values`: {indicator: {region: x}}."""
    scores = {}
    for indicator in scheme:
        raw = values.get(indicator, {})
        scores[indicator] = normalise({k: -v if indicator in lower_is_better else v for k, v in raw.items()}, method)
    regions = sorted({r for by_region in values.values() for r in by_region})
    result = []
    for region in regions:
        have = {i: scores[i][region] for i in scheme if region in scores[i]}
        weight = sum(scheme[i] for i in have)
        composite = sum(scheme[i] * s for i, s in have.items()) / weight
        result.append((region, composite, len(have) < len(scheme), have))
    result.sort(key=lambda r: (-r[1], r[0]))
    return result


def rankings(session: Session, plan, *, period: str | None = None, weights: str | None = None,
             normalisation: str = "min_max", aggregator: Aggregator | None = None) -> RankingsPublic:
    if normalisation not in NORMALISATIONS:
        raise BadInput("normalisation", msg("{value} is not a normalisation: {names}", value=repr(normalisation),
                                            names=", ".join(NORMALISATIONS)))
    aggregator = aggregator or Aggregator(session)
    key, year = parse_period(period, annual_years(session, aggregator))
    if year is None:
        raise BadInput("period", msg("no annual figures have been approved yet"))
    assert key is not None  # parse_period gives a key whenever it gives a year
    known = {c for c in DEFAULT_SCHEME if c in aggregator.indicators or GROWTH.get(c) in aggregator.indicators}
    scheme = parse_scheme(weights, known)
    lower = {c for c in scheme if c in aggregator.indicators and aggregator.indicators[c].direction == "lower"}
    cities = {r.code: r for r in queries.cities(session, plan)}
    strategic = queries.clusters(session, plan)
    placed: dict[int, set[str]] = {}
    for p in queries.layout(session, plan):
        placed.setdefault(p.cluster_id, set()).add(p.region_code)

    def table(clusters: list[int], regions: list[str]) -> list[RankedCityPublic]:
        values = {}
        for indicator in scheme:
            code = GROWTH.get(indicator, indicator)
            got = aggregator.values(code, regions=regions, clusters=clusters, periods=[str(year), str(year - 1)])
            if indicator in GROWTH:
                values[indicator] = {r: (got[(r, str(year))] / got[(r, str(year - 1))] - 1) * 100 for r in regions
                                     if (r, str(year)) in got and got.get((r, str(year - 1)))}
            else:
                values[indicator] = {r: got[(r, str(year))] for r in regions if (r, str(year)) in got}
        ranked = rank(values, scheme, normalisation, lower)
        return [RankedCityPublic(
            rank=i + 1, region=region, name_zh=cities[region].name_zh, name_en=cities[region].name_en,
            score=round(score, 2), incomplete=incomplete,
            components=[ComponentPublic(indicator=c, weight=scheme[c], value=values[c].get(region),
                                        score=round(parts[c], 2) if c in parts else None) for c in scheme])
            for i, (region, score, incomplete, parts) in enumerate(ranked)]

    overall = RankingPublic(cluster=None, cities=table([c.id for c in strategic], list(cities)))
    per_cluster = [RankingPublic(cluster=cluster_public(c), cities=table([c.id], sorted(placed.get(c.id, set()))))
                   for c in strategic]
    return RankingsPublic(period=key, year=year, normalisation=normalisation, scheme=scheme, overall=overall,
                          clusters=per_cluster)


class ScorecardLinePublic(BaseModel):
    cluster: ClusterPublic | None  # None: overall
    rank: int
    of: int
    score: float
    incomplete: bool


def scorecard(result: RankingsPublic, region: str) -> list[ScorecardLinePublic]:
    """A city's place in the overall ranking and in each cluster it is ranked in."""
    lines = []
    for ranking in [result.overall, *result.clusters]:
        row = next((c for c in ranking.cities if c.region == region), None)
        if row is not None:
            lines.append(ScorecardLinePublic(cluster=ranking.cluster, rank=row.rank, of=len(ranking.cities),
                                             score=row.score, incomplete=row.incomplete))
    return lines
