"""The HTML pages. Each renders what its JSON twin under /api returns."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from clusterwatch.assessment import views
from clusterwatch.assessment.rankings import rankings, scorecard
from clusterwatch.web.deps import LangDep, PlanDep, SessionDep
from clusterwatch.web.routes.api import Year
from clusterwatch.web.templating import environment

router = APIRouter(include_in_schema=False)


def render(request: Request, lang: str, template: str, **context) -> HTMLResponse:
    html = environment(lang).get_template(template).render(request=request, **context)
    response = HTMLResponse(html)
    if request.query_params.get("lang") == lang:
        response.set_cookie("cw_lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
             cluster: str | None = None, indicator: str = "revenue", year: Year = None) -> HTMLResponse:
    data = views.overview(session, plan, cluster_slug=cluster or None, indicator_code=indicator, year=year)
    # htmx asks for the part below the filters only.
    template = "_overview_body.html" if request.headers.get("HX-Request") else "overview.html"
    return render(request, lang, template, page=data, notice=data.data)


@router.get("/clusters/{slug}", response_class=HTMLResponse)
def cluster(slug: str, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
            year: Year = None) -> HTMLResponse:
    data = views.cluster_detail(session, plan, slug, year=year)
    return render(request, lang, "cluster.html", page=data, notice=data.data)


@router.get("/cities/{code}", response_class=HTMLResponse)
def city(code: str, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
         year: Year = None) -> HTMLResponse:
    data = views.city_detail(session, plan, code, year=year)
    card = scorecard(rankings(session, plan, period=str(data.year)), code) if data.year else []
    return render(request, lang, "city.html", page=data, notice=data.data, scorecard=card)
