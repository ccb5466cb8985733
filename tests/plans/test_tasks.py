"""Department tasks: the plan's tasks as cited facts, their loading, and the updates reported on them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.loader import load_plan
from clusterwatch.plans.planfile import embedded_plan_path, parse_plan_text, read_plan_file
from clusterwatch.plans.queries import active_plan
from clusterwatch.plans.tasks import add_update, task_detail, task_list
from clusterwatch.plans.tasks_models import Task, TaskUpdate
from clusterwatch.problems import BadInput, Message
from tests.conftest import SEEDS
from tests.plans.test_planfile import mutate, problems_of

ADMIN = SimpleNamespace(id=None, role="province_admin", department=None, active=True)
MIIT = SimpleNamespace(id=None, role="department", department="省工业和信息化厅", active=True)
EDUCATION = SimpleNamespace(id=None, role="department", department="省教育厅", active=True)


def test_the_embedded_plan_holds_the_action_plans_tasks_each_cited():
    tasks = read_plan_file(embedded_plan_path()).data.tasks
    assert len(tasks) == 113
    first = tasks[0]
    assert (first.code, first.title, first.lead) == ("advanced-materials-000-01", "优化产业布局，打造特色优势明显的区域产业集群",
                                                      ["省工业和信息化厅"])
    assert first.cooperating == ["省发展改革委", "省自然资源厅", "省生态环境厅", "省住房城乡建设厅", "省市场监管局"]
    # Every name in its short official form, with 省 (the lists leave it out after the first).
    named = {d for t in tasks for d in t.lead + t.cooperating}
    assert all(d.startswith(("省", "各")) for d in named), sorted(d for d in named if not d.startswith(("省", "各")))
    assert not named & {"省市场监督管理局", "省人力资源和社会保障厅", "省环境保护厅"}
    if SEEDS.exists():
        files = {"000": "000_8a4aa728e1e28b28.txt", "001": "001_ef17eb8ff52a8b39.txt", "004": "004_5bcac9c71bcec85b.txt"}
        for task in tasks:
            line = (SEEDS / files[task.source.document]).read_text(encoding="utf-8").split("\n")[task.source.line - 1]
            assert task.source.text in line and "牵头" in task.source.text, task.code


@pytest.mark.parametrize(
    ("change", "message"),
    [(lambda t: t.update(scope={"cluster": "nowhere"}), "unknown cluster 'nowhere'"),
     (lambda t: t["source"].update(document="999"), "unknown document '999'"),
     (lambda t: t.update(lead=[]), "tasks[0].lead"),
     (lambda t: t.update(cooperating=[t["lead"][0]]), "a department is named twice"),
     (lambda t: t.update(kind="wish"), "tasks[0].kind"),
     (lambda t: t.update(due="2099-01-01"), "far beyond the plan's horizon")],
)
def test_bad_tasks_are_named(change, message):
    problems = problems_of(mutate(lambda d: change(d["tasks"][0])))
    assert any(message in p for p in problems), problems


def test_duplicate_task_codes():
    problems = problems_of(mutate(lambda d: d["tasks"][1].update(code=d["tasks"][0]["code"])))
    assert any("tasks[1].code: duplicate code 'advanced-materials-000-01'" in p for p in problems)


@pytest.fixture
def loaded(plan_db):
    return plan_db


def test_updates_are_checked_and_nothing_is_written_on_a_problem(loaded):
    code = "advanced-materials-000-01"
    with transaction(loaded.sessions) as session:
        plan = active_plan(session)
        for user, kwargs, field in [
            (MIIT, {"status": "done", "note": "已完成"}, "evidence"),
            (MIIT, {"status": "finished", "note": "已完成"}, "status"),
            (MIIT, {"status": "in_progress", "note": "   "}, "note"),
            (MIIT, {"status": "in_progress", "note": "x" * 2001}, "note"),
        ]:
            with pytest.raises(BadInput) as info:
                add_update(session, plan, code, user=user, **kwargs)
            assert info.value.field == field
            assert all(isinstance(p.message, Message) for p in info.value.problems)
        with pytest.raises(BadInput) as info:
            add_update(session, plan, code, user=MIIT, status="finished", note="  ")
        assert [(p.field, p.message.id) for p in info.value.problems] == [
            ("status", "{value} is not a status: {names}"), ("note", "say what was done (the note is empty)")]
        assert info.value.problems[0].message == "'finished' is not a status: not_started, in_progress, done, delayed"
        with pytest.raises(NotAllowed) as refused:
            add_update(session, plan, code, user=EDUCATION, status="in_progress", note="代报")
        assert refused.value.reason.id == "the task names other departments: {names}"
        with pytest.raises(NotAllowed) as refused:
            add_update(session, plan, code, user=None, status="in_progress", note="匿名")
        assert refused.value.reason.id == "sign in first"
        assert session.scalar(select(func.count()).select_from(TaskUpdate)) == 0
        add_update(session, plan, code, user=MIIT, status="in_progress", note="已印发实施方案",
                   now=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
        add_update(session, plan, code, user=ADMIN, status="done", note="已完成", evidence="粤工信材料〔2025〕1号")
    with loaded.sessions() as session:
        detail = task_detail(session, active_plan(session), code, today=dt.date(2026, 1, 1))
        assert (detail.status, detail.overdue, detail.updates) == ("done", False, 2)
        assert [u.status for u in detail.history] == ["done", "in_progress"]  # newest first
        assert detail.history[1].department == "省工业和信息化厅"


def test_lists_overdue_and_my_department(loaded):
    with loaded.sessions() as session:
        plan = active_plan(session)
        everything = task_list(session, plan, today=dt.date(2025, 6, 1))
        assert len(everything.tasks) == 113 and everything.counts["overdue"] == 0
        assert everything.counts["not_started"] == 113
        late = task_list(session, plan, today=dt.date(2026, 1, 1))
        assert late.counts["overdue"] == 113  # due at the end of 2025, none reported done
        mine = task_list(session, plan, department="省教育厅", today=dt.date(2026, 1, 1))
        assert mine.tasks and all("省教育厅" in t.lead + t.cooperating for t in mine.tasks)
        with pytest.raises(BadInput):
            task_list(session, plan, department="省外星事务厅")
        with pytest.raises(BadInput):
            task_list(session, plan, status="finished")


def test_a_reload_keeps_tasks_and_their_updates(loaded):
    code = "advanced-materials-000-01"
    with transaction(loaded.sessions) as session:
        add_update(session, active_plan(session), code, user=MIIT, status="in_progress", note="推进中")

    def without_first_task_and_lead_changed(data):
        data["tasks"][1]["lead"] = ["省科技厅", "省工业和信息化厅"]
        data["tasks"][1]["cooperating"] = ["省发展改革委"]
        del data["tasks"][0]

    with transaction(loaded.sessions) as session:
        load_plan(session, parse_plan_text(mutate(without_first_task_and_lead_changed), source="plan.yaml"))
    with loaded.sessions() as session:
        plan = active_plan(session)
        assert session.scalar(select(func.count()).select_from(Task)) == 113  # the dropped task is kept
        assert task_detail(session, plan, code).updates == 1
        second = task_detail(session, plan, "advanced-materials-000-02")
        assert (second.lead, second.cooperating) == (["省科技厅", "省工业和信息化厅"], ["省发展改革委"])
