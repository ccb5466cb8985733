"""Request dependencies, declared once: the session, the plan shown, the language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Cookie, Depends, Query, Request
from sqlalchemy.orm import Session

from clusterwatch.plans import queries
from clusterwatch.plans.models import Plan
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
