"""Early warnings (预警) for a period: goals off track or turning worse, sharp falls, returns not in.

- off_track: a goal whose light is red; turned_worse: a light worse than a year earlier.
- yoy_fall: a city's figure of a cluster (or the cluster's province total) fell by more than
  `yoy_fall` % against the same period a year before: the year assessed for annual figures,
  each month of the period for monthly ones.
- mom_fall: the period's last month fell by more than `mom_fall` % against the month before.
  The default (35%) is set above the Spring Festival's usual dip in February (about 25% in
  industrial output, plus a month's ordinary noise), so that seasonality alone seldom raises
  it; a year-on-year fall is the sounder signal for monthly figures.
- returns_missing: a form's returns for a period of the report that are due and not in,
  one warning per form and period with the units named.
- task_overdue: a task of the plan past its due date and not reported done.
With a department: its overdue tasks, and the goals and falls of the clusters whose tasks
name it.
Thresholds are per request (page and API parameters); docs/methods.md gives the formulas.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.assessment.aggregate import Aggregator
from clusterwatch.assessment.board import BoardPublic, as_of_year, board
from clusterwatch.plans import queries
from clusterwatch.plans.tasks import task_list
from clusterwatch.problems import BadInput, msg
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import Form
from clusterwatch.reporting.periods import Period, PeriodError
from clusterwatch.reporting.workflow import completeness

YOY_FALL = 10.0
MOM_FALL = 35.0
WATCHED = ("revenue", "value_added")  # flow indicators reported monthly and yearly
KINDS = ("off_track", "turned_worse", "yoy_fall", "mom_fall", "returns_missing", "task_overdue")


class WarningPublic(BaseModel):
    kind: str
    severity: str  # high | medium
    period: str
    cluster: str | None = None
    cluster_name_zh: str | None = None
    cluster_name_en: str | None = None
    region: str | None = None
    region_name_zh: str | None = None
    region_name_en: str | None = None
    indicator: str | None = None
    indicator_name_zh: str | None = None
    indicator_name_en: str | None = None
    target: str | None = None
    value: float | None = None
    reference: float | None = None  # what the value is set against
    change: float | None = None  # % change against the reference
    status: str | None = None  # a goal's status
    form: str | None = None
    units: list[str] = []  # returns not in: unit codes
    task: str | None = None
    task_title: str | None = None
    departments: list[str] = []  # a task's departments, lead first


class WarningsPublic(BaseModel):
    period: str
    as_of_year: int
    thresholds: dict[str, float]
    counts: dict[str, int]
    warnings: list[WarningPublic]


def check_thresholds(yoy_fall: float, mom_fall: float) -> None:
    for field, value in (("yoy_fall", yoy_fall), ("mom_fall", mom_fall)):
        if not 0 < value < 100:
            raise BadInput(field, msg("a fall threshold is a percentage between 0 and 100, not {value}", value=f"{value:g}"))


def warnings_for(session: Session, plan, *, period: str, cluster: str | None = None, city: str | None = None,
                 kind: str | None = None, department: str | None = None, yoy_fall: float = YOY_FALL, mom_fall: float = MOM_FALL,
                 today: dt.date | None = None, aggregator: Aggregator | None = None,
                 every_target: BoardPublic | None = None) -> WarningsPublic:
    try:
        parsed = Period.parse(period)
    except PeriodError as exc:
        raise BadInput("period", exc.message) from None
    if kind is not None and kind not in KINDS:
        raise BadInput("kind", msg("{value} is not a kind of warning: {kinds}", value=repr(kind), kinds=", ".join(KINDS)))
    check_thresholds(yoy_fall, mom_fall)
    chosen = queries.cluster_by_slug(session, plan, cluster) if cluster else None
    if city:
        region = queries.region_by_code(session, city)
        if region.parent_code != plan.region_code:
            raise BadInput("city", msg("{code} is not a city of the plan's region", code=city))
    today = today or dt.date.today()
    tasks = task_list(session, plan, today=min(today, parsed.last_day)).tasks
    if department is not None and department not in {d for t in tasks for d in t.lead + t.cooperating}:
        raise BadInput("department", msg("no task of the plan names the department {name}", name=repr(department)))
    aggregator = aggregator or Aggregator(session)
    every_target = every_target or board(session, plan, period=parsed.key, aggregator=aggregator)
    found = _goal_warnings(every_target, parsed.key) + _falls(session, plan, aggregator, parsed, yoy_fall, mom_fall) \
        + _returns_missing(session, plan, parsed, today, city) + _tasks_overdue(tasks, parsed.key)
    theirs = {t.cluster for t in tasks if department in t.lead + t.cooperating} if department else set()
    shown = [w for w in found
             if (kind is None or w.kind == kind)
             and (chosen is None or w.cluster == chosen.slug)
             and (city is None or w.region == city or w.kind == "returns_missing")
             and (department is None or department in w.departments
                  or (w.kind != "task_overdue" and w.cluster is not None and w.cluster in theirs))]
    shown.sort(key=lambda w: (w.severity != "high", KINDS.index(w.kind), w.cluster or "", w.region or ""))
    return WarningsPublic(period=parsed.key, as_of_year=as_of_year(parsed),
                          thresholds={"yoy_fall": yoy_fall, "mom_fall": mom_fall},
                          counts={k: sum(1 for w in shown if w.kind == k) for k in KINDS}, warnings=shown)


def _goal_warnings(every_target: BoardPublic, period: str) -> list[WarningPublic]:
    result = []
    for row in every_target.rows:
        kind = "off_track" if row.progress.light == "red" else "turned_worse" if row.turned_worse else None
        if kind:
            result.append(WarningPublic(
                kind=kind, severity="high" if kind == "off_track" else "medium", period=period,
                cluster=row.cluster, cluster_name_zh=row.cluster_name_zh, cluster_name_en=row.cluster_name_en,
                indicator=row.indicator, indicator_name_zh=row.indicator_text or row.indicator_name_zh,
                indicator_name_en=row.indicator_name_en, target=row.code, value=row.progress.value, reference=row.progress.goal_level,
                status=row.progress.status))
    return result


def _tasks_overdue(tasks, period: str) -> list[WarningPublic]:
    """Tasks past their due date at the end of the period (or today, if earlier), not done."""
    return [WarningPublic(kind="task_overdue", severity="medium", period=period, cluster=t.cluster,
                          cluster_name_zh=t.cluster_name_zh, cluster_name_en=t.cluster_name_en, task=t.code,
                          task_title=t.title, departments=t.lead + t.cooperating, status=t.status)
            for t in tasks if t.overdue]


def _falls(session: Session, plan, aggregator: Aggregator, period: Period, yoy_fall: float,
           mom_fall: float) -> list[WarningPublic]:
    strategic = {c.id: c for c in queries.clusters(session, plan)}
    regions = {r.code: r for r in queries.cities(session, plan)}
    province = queries.region_by_code(session, plan.region_code)
    regions[province.code] = province
    codes = list(regions)
    year = as_of_year(period)
    months = [p.key for p in _periods_within("M", period)]
    previous_year_months = [f"{int(m[:4]) - 1}{m[4:]}" for m in months]
    before_last = Period.parse(months[-1]).preceding(1)[0].key
    result = []
    for code in WATCHED:
        if code not in aggregator.indicators:
            continue
        annual = aggregator.values(code, regions=codes, clusters=list(strategic), periods=[str(year), str(year - 1)],
                                   by_cluster=True)
        monthly = aggregator.values(code, regions=codes, clusters=list(strategic), period_type="M",
                                    periods=months + previous_year_months + [before_last], by_cluster=True)
        indicator = aggregator.indicators[code]
        for (cluster_id, region, p), value in annual.items():
            if p == str(year):
                result += _fall("yoy_fall", value, annual.get((cluster_id, region, str(year - 1))), yoy_fall, p,
                                strategic[cluster_id], regions[region], indicator)
        for (cluster_id, region, p), value in monthly.items():
            if p in months:
                result += _fall("yoy_fall", value, monthly.get((cluster_id, region, f"{int(p[:4]) - 1}{p[4:]}")), yoy_fall,
                                p, strategic[cluster_id], regions[region], indicator)
            if p == months[-1]:
                result += _fall("mom_fall", value, monthly.get((cluster_id, region, before_last)), mom_fall, p,
                                strategic[cluster_id], regions[region], indicator)
    return result


def _fall(kind, value, reference, threshold, period, cluster, region, indicator) -> list[WarningPublic]:
    if reference is None or reference <= 0:
        return []
    change = (value / reference - 1) * 100
    if change > -threshold:
        return []
    return [WarningPublic(kind=kind, severity="high" if change <= -2 * threshold else "medium", period=period,
                          cluster=cluster.slug, cluster_name_zh=cluster.name_zh, cluster_name_en=cluster.name_en,
                          region=region.code, region_name_zh=region.name_zh, region_name_en=region.name_en,
                          indicator=indicator.code, indicator_name_zh=indicator.name_zh, indicator_name_en=indicator.name_en,
                          value=value, reference=reference, change=change)]


def _returns_missing(session: Session, plan, period: Period, today: dt.date, city: str | None) -> list[WarningPublic]:
    """Per form, its periods inside the report's period that are due by `today` and not all in
    (with a city: its own and its counties' returns only)."""
    city_of = dict(session.execute(select(Region.code, Region.parent_code)).all())
    result = []
    for form in session.scalars(select(Form).where(Form.plan_id == plan.id).order_by(Form.code)):
        for sub in _periods_within(form.period_type, period):
            if sub.due(form.due_days) >= today:
                continue
            report = completeness(session, plan, form_code=form.code, period=sub.key, today=today, everyone=True)
            missing = [u["unit"] for u in report["units"] if not u["received"]
                       and (city is None or city in (u["unit"], city_of.get(u["unit"])))]
            if missing:
                result.append(WarningPublic(kind="returns_missing", severity="medium", period=sub.key, form=form.code,
                                            value=len(missing), reference=report["expected"], units=missing))
    return result


def _periods_within(period_type: str, period: Period) -> list[Period]:
    """The periods of a form's type that end inside `period` (a month's report holds no year)."""
    ends = period.last_day
    return [p for p in Period.all_of(period_type, period.year) if period.first_day <= p.last_day <= ends]
