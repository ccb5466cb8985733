"""Writing the audit trail, and reading it back together with the trails that values, returns
and plan loads keep of their own.

`change()` is how a service records what a person did: only the fields that differ are kept,
old beside new. `record_many()` writes a whole import's entries in one bulk statement, so that
auditing a register of 60,000 firms costs one COPY, not 60,000 INSERTs. `read_trail()` merges
every trail newest first, filtered by subject, person and dates, for the audit page and its
export.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.accounts.models import User
from clusterwatch.audit.models import SUBJECTS, AuditEntry
from clusterwatch.db import bulk_insert
from clusterwatch.plans.models import Indicator, PlanVersion
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import Form, ImportBatch, ObservationChange, ReturnEvent, ReturnRecord

CHANNELS = ("web", "api", "file", "cli")
# Each trail with the subjects it holds: this table's, then the value, return and plan-load trails.
_SOURCE_SUBJECTS = {"audit": SUBJECTS, "value": ("value",), "firm values": ("firm values",), "return": ("return",),
                    "plan": ("plan",)}
TRAIL_SUBJECTS = tuple(subject for subjects in _SOURCE_SUBJECTS.values() for subject in subjects)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def plain(value):
    """A stored value as JSON keeps it: dates as ISO text, tuples as lists."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def differences(old: Mapping | None, new: Mapping) -> tuple[dict | None, dict]:
    """The fields of `new` that differ from `old`, each side with only those (all of `new` when
    there is no old)."""
    if old is None:
        return None, {k: plain(v) for k, v in new.items() if v is not None}
    changed = [k for k, v in new.items() if plain(v) != plain(old.get(k))]
    return {k: plain(old.get(k)) for k in changed}, {k: plain(new[k]) for k in changed}


@dataclass
class Entry:
    """One entry of a trail, as the page and the export show it."""

    at: dt.datetime
    username: str | None
    subject: str
    key: str
    label: str
    action: str
    old: dict | None = None
    new: dict | None = None
    reason: str | None = None
    channel: str = ""
    extra: dict = field(default_factory=dict)  # names in both languages, where the trail has them


def _entry_row(user, subject: str, key: str, action: str, old: dict | None, new: dict | None, *,
               label: str = "", reason: str | None = None, channel: str, at: dt.datetime) -> dict:
    assert channel in CHANNELS, channel
    return {"at": at, "user_id": getattr(user, "id", None), "username": getattr(user, "username", None),
            "subject": subject, "key": key[:120], "label": label[:300], "action": action, "old": old, "new": new,
            "reason": reason or None, "channel": channel}


def change(session: Session, user, subject: str, key: str, action: str, *, old: Mapping | None = None,
           new: Mapping, label: str = "", reason: str | None = None, channel: str, whole: bool = False) -> AuditEntry | None:
    """Record one change; nothing when no field differs (an update that changed nothing).
    `whole` keeps every field of old and new, not only those that changed (an explanation with
    its author and time)."""
    before, after = differences(old, new)
    if before is not None and not after:
        return None
    if whole:
        before, after = (plain(dict(old)) if old is not None else None), plain(dict(new))
    entry = AuditEntry(**_entry_row(user, subject, key, action, before, after, label=label, reason=reason,
                                    channel=channel, at=_now()))
    session.add(entry)
    session.flush()
    return entry


def record_many(session: Session, user, rows: Iterable[tuple[str, str, str, str, dict | None, dict]], *,
                reason: str | None = None, channel: str) -> int:
    """Many entries in one bulk statement: (subject, key, label, action, old, new) each, already
    reduced to the fields that changed. Returns how many were written."""
    at = _now()
    connection = session.connection()
    dialect = connection.dialect
    table = AuditEntry.__table__
    at_value = table.c.at.type.dialect_impl(dialect).bind_processor(dialect)
    written_at = at_value(at) if at_value is not None else at
    user_id, username = getattr(user, "id", None), getattr(user, "username", None)

    def text(value):
        return None if value is None else orjson.dumps(value).decode()

    values = [(written_at, user_id, username, subject, key[:120], label[:300], action, text(old), text(new), reason or None, channel)
              for subject, key, label, action, old, new in rows]
    bulk_insert(connection, table, ["at", "user_id", "username", "subject", "key", "label", "action", "old", "new",
                                    "reason", "channel"], values)
    return len(values)


# ---------------------------------------------------------------------------------------------
# Reading every trail together


@dataclass(frozen=True)
class TrailFilter:
    subject: str | None = None
    username: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive


def _bounds(column, filters: TrailFilter) -> list:
    conditions = []
    if filters.since is not None:
        conditions.append(column >= dt.datetime.combine(filters.since, dt.time(), dt.UTC))
    if filters.until is not None:
        conditions.append(column < dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), dt.UTC))
    return conditions


def _users(session: Session) -> dict[int, str]:
    return dict(session.execute(select(User.id, User.username)).all())


def _audit_entries(session: Session, filters: TrailFilter, limit: int, names) -> Iterator[Entry]:
    query = select(AuditEntry).where(*_bounds(AuditEntry.at, filters)).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if filters.subject is not None:
        query = query.where(AuditEntry.subject == filters.subject)
    if filters.username is not None:
        query = query.where(AuditEntry.username == filters.username)
    for row in session.scalars(query.limit(limit)):
        yield Entry(_aware(row.at), row.username, row.subject, row.key, row.label, row.action, row.old, row.new,
                    row.reason, row.channel)


def _value_changes(session: Session, filters: TrailFilter, limit: int, names) -> Iterator[Entry]:
    query = (select(ObservationChange, Indicator.name_zh, Indicator.name_en, Region.name_zh, Region.name_en)
             .join(Indicator, Indicator.code == ObservationChange.indicator_code)
             .join(Region, Region.code == ObservationChange.region_code)
             .where(*_bounds(ObservationChange.changed_at, filters))
             .order_by(ObservationChange.changed_at.desc(), ObservationChange.id.desc()))
    if filters.username is not None:
        query = query.join(User, User.id == ObservationChange.user_id).where(User.username == filters.username)
    for row, indicator_zh, indicator_en, region_zh, region_en in session.execute(query.limit(limit)):
        yield Entry(_aware(row.changed_at), names.get(row.user_id), "value", f"{row.indicator_code} {row.region_code} {row.period}",
                    f"{region_zh} · {indicator_zh} · {row.period}", "create" if row.old_value is None else "update",
                    None if row.old_value is None else {"value": row.old_value}, {"value": row.new_value}, None,
                    "file", {"label_en": f"{region_en} · {indicator_en} · {row.period}", "how": row.reason})


def _firm_value_imports(session: Session, filters: TrailFilter, limit: int, names) -> Iterator[Entry]:
    query = (select(ImportBatch, Form.name_zh, Form.name_en).join(Form, Form.id == ImportBatch.form_id)
             .where(*_bounds(ImportBatch.at, filters)).order_by(ImportBatch.at.desc(), ImportBatch.id.desc()))
    if filters.username is not None:
        query = query.join(User, User.id == ImportBatch.user_id).where(User.username == filters.username)
    for batch, form_zh, form_en in session.execute(query.limit(limit)):
        yield Entry(_aware(batch.at), names.get(batch.user_id), "firm values", f"{batch.id}",
                    f"{form_zh} · {batch.period} · {batch.filename}", "import", None,
                    {"rows": batch.rows, "created": batch.created, "updated": batch.updated, "unchanged": batch.unchanged},
                    None, "file", {"label_en": f"{form_en} · {batch.period} · {batch.filename}", "how": batch.reason})


def _return_events(session: Session, filters: TrailFilter, limit: int, names) -> Iterator[Entry]:
    query = (select(ReturnEvent, ReturnRecord.period, Form.name_zh, Form.name_en, Region.name_zh, Region.name_en)
             .join(ReturnRecord, ReturnRecord.id == ReturnEvent.return_id).join(Form, Form.id == ReturnRecord.form_id)
             .join(Region, Region.code == ReturnRecord.region_code)
             .where(*_bounds(ReturnEvent.at, filters)).order_by(ReturnEvent.at.desc(), ReturnEvent.id.desc()))
    if filters.username is not None:
        query = query.join(User, User.id == ReturnEvent.user_id).where(User.username == filters.username)
    for event, period, form_zh, form_en, region_zh, region_en in session.execute(query.limit(limit)):
        yield Entry(_aware(event.at), names.get(event.user_id), "return", str(event.return_id),
                    f"{region_zh} · {form_zh} · {period}", event.action,
                    None if event.from_status is None else {"status": event.from_status}, {"status": event.to_status},
                    event.reason, "web", {"label_en": f"{region_en} · {form_en} · {period}"})


def _plan_loads(session: Session, filters: TrailFilter, limit: int, names) -> Iterator[Entry]:
    query = (select(PlanVersion.id, PlanVersion.plan_code, PlanVersion.number, PlanVersion.loaded_at, PlanVersion.loaded_by,
                    PlanVersion.source, PlanVersion.reason, PlanVersion.changes)
             .where(*_bounds(PlanVersion.loaded_at, filters)).order_by(PlanVersion.loaded_at.desc(), PlanVersion.id.desc()))
    if filters.username is not None:
        query = query.join(User, User.id == PlanVersion.loaded_by).where(User.username == filters.username)
    for row in session.execute(query.limit(limit)):
        counts = {part: {k: v for k, v in change.items() if k in ("added", "changed", "removed")}
                  for part, change in (row.changes or {}).items() if isinstance(change, dict)}
        yield Entry(_aware(row.loaded_at), names.get(row.loaded_by), "plan", f"{row.plan_code} {row.number}",
                    f"{row.plan_code} · {row.number}", "load", None, counts, row.reason, "file", {"how": row.source})


_SOURCES = {
    "audit": _audit_entries, "value": _value_changes, "firm values": _firm_value_imports, "return": _return_events,
    "plan": _plan_loads,
}


def read_trail(session: Session, filters: TrailFilter = TrailFilter(), *, limit: int = 200, offset: int = 0) -> list[Entry]:
    """Every trail's entries newest first, filtered; `limit` of them from `offset`."""
    names = _users(session)
    wanted = limit + offset
    streams = [source(session, filters, wanted, names) for name, source in _SOURCES.items()
               if filters.subject is None or filters.subject in _SOURCE_SUBJECTS[name]]
    merged = heapq.merge(*streams, key=lambda e: e.at, reverse=True)
    return [entry for _, entry in zip(range(wanted), merged)][offset:]


def _aware(at: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes of what was written in UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
