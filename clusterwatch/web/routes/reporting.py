"""Returns: download a form's Excel template, upload it filled (dry run, then import)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from clusterwatch.accounts.permissions import can, require
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.forms import form_list
from clusterwatch.problems import BadInput, msg
from clusterwatch.regions.models import Region
from clusterwatch.reporting.exchange import check_rows, import_rows, rows_from_csv, rows_from_json
from clusterwatch.reporting.flags import explain, flags_of
from clusterwatch.reporting.forms import define_form
from clusterwatch.reporting.queries import form_by_code, reporting_unit, return_values
from clusterwatch.reporting.returns import import_return, make_template, read_return
from clusterwatch.reporting.workbook import MAX_ENTERPRISE_UPLOAD
from clusterwatch.reporting.workflow import TRANSITIONS, completeness, may_act, may_read, return_detail, transition
from clusterwatch.tabular import XLSX
from clusterwatch.web.deps import LangDep, PlanDep, RowId, SessionDep, check_csrf, current_user, signed_in
from clusterwatch.web.i18n import localized
from clusterwatch.web.routes.pages import render

router = APIRouter(tags=["reporting"])
MAX_ROWS_FILE = 32 * 1024 * 1024


def reporting_date(request: Request) -> dt.date:
    return request.app.state.settings.today or dt.date.today()


@router.get("/reporting", response_class=HTMLResponse, include_in_schema=False)
def reporting_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, form: str | None = None,
                   period: str | None = None) -> HTMLResponse:
    user = signed_in(request)
    status = None
    if form and period:
        status = completeness(session, plan, form_code=form, period=period, today=reporting_date(request), user=user)
        units = {u.code: u for u in session.scalars(select(Region).where(Region.code.in_([r["unit"] for r in status["units"]])))}
        for row in status["units"]:
            row["actions"] = [a for a in TRANSITIONS if may_act(session, user, a, units[row["unit"]])
                              and (row["status"] in TRANSITIONS[a][0])]
        # Show the units this user deals with first.
        status["units"].sort(key=lambda r: (not r["actions"], r["unit"]))
    return render(request, lang, "reporting.html", forms=form_list(session, plan), page={"plan": plan}, notice=None,
                  result=None, status=status, chosen={"form": form, "period": period})


@router.post("/reporting/move", include_in_schema=False, dependencies=[Depends(check_csrf)])
def move_from_page(request: Request, session: SessionDep, plan: PlanDep, form: Annotated[str, Form()],
                   unit: Annotated[str, Form()], period: Annotated[str, Form()], action: Annotated[str, Form()],
                   reason: Annotated[str, Form()] = "", expected: Annotated[str, Form()] = "") -> RedirectResponse:
    transition(session, plan, form_code=form, unit_code=unit, period=period, action=action, user=signed_in(request),
               reason=reason or None, expected=expected or None)
    session.commit()
    return RedirectResponse(f"/reporting?form={form}&period={period}", status_code=303)


@router.get("/api/returns/{form}/{unit}/{period}",
            summary="A return's status, every step of its approval, and every value with its history")
def return_status(form: str, unit: str, period: str, request: Request, session: SessionDep, plan: PlanDep) -> dict:
    found = form_by_code(session, plan, form)
    may_read(session, signed_in(request), reporting_unit(session, found, unit))
    detail = return_detail(session, plan, form_code=form, unit_code=unit, period=period)
    return {**detail, "contents": return_values(session, plan, form=found, unit=detail["unit"], period=period)}


@router.get("/reporting/return", response_class=HTMLResponse, include_in_schema=False)
def return_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, form: str, unit: str,
                period: str) -> HTMLResponse:
    detail = return_status(form, unit, period, request, session, plan)
    flags = return_flags(form, unit, period, request, session, plan, lang)
    return render(request, lang, "return.html", detail=detail, flags=flags, page={"plan": plan}, notice=None)


@router.get("/reporting/template", include_in_schema=False)
def template_page(request: Request, session: SessionDep, plan: PlanDep, form: str, unit: str, period: str) -> Response:
    return template(form, request, session, plan, unit=unit.strip(), period=period.strip())


@router.get("/api/forms/{code}/template", summary="The Excel template of a form for one unit and period")
def template(code: str, request: Request, session: SessionDep, plan: PlanDep,
             unit: Annotated[str, Query(description="the reporting unit's region code")],
             period: Annotated[str, Query(description="SDMX period key: 2025, 2025-Q1, 2025-03")]) -> Response:
    user = signed_in(request)
    form = form_by_code(session, plan, code)
    if form.level != "enterprise":  # a return of firms checks who may report for which firm itself
        region = reporting_unit(session, form, unit)
        if not can(user, "report", session=session, region=region.code):
            raise NotAllowed("report", msg("you may not report for {region} ({code})", region=region.name_zh, code=region.code))
    content = make_template(session, plan, form_code=code, unit_code=unit, period_key=period, today=reporting_date(request),
                            user=user)
    name = f"{code}-{unit}-{period}.xlsx"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/api/returns", summary="Check a filled template (dry run) or import it", dependencies=[Depends(check_csrf)])
async def upload_return(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                        file: Annotated[UploadFile, File()], dry_run: bool = True) -> dict:
    user = signed_in(request)
    content = await file.read(MAX_ENTERPRISE_UPLOAD + 1)
    result = read_return(session, plan, content=content, filename=file.filename or "upload.xlsx", user=user,
                         today=reporting_date(request))
    if dry_run or result.errors:
        return {"dry_run": True, "imported": False, **localized(result.summary(), lang)}
    import_return(session, plan, result=result, user=user)
    session.commit()
    return {"dry_run": False, "imported": True, **localized(result.summary(), lang)}


@router.post("/reporting", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(check_csrf)])
async def upload_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                      file: Annotated[UploadFile, File()], action: Annotated[str, Query()] = "check") -> HTMLResponse:
    result = await upload_return(request, session, plan, lang, file, dry_run=(action != "import"))
    return render(request, lang, "reporting.html", forms=form_list(session, plan), page={"plan": plan}, notice=None,
                  result=result, status=None, chosen={"form": result["form"], "period": result["period"]})


class TransitionIn(BaseModel):
    reason: str | None = None
    expected: str | None = Field(None, description="The status the caller saw (draft, submitted, approved, returned, accepted): "
                                                    "when the return has moved since, the step is refused with 409")


@router.post("/api/returns/{form}/{unit}/{period}/{action}", dependencies=[Depends(check_csrf)],
             summary="Submit, approve, unapprove, return (with a reason) or accept a return",
             responses={409: {"description": "The return moved since the caller saw it, or someone else moved it at the same time"}})
def move_return(form: str, unit: str, period: str, action: str, body: TransitionIn, request: Request,
                session: SessionDep, plan: PlanDep) -> dict:
    user = signed_in(request)
    record = transition(session, plan, form_code=form, unit_code=unit, period=period, action=action, user=user,
                        reason=body.reason, expected=body.expected)
    session.commit()
    return {"form": form, "unit": unit, "period": period, "status": record.status}


@router.get("/api/forms/{code}/completeness", summary="Expected, received, on-time, late and missing returns")
def form_completeness(code: str, request: Request, session: SessionDep, plan: PlanDep,
                      period: Annotated[str, Query(description="SDMX period key")]) -> dict:
    signed_in(request)
    return completeness(session, plan, form_code=code, period=period, today=reporting_date(request), user=signed_in(request))


@router.get("/api/returns/{form}/{unit}/{period}/flags", summary="The values an import flagged in a return, and their explanations")
def return_flags(form: str, unit: str, period: str, request: Request, session: SessionDep, plan: PlanDep,
                 lang: LangDep) -> list[dict]:
    found = form_by_code(session, plan, form)
    region = reporting_unit(session, found, unit)
    may_read(session, signed_in(request), region)
    return localized(flags_of(session, found, region.code, period), lang)


class ExplanationIn(BaseModel):
    explanation: str


@router.post("/api/flags/{flag_id}", dependencies=[Depends(check_csrf)], summary="Explain why a flagged value is right")
def explain_flag(flag_id: RowId, body: ExplanationIn, request: Request, session: SessionDep) -> dict:
    flag = explain(session, flag_id=flag_id, text=body.explanation, user=signed_in(request), channel="api")
    session.commit()
    return {"id": flag.id, "explanation": flag.explanation}


@router.get("/reporting/flags", response_class=HTMLResponse, include_in_schema=False)
def flags_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, form: str, unit: str,
               period: str) -> HTMLResponse:
    flags = return_flags(form, unit, period, request, session, plan, lang)
    return render(request, lang, "flags.html", flags=flags, chosen={"form": form, "unit": unit, "period": period},
                  page={"plan": plan}, notice=None)


@router.post("/reporting/flags/{flag_id}", include_in_schema=False, dependencies=[Depends(check_csrf)])
def explain_from_page(flag_id: RowId, request: Request, session: SessionDep, plan: PlanDep,
                      explanation: Annotated[str, Form()], form: Annotated[str, Form()], unit: Annotated[str, Form()],
                      period: Annotated[str, Form()]) -> RedirectResponse:
    explain(session, flag_id=flag_id, text=explanation, user=signed_in(request), channel="web")
    session.commit()
    return RedirectResponse(f"/reporting/flags?form={form}&unit={unit}&period={period}", status_code=303)


@router.post("/api/forms", dependencies=[Depends(check_csrf)], status_code=201,
             summary="Define a form (province administrators): indicators, period type, level, due and expiry days")
def create_form(body: dict, request: Request, session: SessionDep, plan: PlanDep) -> dict:
    user = require(current_user(request), "form.define")
    form = define_form(session, plan, body, user=user, channel="api")
    session.commit()
    return next(f.model_dump() for f in form_list(session, plan) if f.code == form.code)


class ValuesIn(BaseModel):
    values: list[dict]


@router.post("/api/forms/{code}/values", dependencies=[Depends(check_csrf)],
             summary="Check (dry run) or import values of a form as JSON rows: unit, period, indicator, cluster, value, status")
def post_values(code: str, body: ValuesIn, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                dry_run: bool = True) -> dict:
    return _exchange(code, rows_from_json(body.values), "json", request, session, plan, dry_run, lang)


@router.post("/api/forms/{code}/values/file", dependencies=[Depends(check_csrf)],
             summary="Check (dry run) or import a CSV or SDMX-CSV 2.0 file of a form's values")
async def post_values_file(code: str, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                           file: Annotated[UploadFile, File()], dry_run: bool = True) -> dict:
    content = await file.read(MAX_ROWS_FILE + 1)
    if len(content) > MAX_ROWS_FILE:
        raise BadInput("file", msg("{file}: larger than {n} MB; split the file", file=file.filename, n=MAX_ROWS_FILE // (1024 * 1024)))
    rows, kind = rows_from_csv(content, file.filename or "values.csv")
    return _exchange(code, rows, kind, request, session, plan, dry_run, lang)


def _exchange(code: str, rows, kind: str, request: Request, session, plan, dry_run: bool, lang: str) -> dict:
    user = signed_in(request)
    require(user, "report", msg("the role {role} does not report values", role=msg(user.role)))
    result = check_rows(session, plan, form_code=code, rows=rows, user=user, today=reporting_date(request))
    if dry_run or result.has_errors:
        return {"dry_run": True, "imported": False, "format": kind, **localized(result.summary(), lang)}
    import_rows(session, plan, result=result, user=user, reason=f"{kind} import")
    session.commit()
    return {"dry_run": False, "imported": True, "format": kind, **localized(result.summary(), lang)}


@router.post("/reporting/values", response_class=HTMLResponse, include_in_schema=False, dependencies=[Depends(check_csrf)])
async def values_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                      file: Annotated[UploadFile, File()], form: Annotated[str, Form()],
                      action: Annotated[str, Query()] = "check") -> HTMLResponse:
    result = await post_values_file(form, request, session, plan, lang, file, dry_run=(action != "import"))
    return render(request, lang, "reporting.html", forms=form_list(session, plan), page={"plan": plan}, notice=None,
                  result=None, rows_result=result, status=None, chosen={"form": form, "period": None})
