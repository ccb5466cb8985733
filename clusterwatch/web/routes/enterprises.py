"""Enterprises: search, a firm's profile, lists and tiers, the evaluation's results and scheme;
each page with its /api twin and its exports (CSV and .xlsx)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from clusterwatch.enterprises import queries
from clusterwatch.enterprises.evaluation.editing import form_field, may_edit, require_editor, scheme_from_form
from clusterwatch.enterprises.evaluation.results import EvaluationPublic, evaluation_summary, export_columns, pool_name, result_rows, run_for
from clusterwatch.enterprises.evaluation.runs import DEFAULT_SCHEME, run_evaluation, save_scheme_version, scheme_versions
from clusterwatch.enterprises.exports import table_file
from clusterwatch.enterprises.models import LEVELS, LISTS
from clusterwatch.problems import BadInput, msg
from clusterwatch.reporting.periods import FIRST_YEAR, LAST_YEAR
from clusterwatch.web.deps import LangDep, PlanDep, SessionDep, check_csrf, current_user, signed_in
from clusterwatch.web.i18n import localized
from clusterwatch.web.routes.pages import render
from clusterwatch.web.routes.reporting import reporting_date

api = APIRouter(prefix="/api", tags=["enterprises"])
router = APIRouter(include_in_schema=False)
Format = Literal["csv", "xlsx"]
ClassQuery = Annotated[str | None, Query(alias="class", description="A, B, C, D or U (unrated)")]
MAX_EXPORT = 200_000


def _blank(value: str | None) -> str | None:
    return value or None


def _filters(q, city, county, cluster, list_code, klass) -> dict:
    return {"q": _blank(q), "city": _blank(city), "county": _blank(county), "cluster": _blank(cluster),
            "list_code": _blank(list_code), "klass": _blank(klass)}


# Search and profile


@api.get("/enterprises", response_model=queries.SearchPublic, summary="Search the register (name or USCC) with filters")
def search_api(request: Request, session: SessionDep, plan: PlanDep, q: str | None = None, city: str | None = None,
               county: str | None = None, cluster: str | None = None, list: str | None = None, klass: ClassQuery = None,
               page: int = 1) -> queries.SearchPublic:
    return queries.search(session, plan, **_filters(q, city, county, cluster, list, klass), page=page,
                          today=reporting_date(request))


@router.get("/enterprises", response_class=HTMLResponse)
def search_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, q: str | None = None,
                city: str | None = None, county: str | None = None, cluster: str | None = None, list: str | None = None,
                klass: ClassQuery = None, page: int = 1) -> HTMLResponse:
    data = queries.search(session, plan, **_filters(q, city, county, cluster, list, klass), page=page,
                          today=reporting_date(request))
    cities, clusters = queries.filter_choices(session, plan)
    return render(request, lang, "enterprises.html", page=data, lists=LISTS, cities=cities, clusters=clusters,
                  notice=queries.synthetic_notice(data.synthetic), export_query=request.url.query)


FIRM_COLUMNS = [("uscc", "统一社会信用代码", "USCC"), ("name_zh", "企业名称", "Name"), ("city_name", "所在地市", "City"),
                ("county_name", "所在县区", "County"), ("above_scale", "规模以上", "Above designated size"),
                ("land_mu", "用地面积（亩）", "Land (mu)"), ("cluster_names", "所属集群", "Clusters"),
                ("list_names", "名单", "Lists"), ("klass", "评价类别", "Class"), ("total", "综合得分", "Score"),
                ("synthetic", "示例数据", "Synthetic")]


def _firm_dicts(firms, lang: str) -> list[dict]:
    out = []
    for f in firms:
        row = f.model_dump()
        row["cluster_names"] = [c["name_zh" if lang == "zh" else "name_en"] for c in f.clusters]
        row["list_names"] = [LISTS[code]["zh" if lang == "zh" else "en"] for code in f.lists]
        out.append(row)
    return out


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/enterprises.{fmt}")
def search_export(fmt: Format, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, q: str | None = None,
                  city: str | None = None, county: str | None = None, cluster: str | None = None, list: str | None = None,
                  klass: ClassQuery = None) -> Response:
    data = queries.search(session, plan, **_filters(q, city, county, cluster, list, klass), per_page=MAX_EXPORT,
                          today=reporting_date(request))
    content, media = table_file(FIRM_COLUMNS, _firm_dicts(data.firms, lang), fmt, lang=lang, sheet="企业" if lang == "zh" else "firms",
                                synthetic=data.synthetic)
    return _download(content, media, f"clusterwatch-enterprises.{fmt}")


@api.get("/enterprises/{uscc}", response_model=queries.ProfilePublic,
         summary="A firm: register entry, lists with dates, annual figures, classes by year and the latest score breakdown")
def profile_api(uscc: str, request: Request, session: SessionDep, plan: PlanDep) -> queries.ProfilePublic:
    return queries.profile(session, plan, uscc, today=reporting_date(request))


@router.get("/enterprises/{uscc}", response_class=HTMLResponse)
def profile_page(uscc: str, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    data = queries.profile(session, plan, uscc, today=reporting_date(request))
    return render(request, lang, "enterprise.html", page=data, lists=LISTS, levels=LEVELS,
                  notice=queries.synthetic_notice(data.synthetic), pool_name=lambda p: pool_name(p, lang))


# Lists and tiers


@api.get("/lists", response_model=queries.ListsPublic, summary="Current members of every list and tier by level, cluster and city")
def lists_api(request: Request, session: SessionDep, plan: PlanDep, list: str | None = None, level: str | None = None,
              cluster: str | None = None, city: str | None = None) -> queries.ListsPublic:
    return queries.list_overview(session, plan, list_code=_blank(list), level=_blank(level), cluster=_blank(cluster),
                                 city=_blank(city), on=reporting_date(request))


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, list: str | None = None,
               level: str | None = None, cluster: str | None = None, city: str | None = None) -> HTMLResponse:
    data = queries.list_overview(session, plan, list_code=_blank(list), level=_blank(level), cluster=_blank(cluster),
                                 city=_blank(city), on=reporting_date(request))
    return render(request, lang, "lists.html", page=data, lists=LISTS, levels=LEVELS,
                  notice=queries.synthetic_notice(data.synthetic), export_query=request.url.query)


@router.get("/lists.{fmt}")
def lists_export(fmt: Format, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, list: str,
                 level: str | None = None, cluster: str | None = None, city: str | None = None) -> Response:
    data = queries.list_overview(session, plan, list_code=list, level=_blank(level), cluster=_blank(cluster),
                                 city=_blank(city), on=reporting_date(request), limit=MAX_EXPORT)
    content, media = table_file(FIRM_COLUMNS, _firm_dicts(data.members, lang), fmt, lang=lang, sheet=LISTS[list]["zh"],
                                synthetic=data.synthetic)
    return _download(content, media, f"clusterwatch-list-{list}.{fmt}")


# Evaluation: results, exports, scheme and runs


@api.get("/evaluation", response_model=EvaluationPublic,
         summary="An evaluation run's classes overall, by pool, city, county and cluster, and the moves since the year before")
def evaluation_api(session: SessionDep, plan: PlanDep, year: int | None = None) -> EvaluationPublic:
    return evaluation_summary(session, plan, year)


@router.get("/evaluation", response_class=HTMLResponse)
def evaluation_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, year: int | None = None) -> HTMLResponse:
    data = evaluation_summary(session, plan, year)
    return render(request, lang, "evaluation.html", page=data, notice=queries.synthetic_notice(data.synthetic),
                  may_edit=may_edit(current_user(request)))


@router.get("/evaluation/results.{fmt}")
def results_export(fmt: Format, session: SessionDep, lang: LangDep, year: int | None = None) -> Response:
    run = run_for(session, year)
    rows = result_rows(session, run)
    columns = export_columns(rows)
    content, media = table_file(columns, rows, fmt, lang=lang, sheet=f"{run.year}", synthetic=any(r["synthetic"] for r in rows))
    return _download(content, media, f"clusterwatch-evaluation-{run.year}.{fmt}")


class SchemeVersionPublic(BaseModel):
    code: str
    version: int
    note: str
    body: dict


@api.get("/evaluation/schemes/{code}", response_model=list[SchemeVersionPublic], summary="Every version of a scheme, newest first")
def scheme_api(code: str, session: SessionDep) -> list[SchemeVersionPublic]:
    return [SchemeVersionPublic(code=s.code, version=s.version, note=s.note, body=s.body) for s in scheme_versions(session, code)]


class SchemeIn(BaseModel):
    scheme: dict
    note: str = ""


@api.post("/evaluation/schemes", response_model=SchemeVersionPublic, status_code=201, dependencies=[Depends(check_csrf)],
          summary="Store a new version of a scheme (province administrator); every problem named by its field")
def scheme_post(body: SchemeIn, request: Request, session: SessionDep) -> SchemeVersionPublic:
    user = signed_in(request)
    require_editor(user, "change the evaluation scheme")
    stored = save_scheme_version(session, body.scheme, user=user, note=body.note, channel="api")
    session.commit()
    return SchemeVersionPublic(code=stored.code, version=stored.version, note=stored.note, body=stored.body)


class RunIn(BaseModel):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    scheme: str = DEFAULT_SCHEME


class RunPublic(BaseModel):
    id: int
    year: int
    firms: int
    rated: int
    counts: dict
    seconds: float


@api.post("/evaluation/runs", response_model=RunPublic, status_code=201, dependencies=[Depends(check_csrf)],
          summary="Evaluate a year with the newest version of a scheme and store every firm's result (province administrator)")
def run_post(body: RunIn, request: Request, session: SessionDep, plan: PlanDep) -> RunPublic:
    user = signed_in(request)
    require_editor(user, "run the evaluation")
    run = run_evaluation(session, plan, body.year, code=body.scheme, user=user)
    session.commit()
    return RunPublic(id=run.id, year=run.year, firms=run.firms, rated=run.rated, counts=run.counts, seconds=run.seconds)


@router.get("/evaluation/scheme", response_class=HTMLResponse)
def scheme_page(request: Request, session: SessionDep, lang: LangDep) -> HTMLResponse:
    return _scheme_page(request, session, lang)


def _scheme_page(request, session, lang, *, errors=None, typed=None, status_code=200) -> HTMLResponse:
    versions = scheme_versions(session)
    response = render(request, lang, "scheme.html", versions=versions, current=versions[0].body, errors=errors or {},
                      typed=typed, may_edit=may_edit(current_user(request)), notice=None)
    response.status_code = status_code
    return response


@router.post("/evaluation/scheme", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def scheme_form_post(request: Request, session: SessionDep, lang: LangDep) -> Response:
    form = {key: str(value) for key, value in (await request.form()).items()}
    user = signed_in(request)
    require_editor(user, "change the evaluation scheme")
    current = scheme_versions(session)[0].body
    try:
        save_scheme_version(session, scheme_from_form(current, form), user=user, note=form.get("note", ""), channel="web")
    except BadInput as exc:
        session.rollback()
        errors: dict[str, str] = {}
        for problem in exc.problems:
            errors.setdefault(form_field(problem.field), localized(problem.message, lang))
        return _scheme_page(request, session, lang, errors=errors, typed=form, status_code=400)
    session.commit()
    return RedirectResponse("/evaluation/scheme", status_code=303)


@router.post("/evaluation/run", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def run_form_post(request: Request, session: SessionDep, plan: PlanDep) -> RedirectResponse:
    form = await request.form()
    user = signed_in(request)
    require_editor(user, "run the evaluation")
    raw = str(form.get("year", "")).strip()
    if not raw.isdigit():
        raise BadInput("year", msg("{raw} is not a year", raw=repr(raw)))
    run_evaluation(session, plan, int(raw), user=user)
    session.commit()
    return RedirectResponse(f"/evaluation?year={int(raw)}", status_code=303)
