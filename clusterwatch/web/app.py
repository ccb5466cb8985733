"""The application factory: one FastAPI app serving pages, their JSON twins and static files."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from clusterwatch import __version__
from clusterwatch.db import make_engine, session_factory
from clusterwatch.errors import Conflict, NotAllowed, NotFound
from clusterwatch.problems import BadInput, Message, Problem, msg, pydantic_message
from clusterwatch.settings import Settings, get_settings
from clusterwatch.web.deps import load_login
from clusterwatch.web.i18n import localized, pick_language, problem_lines
from clusterwatch.web.routes import accounts, api, audit, enterprises, entry, forms, monitoring, pages, register, reporting, review, tasks
from clusterwatch.web.templating import environment

STATIC = Path(__file__).parent / "static"


# The largest request body taken: a province's return of firms (64 MB) with the form's framing.
MAX_REQUEST_BYTES = 70 * 2**20
# No page or API call takes more in its address: a longer query is refused rather than read
# and echoed back in the page's links.
MAX_QUERY_CHARS = 4096
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
          "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
          "frame-ancestors 'none'")
# Swagger UI's page starts itself with an inline script (FastAPI writes it); that page only.
DOCS_POLICY = POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        dependencies=[Depends(load_login)],
        title="clusterwatch",
        version=__version__,
        description="Monitoring of industrial-cluster programmes. Every page has a JSON twin under /api.",
        docs_url=None,  # served below from vendored files: intranets have no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url, schema=settings.database_schema)
    app.state.sessions = session_factory(app.state.engine)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def server_timing(request: Request, call_next):
        # An upload larger than any way in takes is refused by its declared length, before a
        # byte of it is read.
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_REQUEST_BYTES:
            message = localized(msg("the upload is {n} MB; the largest a return or register file may be is {max} MB",
                                    n=int(declared) // 2**20, max=MAX_REQUEST_BYTES // 2**20), _language(request))
            if _wants_json(request):
                return JSONResponse({"detail": message}, status_code=413)
            return _error_page(request, 413, "bad_request", message)
        if len(request.scope.get("query_string", b"")) > MAX_QUERY_CHARS:
            message = localized(msg("the address is longer than {n} characters: no page takes that much", n=MAX_QUERY_CHARS),
                                _language(request))
            if _wants_json(request):
                return JSONResponse({"detail": message}, status_code=414)
            return _error_page(request, 414, "bad_request", message)
        # The time the server spent on a request, for the browser's network panel and the
        # benchmarks (W3C Server-Timing).
        start = time.perf_counter()
        response = await call_next(request)
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - start) * 1000:.1f}"
        # No page of ours runs inline script or sits in another site's frame.
        response.headers["Content-Security-Policy"] = DOCS_POLICY if request.url.path == "/docs" else POLICY
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    app.include_router(api.router)
    app.include_router(review.api)
    app.include_router(review.versions_api)
    app.include_router(pages.router)
    app.include_router(review.router)
    app.include_router(accounts.router)
    app.include_router(reporting.router)
    app.include_router(entry.router)
    app.include_router(forms.router)
    app.include_router(monitoring.api)
    app.include_router(monitoring.router)
    app.include_router(tasks.api)
    app.include_router(tasks.router)
    app.include_router(audit.api)
    app.include_router(audit.router)
    # Before enterprises.api: /api/enterprises/export.xlsx is not a firm's /api/enterprises/{uscc}.
    app.include_router(register.api)
    app.include_router(register.router)
    app.include_router(enterprises.api)
    app.include_router(enterprises.router)

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        assert app.openapi_url is not None  # FastAPI's default, /openapi.json: the app above keeps it
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title="clusterwatch API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    _install_error_pages(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _http_message(exc: StarletteHTTPException, method: str) -> Message:
    """Starlette's and FastAPI's own refusals (a missing route, a method, a form the parser
    cannot read) in our words: their English detail is for developers."""
    detail = str(exc.detail)
    if exc.status_code == 404:
        return msg("there is no such page or record")
    if exc.status_code == 405:
        return msg("this address does not take a {method} request (it takes {allowed})", method=method,
                   allowed=(exc.headers or {}).get("Allow", ""))
    if exc.status_code == 400:
        size = re.match(r"Field exceeded maximum size of (\d+)KB", detail)
        if size:
            return msg("a field of the form is larger than {n} KB, which no field takes", n=size.group(1))
        if detail.startswith("Too many"):
            return msg("the form sends more fields or files than any form of the platform has")
        return msg("the form could not be read (it is damaged or not what a browser sends): reload the page and send it again")
    return msg("the request was refused ({status})", status=exc.status_code)


def _language(request: Request) -> str:
    """The user's language: ?lang=, else the remembered choice, else the platform's default."""
    return pick_language(request.query_params.get("lang"), request.cookies.get("cw_lang"),
                         request.app.state.settings.default_language)


def _error_page(request: Request, status: int, title_key: str, message: str) -> HTMLResponse:
    lang = _language(request)
    env = environment(lang)
    html = env.get_template("error.html").render(
        request=request, status=status, title_key=title_key, message=message, notice=None,
    )
    return HTMLResponse(html, status_code=status)


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        message = localized(exc.message, _language(request))
        if _wants_json(request):
            return JSONResponse({"detail": message, "kind": exc.kind, "key": exc.key}, status_code=404)
        return _error_page(request, 404, "not_found", message)

    @app.exception_handler(Conflict)
    async def conflict(request: Request, exc: Conflict):
        message = localized(exc.message, _language(request))
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=409)
        return _error_page(request, 409, "conflict", message)

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput):
        # PlanFileError and ReadError are BadInputs too: every problem with its place, in the user's words.
        lang = _language(request)
        if _wants_json(request):
            where = "body" if request.method == "POST" else "query"
            return JSONResponse({"detail": [{"loc": [where, *([p.field] if p.field else [])], "msg": line,
                                             **({"line": p.row} if p.row is not None else {})}
                                            for p, line in zip(exc.problems, problem_lines(exc.problems, lang, fields=False))]},
                                status_code=400)
        return _error_page(request, 400, "bad_request", "; ".join(problem_lines(exc.problems, lang)))

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, exc: NotAllowed):
        signed_in = getattr(request.state, "login", None) is not None
        reason = localized(exc.reason, _language(request))
        if _wants_json(request):
            return JSONResponse({"detail": reason, "action": exc.action}, status_code=403 if signed_in else 401)
        if not signed_in and request.method == "GET":
            return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
        return _error_page(request, 403 if signed_in else 401, "forbidden", reason)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        # Each error in our words, named by where it is; what was sent is never echoed back (it
        # may be megabytes, or bytes that are not text).
        lang = _language(request)
        errors = exc.errors()
        problems = [Problem(pydantic_message(e), field=".".join(str(p) for p in e["loc"][1:])) for e in errors]
        if _wants_json(request):
            return JSONResponse({"detail": [{"loc": [str(p) for p in e["loc"]], "type": e["type"], "msg": line}
                                            for e, line in zip(errors, problem_lines(problems, lang, fields=False))]},
                                status_code=422)
        return _error_page(request, 400, "bad_request", "; ".join(problem_lines(problems, lang)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = localized(_http_message(exc, request.method), _language(request))
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=exc.status_code, headers=exc.headers)
        key = "not_found" if exc.status_code == 404 else "error"
        response = _error_page(request, exc.status_code, key, message)
        response.headers.update(exc.headers or {})  # a 405's Allow
        return response
