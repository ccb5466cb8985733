"""Sign in and sign out.

The sign-in form carries its own CSRF token, since there is no sign-in yet to hold one: the
page sets it in a cookie of its own and the form echoes it (the double-submit pattern), so
that another site cannot sign a browser in to an account of the attacker's choosing.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from clusterwatch.accounts.service import SESSION_HOURS, SignInFailed, SignInThrottled, sign_in, sign_out
from clusterwatch.web.deps import SESSION_COOKIE, LangDep, SessionDep, check_csrf
from clusterwatch.web.routes.pages import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "cw_login_csrf"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never redirect a sign-in elsewhere."""
    if not target or urlparse(target).netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_page(request: Request, lang: str, status: int = 200, **context) -> Response:
    """The sign-in page with its form's token, kept in the cookie for the post to match."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    context.setdefault("next", "/")
    response = render(request, lang, "login.html", login_token=token, notice=None, **context)
    response.status_code = status
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=2 * 3600, httponly=True, samesite="strict", path="/login",
                        secure=request.app.state.settings.secure_cookies or request.url.scheme == "https")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, lang: LangDep, next: str = "/") -> Response:
    return _login_page(request, lang, next=_safe_next(next), error=None)


@router.post("/login")
def login(request: Request, session: SessionDep, lang: LangDep, username: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/",
          csrf_token: Annotated[str, Form()] = ""):
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not csrf_token or not secrets.compare_digest(csrf_token, expected):
        return _login_page(request, lang, 403, next=_safe_next(next), error=None, stale=True, username=username)
    address = request.client.host if request.client else ""
    try:
        token, _ = sign_in(session, username=username, password=password, address=address)
    except SignInFailed:
        session.commit()  # the failed attempt is kept: it counts towards throttling
        return _login_page(request, lang, 400, next=_safe_next(next), error=True, username=username)
    except SignInThrottled as exc:
        response = _login_page(request, lang, 429, next=_safe_next(next), error=False, wait=exc.seconds,
                               username=username)
        response.headers["Retry-After"] = str(exc.seconds)
        return response
    session.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=request.app.state.settings.secure_cookies or request.url.scheme == "https")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, session: SessionDep):
    sign_out(session, request.cookies.get(SESSION_COOKIE))
    session.commit()
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
