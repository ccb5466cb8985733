"""Review of extracted plan facts: upload documents, confirm, edit or reject, load the plan."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from clusterwatch.plans.planfile import PlanFileError
from clusterwatch.plans.review import views
from clusterwatch.plans.review.service import decide_from_form, review_item
from clusterwatch.problems import BadInput, msg
from clusterwatch.web.deps import LangDep, PlanDep, SessionDep, allowed, check_csrf
from clusterwatch.web.i18n import problem_lines
from clusterwatch.web.routes.pages import render

# Only the province's administrators review and load plans.
reviewer = allowed("plan.review")
router = APIRouter(dependencies=[reviewer])
writes = [Depends(check_csrf)]
MAX_UPLOAD = 20 * 1024 * 1024  # bytes per document: policy documents are small; a larger file is a mistake


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def runs_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    return render(request, lang, "review_list.html", runs=views.run_summaries(session), page={"plan": plan}, notice=None)


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
def run_page(run_id: int, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    return render(request, lang, "review.html", review=views.run_detail(session, plan, run_id), page={"plan": plan},
                  notice=None)


@router.post("/review/items/{item_id}", response_class=HTMLResponse, include_in_schema=False, dependencies=writes)
async def decide(item_id: int, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                 action: Annotated[str, Form()]) -> HTMLResponse:
    form = {k: v for k, v in (await request.form()).items() if k not in ("action", "csrf_token") and isinstance(v, str)}
    if "headline" not in form and "code" in form:
        form["headline"] = ""  # an unticked box sends nothing
    item = decide_from_form(session, item_id=item_id, action=action, form=form)
    session.commit()
    return render(request, lang, "_review_item.html", item=views.item_view(session, plan, item),
                  choices=views.choices(session, plan))


@router.post("/review/{run_id}/load", response_class=HTMLResponse, include_in_schema=False, dependencies=writes)
def load(run_id: int, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    try:
        loaded = views.load_run(session, plan, run_id)
    except PlanFileError as exc:
        session.rollback()
        return render(request, lang, "review.html", review=views.run_detail(session, plan, run_id), page={"plan": plan},
                      notice=None, problems=problem_lines(exc.problems, lang))
    session.commit()
    return render(request, lang, "review.html", review=views.run_detail(session, plan, run_id), page={"plan": plan},
                  notice=None, loaded=loaded)


class DecisionIn(BaseModel):
    status: str
    edits: dict = {}


api = APIRouter(prefix="/api/review", tags=["review"], dependencies=[reviewer])


@api.get("/runs", summary="Extraction runs and how far their review has come")
def api_runs(session: SessionDep) -> list[dict]:
    return views.run_summaries(session)


@api.get("/{run_id}", summary="Every extracted item of a run, with its suggestion, status and edits")
def api_run(run_id: int, session: SessionDep, plan: PlanDep) -> dict:
    return views.run_detail(session, plan, run_id)


@api.post("/items/{item_id}", summary="Confirm, edit or reject an item", dependencies=writes)
def api_decide(item_id: int, decision: DecisionIn, session: SessionDep, plan: PlanDep) -> dict:
    item = review_item(session, item_id=item_id, status=decision.status, edits=decision.edits)
    session.commit()
    return views.item_view(session, plan, item)


@api.post("/{run_id}/load", summary="Load the confirmed and edited items as the plan", dependencies=writes)
def api_load(run_id: int, session: SessionDep, plan: PlanDep) -> dict:
    loaded = views.load_run(session, plan, run_id)
    session.commit()
    return {"plan": loaded.code, "loaded_at": loaded.loaded_at.isoformat()}
