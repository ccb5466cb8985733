"""Flagged values and their explanations.

An import flags values to check: far from the unit's (or firm's) own history, or against a
validation rule of medium or low importance. They are imported, and each is kept as a
ValueFlag, its reason and cell both in English and as a message (id and parameters), so that
it is shown in the reader's language however long after; the return cannot be submitted
until every flag of it carries an explanation (DHIS2 asks for a comment on a value outside
its bounds; here the statistic decides).
Re-importing a value replaces its flag: the explanation was for the old value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import orjson
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from clusterwatch import free_text
from clusterwatch.accounts.models import User
from clusterwatch.accounts.permissions import can
from clusterwatch.audit import trail
from clusterwatch.db import bulk_insert
from clusterwatch.errors import NotAllowed, NotFound
from clusterwatch.plans.models import Indicator
from clusterwatch.problems import BadInput, Message, msg
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import Form, ValueFlag
from clusterwatch.reporting.records import EDITABLE, record

SHOWN = 20  # flags named in a refusal message


def record_region_flags(session: Session, form: Form, unit: str, period: str, result) -> None:
    """The flags of a region's return after an import: old ones of the rewritten values go,
    the import's flagged values come in."""
    for value in result.values:
        cluster_id = value["cluster_id"]
        session.execute(delete(ValueFlag).where(ValueFlag.form_id == form.id, ValueFlag.region_code == unit,
                                                ValueFlag.period == period, ValueFlag.indicator_code == value["indicator"],
                                                ValueFlag.cluster_id.is_(None) if cluster_id is None else ValueFlag.cluster_id == cluster_id))
    now = dt.datetime.now(dt.UTC)
    for i, j, cell, kind, reason in result.all_flags():
        session.add(ValueFlag(form_id=form.id, region_code=unit, period=period, cell=str(cell)[:60], indicator_code=result.codes[j],
                              cluster_id=result.cluster_ids[i], kind=kind, reason=str(reason),
                              message=stored_message(reason, cell), created_at=now))
    session.flush()


def record_enterprise_flags(session: Session, form: Form, period: str, result, firms_written: np.ndarray) -> None:
    """The same for a return of firms: every flagged cell (not only the ones shown), in bulk."""
    ids = [int(i) for i in np.unique(firms_written)]
    already = session.scalar(select(ValueFlag.id).where(ValueFlag.form_id == form.id, ValueFlag.period == period).limit(1))
    for start in range(0, len(ids) if already is not None else 0, 1000):  # a first import has none to replace
        session.execute(delete(ValueFlag).where(ValueFlag.form_id == form.id, ValueFlag.period == period,
                                                ValueFlag.enterprise_id.in_(ids[start:start + 1000])))
    now = dt.datetime.now(dt.UTC)
    # The driver gets the timestamp as SQLAlchemy would store it, converted once, not per row.
    processor = ValueFlag.__table__.c.created_at.type.bind_processor(session.get_bind().dialect)
    stamp = processor(now) if processor else now
    # The message as JSON text, as COPY and the driver take it (json and jsonb parse it on the way in).
    rows = [(form.id, result.counties[i], period, cell, result.codes[j], int(result.enterprise_ids[i]), kind, str(reason),
             orjson.dumps(stored_message(reason, cell)).decode(), stamp)
            for i, j, cell, kind, reason in result.all_flags()]
    bulk_insert(session.connection(), ValueFlag.__table__, ["form_id", "region_code", "period", "cell", "indicator_code",
                                                            "enterprise_id", "kind", "reason", "message", "created_at"], rows)


def stored_message(reason: Message, cell: str | None) -> dict:
    """What a flag keeps of its message and cell, to show them again in any language."""
    return {"reason": reason.to_json(), "cell": cell.to_json() if isinstance(cell, Message) else cell}


def _shown(flag: ValueFlag) -> tuple[str | Message, str | Message]:
    """A stored flag's reason and cell as Messages, from the message it keeps; the English
    text for a flag written before messages were kept."""
    stored = flag.message
    if not stored:
        return flag.reason, flag.cell
    cell = stored.get("cell")
    return Message.from_json(stored["reason"]), Message.from_json(cell) if isinstance(cell, Mapping) else flag.cell


def unexplained(session: Session, form: Form, unit: str, period: str) -> tuple[int, list[str | Message]]:
    """How many flags of a return lack an explanation, and the first cells."""
    query = select(ValueFlag).where(ValueFlag.form_id == form.id, ValueFlag.region_code == unit,
                                    ValueFlag.period == period, ValueFlag.explanation.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    assert total is not None  # count(*) always returns one row
    return total, [_shown(flag)[1] for flag in session.scalars(query.order_by(ValueFlag.id).limit(SHOWN))]


def flags_of(session: Session, form: Form, unit: str, period: str) -> list[dict]:
    from clusterwatch.accounts.models import User
    from clusterwatch.enterprises.models import Enterprise
    from clusterwatch.plans.models import Cluster
    from clusterwatch.reporting.periods import Period

    period = Period.parse(period).key

    rows = session.execute(
        select(ValueFlag, Cluster.slug, Enterprise.uscc, User.username)
        .outerjoin(Cluster, Cluster.id == ValueFlag.cluster_id).outerjoin(Enterprise, Enterprise.id == ValueFlag.enterprise_id)
        .outerjoin(User, User.id == ValueFlag.explained_by)
        .where(ValueFlag.form_id == form.id, ValueFlag.region_code == unit, ValueFlag.period == period)
        .order_by(ValueFlag.id))
    flags = []
    for f, slug, uscc, name in rows:
        reason, cell = _shown(f)
        flags.append({"id": f.id, "cell": cell, "indicator": f.indicator_code, "cluster": slug, "enterprise": uscc,
                      "kind": f.kind, "reason": reason, "explanation": f.explanation, "explained_by": name,
                      "explained_at": f.explained_at.isoformat() if f.explained_at else None})
    return flags


def explain(session: Session, *, flag_id: int, text: str, user, channel: str = "api") -> ValueFlag:
    """Record why a flagged value is right; only someone who may report for it may say so."""
    from clusterwatch.enterprises.models import Enterprise

    flag = session.get(ValueFlag, flag_id)
    if flag is None:
        raise NotFound("flag", str(flag_id))
    firm = (session.scalar(select(Enterprise.uscc).where(Enterprise.id == flag.enterprise_id))
            if flag.enterprise_id is not None else None)
    if not can(user, "explain", session=session, region=flag.region_code, firm=firm):
        raise NotAllowed("explain", msg("you may not explain values of this return"))
    form = session.get(Form, flag.form_id)
    assert form is not None  # a flag's form_id is a foreign key (deleting the form deletes its flags)
    current = record(session, form, flag.region_code, flag.period)
    if current is not None and current.status not in EDITABLE:
        raise BadInput("explanation", msg("the return is {status}: ask the approver to return it first",
                                          status=msg(current.status)))
    text = free_text.required("explanation", text, limit=1000,
                 empty=msg("say why the value is right (e.g. a new production line started in March)"))
    # The trail keeps every explanation with its author; the flag shows the latest.
    previous = None
    if flag.explanation is not None:
        previous = {"explanation": flag.explanation, "by": session.scalar(select(User.username).where(User.id == flag.explained_by)),
                    "at": flag.explained_at}
    flag.explanation, flag.explained_by = text, getattr(user, "id", None)
    flag.explained_at = dt.datetime.now(dt.UTC)
    session.flush()
    trail.change(session, user, "flag", str(flag.id), "explain", label=_flag_label(session, form, flag),
                 old=previous, new={"explanation": text, "by": getattr(user, "username", None), "at": flag.explained_at},
                 channel=channel, whole=True)
    return flag


def _flag_label(session: Session, form: Form, flag: ValueFlag) -> str:
    """The flagged value as people name it: the unit, the form, the indicator and the period."""
    region = session.get(Region, flag.region_code)
    indicator = session.get(Indicator, flag.indicator_code)
    return " · ".join(part for part in (region.name_zh if region else "", form.name_zh,
                                        indicator.name_zh if indicator else "", flag.period) if part)
