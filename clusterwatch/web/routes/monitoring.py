"""Monitoring pages and their JSON twins: the target board, warnings, rankings and commendation, the periodic report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from clusterwatch.assessment.board import BoardPublic, board, parse_period
from clusterwatch.assessment.rankings import RankingsPublic, rankings
from clusterwatch.assessment.report import ReportPublic, report_data
from clusterwatch.assessment.report_workbook import render_xlsx
from clusterwatch.assessment.views import annual_years, cluster_public, data_notice
from clusterwatch.assessment.warnings import MOM_FALL, YOY_FALL, WarningsPublic, warnings_for
from clusterwatch.errors import NotFound
from clusterwatch.plans import queries
from clusterwatch.plans.tasks import departments as task_departments
from clusterwatch.tabular import XLSX
from clusterwatch.web.deps import LangDep, PlanDep, SessionDep
from clusterwatch.web.report_pdf import render_pdf
from clusterwatch.web.routes.pages import render
from clusterwatch.web.routes.reporting import reporting_date

api = APIRouter(prefix="/api", tags=["monitoring"])
router = APIRouter(include_in_schema=False)

PeriodQuery = Annotated[str | None, Query(description="2024, 2025-Q3 or 2025-09; default: the latest year with data")]
Light = Literal["green", "amber", "red", "grey"]
Scope = Literal["province", "group", "cluster"]


def _blank(value: str | None) -> str | None:
    # An HTML form sends an unchosen select as an empty string.
    return value or None


@api.get("/board", response_model=BoardPublic, summary="Every goal with its light by each method, trend and projection")
def board_api(session: SessionDep, plan: PlanDep, period: PeriodQuery = None, cluster: str | None = None,
              light: Light | None = None, scope: Scope | None = None, disagree: bool = False) -> BoardPublic:
    return board(session, plan, period=period, cluster=cluster, light=light, scope=scope, disagree=disagree)


@router.get("/targets", response_class=HTMLResponse)
def board_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, period: str | None = None,
               cluster: str | None = None, light: str | None = None, scope: str | None = None,
               disagree: bool = False) -> HTMLResponse:
    data = board(session, plan, period=_blank(period), cluster=_blank(cluster), light=_blank(light),
                 scope=_blank(scope), disagree=disagree)
    return render(request, lang, "targets.html", page=data, notice=data.data)


ScopeQuery = Annotated[str, Query(description="province, cluster:<slug> or city:<code>")]
ReportPeriod = Annotated[str, Query(description="2025, 2025-Q3 or 2025-09")]
PDF = "application/pdf"


def _download(content: bytes, media_type: str, report, suffix: str) -> Response:
    # Scopes are slugs and codes, so the name is plain ASCII.
    name = f"clusterwatch-{report.scope.replace(':', '-')}-{report.period}.{suffix}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/reports/monitoring.pdf")
def report_pdf(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, period: ReportPeriod,
               scope: ScopeQuery = "province") -> Response:
    report = report_data(session, plan, scope=scope, period=period, today=reporting_date(request))
    return _download(render_pdf(report, lang), PDF, report, "pdf")


@router.get("/reports/monitoring.xlsx")
def report_xlsx(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, period: ReportPeriod,
                scope: ScopeQuery = "province") -> Response:
    report = report_data(session, plan, scope=scope, period=period, today=reporting_date(request))
    return _download(render_xlsx(report, lang), XLSX, report, "xlsx")


@api.get("/reports/monitoring", response_model=ReportPublic, summary="The periodic report's data (the PDF's and workbook's tables)")
def report_api(request: Request, session: SessionDep, plan: PlanDep, period: ReportPeriod,
               scope: ScopeQuery = "province") -> ReportPublic:
    return report_data(session, plan, scope=scope, period=period, today=reporting_date(request))


Kind = Literal["off_track", "turned_worse", "yoy_fall", "mom_fall", "returns_missing", "task_overdue"]
Threshold = Annotated[float, Query(gt=0, lt=100, description="a fall beyond this percentage is warned of")]


@api.get("/warnings", response_model=WarningsPublic, summary="Early warnings of a period: goals off track, sharp falls, returns not in")
def warnings_api(request: Request, session: SessionDep, plan: PlanDep, period: ReportPeriod, cluster: str | None = None,
                 city: str | None = None, kind: Kind | None = None, department: str | None = None,
                 yoy_fall: Threshold = YOY_FALL, mom_fall: Threshold = MOM_FALL) -> WarningsPublic:
    return warnings_for(session, plan, period=period, cluster=cluster, city=city, kind=kind, department=department,
                        yoy_fall=yoy_fall, mom_fall=mom_fall, today=reporting_date(request))


@router.get("/warnings", response_class=HTMLResponse)
def warnings_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, period: str | None = None,
                  cluster: str | None = None, city: str | None = None, kind: str | None = None,
                  department: str | None = None, yoy_fall: float = YOY_FALL, mom_fall: float = MOM_FALL) -> HTMLResponse:
    key, _ = parse_period(_blank(period), annual_years(session))
    if key is None:
        raise NotFound("data", "no figures have been approved yet")
    data = warnings_for(session, plan, period=key, cluster=_blank(cluster), city=_blank(city), kind=_blank(kind),
                        department=_blank(department), yoy_fall=yoy_fall, mom_fall=mom_fall, today=reporting_date(request))
    return render(request, lang, "warnings.html", page=data, departments=task_departments(session, plan),
                  filters={"cluster": cluster, "city": city, "kind": kind, "department": department},
                  clusters=[cluster_public(c) for c in queries.clusters(session, plan)],
                  cities=queries.cities(session, plan), notice=data_notice(session))


Normalisation = Literal["min_max", "z_score", "rank"]
Weights = Annotated[str | None, Query(description="indicator:percent pairs adding up to 100, e.g. revenue:50,revenue_growth:50")]


@api.get("/rankings", response_model=RankingsPublic, summary="Cities ranked within each cluster and overall by a composite score")
def rankings_api(session: SessionDep, plan: PlanDep, period: PeriodQuery = None, weights: Weights = None,
                 normalisation: Normalisation = "min_max") -> RankingsPublic:
    return rankings(session, plan, period=period, weights=weights, normalisation=normalisation)


@router.get("/rankings", response_class=HTMLResponse)
def rankings_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, period: str | None = None,
                  weights: str | None = None, normalisation: str = "min_max", cluster: str | None = None) -> HTMLResponse:
    data = rankings(session, plan, period=_blank(period), weights=_blank(weights), normalisation=normalisation)
    # Every ranking in data.clusters has its cluster (only data.overall has None).
    chosen = next((r for r in data.clusters if r.cluster is not None and r.cluster.slug == cluster), None) if cluster else None
    return render(request, lang, "rankings.html", page=data, chosen=chosen, notice=data_notice(session),
                  weights=",".join(f"{k}:{v:g}" for k, v in data.scheme.items()))


@router.get("/rankings/commendation", response_class=HTMLResponse)
def commendation_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, period: str | None = None,
                      weights: str | None = None, normalisation: str = "min_max") -> HTMLResponse:
    data = rankings(session, plan, period=_blank(period), weights=_blank(weights), normalisation=normalisation)
    return render(request, lang, "commendation.html", page=data, plan=plan, notice=data_notice(session))
