"""Department tasks: the plan's tasks and major projects, their status as the departments report it.

A task's status is that of its latest update (not started when there is none). It is overdue
when its due date has passed and it is not done. Who may report on a task: a province
administrator, or a user of a department the task names (lead or co-operating).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterwatch.accounts.permissions import can
from clusterwatch.errors import NotAllowed, NotFound
from clusterwatch.free_text import text_problem
from clusterwatch.plans.tasks_models import TASK_STATUSES, Task, TaskDepartment, TaskUpdate
from clusterwatch.problems import BadInput, Message, msg

MAX_TEXT = 2000


class TaskUpdatePublic(BaseModel):
    status: str
    note: str
    evidence: str | None
    department: str | None
    by: str | None
    at: dt.datetime
    synthetic: bool


class TaskPublic(BaseModel):
    code: str
    kind: str
    title: str
    text: str
    cluster: str | None
    cluster_name_zh: str | None
    cluster_name_en: str | None
    lead: list[str]
    cooperating: list[str]
    due: dt.date
    status: str
    overdue: bool
    updated_at: dt.datetime | None
    updates: int
    synthetic: bool  # the latest update is demo data
    document: str | None
    document_title: str | None
    line: int
    quote: str


class TaskDetailPublic(TaskPublic):
    history: list[TaskUpdatePublic]


class TaskListPublic(BaseModel):
    departments: list[str]
    counts: dict[str, int]  # per status, and overdue
    tasks: list[TaskPublic]


def _latest(session: Session, task_ids: list[int]) -> dict[int, TaskUpdate]:
    if not task_ids:
        return {}
    newest = (select(TaskUpdate.task_id, func.max(TaskUpdate.id).label("id"))
              .where(TaskUpdate.task_id.in_(task_ids)).group_by(TaskUpdate.task_id).subquery())
    rows = session.scalars(select(TaskUpdate).join(newest, TaskUpdate.id == newest.c.id))
    return {u.task_id: u for u in rows}


def _public(task: Task, latest: TaskUpdate | None, count: int, today: dt.date, cls=TaskPublic, **extra):
    status = latest.status if latest else "not_started"
    return cls(
        code=task.code, kind=task.kind, title=task.title, text=task.text,
        cluster=task.cluster.slug if task.cluster else None,
        cluster_name_zh=task.cluster.name_zh if task.cluster else None,
        cluster_name_en=task.cluster.name_en if task.cluster else None,
        lead=[d.department for d in task.departments if d.role == "lead"],
        cooperating=[d.department for d in task.departments if d.role == "cooperating"],
        due=task.due, status=status, overdue=status != "done" and task.due < today,
        updated_at=latest.created_at if latest else None, updates=count, synthetic=bool(latest and latest.synthetic),
        document=task.document.code if task.document else None, document_title=task.document.title if task.document else None,
        line=task.source_line, quote=task.source_text, **extra,
    )


def departments(session: Session, plan) -> list[str]:
    return list(session.scalars(
        select(TaskDepartment.department).join(Task).where(Task.plan_id == plan.id).distinct().order_by(TaskDepartment.department)))


def task_list(session: Session, plan, *, department: str | None = None, cluster: str | None = None,
              status: str | None = None, overdue: bool = False, today: dt.date | None = None) -> TaskListPublic:
    today = today or dt.date.today()
    if status is not None and status not in TASK_STATUSES:
        raise BadInput("status", _not_a_status(status))
    known = departments(session, plan)
    if department is not None and department not in known:
        raise BadInput("department", msg("no task of the plan names the department {name}", name=repr(department)))
    query = select(Task).where(Task.plan_id == plan.id).order_by(Task.id)
    if department is not None:
        query = query.where(Task.id.in_(select(TaskDepartment.task_id).where(TaskDepartment.department == department)))
    tasks = list(session.scalars(query))
    if cluster is not None:
        tasks = [t for t in tasks if t.cluster is not None and t.cluster.slug == cluster]
    ids = [t.id for t in tasks]
    latest = _latest(session, ids)
    counts = dict(session.execute(select(TaskUpdate.task_id, func.count()).where(TaskUpdate.task_id.in_(ids))
                                  .group_by(TaskUpdate.task_id)).all()) if ids else {}
    rows = [_public(t, latest.get(t.id), counts.get(t.id, 0), today) for t in tasks]
    rows = [r for r in rows if (status is None or r.status == status) and (not overdue or r.overdue)]
    tally = {s: sum(1 for r in rows if r.status == s) for s in TASK_STATUSES}
    tally["overdue"] = sum(1 for r in rows if r.overdue)
    return TaskListPublic(departments=known, counts=tally, tasks=rows)


def _not_a_status(status: str) -> Message:
    return msg("{value} is not a status: {names}", value=repr(status), names=", ".join(TASK_STATUSES))


def find_task(session: Session, plan, code: str) -> Task:
    task = session.scalar(select(Task).where(Task.plan_id == plan.id, Task.code == code))
    if task is None:
        raise NotFound("task", code)
    return task


def task_detail(session: Session, plan, code: str, *, today: dt.date | None = None, with_names: bool = False) -> TaskDetailPublic:
    """A task with every update; who reported each is named only to a signed-in reader
    (`with_names`): the public sees the department, not the person."""
    from clusterwatch.accounts.models import User

    task = find_task(session, plan, code)
    updates = list(session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task.id).order_by(TaskUpdate.id.desc())))
    names = dict(session.execute(select(User.id, User.display_name).where(
        User.id.in_({u.user_id for u in updates if u.user_id}))).all()) if updates and with_names else {}
    history = [TaskUpdatePublic(status=u.status, note=u.note, evidence=u.evidence, department=u.department,
                                by=names.get(u.user_id) if u.user_id is not None else None, at=u.created_at, synthetic=u.synthetic) for u in updates]
    return _public(task, updates[0] if updates else None, len(updates), today or dt.date.today(), TaskDetailPublic,
                   history=history)


def may_update(user, task: Task) -> bool:
    return can(user, "task.report", departments=[d.department for d in task.departments])


def add_update(session: Session, plan, code: str, *, user, status: str, note: str, evidence: str | None = None,
               now: dt.datetime | None = None) -> TaskUpdate:
    """Record a department's report on a task; every field checked, nothing written on a problem."""
    task = find_task(session, plan, code)
    if user is None:
        raise NotAllowed("task.update", msg("sign in first"))
    if not may_update(user, task):
        raise NotAllowed("task.update", msg("the task names other departments: {names}",
                                            names=", ".join(d.department for d in task.departments)))
    problems: list[tuple[str, Message]] = []
    note = (note or "").strip()
    evidence = (evidence or "").strip() or None
    if status not in TASK_STATUSES:
        problems.append(("status", _not_a_status(status)))
    if not note:
        problems.append(("note", msg("say what was done (the note is empty)")))
    elif (wrong := text_problem(note, MAX_TEXT)) is not None:
        problems.append(("note", wrong))
    if evidence is not None and (wrong := text_problem(evidence, MAX_TEXT)) is not None:
        problems.append(("evidence", wrong))
    if status == "done" and evidence is None:
        problems.append(("evidence", msg("a task reported done needs its evidence (a document, its number or a link)")))
    if problems:
        raise BadInput.from_pairs(problems)
    update = TaskUpdate(task_id=task.id, status=status, note=note, evidence=evidence,
                        department=user.department if user.role == "department" else None, user_id=user.id,
                        created_at=now or dt.datetime.now(dt.UTC), synthetic=False)
    session.add(update)
    session.flush()
    return update
