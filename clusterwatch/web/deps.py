"""Request dependencies, declared once: the session, the plan shown, the language."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Cookie, Depends, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from clusterwatch.plans import queries
from clusterwatch.plans.models import Plan
from clusterwatch.problems import msg
from clusterwatch.web.i18n import pick_language


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_plan(request: Request, session: SessionDep) -> Plan:
    return queries.active_plan(session, request.app.state.settings.plan)


PlanDep = Annotated[Plan, Depends(get_plan)]


def get_language(
    request: Request,
    lang: Annotated[str | None, Query(description="zh (default) or en; remembered in a cookie")] = None,
    cw_lang: Annotated[str | None, Cookie()] = None,
) -> str:
    return pick_language(lang, cw_lang, request.app.state.settings.default_language)


LangDep = Annotated[str, Depends(get_language)]


# A row's number in a path (a flag, a run, an item, a version): within PostgreSQL's integer, so
# that a number past it is refused as bad input instead of overflowing the driver.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The row's number")]

SESSION_COOKIE = "cw_session"


def load_login(request: Request) -> None:
    """Find who signed in (for every request), so pages and checks can use request.state.login."""
    from clusterwatch.accounts.service import session_for

    with request.app.state.sessions() as session:
        login = session_for(session, request.cookies.get(SESSION_COOKIE))
        if login is not None:
            if session.dirty:  # its idle deadline moved on
                session.commit()
            session.expunge(login.user)
            session.expunge(login)
    request.state.login = login


def current_user(request: Request):
    login = getattr(request.state, "login", None)
    return login.user if login is not None else None


async def check_csrf(request: Request) -> None:
    """A state-changing request must carry the sign-in's CSRF token (header or form field)."""
    from clusterwatch.errors import NotAllowed

    login = getattr(request.state, "login", None)
    if login is None:
        raise NotAllowed("request", msg("sign in first"))
    sent: str | UploadFile | None = request.headers.get("X-CSRF-Token")  # a form's field may be a file
    if sent is None and request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get("csrf_token")
    if not sent or not secrets.compare_digest(str(sent), login.csrf_token):
        raise NotAllowed("request", msg("the form is stale or forged (CSRF token missing or wrong): reload the page"))


UserDep = Annotated[object, Depends(current_user)]


def signed_in(request: Request):
    """The signed-in user; NotAllowed (401) for nobody."""
    from clusterwatch.errors import NotAllowed

    user = current_user(request)
    if user is None:
        raise NotAllowed("request", msg("sign in first"))
    return user


def allowed(action: str):
    """A dependency that admits only users who may do `action` (accounts/permissions.py decides)."""
    from clusterwatch.accounts.permissions import require

    def dependency(request: Request):
        return require(current_user(request), action)

    return Depends(dependency)
