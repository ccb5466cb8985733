"""Reading the register: search, a firm's profile, and the lists and tiers by cluster and city.

Each function returns the plain data its page and its /api twin show. A firm's class is the
one of the latest evaluation run of the default scheme; a membership is current on a day when
it began on or before it and has not ended before it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import cast

from pydantic import BaseModel
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from clusterwatch.enterprises.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme
from clusterwatch.enterprises.evaluation.runs import DEFAULT_SCHEME, latest_run
from clusterwatch.enterprises.evaluation.scheme import Scheme
from clusterwatch.enterprises.models import LEVELS, LISTS, Enterprise, EnterpriseCluster, ListMembership
from clusterwatch.errors import NotFound
from clusterwatch.plans.models import Cluster, Plan
from clusterwatch.plans.units import convert
from clusterwatch.problems import BadInput, msg, msgid
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import EnterpriseValues, Form
from clusterwatch.reporting.queries import form_indicators

PER_PAGE = 50
SYNTHETIC_FIRMS_ZH = "企业名录、企业数据与评价结果均为演示用的合成数据（企业名称含“示例”），并非真实企业。"
SYNTHETIC_FIRMS_EN = "The firms, their figures and their evaluations are synthetic demo data (names contain 示例), not real enterprises."


class FirmRow(BaseModel):
    uscc: str
    name_zh: str
    county: str
    county_name: str
    city: str | None
    city_name: str | None
    above_scale: bool
    land_mu: float | None
    clusters: list[dict]
    lists: list[str]
    klass: str | None
    total: float | None
    synthetic: bool


class SearchPublic(BaseModel):
    query: dict
    total: int
    page: int
    pages: int
    year: int | None
    firms: list[FirmRow]
    synthetic: bool


def has_synthetic_firms(session: Session) -> bool:
    """Whether the register holds made-up firms: the pages then say so, whatever they list."""
    return session.scalar(select(Enterprise.id).where(Enterprise.synthetic.is_(True)).limit(1)) is not None


def synthetic_notice(synthetic: bool) -> dict:
    return {"synthetic": synthetic, "zh": SYNTHETIC_FIRMS_ZH, "en": SYNTHETIC_FIRMS_EN}


def _places(session: Session) -> dict[str, tuple[str, str | None]]:
    """Each region code: its Chinese name and its parent's code."""
    return {code: (name, parent) for code, name, parent in session.execute(select(Region.code, Region.name_zh, Region.parent_code))}


def _check_choice(field: str, value: str | None, allowed) -> None:
    if value and value not in allowed:
        raise BadInput(field, msg("{value} is not one of {options}", value=repr(value), options=", ".join(sorted(allowed))))


def firm_filter(session: Session, plan: Plan, *, q: str | None = None, city: str | None = None, county: str | None = None,
                cluster: str | None = None, list_code: str | None = None, klass: str | None = None,
                run: EvaluationRun | None = None, on: dt.date | None = None):
    """The SELECT of matching firm ids, ordered by name; each filter checked and named when wrong."""
    _check_choice("list", list_code, LISTS)
    _check_choice("class", klass, {"A", "B", "C", "D", "U"})
    query = select(Enterprise.id).order_by(Enterprise.name_zh, Enterprise.id)
    text = (q or "").strip()
    if text:
        if len(text) > 100:
            raise BadInput("q", msg("search for at most 100 characters"))
        query = query.where(or_(Enterprise.name_zh.contains(text, autoescape=True), Enterprise.uscc == text.upper()))
    if county:
        query = query.where(Enterprise.region_code == county)
    if city:
        query = query.where(Enterprise.region_code.in_(select(Region.code).where(Region.parent_code == city)))
    if cluster:
        found = session.scalar(select(Cluster.id).where(Cluster.plan_id == plan.id, Cluster.slug == cluster))
        if found is None:
            raise BadInput("cluster", msg("no cluster {slug} in plan {plan}", slug=repr(cluster), plan=plan.code))
        query = query.where(Enterprise.id.in_(select(EnterpriseCluster.enterprise_id).where(EnterpriseCluster.cluster_id == found)))
    if list_code:
        day = on or dt.date.today()
        query = query.where(Enterprise.id.in_(select(ListMembership.enterprise_id).where(
            ListMembership.list_code == list_code, ListMembership.since <= day,
            or_(ListMembership.until.is_(None), ListMembership.until >= day))))
    if klass:
        if run is None:
            raise BadInput("class", msg("no evaluation has been run yet"))
        query = query.where(Enterprise.id.in_(select(EvaluationResult.enterprise_id).where(
            EvaluationResult.run_id == run.id, EvaluationResult.klass == klass)))
    return query


def search(session: Session, plan: Plan, *, q: str | None = None, city: str | None = None, county: str | None = None,
           cluster: str | None = None, list_code: str | None = None, klass: str | None = None, page: int = 1,
           per_page: int = PER_PAGE, today: dt.date | None = None) -> SearchPublic:
    run = latest_run(session)
    query = firm_filter(session, plan, q=q, city=city, county=county, cluster=cluster, list_code=list_code, klass=klass,
                        run=run, on=today)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    assert total is not None  # COUNT(*) always gives a row
    pages = max(1, -(-total // per_page))
    if page < 1:
        raise BadInput("page", msg("pages are numbered from 1"))
    ids = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    firms = firm_rows(session, plan, ids, run=run, today=today)
    return SearchPublic(query={"q": q, "city": city, "county": county, "cluster": cluster, "list": list_code, "class": klass},
                        total=total, page=page, pages=pages, year=run.year if run else None, firms=firms,
                        synthetic=has_synthetic_firms(session))


def firm_rows(session: Session, plan: Plan, ids: list[int], *, run: EvaluationRun | None,
              today: dt.date | None = None) -> list[FirmRow]:
    """The rows of a list of firms, in the order given: a few queries per 5,000 firms, not one per
    firm (an export of a province's 60,000 firms stays within SQLite's limit on bound values)."""
    day = today or dt.date.today()
    places = _places(session)
    rows = []
    for start in range(0, len(ids), CHUNK):
        rows += _firm_chunk(session, plan, ids[start:start + CHUNK], run, day, places)
    return rows


CHUNK = 5000


def _firm_chunk(session: Session, plan: Plan, ids: list[int], run: EvaluationRun | None, day: dt.date,
                places: dict) -> list[FirmRow]:
    firms = {f.id: f for f in session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))}
    clusters = defaultdict(list)
    for firm_id, slug, name_zh, name_en in session.execute(
            select(EnterpriseCluster.enterprise_id, Cluster.slug, Cluster.name_zh, Cluster.name_en)
            .join(Cluster, Cluster.id == EnterpriseCluster.cluster_id)
            .where(EnterpriseCluster.enterprise_id.in_(ids), Cluster.plan_id == plan.id).order_by(EnterpriseCluster.position)):
        clusters[firm_id].append({"slug": slug, "name_zh": name_zh, "name_en": name_en})
    lists: defaultdict[int, list[str]] = defaultdict(list)
    for firm_id, code in session.execute(select(ListMembership.enterprise_id, ListMembership.list_code).where(
            ListMembership.enterprise_id.in_(ids), ListMembership.since <= day,
            or_(ListMembership.until.is_(None), ListMembership.until >= day)).order_by(ListMembership.list_code)):
        if code not in lists[firm_id]:
            lists[firm_id].append(code)
    classes = {}
    if run is not None:
        classes = {firm_id: (klass, total) for firm_id, klass, total in session.execute(
            select(EvaluationResult.enterprise_id, EvaluationResult.klass, EvaluationResult.total)
            .where(EvaluationResult.run_id == run.id, EvaluationResult.enterprise_id.in_(ids)))}
    rows = []
    for firm_id in ids:
        firm = firms[firm_id]
        county_name, city = places.get(firm.region_code, (firm.region_code, None))
        klass, total = classes.get(firm_id, (None, None))
        rows.append(FirmRow(uscc=firm.uscc, name_zh=firm.name_zh, county=firm.region_code, county_name=county_name,
                            city=city, city_name=places[city][0] if city in places else None, above_scale=firm.above_scale,
                            land_mu=firm.land_mu, clusters=clusters[firm_id], lists=lists[firm_id], klass=klass,
                            total=total, synthetic=firm.synthetic))
    return rows


# A firm's profile


class MembershipPublic(BaseModel):
    list_code: str
    list_zh: str
    list_en: str
    level: str
    cluster: dict | None
    since: dt.date
    until: dt.date | None
    current: bool
    source: str


class FigureYear(BaseModel):
    year: int
    values: dict[str, float | None]
    approved: bool


class ClassYear(BaseModel):
    year: int
    scheme: str
    version: int
    klass: str
    total: float | None
    rank: int | None
    pool: str
    pool_size: int | None
    previous_klass: str | None


class BreakdownRow(BaseModel):
    code: str
    name_zh: str
    name_en: str
    unit: str
    weight: float
    cap: float
    value: float | None
    benchmark: float | None
    score: float | None
    imputed: bool


class ProfilePublic(BaseModel):
    firm: FirmRow
    founded: dt.date | None
    industry_code: str | None
    exempt_reason: str | None
    segments: list[dict]
    memberships: list[MembershipPublic]
    indicators: list[dict]  # the annual return's columns: code, names, unit shown
    figures: list[FigureYear]
    classes: list[ClassYear]
    breakdown_year: int | None
    breakdown: list[BreakdownRow]
    synthetic: bool


def find_firm(session: Session, uscc: str) -> Enterprise:
    firm = session.scalar(select(Enterprise).where(Enterprise.uscc == (uscc or "").strip().upper()))
    if firm is None:
        raise NotFound(msgid("enterprise"), uscc)
    return firm


def profile(session: Session, plan: Plan, uscc: str, *, form_code: str = "enterprise-annual",
            today: dt.date | None = None) -> ProfilePublic:
    firm = find_firm(session, uscc)
    day = today or dt.date.today()
    run = latest_run(session)
    row = firm_rows(session, plan, [firm.id], run=run, today=day)[0]
    cluster_names = {c.id: c for c in session.scalars(select(Cluster).where(Cluster.plan_id == plan.id))}
    segments = [{"cluster": cluster_names[cid].slug, "name_zh": cluster_names[cid].name_zh, "name_en": cluster_names[cid].name_en,
                 "segment": segment, "main": position == 0}
                for cid, segment, position in session.execute(
                    select(EnterpriseCluster.cluster_id, EnterpriseCluster.segment, EnterpriseCluster.position)
                    .where(EnterpriseCluster.enterprise_id == firm.id).order_by(EnterpriseCluster.position))
                if cid in cluster_names]
    memberships = []
    for m in session.scalars(select(ListMembership).where(ListMembership.enterprise_id == firm.id)
                             .order_by(ListMembership.since.desc(), ListMembership.list_code)):
        c = cluster_names.get(m.cluster_id) if m.cluster_id is not None else None
        memberships.append(MembershipPublic(
            list_code=m.list_code, list_zh=LISTS[m.list_code]["zh"], list_en=LISTS[m.list_code]["en"], level=m.level,
            cluster={"slug": c.slug, "name_zh": c.name_zh, "name_en": c.name_en} if c else None, since=m.since, until=m.until,
            current=m.since <= day and (m.until is None or m.until >= day), source=m.source))
    indicators, figures = _figures(session, plan, firm, form_code)
    classes, breakdown, breakdown_year = _classes(session, firm)
    return ProfilePublic(firm=row, founded=firm.founded, industry_code=firm.industry_code, exempt_reason=firm.exempt_reason,
                         segments=segments, memberships=memberships, indicators=indicators, figures=figures, classes=classes,
                         breakdown_year=breakdown_year, breakdown=breakdown, synthetic=firm.synthetic)


def _figures(session: Session, plan: Plan, firm: Enterprise, form_code: str) -> tuple[list[dict], list[FigureYear]]:
    """The firm's annual returns, each value in the unit the form asks in (万元 for money)."""
    form = session.scalar(select(Form).where(Form.plan_id == plan.id, Form.code == form_code))
    if form is None:
        return [], []
    columns = form_indicators(session, form)
    shown = [{"code": ind.code, "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": item.unit or ind.unit}
             for item, ind in columns]
    factors = {ind.code: convert(1.0, ind.unit, item.unit) if item.unit else 1.0 for item, ind in columns}
    figures = []
    for year, values, approved in session.execute(
            select(EnterpriseValues.year, EnterpriseValues.values, EnterpriseValues.approved)
            .where(EnterpriseValues.enterprise_id == firm.id, EnterpriseValues.form_id == form.id,
                   EnterpriseValues.period_type == "A").order_by(EnterpriseValues.year)):
        figures.append(FigureYear(year=year, approved=approved, values={
            code: round(values[code] * factor, 4) if values.get(code) is not None else None for code, factor in factors.items()}))
    return shown, figures


def _classes(session: Session, firm: Enterprise) -> tuple[list[ClassYear], list[BreakdownRow], int | None]:
    rows = session.execute(
        select(EvaluationResult, EvaluationRun.year, EvaluationScheme)
        .join(EvaluationRun, EvaluationRun.id == EvaluationResult.run_id)
        .join(EvaluationScheme, EvaluationScheme.id == EvaluationRun.scheme_id)
        .where(EvaluationResult.enterprise_id == firm.id, EvaluationScheme.code == DEFAULT_SCHEME)
        .order_by(EvaluationRun.year.desc(), EvaluationScheme.version.desc())).all()
    classes, seen, breakdown, breakdown_year = [], set(), [], None
    for result, year, stored in rows:
        if year in seen:
            continue  # an older version's run of the same year
        seen.add(year)
        classes.append(ClassYear(year=year, scheme=stored.code, version=stored.version, klass=result.klass, total=result.total,
                                 rank=result.rank, pool=result.pool, pool_size=result.pool_size,
                                 previous_klass=result.previous_klass))
        if breakdown_year is None:
            breakdown_year = year
            scheme = Scheme.model_validate(stored.body)
            for ind in scheme.indicators:
                x, b, s, imputed = result.breakdown.get(ind.code, [None, None, None, False])
                breakdown.append(BreakdownRow(code=ind.code, name_zh=ind.name_zh, name_en=ind.name_en, unit=ind.unit,
                                              weight=ind.weight, cap=ind.cap if ind.cap is not None else scheme.cap,
                                              value=x, benchmark=b, score=s, imputed=bool(imputed)))
    return classes, breakdown, breakdown_year


# Lists and tiers


class ListCount(BaseModel):
    list_code: str
    list_zh: str
    list_en: str
    level: str
    total: int
    by_cluster: dict[str, int]
    by_city: dict[str, int]


class ListsPublic(BaseModel):
    on: dt.date
    lists: list[ListCount]
    clusters: list[dict]
    cities: list[dict]
    members: list[FirmRow]
    member_total: int
    selected: dict
    synthetic: bool


def list_overview(session: Session, plan: Plan, *, list_code: str | None = None, level: str | None = None,
                  cluster: str | None = None, city: str | None = None, on: dt.date | None = None,
                  limit: int = 200) -> ListsPublic:
    """Current members of every list and tier, counted by level, by cluster (the firm's main
    cluster, or the one the listing is for) and by city; and the members of one list."""
    _check_choice("list", list_code, LISTS)
    _check_choice("level", level, LEVELS)
    day = on or dt.date.today()
    county = aliased(Region)
    main = aliased(EnterpriseCluster)
    current = and_(ListMembership.since <= day, or_(ListMembership.until.is_(None), ListMembership.until >= day))
    rows = session.execute(
        select(ListMembership.list_code, ListMembership.level, func.coalesce(ListMembership.cluster_id, main.cluster_id),
               county.parent_code, func.count())
        .join(Enterprise, Enterprise.id == ListMembership.enterprise_id)
        .join(county, county.code == Enterprise.region_code)
        .outerjoin(main, and_(main.enterprise_id == Enterprise.id, main.position == 0))
        .where(current).group_by(ListMembership.list_code, ListMembership.level,
                                 func.coalesce(ListMembership.cluster_id, main.cluster_id), county.parent_code)).all()
    clusters = {c.id: c for c in session.scalars(select(Cluster).where(Cluster.plan_id == plan.id).order_by(Cluster.sort_order))}
    counts: dict[tuple[str, str], ListCount] = {}
    for code, lvl, cluster_id, city_code, n in rows:
        entry = counts.setdefault((code, lvl), ListCount(list_code=code, list_zh=LISTS[code]["zh"], list_en=LISTS[code]["en"],
                                                         level=lvl, total=0, by_cluster={}, by_city={}))
        entry.total += n
        slug = clusters[cluster_id].slug if cluster_id in clusters else "-"
        entry.by_cluster[slug] = entry.by_cluster.get(slug, 0) + n
        # A firm is registered in a county, and a county lies in a city. The plan file does not
        # enforce the parent, so this is a cast, not a check: the counts stay as they were.
        city_key = cast(str, city_code)
        entry.by_city[city_key] = entry.by_city.get(city_key, 0) + n
    order = {code: i for i, code in enumerate(LISTS)}
    level_order = {lvl: i for i, lvl in enumerate(LEVELS)}
    lists = sorted(counts.values(), key=lambda c: (order[c.list_code], level_order[c.level]))
    members, member_total = [], 0
    if list_code:
        query = firm_filter(session, plan, list_code=list_code, cluster=cluster or None, city=city or None, on=day)
        if level:
            query = query.where(Enterprise.id.in_(select(ListMembership.enterprise_id).where(
                ListMembership.list_code == list_code, ListMembership.level == level, current)))
        count = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        assert count is not None  # COUNT(*) always gives a row
        member_total = count
        members = firm_rows(session, plan, list(session.scalars(query.limit(limit))), run=latest_run(session), today=day)
    cities, cluster_choices = filter_choices(session, plan)
    synthetic = has_synthetic_firms(session)
    return ListsPublic(on=day, lists=lists, clusters=cluster_choices, cities=cities, members=members, member_total=member_total,
                       selected={"list": list_code, "level": level, "cluster": cluster, "city": city}, synthetic=synthetic)


def filter_choices(session: Session, plan: Plan) -> tuple[list[dict], list[dict]]:
    """The cities and the strategic clusters, as the pages' filters offer them."""
    cities = [{"code": code, "name_zh": name, "name_en": name_en} for code, name, name_en in session.execute(
        select(Region.code, Region.name_zh, Region.name_en).where(Region.level == "city").order_by(Region.code))]
    clusters = [{"slug": slug, "name_zh": name_zh, "name_en": name_en} for slug, name_zh, name_en in session.execute(
        select(Cluster.slug, Cluster.name_zh, Cluster.name_en)
        .where(Cluster.plan_id == plan.id, Cluster.kind.in_(("pillar", "emerging"))).order_by(Cluster.sort_order))]
    return cities, clusters
