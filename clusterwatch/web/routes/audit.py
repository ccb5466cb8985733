"""/audit: every change people made, newest first, filtered, with its export; province
administrators only. Thin over clusterwatch/audit (the trails, and their words)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from clusterwatch import tabular
from clusterwatch.accounts.permissions import require
from clusterwatch.audit import present
from clusterwatch.audit.trail import TRAIL_SUBJECTS, TrailFilter, read_trail
from clusterwatch.web.deps import LangDep, SessionDep, signed_in
from clusterwatch.web.i18n import gettext_for
from clusterwatch.web.routes.pages import render

api = APIRouter(prefix="/api", tags=["audit"])
router = APIRouter(include_in_schema=False)
PAGE = 100
MAX_EXPORT = 100_000  # entries in one file; narrow the dates for more
Subject = Literal["enterprise", "listing", "form", "scheme", "flag", "user", "value", "firm values", "return", "plan"]
# A date of the trail: after the platform's first entry could be, and not past the far future.
Day = Annotated[dt.date | None, Query(ge=dt.date(2000, 1, 1), le=dt.date(2999, 12, 31))]
assert set(Subject.__args__) == set(TRAIL_SUBJECTS)  # type: ignore[attr-defined]  # one list of subjects


def _filters(subject, user, since, until) -> TrailFilter:
    return TrailFilter(subject=subject or None, username=(user or "").strip() or None, since=since, until=until)


def _rows(session, lang: str, filters: TrailFilter, limit: int, offset: int = 0) -> list[present.Row]:
    gettext = gettext_for(lang) or (lambda text: text)
    return [present.shown(entry, gettext, lang) for entry in read_trail(session, filters, limit=limit, offset=offset)]


@api.get("/audit", response_model=list[present.Row], summary="The audit trail, newest first (province administrators)")
def audit_api(request: Request, session: SessionDep, lang: LangDep, subject: Subject | None = None,
              user: Annotated[str | None, Query(max_length=60)] = None, since: Day = None, until: Day = None,
              page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> list[present.Row]:
    require(signed_in(request), "audit.read")
    return _rows(session, lang, _filters(subject, user, since, until), PAGE, (page - 1) * PAGE)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: SessionDep, lang: LangDep, subject: Subject | None = None,
               user: Annotated[str | None, Query(max_length=60)] = None, since: Day = None, until: Day = None,
               page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> HTMLResponse:
    require(signed_in(request), "audit.read")
    filters = _filters(subject, user, since, until)
    rows = _rows(session, lang, filters, PAGE + 1, (page - 1) * PAGE)
    query = urlencode([(k, str(v)) for k, v in (("subject", subject), ("user", filters.username), ("since", since),
                                                 ("until", until)) if v])
    return render(request, lang, "audit.html", rows=rows[:PAGE], more=len(rows) > PAGE, page=page, filters=filters,
                  subjects=present.SUBJECTS, query=query, notice=None)


@router.get("/audit.{fmt}")
def audit_export(fmt: Literal["csv", "xlsx"], request: Request, session: SessionDep, lang: LangDep,
                 subject: Subject | None = None, user: Annotated[str | None, Query(max_length=60)] = None,
                 since: Day = None, until: Day = None) -> Response:
    require(signed_in(request), "audit.read")
    gettext = gettext_for(lang) or (lambda text: text)
    lines = present.export_rows(_rows(session, lang, _filters(subject, user, since, until), MAX_EXPORT))
    header = present.export_header(gettext)
    if fmt == "csv":
        content, media = tabular.write_csv(header, lines), tabular.CSV
    else:
        content, media = tabular.write_xlsx(gettext("Audit trail"), header, lines), tabular.XLSX
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="audit-trail.{fmt}"'})
