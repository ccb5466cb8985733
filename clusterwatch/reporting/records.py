"""A return's record (form × unit × period): its status, and whether values may still change.

Every way in writes into a draft; a submitted, approved or accepted return is refused until
an approver returns it. The steps between the statuses are workflow.py's.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.problems import BadInput, msg
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

