"""The figures behind the overview, cluster and city pages (and their JSON twins)."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from clusterwatch.assessment.aggregate import Aggregator
from clusterwatch.assessment.methods import Goal, Progress, assess
from clusterwatch.assessment.schemas import (
    BaselinePublic,
    CitationPublic,
    CityClusterPublic,
    CityDetailPublic,
    CityValuePublic,
    ClusterCardPublic,
    ClusterCityPublic,
    ClusterDetailPublic,
    ClusterPublic,
    DataNoticePublic,
    IndicatorPublic,
    LayoutPlacementPublic,
    OverviewPublic,
    PlanPublic,
    PointPublic,
    RegionPublic,
    TargetPublic,
)
from clusterwatch.plans import queries
from clusterwatch.plans.models import Cluster, Document, Indicator, Plan, Target
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import DataSource, Observation

# Indicators a user can colour the map by: those measured per city and cluster.
MAP_INDICATORS = ("revenue", "value_added", "rd_spending", "employment", "rd_intensity", "labour_productivity")

SYNTHETIC_NOTICE_ZH = "演示数据为程序合成，并非真实统计数据；规划目标及基期数引自政策文件原文。"
SYNTHETIC_NOTICE_EN = "The demo figures are synthetic, not real statistics; goals and baselines are quoted from the policy documents."


def data_notice(session: Session, aggregator: Aggregator | None = None) -> DataNoticePublic:
    if aggregator is not None:
        return aggregator.remember("data_notice", lambda: data_notice(session))
    synthetic = session.scalar(select(exists().where(
        Observation.source_id == DataSource.id, DataSource.synthetic.is_(True)
    )))
    if synthetic:
        return DataNoticePublic(synthetic=True, zh=SYNTHETIC_NOTICE_ZH, en=SYNTHETIC_NOTICE_EN)
    return DataNoticePublic(synthetic=False, zh="数据来自各级填报。", en="Figures as reported.")


def annual_years(session: Session, aggregator: Aggregator | None = None) -> list[int]:
    if aggregator is not None:
        return aggregator.remember("annual_years", lambda: annual_years(session))
    return sorted(session.scalars(select(Observation.year).distinct().where(Observation.period_type == "A")))


def plan_public(plan: Plan) -> PlanPublic:
    return PlanPublic(code=plan.code, name_zh=plan.name_zh, name_en=plan.name_en, region=plan.region_code, horizon=plan.horizon)


def cluster_public(cluster: Cluster) -> ClusterPublic:
    return ClusterPublic(slug=cluster.slug, name_zh=cluster.name_zh, name_en=cluster.name_en, kind=cluster.kind, order=cluster.sort_order)


def indicator_public(indicator: Indicator) -> IndicatorPublic:
    return IndicatorPublic(code=indicator.code, name_zh=indicator.name_zh, name_en=indicator.name_en,
                           unit=indicator.unit, direction=indicator.direction, aggregation=indicator.aggregation)


def citation(document: Document, line: int, text: str) -> CitationPublic:
    return CitationPublic(document=document.code, title=document.title, number=document.number,
                          file=document.file, line=line, text=text)


def region_public(region: Region) -> RegionPublic:
    return RegionPublic(code=region.code, name_zh=region.name_zh, name_en=region.name_en, level=region.level,
                        parent=region.parent_code, zone=region.zone_code,
                        zone_name_zh=region.zone.name_zh if region.zone else None,
                        zone_name_en=region.zone.name_en if region.zone else None)


def _pick_year(years: list[int], year: int | None) -> int | None:
    if not years:
        return None
    if year is None or year not in years:
        return years[-1]
    return year


def _years(series: dict[str, float]) -> dict[int, float]:
    return {int(p): v for p, v in series.items()}


def goal_of(target: Target, indicator: Indicator) -> Goal:
    figure = target.baseline_figure
    assert target.value is not None  # a target is only loaded with a value (TargetIn refuses a placeholder)
    return Goal(measure=target.measure, comparator=target.comparator, value=target.value, target_year=target.year,
                value_max=target.value_max, lower_is_better=indicator.direction == "lower",
                baseline=(figure.year, figure.value) if figure is not None else None, base_year=target.base_year)


class TargetAssessor:
    """Progress of targets as of a year, sharing one Aggregator."""

    def __init__(self, session: Session, plan: Plan, aggregator: Aggregator):
        self.plan = plan
        self.aggregator = aggregator
        self.synthetic = data_notice(session, aggregator).synthetic
        self.groups: dict[str, list[int]] = {}
        for cluster in queries.clusters(session, plan):
            self.groups.setdefault(cluster.kind, []).append(cluster.id)

    def scope_clusters(self, target: Target) -> list[int] | None:
        if target.cluster_id is not None:
            return [target.cluster_id]
        if target.cluster_group is not None:
            return self.groups.get(target.cluster_group, [])
        return None

    def series(self, target: Target) -> dict[int, float]:
        """The target's indicator per year, for its region and clusters."""
        return _years(self.aggregator.series(target.indicator_code, region=target.region_code,
                                             clusters=self.scope_clusters(target)))

    def progress(self, target: Target, as_of: int | None, series: dict[int, float] | None = None) -> Progress:
        series = self.series(target) if series is None else series
        return assess(series, goal_of(target, self.aggregator.indicators[target.indicator_code]),
                      as_of=as_of, method=target.method)

    def public(self, target: Target, as_of: int | None, cluster_slugs: dict[int, str],
               progress: Progress | None = None) -> TargetPublic:
        indicator = self.aggregator.indicators[target.indicator_code]
        progress = progress or self.progress(target, as_of)
        figure = target.baseline_figure
        return TargetPublic(
            code=target.code, region=target.region_code,
            cluster=cluster_slugs.get(target.cluster_id) if target.cluster_id else None,
            cluster_name_zh=target.cluster.name_zh if target.cluster else None,
            cluster_name_en=target.cluster.name_en if target.cluster else None,
            cluster_group=target.cluster_group, indicator=target.indicator_code,
            indicator_name_zh=indicator.name_zh, indicator_name_en=indicator.name_en,
            indicator_text=target.indicator_text, measure=target.measure, base_year=target.base_year,
            comparator=target.comparator,
            value=target.value, value_max=target.value_max, unit=target.unit, year=target.year,
            aspirational=target.aspirational, headline=target.headline,
            baseline=BaselinePublic(year=figure.year, value=figure.value, unit=figure.unit,
                                    citation=citation(figure.document, figure.source_line, figure.source_text))
            if figure is not None else None,
            citation=citation(target.document, target.source_line, target.source_text),
            progress=progress, data_synthetic=self.synthetic,
        )


def overview(session: Session, plan: Plan, *, cluster_slug: str | None = None,
             indicator_code: str = "revenue", year: int | None = None) -> OverviewPublic:
    aggregator = Aggregator(session)
    if indicator_code not in MAP_INDICATORS or indicator_code not in aggregator.indicators:
        raise queries.NotFound("indicator", indicator_code)
    strategic = queries.clusters(session, plan)
    chosen = queries.cluster_by_slug(session, plan, cluster_slug) if cluster_slug else None
    years = annual_years(session, aggregator)
    year = _pick_year(years, year)
    cities = queries.cities(session, plan)
    cluster_ids = [chosen.id] if chosen else [c.id for c in strategic]
    values = aggregator.values(indicator_code, regions=[c.code for c in cities], clusters=cluster_ids,
                               periods=[str(year)] if year else [])
    tiers = {}
    if chosen:
        tiers = {p.region_code: p.tier for p in queries.layout(session, plan) if p.cluster_id == chosen.id}
    city_values = [CityValuePublic(region=c.code, name_zh=c.name_zh, name_en=c.name_en,
                                   value=values.get((c.code, str(year))), tier=tiers.get(c.code)) for c in cities]

    cards = cluster_cards(session, plan, year=year, aggregator=aggregator)
    return OverviewPublic(
        plan=plan_public(plan), data=data_notice(session, aggregator), year=year, years=years,
        indicator=indicator_public(aggregator.indicators[indicator_code]),
        indicators=[indicator_public(aggregator.indicators[c]) for c in MAP_INDICATORS if c in aggregator.indicators],
        cluster=cluster_public(chosen) if chosen else None, map=city_values, clusters=cards,
    )


def cluster_cards(session: Session, plan: Plan, *, year: int | None = None,
                  kinds: tuple[str, ...] = queries.STRATEGIC_KINDS,
                  aggregator: Aggregator | None = None) -> list[ClusterCardPublic]:
    """Each cluster with the number of cities it is laid out over and its headline goal."""
    aggregator = aggregator or Aggregator(session)
    if year is None:
        year = _pick_year(annual_years(session, aggregator), None)
    chosen = queries.clusters(session, plan, kinds)
    assessor = TargetAssessor(session, plan, aggregator)
    slugs = {c.id: c.slug for c in chosen}
    headlines = {t.cluster_id: t for t in queries.targets(session, plan) if t.headline}
    counts: dict[int, int] = {}
    for placement in queries.layout(session, plan):
        counts[placement.cluster_id] = counts.get(placement.cluster_id, 0) + 1
    return [
        ClusterCardPublic(**cluster_public(c).model_dump(), cities=counts.get(c.id, 0),
                          headline=assessor.public(headlines[c.id], year, slugs) if c.id in headlines else None)
        for c in chosen
    ]


def _growth(now: float | None, before: float | None) -> float | None:
    if now is None or not before:
        return None
    return (now / before - 1) * 100


def cluster_detail(session: Session, plan: Plan, slug: str, *, year: int | None = None,
                   aggregator: Aggregator | None = None) -> ClusterDetailPublic:
    cluster = queries.cluster_by_slug(session, plan, slug)
    aggregator = aggregator or Aggregator(session)
    assessor = TargetAssessor(session, plan, aggregator)
    years = annual_years(session, aggregator)
    year = _pick_year(years, year)
    slugs = {cluster.id: cluster.slug}
    own_targets = [t for t in queries.targets(session, plan) if t.cluster_id == cluster.id]
    targets = [assessor.public(t, year, slugs) for t in own_targets]
    headline = next((t for t in targets if t.headline), targets[0] if targets else None)
    indicator_code = headline.indicator if headline and headline.measure == "level" else "revenue"

    province = plan.region_code
    series = aggregator.series(indicator_code, region=province, clusters=[cluster.id])
    monthly = aggregator.series(indicator_code, region=province, clusters=[cluster.id], period_type="M")

    placements = [p for p in queries.layout(session, plan) if p.cluster_id == cluster.id]
    codes = [p.region_code for p in placements]
    regions = {r.code: r for r in queries.cities(session, plan)}
    periods = [str(year), str(year - 1)] if year else []

    def at(code: str) -> dict:
        return aggregator.values(code, regions=codes, clusters=[cluster.id], periods=periods)

    revenue, va, rd, emp = at("revenue"), at("value_added"), at("rd_intensity"), at("employment")
    total = sum(v for (r, p), v in revenue.items() if p == str(year))
    rows = []
    for p in placements:
        region = regions.get(p.region_code)
        now = revenue.get((p.region_code, str(year)))
        rows.append(ClusterCityPublic(
            region=p.region_code, name_zh=region.name_zh if region else p.region_code,
            name_en=region.name_en if region else p.region_code, tier=p.tier, revenue=now,
            share=now / total * 100 if now is not None and total else None,
            growth=_growth(now, revenue.get((p.region_code, str(year - 1)))) if year else None,
            value_added=va.get((p.region_code, str(year))), rd_intensity=rd.get((p.region_code, str(year))),
            employment=emp.get((p.region_code, str(year))),
        ))
    tier_rank = {"core": 0, "key": 1, "general": 2}
    rows.sort(key=lambda r: (tier_rank[r.tier], -(r.revenue or 0)))
    return ClusterDetailPublic(
        plan=plan_public(plan), data=data_notice(session, aggregator), cluster=cluster_public(cluster), year=year,
        years=years, headline=headline, targets=targets,
        indicator=indicator_public(aggregator.indicators[indicator_code]),
        series=[PointPublic(period=p, value=v) for p, v in series.items()],
        monthly=[PointPublic(period=p, value=v) for p, v in monthly.items()],
        cities=rows,
    )


def city_detail(session: Session, plan: Plan, code: str, *, year: int | None = None,
                aggregator: Aggregator | None = None) -> CityDetailPublic:
    region = queries.region_by_code(session, code)
    if region.parent_code != plan.region_code:
        raise queries.NotFound("city", code)
    aggregator = aggregator or Aggregator(session)
    years = annual_years(session, aggregator)
    year = _pick_year(years, year)
    periods = [str(year), str(year - 1)] if year else []
    strategic = {c.id: c for c in queries.clusters(session, plan)}
    placements = [p for p in queries.layout(session, plan) if p.region_code == code and p.cluster_id in strategic]
    ids = [p.cluster_id for p in placements]

    def at(indicator: str, region: str = code) -> dict:
        return aggregator.values(indicator, regions=[region], clusters=ids, periods=periods, by_cluster=True)

    revenue, province = at("revenue"), at("revenue", plan.region_code)
    va, rd, emp = at("value_added"), at("rd_intensity"), at("employment")
    now = str(year) if year else None
    before = str(year - 1) if year else None
    rows = []
    for p in placements:
        cid = p.cluster_id
        value = revenue.get((cid, code, now))
        total = province.get((cid, plan.region_code, now))
        rows.append(CityClusterPublic(
            cluster=cluster_public(strategic[cid]), tier=p.tier, revenue=value,
            growth=_growth(value, revenue.get((cid, code, before))),
            value_added=va.get((cid, code, now)), rd_intensity=rd.get((cid, code, now)),
            employment=emp.get((cid, code, now)),
            share_of_province=value / total * 100 if value is not None and total else None,
        ))
    rows.sort(key=lambda r: r.cluster.order)
    total = sum(r.revenue for r in rows if r.revenue is not None) if rows else None
    return CityDetailPublic(plan=plan_public(plan), data=data_notice(session, aggregator), region=region_public(region),
                            year=year, years=years, clusters=rows, total_revenue=total)


def layout_list(session: Session, plan: Plan, *, cluster_slug: str | None = None,
                region_code: str | None = None, tier: str | None = None) -> list[LayoutPlacementPublic]:
    if cluster_slug:
        queries.cluster_by_slug(session, plan, cluster_slug)  # a proper 404 for a wrong slug
    if region_code:
        queries.region_by_code(session, region_code)
    regions = {r.code: r for r in queries.cities(session, plan)}
    docs = queries.documents(session, plan)
    result = []
    for p in queries.layout(session, plan):
        if (cluster_slug and p.cluster.slug != cluster_slug) or (region_code and p.region_code != region_code) \
                or (tier and p.tier != tier):
            continue
        region = regions[p.region_code]
        result.append(LayoutPlacementPublic(
            cluster=p.cluster.slug, cluster_name_zh=p.cluster.name_zh, region=p.region_code,
            region_name_zh=region.name_zh, region_name_en=region.name_en, tier=p.tier,
            citation=citation(docs[p.document_id], p.source_line, p.source_text),
        ))
    return result


def region_list(session: Session) -> list[RegionPublic]:
    return [region_public(r) for r in session.scalars(select(Region).order_by(Region.sort_order))]


def target_list(session: Session, plan: Plan, *, year: int | None = None) -> list[TargetPublic]:
    aggregator = Aggregator(session)
    year = _pick_year(annual_years(session, aggregator), year)
    assessor = TargetAssessor(session, plan, aggregator)
    slugs = {c.id: c.slug for c in queries.clusters(session, plan, ("pillar", "emerging", "future", "sub"))}
    return [assessor.public(t, year, slugs) for t in queries.targets(session, plan)]


def indicator_list(session: Session) -> list[IndicatorPublic]:
    return [indicator_public(i) for i in session.scalars(select(Indicator).order_by(Indicator.sort_order))]
