"""Review of extracted plan facts: upload documents, confirm, edit or reject, load the plan."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from clusterwatch.plans.loader import restore_version
from clusterwatch.plans.review import views
from clusterwatch.plans.review.service import decide_from_form, review_item
from clusterwatch.plans.versions import plan_versions
from clusterwatch.problems import BadInput, msg
from clusterwatch.web.deps import LangDep, PlanDep, RowId, SessionDep, UserDep, allowed, check_csrf
from clusterwatch.web.i18n import problem_lines
from clusterwatch.web.routes.pages import render

# Only the province's administrators review and load plans.
reviewer = allowed("plan.review")
router = APIRouter(dependencies=[reviewer])
writes = [Depends(check_csrf)]
MAX_UPLOAD = 20 * 1024 * 1024  # bytes per document: policy documents are small; a larger file is a mistake


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def runs_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    return render(request, lang, "review_list.html", runs=views.run_summaries(session), versions=plan_versions(session, plan.code),
                  page={"plan": plan}, notice=None)


@router.post("/review", include_in_schema=False, dependencies=writes)
async def upload(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                 documents: Annotated[list[UploadFile], File()]):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for upload_file in documents:
            name = Path(upload_file.filename or "").name
            if not name:
                raise BadInput("documents", msg("choose at least one document"))
            content = await upload_file.read(MAX_UPLOAD + 1)
            if len(content) > MAX_UPLOAD:
                raise BadInput("documents", msg("{file}: larger than {n} MB", file=name, n=MAX_UPLOAD // (1024 * 1024)))
            path = Path(folder) / name
            path.write_bytes(content)
            paths.append(path)
        run = views.start_review(session, plan, paths)  # ReadError names the file; nothing is stored
    session.commit()
    return RedirectResponse(f"/review/{run.id}", status_code=303)


@router.get("/review/{run_id}", response_class=HTMLResponse, include_in_schema=False)
def run_page(run_id: RowId, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    return render(request, lang, "review.html", review=views.run_detail(session, plan, run_id), page={"plan": plan},
                  notice=None)


@router.post("/review/items/{item_id}", response_class=HTMLResponse, include_in_schema=False, dependencies=writes)
async def decide(item_id: RowId, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                 action: Annotated[str, Form()]) -> HTMLResponse:
    form = {k: v for k, v in (await request.form()).items() if k not in ("action", "csrf_token") and isinstance(v, str)}
    if "headline" not in form and "code" in form:
        form["headline"] = ""  # an unticked box sends nothing
    item = decide_from_form(session, item_id=item_id, action=action, form=form)
    session.commit()
    return render(request, lang, "_review_item.html", item=views.item_view(session, plan, item),
                  choices=views.choices(session, plan))


@router.post("/review/{run_id}/load", response_class=HTMLResponse, include_in_schema=False, dependencies=writes)
def load(run_id: RowId, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep, user: UserDep,
         confirm: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "") -> HTMLResponse:
    """First what the load would change (nothing written), then, confirmed with a reason, the load."""
    def page(**shown) -> HTMLResponse:
        return render(request, lang, "review.html", review=views.run_detail(session, plan, run_id), page={"plan": plan},
                      notice=None, **shown)

    try:
        if not confirm:
            return page(preview=views.preview_run(session, plan, run_id))
        loaded, _ = views.load_run(session, plan, run_id, user=user, reason=reason)
    except BadInput as exc:  # PlanFileError too: every problem of the draft, with its place
        session.rollback()
        return page(problems=problem_lines(exc.problems, lang))
    session.commit()
    return page(loaded=loaded)


class LoadIn(BaseModel):
    confirm: bool = Field(False, description="false: only say what the load would add, change and remove; "
                                             "true: load (with a reason)")
    reason: str | None = Field(None, max_length=2000, description="Why the plan is loaded; kept with the plan's version")


class DecisionIn(BaseModel):
    status: str
    edits: dict = {}


api = APIRouter(prefix="/api/review", tags=["review"], dependencies=[reviewer])


@api.get("/runs", summary="Extraction runs and how far their review has come")
def api_runs(session: SessionDep) -> list[dict]:
    return views.run_summaries(session)


@api.get("/{run_id}", summary="Every extracted item of a run, with its suggestion, status and edits")
def api_run(run_id: RowId, session: SessionDep, plan: PlanDep) -> dict:
    return views.run_detail(session, plan, run_id)


@api.post("/items/{item_id}", summary="Confirm, edit or reject an item", dependencies=writes)
def api_decide(item_id: RowId, decision: DecisionIn, session: SessionDep, plan: PlanDep) -> dict:
    item = review_item(session, item_id=item_id, status=decision.status, edits=decision.edits)
    session.commit()
    return views.item_view(session, plan, item)


@api.post("/{run_id}/load", summary="What loading the confirmed and edited items would change; with confirm, load them as the plan",
          dependencies=writes)
def api_load(run_id: RowId, session: SessionDep, plan: PlanDep, user: UserDep, body: LoadIn | None = None) -> dict:
    body = body or LoadIn(confirm=False, reason=None)
    if not body.confirm:
        return {"loaded": False, "changes": views.preview_run(session, plan, run_id)}
    loaded, changes = views.load_run(session, plan, run_id, user=user, reason=body.reason)
    session.commit()
    return {"loaded": True, "plan": loaded.code, "loaded_at": loaded.loaded_at.isoformat(), "changes": changes}


class RestoreIn(BaseModel):
    reason: str = Field(max_length=2000, description="Why the version is restored; kept with the new version")


versions_api = APIRouter(prefix="/api/plan/versions", tags=["review"], dependencies=[allowed("plan.load")])


@versions_api.get("", summary="Every load of the plan, newest first: when, who, from what, why, and what it changed")
def api_versions(session: SessionDep, plan: PlanDep) -> list[dict]:
    return plan_versions(session, plan.code)


@versions_api.post("/{number}/restore", summary="Load a kept version of the plan again (kept as a new version)", dependencies=writes)
def api_restore(number: RowId, body: RestoreIn, session: SessionDep, plan: PlanDep,
                user: UserDep) -> dict:
    restored = restore_version(session, plan.code, number, user=user, reason=body.reason)
    session.commit()
    return {"plan": restored.code, "loaded_at": restored.loaded_at.isoformat(), "version": plan_versions(session, plan.code)[0]}


@router.post("/review/versions/{number}/restore", include_in_schema=False, dependencies=writes)
def restore_from_page(number: RowId, session: SessionDep, plan: PlanDep, user: UserDep,
                      reason: Annotated[str, Form()] = "") -> RedirectResponse:
    restore_version(session, plan.code, number, user=user, reason=reason)
    session.commit()
    return RedirectResponse("/review#versions", status_code=303)
