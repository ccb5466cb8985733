"""Throttling sign-ins: a password may be guessed slowly, never quickly.

Failed attempts are counted per account (the name typed) and per address over the last
WINDOW. The first FREE_PER_ACCOUNT failures of an account (FREE_PER_ADDRESS of an address)
cost nothing; each one after that doubles the wait before the next attempt is even checked,
from FIRST_WAIT up to MAX_WAIT. A throttled attempt is refused before the password is hashed,
so a flood of guesses costs no Argon2 time. The attempts live in the database, so every
worker process of the server sees the same counts.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clusterwatch.accounts.models import LoginSession, SignInAttempt

WINDOW = dt.timedelta(minutes=15)
FREE_PER_ACCOUNT = 5
FREE_PER_ADDRESS = 20
FIRST_WAIT = dt.timedelta(seconds=30)
MAX_WAIT = dt.timedelta(minutes=15)
KEPT = dt.timedelta(days=90)  # attempts kept for the auditors, then purged

log = logging.getLogger("clusterwatch.sign_in")


def _name(username: str) -> str:
    return (username or "").strip().lower()[:60]


def wait(session: Session, username: str, address: str, now: dt.datetime) -> dt.timedelta:
    """How long the next attempt of this account from this address must wait (zero: none)."""
    longest = dt.timedelta(0)
    for column, key, free in ((SignInAttempt.username, _name(username), FREE_PER_ACCOUNT),
                              (SignInAttempt.address, address[:64], FREE_PER_ADDRESS)):
        # Failures since the last success of this key, within the window.
        last_success = session.scalar(select(func.max(SignInAttempt.at)).where(column == key, SignInAttempt.succeeded))
        since = max(now - WINDOW, _aware(last_success)) if last_success is not None else now - WINDOW
        failures, last = session.execute(select(func.count(), func.max(SignInAttempt.at)).where(
            column == key, SignInAttempt.at > since, SignInAttempt.succeeded.is_(False))).one()
        if failures >= free and last is not None:
            backoff = min(FIRST_WAIT * 2 ** (failures - free), MAX_WAIT)
            longest = max(longest, _aware(last) + backoff - now)
    return max(longest, dt.timedelta(0))


def record(session: Session, username: str, address: str, *, succeeded: bool, now: dt.datetime) -> None:
    session.add(SignInAttempt(username=_name(username), address=address[:64], at=now, succeeded=succeeded))
    if not succeeded:
        log.warning("failed sign-in for %r from %s", _name(username), address)


def purge(session: Session, now: dt.datetime) -> None:
    """Expired sign-ins and old attempts go (run at every successful sign-in: cheap, indexed)."""
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now))
    session.execute(delete(SignInAttempt).where(SignInAttempt.at < now - KEPT))


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
