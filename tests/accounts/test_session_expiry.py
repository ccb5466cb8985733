"""A sign-in lapses after an hour without a request and after twelve hours in any case, and
lapsed sign-ins are deleted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from clusterwatch.accounts.models import LoginSession
from clusterwatch.accounts.service import IDLE_MINUTES, SESSION_HOURS, create_user, session_for, sign_in
from clusterwatch.db import transaction
from tests.accounts.conftest import START
from tests.web.conftest import PASSWORD


def _signed_in(db) -> str:
    with transaction(db.sessions) as session:
        create_user(session, username="gz", password=PASSWORD, role="viewer")
        token, _ = sign_in(session, username="gz", password=PASSWORD)
    return token


def _live_at(db, token, at) -> bool:
    with transaction(db.sessions) as session:
        return session_for(session, token, now=at) is not None


def test_a_sign_in_lapses_when_idle_and_requests_keep_it(plan_db, clock):
    token = _signed_in(plan_db)
    minute = dt.timedelta(minutes=1)
    assert not _live_at(plan_db, token, START + (IDLE_MINUTES + 1) * minute)
    # A request every 50 minutes keeps it, until twelve hours after the sign-in.
    at = START
    while at + 50 * minute < START + dt.timedelta(hours=SESSION_HOURS):
        at += 50 * minute
        assert _live_at(plan_db, token, at), at
    assert not _live_at(plan_db, token, START + dt.timedelta(hours=SESSION_HOURS, minutes=1))


def test_lapsed_sign_ins_are_deleted_at_the_next_sign_in(plan_db, clock):
    _signed_in(plan_db)
    clock["at"] = START + dt.timedelta(hours=2)
    with transaction(plan_db.sessions) as session:
        sign_in(session, username="gz", password=PASSWORD)
    with transaction(plan_db.sessions) as session:
        assert session.scalar(select(func.count()).select_from(LoginSession)) == 1
