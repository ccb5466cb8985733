"""Sign in and sign out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from clusterwatch.accounts.service import SESSION_HOURS, SignInFailed, SignInThrottled, sign_in, sign_out
from clusterwatch.web.deps import SESSION_COOKIE, LangDep, SessionDep, check_csrf
from clusterwatch.web.routes.pages import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never redirect a sign-in elsewhere."""
    if not target or urlparse(target).netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, lang: LangDep, next: str = "/") -> HTMLResponse:
    return render(request, lang, "login.html", next=_safe_next(next), notice=None, error=None)


@router.post("/login")
def login(request: Request, session: SessionDep, lang: LangDep, username: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"):
    address = request.client.host if request.client else ""
    try:
        token, _ = sign_in(session, username=username, password=password, address=address)
    except SignInFailed:
        session.commit()  # the failed attempt is kept: it counts towards throttling
        response: Response = render(request, lang, "login.html", next=_safe_next(next), notice=None, error=True, username=username)
        response.status_code = 400
        return response
    except SignInThrottled as exc:
        response = render(request, lang, "login.html", next=_safe_next(next), notice=None, error=False, wait=exc.seconds,
                          username=username)
        response.status_code = 429
        response.headers["Retry-After"] = str(exc.seconds)
        return response
    session.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                        secure=request.app.state.settings.secure_cookies or request.url.scheme == "https")
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, session: SessionDep):
    sign_out(session, request.cookies.get(SESSION_COOKIE))
    session.commit()
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
