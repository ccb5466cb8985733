"""Department tasks: the list (with "my department"), a task with its updates, and reporting one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from clusterwatch.assessment.views import cluster_public
from clusterwatch.plans import queries
from clusterwatch.plans.tasks import TaskDetailPublic, TaskListPublic, add_update, find_task, may_update, task_detail, task_list
from clusterwatch.problems import BadInput
from clusterwatch.web.deps import LangDep, PlanDep, SessionDep, check_csrf, current_user, signed_in
from clusterwatch.web.i18n import localized
from clusterwatch.web.routes.pages import render
from clusterwatch.web.routes.reporting import reporting_date

api = APIRouter(prefix="/api", tags=["tasks"])
router = APIRouter(include_in_schema=False)
Status = Literal["not_started", "in_progress", "done", "delayed"]


class TaskUpdateIn(BaseModel):
    status: Status
    note: str
    evidence: str | None = None


@api.get("/tasks", response_model=TaskListPublic, summary="The plan's tasks and projects with their departments and status")
def tasks_api(request: Request, session: SessionDep, plan: PlanDep, department: str | None = None,
              cluster: str | None = None, status: Status | None = None, overdue: bool = False) -> TaskListPublic:
    return task_list(session, plan, department=department, cluster=cluster, status=status, overdue=overdue,
                     today=reporting_date(request))


@api.get("/tasks/{code}", response_model=TaskDetailPublic, summary="A task with every update reported on it")
def task_api(code: str, request: Request, session: SessionDep, plan: PlanDep) -> TaskDetailPublic:
    return task_detail(session, plan, code, today=reporting_date(request), with_names=current_user(request) is not None)


@api.post("/tasks/{code}/updates", dependencies=[Depends(check_csrf)], status_code=201,
          summary="Report on a task (a department it names, or a province administrator)")
def update_api(code: str, body: TaskUpdateIn, request: Request, session: SessionDep, plan: PlanDep) -> TaskDetailPublic:
    add_update(session, plan, code, user=signed_in(request), status=body.status, note=body.note, evidence=body.evidence)
    session.commit()
    return task_detail(session, plan, code, today=reporting_date(request), with_names=current_user(request) is not None)


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
               department: Annotated[str | None, Query()] = None, cluster: str | None = None,
               status: str | None = None, overdue: bool = False, mine: bool = False) -> HTMLResponse:
    user = current_user(request)
    if mine and user is not None and user.department:
        department = user.department
    data = task_list(session, plan, department=department or None, cluster=cluster or None, status=status or None,
                     overdue=overdue, today=reporting_date(request))
    return render(request, lang, "tasks.html", page=data, user=user, notice=None,
                  filters={"department": department, "cluster": cluster, "status": status, "overdue": overdue},
                  clusters=[cluster_public(c) for c in queries.clusters(session, plan)])


@router.get("/tasks/{code}", response_class=HTMLResponse)
def task_page(code: str, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep) -> HTMLResponse:
    return _task_page(code, request, session, plan, lang)


def _task_page(code, request, session, plan, lang, *, errors=None, typed=None, status_code=200) -> HTMLResponse:
    user = current_user(request)
    data = task_detail(session, plan, code, today=reporting_date(request), with_names=current_user(request) is not None)
    response = render(request, lang, "task.html", task=data, user=user, notice=None,
                      may_update=may_update(user, find_task(session, plan, code)), errors=errors or {}, typed=typed or {})
    response.status_code = status_code
    return response


@router.post("/tasks/{code}", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
def report_from_page(code: str, request: Request, session: SessionDep, plan: PlanDep, lang: LangDep,
                     status: Annotated[str, Form()], note: Annotated[str, Form()] = "",
                     evidence: Annotated[str, Form()] = "") -> Response:
    try:
        add_update(session, plan, code, user=signed_in(request), status=status, note=note, evidence=evidence)
    except BadInput as exc:
        session.rollback()
        return _task_page(code, request, session, plan, lang, status_code=400,
                          errors={p.field: localized(p.message, lang) for p in exc.problems},
                          typed={"status": status, "note": note, "evidence": evidence})
    session.commit()
    return RedirectResponse(f"/tasks/{code}", status_code=303)
