"""The periodic monitoring report of the province, a cluster or a city, as data, PDF and .xlsx.

The same `report_data` feeds the PDF (an HTML page typeset by WeasyPrint, Chinese in Noto
CJK) and the workbook, so the tables behind every figure in the PDF are the workbook's.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterwatch.assessment.aggregate import Aggregator
from clusterwatch.assessment.board import BoardPublic, BoardRowPublic, as_of_year, board
from clusterwatch.assessment.schemas import CityClusterPublic, ClusterCardPublic, ClusterCityPublic, DataNoticePublic, PlanPublic
from clusterwatch.assessment.views import city_detail, cluster_cards, cluster_detail, data_notice, plan_public
from clusterwatch.assessment.warnings import KINDS, WarningPublic, WarningsPublic, warnings_for
from clusterwatch.plans import queries
from clusterwatch.problems import BadInput, msg
from clusterwatch.reporting.periods import Period, PeriodError

# Flow indicators whose year to date the report gives (monthly returns add up to them).
YEAR_TO_DATE = ("revenue", "value_added")
CHINESE_QUARTERS = "一二三四"


class YearToDatePublic(BaseModel):
    indicator: str
    name_zh: str
    name_en: str
    unit: str
    months: int  # months of the period's year covered
    value: float | None
    previous: float | None  # the same months a year before
    growth: float | None  # %


class ReportPublic(BaseModel):
    plan: PlanPublic
    data: DataNoticePublic
    scope: str  # province | cluster:<slug> | city:<code>
    scope_name_zh: str
    scope_name_en: str
    period: str
    period_zh: str
    period_en: str
    as_of_year: int
    generated: dt.datetime
    counts: dict[str, int]
    targets: list[BoardRowPublic]
    year_to_date: list[YearToDatePublic]
    clusters: list[ClusterCardPublic]  # province scope
    cluster_cities: list[ClusterCityPublic]  # cluster scope
    city_clusters: list[CityClusterPublic]  # city scope
    warnings: list[WarningPublic]  # the digest: the warnings of the scope
    warning_counts: dict[str, int]


def period_label(period: Period) -> tuple[str, str]:
    if period.type == "Q":
        return f"{period.year}年第{CHINESE_QUARTERS[period.index - 1]}季度", f"Q{period.index} {period.year}"
    if period.type == "M":
        return f"{period.year}年{period.index}月", f"{dt.date(period.year, period.index, 1):%B %Y}"
    return f"{period.year}年", str(period.year)


def parse_scope(session: Session, plan, scope: str):
    """('province', None) | ('cluster', Cluster) | ('city', Region); a clear message otherwise."""
    kind, _, key = scope.partition(":")
    if kind == "province" and not key:
        return "province", None
    if kind == "cluster" and key:
        return "cluster", queries.cluster_by_slug(session, plan, key)
    if kind == "city" and key:
        region = queries.region_by_code(session, key)
        if region.parent_code != plan.region_code:
            raise BadInput("scope", msg("{code} is not a city of the plan's region", code=key))
        return "city", region
    raise BadInput("scope", msg("{value} is not a scope: write province, cluster:<slug> or city:<code>", value=repr(scope)))


def report_data(session: Session, plan, *, scope: str = "province", period: str,
                aggregator: Aggregator | None = None, every_target: BoardPublic | None = None,
                every_warning: WarningsPublic | None = None, today: dt.date | None = None) -> ReportPublic:
    """One report. To make many at once, pass one Aggregator, the unfiltered board and the
    unfiltered warnings of the period: every report then reads the data once (`all_reports`)."""
    try:
        parsed = Period.parse(period)
    except PeriodError as exc:
        raise BadInput("period", exc.message) from None
    kind, subject = parse_scope(session, plan, scope)
    aggregator = aggregator or Aggregator(session)
    year = as_of_year(parsed)
    # Every goal is assessed once: the warnings need them all, the report its scope's.
    every_target = every_target or board(session, plan, period=parsed.key, aggregator=aggregator)
    if kind == "city":
        targets = []  # the plans set no goals per city
    else:
        targets = [r for r in every_target.rows if kind == "province" or r.cluster == subject.slug]
    strategic = queries.clusters(session, plan)
    region = subject.code if kind == "city" else plan.region_code
    cluster_ids = [subject.id] if kind == "cluster" else [c.id for c in strategic]
    zh, en = period_label(parsed)
    if every_warning is None:
        every_warning = warnings_for(session, plan, period=parsed.key, aggregator=aggregator, today=today,
                                     every_target=every_target)
    digest = [w for w in every_warning.warnings if kind == "province"
              or (kind == "cluster" and w.cluster == subject.slug)
              or (kind == "city" and w.region == subject.code)]
    named = subject or queries.region_by_code(session, plan.region_code)
    return ReportPublic(
        plan=plan_public(plan), data=data_notice(session, aggregator), scope=scope if kind != "province" else "province",
        scope_name_zh=named.name_zh, scope_name_en=named.name_en,
        period=parsed.key, period_zh=zh, period_en=en, as_of_year=year,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
        counts={light: sum(1 for t in targets if t.progress.light == light) for light in ("green", "amber", "red", "grey")},
        targets=targets,
        year_to_date=year_to_date(aggregator, parsed, region, cluster_ids),
        clusters=cluster_cards(session, plan, year=year, aggregator=aggregator) if kind == "province" else [],
        cluster_cities=cluster_detail(session, plan, subject.slug, year=year, aggregator=aggregator).cities
        if kind == "cluster" else [],
        city_clusters=city_detail(session, plan, subject.code, year=year, aggregator=aggregator).clusters
        if kind == "city" else [],
        warnings=digest, warning_counts={k: sum(1 for w in digest if w.kind == k) for k in KINDS},
    )


def all_reports(session: Session, plan, *, period: str, today: dt.date | None = None) -> dict[str, ReportPublic]:
    """The report of the province, of every strategic cluster and of every city, for one period,
    from one read of the data: the whole assessment of the plan."""
    try:
        key = Period.parse(period).key
    except PeriodError as exc:
        raise BadInput("period", exc.message) from None
    aggregator = Aggregator(session)
    every_target = board(session, plan, period=key, aggregator=aggregator)
    every_warning = warnings_for(session, plan, period=key, aggregator=aggregator, today=today, every_target=every_target)
    scopes = ["province"] + [f"cluster:{c.slug}" for c in queries.clusters(session, plan)] + \
             [f"city:{r.code}" for r in queries.cities(session, plan)]
    return {scope: report_data(session, plan, scope=scope, period=key, aggregator=aggregator, every_target=every_target,
                               every_warning=every_warning)
            for scope in scopes}


def year_to_date(aggregator: Aggregator, period: Period, region: str, clusters: list[int]) -> list[YearToDatePublic]:
    """January to the period's last month, against the same months a year before.

    Only complete: a month missing in either year leaves that figure empty, rather than a
    sum of fewer months set against more.
    """
    last = {"A": 12, "Q": 3 * period.index, "M": period.index}[period.type]
    result = []
    for code in YEAR_TO_DATE:
        indicator = aggregator.indicators.get(code)
        if indicator is None:
            continue
        sums = []
        for year in (period.year, period.year - 1):
            months = [f"{year}-{m:02d}" for m in range(1, last + 1)]
            values = aggregator.values(code, regions=[region], clusters=clusters, period_type="M", periods=months)
            found = [values[(region, m)] for m in months if (region, m) in values]
            sums.append(sum(found) if len(found) == len(months) else None)
        now, before = sums
        result.append(YearToDatePublic(
            indicator=code, name_zh=indicator.name_zh, name_en=indicator.name_en, unit=indicator.unit, months=last,
            value=now, previous=before,
            growth=(now / before - 1) * 100 if now is not None and before else None,
        ))
    return result


def report_title(report: ReportPublic, lang: str) -> str:
    if lang == "en":
        return f"{report.scope_name_en}: monitoring report of the strategic industrial clusters, {report.period_en}"
    subject = report.scope_name_zh + ("产业集群" if report.scope.startswith("cluster:") else "战略性产业集群")
    return f"{subject}监测报告（{report.period_zh}）"
