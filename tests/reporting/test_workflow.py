"""The approval cycle on both engines: who may move a return, what counts, what is locked."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from clusterwatch.assessment.aggregate import Aggregator
from clusterwatch.db import transaction
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.queries import active_plan, cluster_by_slug
from clusterwatch.problems import BadInput
from clusterwatch.reporting.models import ReturnEvent, ReturnRecord
from clusterwatch.reporting.returns import import_return, make_template, read_return
from clusterwatch.reporting.workflow import completeness, transition
from tests.reporting.test_returns import ADMIN, TIANHE, TODAY, filled

REPORTER = SimpleNamespace(role="reporter", region_code="440100", id=None)  # Guangzhou and below
CITY_APPROVER = SimpleNamespace(role="approver", region_code="440100", id=None)
OTHER_APPROVER = SimpleNamespace(role="approver", region_code="440300", id=None)


@pytest.fixture
def imported(demo):
    database = demo
    with transaction(database.sessions) as session:
        plan = active_plan(session)
        content = make_template(session, plan, form_code="cluster-monthly", unit_code=TIANHE, period_key="2026-10", today=TODAY)
        result = read_return(session, plan, content=filled(content, {"B5": 500.0}), filename="r.xlsx", user=REPORTER, today=TODAY)
        import_return(session, plan, result=result, user=REPORTER)
    return database


def move(database, action, user, reason=None):
    with transaction(database.sessions) as session:
        return transition(session, active_plan(session), form_code="cluster-monthly", unit_code=TIANHE, period="2026-10",
                          action=action, user=user, reason=reason).status


def counted(database) -> float | None:
    """Tianhe's electronics revenue for 2026-10 as dashboards see it."""
    with database.sessions() as session:
        electronics = cluster_by_slug(session, active_plan(session), "electronics").id
        values = Aggregator(session).values("revenue", regions=[TIANHE], clusters=[electronics], period_type="M")
        return values.get((TIANHE, "2026-10"))


def test_the_cycle(imported):
    assert counted(imported) is None  # a draft does not count
    with pytest.raises(NotAllowed):
        move(imported, "approve", REPORTER)
    assert move(imported, "submit", REPORTER) == "submitted"
    with pytest.raises(NotAllowed, match="you may not approve the return of 天河区"):
        move(imported, "approve", OTHER_APPROVER)
    assert move(imported, "approve", CITY_APPROVER) == "approved"
    assert counted(imported) == 500.0  # counts at once
    assert move(imported, "unapprove", CITY_APPROVER) == "submitted"
    assert counted(imported) is None
    with pytest.raises(BadInput, match="say why"):
        move(imported, "return", CITY_APPROVER)
    assert move(imported, "return", CITY_APPROVER, reason="电子信息营业收入偏高，请核实") == "returned"
    assert move(imported, "submit", REPORTER) == "submitted"
    assert move(imported, "approve", CITY_APPROVER) == "approved"
    with pytest.raises(NotAllowed):
        move(imported, "accept", CITY_APPROVER)
    assert status_of_500(imported) == "P"  # provisional until the province accepts
    assert move(imported, "accept", ADMIN) == "accepted"
    assert status_of_500(imported) == "A"
    with pytest.raises(BadInput, match="cannot approve a return that is accepted"):
        move(imported, "approve", ADMIN)
    with imported.sessions() as session:
        events = session.execute(select(ReturnEvent.action, ReturnEvent.reason).order_by(ReturnEvent.id)).all()
    assert [e.action for e in events] == ["submit", "approve", "unapprove", "return", "submit", "approve", "accept"]
    assert events[3].reason == "电子信息营业收入偏高，请核实"


def status_of_500(database):
    from clusterwatch.reporting.models import Observation

    with database.sessions() as session:
        return session.scalar(select(Observation.status).where(Observation.region_code == TIANHE, Observation.value == 500.0))


def test_a_submitted_return_is_locked_against_imports(imported):
    move(imported, "submit", REPORTER)
    with imported.sessions() as session:
        plan = active_plan(session)
        content = make_template(session, plan, form_code="cluster-monthly", unit_code=TIANHE, period_key="2026-10", today=TODAY)
        result = read_return(session, plan, content=filled(content, {"B5": 600.0}), filename="r.xlsx", user=REPORTER, today=TODAY)
    with pytest.raises(BadInput, match="the return for 2026-10 is submitted"):
        with transaction(imported.sessions) as session:
            import_return(session, active_plan(session), result=result, user=REPORTER)


def test_completeness_and_timeliness(imported):
    move(imported, "submit", REPORTER)
    with imported.sessions() as session:
        report = completeness(session, active_plan(session), form_code="cluster-monthly", period="2026-10",
                              today=dt.date(2026, 11, 20), user=ADMIN)
    assert report["due"] == "2026-11-10" and report["expected"] == 122
    assert (report["received"], report["missing"]) == (1, 121)
    # Submitted on the real date, after 2026-11-10: received, but late.
    assert (report["on_time"], report["late"]) == (0, 1)
    assert len(report["overdue"]) == 121 and report["overdue"][0]["unit"] == "440103"
    with imported.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReturnEvent)) == 1


def race(database, monkeypatch, first: tuple, second: tuple) -> list:
    """Two people take a step on the same return at the same moment: each reads the return,
    then both write. What each got: the status, or the error."""
    import threading

    from clusterwatch.reporting import workflow

    read = workflow.record
    both_read = threading.Barrier(2, timeout=20)

    def record_then_wait(*args, **kwargs):
        found = read(*args, **kwargs)
        both_read.wait()  # neither writes before both have seen the return as it was
        return found

    monkeypatch.setattr(workflow, "record", record_then_wait)
    outcomes: list = [None, None]

    def act(i, action, user, reason):
        try:
            outcomes[i] = move(database, action, user, reason)
        except Exception as exc:  # noqa: BLE001  (the outcome is what the test looks at)
            outcomes[i] = exc

    threads = [threading.Thread(target=act, args=(i, *step)) for i, step in enumerate([first, second])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.setattr(workflow, "record", read)
    return outcomes


def test_two_approvers_at_once_approve_once(imported, monkeypatch):
    from clusterwatch.errors import Conflict

    move(imported, "submit", REPORTER)
    outcomes = race(imported, monkeypatch, ("approve", CITY_APPROVER, None), ("approve", ADMIN, None))
    assert sorted(type(o).__name__ if isinstance(o, Exception) else o for o in outcomes) == ["Conflict", "approved"], outcomes
    refused = next(o for o in outcomes if isinstance(o, Conflict))
    assert "is now approved" in str(refused)
    with imported.sessions() as session:
        events = session.scalars(select(ReturnEvent.action).order_by(ReturnEvent.id)).all()
    assert events == ["submit", "approve"]


def test_approve_and_return_at_once_end_as_the_one_that_was_kept(imported, monkeypatch):
    from clusterwatch.errors import Conflict

    move(imported, "submit", REPORTER)
    outcomes = race(imported, monkeypatch, ("approve", CITY_APPROVER, None), ("return", ADMIN, "请核实"))
    kept = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(kept) == 1 and sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    with imported.sessions() as session:
        events = session.execute(select(ReturnEvent.action, ReturnEvent.to_status).order_by(ReturnEvent.id)).all()
        status = session.scalar(select(ReturnRecord.status))
    assert status == kept[0] and [tuple(e) for e in events] == [("submit", "submitted"), (events[1].action, kept[0])]


def test_a_step_on_a_return_that_moved_since_it_was_seen_is_refused(imported):
    from clusterwatch.errors import Conflict

    move(imported, "submit", REPORTER)
    move(imported, "return", CITY_APPROVER, reason="请核实")
    with pytest.raises(Conflict, match="is now returned"), transaction(imported.sessions) as session:
        transition(session, active_plan(session), form_code="cluster-monthly", unit_code=TIANHE, period="2026-10",
                   action="approve", user=ADMIN, expected="submitted")


def test_completeness_is_of_the_units_a_user_may_read(imported):
    with imported.sessions() as session:
        plan = active_plan(session)
        guangzhou = completeness(session, plan, form_code="cluster-monthly", period="2026-10", user=CITY_APPROVER)
        with pytest.raises(NotAllowed):
            completeness(session, plan, form_code="cluster-monthly", period="2026-10",
                         user=SimpleNamespace(role="viewer", region_code=None, id=None))
    assert guangzhou["expected"] == 11 and {u["unit"][:4] for u in guangzhou["units"]} == {"4401"}
