"""The enterprise register as files: import (dry run first) and export, for province administrators.

Thin over clusterwatch/enterprises/register_file.py, which checks and writes; a file with any
problem answers 400 with every problem named by row and column, and writes nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response

from clusterwatch.accounts.permissions import require
from clusterwatch.enterprises.register_file import (
    MAX_UPLOAD,
    export_memberships,
    export_register,
    import_memberships,
    import_register,
    read_memberships,
    read_register,
)
from clusterwatch.tabular import XLSX
from clusterwatch.web.deps import LangDep, PlanDep, SessionDep, check_csrf, signed_in
from clusterwatch.web.i18n import localized
from clusterwatch.web.routes.pages import render

api = APIRouter(prefix="/api", tags=["enterprises"])
router = APIRouter(include_in_schema=False)
Kind = Literal["register", "memberships"]
KINDS = {"register": (read_register, import_register, export_register, "enterprise-register"),
         "memberships": (read_memberships, import_memberships, export_memberships, "enterprise-lists")}


def province_admin(request: Request):
    user = signed_in(request)
    return require(user, "register.import")


@api.post("/enterprises/import", dependencies=[Depends(check_csrf)],
          summary="Check (dry run) or import a register of firms, or their lists and tiers (.xlsx or CSV)")
async def import_file(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                      file: Annotated[UploadFile, File()], dry_run: bool = True, kind: Kind = "register",
                      reason: Annotated[str | None, Form(description="why, for the audit trail")] = None):
    body, imported = await _check_and_import(request, session, plan, lang, file, dry_run, kind, reason, "api")
    if body["error_count"]:
        return JSONResponse({"dry_run": True, "imported": False, **body}, status_code=400)
    return {"dry_run": not imported, "imported": imported, **body}


async def _check_and_import(request, session, plan, lang, file: UploadFile, dry_run: bool, kind: str,
                            reason: str | None, channel: str) -> tuple[dict, bool]:
    """Read and check the file; write it when asked and nothing is wrong. Returns the localized
    summary and whether it was written."""
    user = province_admin(request)
    read, write, _, name = KINDS[kind]
    content = await file.read(MAX_UPLOAD + 1)
    result = read(session, plan, content, file.filename or f"{name}.csv")
    body = localized(result.summary(), lang)
    if result.has_errors or dry_run:
        return body, False
    write(session, plan, result, user=user, reason=reason, channel=channel)
    session.commit()
    return body, True


@router.post("/enterprises/import", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def import_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                      file: Annotated[UploadFile, File()], kind: Annotated[Kind, Form()] = "register",
                      dry_run: Annotated[bool, Form()] = False, reason: Annotated[str | None, Form()] = None) -> HTMLResponse:
    body, imported = await _check_and_import(request, session, plan, lang, file, dry_run, kind, reason, "web")
    response = render(request, lang, "register_import.html", result=body, imported=imported, dry_run=dry_run, notice=None)
    response.status_code = 400 if body["error_count"] else 200
    return response


@api.get("/enterprises/export.xlsx", summary="The register of firms, or their lists and tiers, as an Excel file")
def export_xlsx(request: Request, session: SessionDep, plan: PlanDep,
                kind: Annotated[Kind, Query(description="register or memberships")] = "register") -> Response:
    return _export(request, session, plan, kind, "xlsx", XLSX)


@api.get("/enterprises/export.csv", summary="The register of firms, or their lists and tiers, as CSV (UTF-8 with BOM)")
def export_csv(request: Request, session: SessionDep, plan: PlanDep,
               kind: Annotated[Kind, Query(description="register or memberships")] = "register") -> Response:
    return _export(request, session, plan, kind, "csv", "text/csv; charset=utf-8")


def _export(request: Request, session, plan, kind: str, fmt: str, media_type: str) -> Response:
    province_admin(request)
    _, _, export, name = KINDS[kind]
    content = export(session, plan, fmt)
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
