"""Create users, sign in and out, and find who a request comes from.

Passwords are hashed with Argon2id (argon2-cffi's defaults, the RFC 9106 recommendation).
A sign-in issues a random token (kept by the browser in an HttpOnly cookie, stored here only
as its SHA-256) and a CSRF token that every state-changing request must echo. A sign-in lapses
after IDLE_MINUTES without a request, and after SESSION_HOURS whatever happens; lapsed ones
are deleted at the next sign-in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clusterwatch.accounts import throttle
from clusterwatch.accounts.models import ROLES, LoginSession, User
from clusterwatch.audit import trail
from clusterwatch.problems import BadInput, Message, msg
from clusterwatch.regions.models import Region

SESSION_HOURS = 12  # at most, from the sign-in
IDLE_MINUTES = 60  # without a request
# A request moves the idle deadline only when it is this much older, so that reading pages
# writes to the database once in five minutes rather than on every request.
_TOUCH_EVERY = dt.timedelta(minutes=5)
MIN_PASSWORD = 10
_hasher = PasswordHasher()


# Argon2id takes about 0.1 s of a core and 64 MB: at most this many at once per process, so
# that a burst of sign-ins queues instead of taking every core.
_hashing = threading.BoundedSemaphore(2)


class SignInFailed(Exception):
    """Wrong user name or password (which one is not said)."""


class SignInThrottled(Exception):
    """Too many failed sign-ins of this account or from this address: wait `seconds`."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(f"wait {seconds} s")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, *, username: str, password: str, role: str, display_name: str | None = None,
                region_code: str | None = None, department: str | None = None,
                enterprise_uscc: str | None = None, by=None, channel: str = "cli") -> User:
    """A new account, checked field by field; `by` is who creates it (None from the command line)."""
    if not re.fullmatch(r"[a-z0-9_.-]{2,60}", username or ""):
        raise BadInput("username", msg("2-60 characters: lower-case letters, digits, _ . -"))
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise BadInput("username", msg("{name} is taken", name=repr(username)))
    if len(password or "") < MIN_PASSWORD:
        raise BadInput("password", _too_short())
    if role not in ROLES:
        raise BadInput("role", msg("one of {actions}", actions=", ".join(ROLES)))
    if role in ("reporter", "approver") and not region_code:
        raise BadInput("region", msg("a reporter or approver acts for a region: give its code"))
    if region_code and session.get(Region, region_code) is None:
        raise BadInput("region", msg("no {kind} {key}", kind=msg("region"), key=repr(region_code)))
    if role == "department" and not department:
        raise BadInput("department", msg("a department user belongs to a department"))
    if role == "enterprise_reporter" and not enterprise_uscc:
        raise BadInput("enterprise", msg("an enterprise reporter reports for one enterprise: give its USCC"))
    if enterprise_uscc:
        from clusterwatch.uscc import problem

        wrong = problem(enterprise_uscc)
        if wrong:
            raise BadInput("enterprise", wrong.message)
    user = User(username=username, display_name=display_name or username, password_hash=_hasher.hash(password),
                role=role, region_code=region_code, department=department, enterprise_uscc=enterprise_uscc,
                active=True, created_at=_now())
    session.add(user)
    session.flush()
    trail.change(session, by, "user", user.username, "create", label=user.display_name, channel=channel, new={
        "display_name": user.display_name, "role": role, "region": region_code, "department": department,
        "enterprise": enterprise_uscc})
    return user


def sign_in(session: Session, *, username: str, password: str, address: str = "") -> tuple[str, LoginSession]:
    """Check the password; return the new session's token (for the cookie) and the session.
    Every attempt is recorded (the caller commits a failure too); SignInThrottled before any
    hashing when this account or address has failed too often (throttle.py)."""
    now = _now()
    waiting = throttle.wait(session, username, address, now)
    if waiting:
        raise SignInThrottled(max(1, round(waiting.total_seconds())))
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    try:
        with _hashing:
            if user is None or not user.active:
                # Hash anyway, so that a missing user takes as long as a wrong password.
                _hasher.hash(password or "")
                raise SignInFailed()
            _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError, SignInFailed):
        throttle.record(session, username, address, succeeded=False, now=now)
        raise SignInFailed() from None
    throttle.record(session, username, address, succeeded=True, now=now)
    throttle.purge(session, now)
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    token = secrets.token_urlsafe(32)
    login = LoginSession(token_hash=_hash_token(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                         created_at=now, expires_at=now + dt.timedelta(minutes=IDLE_MINUTES))
    session.add(login)
    session.flush()
    return token, login


def session_for(session: Session, token: str | None, now: dt.datetime | None = None) -> LoginSession | None:
    """The live sign-in a cookie's token stands for, if any. Its idle deadline moves on (the
    caller commits), never past SESSION_HOURS from the sign-in."""
    if not token:
        return None
    now = now or _now()
    login = session.get(LoginSession, _hash_token(token))
    if login is None or not login.user.active:
        return None
    expires = _aware(login.expires_at)
    if expires < now:
        return None
    idle = dt.timedelta(minutes=IDLE_MINUTES)
    if expires - now < idle - _TOUCH_EVERY:
        login.expires_at = min(now + idle, _aware(login.created_at) + dt.timedelta(hours=SESSION_HOURS))
    return login


def _aware(at: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes of what was stored in UTC."""
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def sign_out(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == _hash_token(token)))


def _too_short() -> Message:
    return msg("at least {n} characters", n=MIN_PASSWORD)


def set_password(session: Session, *, username: str, password: str, by=None, channel: str = "cli") -> User:
    from clusterwatch.errors import NotFound

    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("user", username)
    if len(password or "") < MIN_PASSWORD:
        raise BadInput("password", _too_short())
    user.password_hash = _hasher.hash(password)
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    session.flush()
    # Never the hash: that a password was set, and that its sign-ins were ended.
    trail.change(session, by, "user", user.username, "password", label=user.display_name, channel=channel,
                 new={"password": "set"})
    return user
