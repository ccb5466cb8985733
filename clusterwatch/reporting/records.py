"""A return's record (form × unit × period): its status, and whether values may still change.

Every way in writes into a draft; a submitted, approved or accepted return is refused until
an approver returns it. The steps between the statuses are workflow.py's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.problems import BadInput, Message, msg
from clusterwatch.reporting.models import Form, ReturnRecord

EDITABLE = {None, "draft", "returned"}


def record(session: Session, form: Form, unit: str, period: str) -> ReturnRecord | None:
    return session.scalar(select(ReturnRecord).where(ReturnRecord.form_id == form.id, ReturnRecord.region_code == unit,
                                                     ReturnRecord.period == period))


def ensure_editable(session: Session, form: Form, unit: str, period: str) -> ReturnRecord:
    """The draft a new import goes into; refused while the return is submitted or approved."""
    current = record(session, form, unit, period)
    if current is not None and current.status not in EDITABLE:
        raise BadInput("period", msg("the return for {period} is {status}: ask the approver to return it before changing it",
                                     period=period, status=msg(current.status)))
    now = dt.datetime.now(dt.UTC)
    if current is None:
        current = ReturnRecord(form_id=form.id, region_code=unit, period=period, status="draft", updated_at=now)
        session.add(current)
        session.flush()
    return current


def listing(items: Sequence[str], separator: Literal[", ", "、"] = ", ", more: bool = False) -> Message | str:
    """Items (each a Message or a plain value) as one parameter of a message, each translated in
    its turn: "B5, line 7, value", or with `separator` "、" as Chinese lists are written;
    `more` adds " …" for items left out."""
    if not items:
        return ""
    joined: Message | str = items[0]
    for item in items[1:]:
        joined = msg("{a}、{b}", a=joined, b=item) if separator == "、" else msg("{a}, {b}", a=joined, b=item)
    return msg("{items} …", items=joined) if more else joined
