"""The approval cycle of a return, after DHIS2: submit, approve by the level above, accept
by the province, return with a reason, unapprove; every step recorded.

    draft ──submit──> submitted ──approve──> approved ──accept──> accepted
      ^                  │  ^                   │
      └────return────────┘  └────unapprove──────┘     (return also from approved)

Values of a return count in dashboards from approval on; a submitted or approved return is
locked against imports until it is returned.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clusterwatch import free_text
from clusterwatch.accounts.permissions import can
from clusterwatch.db import compare_and_set
from clusterwatch.errors import Conflict, NotAllowed
from clusterwatch.plans.models import Plan
from clusterwatch.problems import BadInput, listing, msg
from clusterwatch.regions.models import Region
from clusterwatch.reporting.models import EnterpriseValues, Form, FormIndicator, Observation, ReturnEvent, ReturnRecord
from clusterwatch.reporting.periods import Period
from clusterwatch.reporting.queries import form_by_code, reporting_unit, return_level
from clusterwatch.reporting.records import record

TRANSITIONS = {
    "submit": ({"draft", "returned"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "unapprove": ({"approved"}, "submitted"),
    "return": ({"submitted", "approved"}, "returned"),
    "accept": ({"approved"}, "accepted"),
}


def may_act(session: Session, user, action: str, unit: Region) -> bool:
    """Whether `user` may take the step `action` on a return of `unit` (accounts/permissions.py decides)."""
    return can(user, action, session=session, region=unit.code)


def transition(session: Session, plan: Plan, *, form_code: str, unit_code: str, period: str, action: str, user,
               reason: str | None = None, expected: str | None = None, today: dt.date | None = None) -> ReturnRecord:
    """Take the step `action` on a return. `expected` is the status the person saw when they
    chose the step: when the return has moved since, the step is refused as a Conflict (409)
    rather than applied to a state they did not see. The status changes by one conditional
    update, so of two people acting at once only the first moves it."""
    if action not in TRANSITIONS:
        # The actions as the API takes them (a caller must write "submit", not its translation).
        raise BadInput("action", msg("one of {actions}", actions=", ".join(TRANSITIONS)))
    form = form_by_code(session, plan, form_code)
    unit = reporting_unit(session, form, unit_code)
    Period.parse(period)
    if not may_act(session, user, action, unit):
        raise NotAllowed(action, msg("you may not {action} the return of {region} ({code})", action=msg(action),
                                     region=unit.name_zh, code=unit.code))
    current = record(session, form, unit.code, period)
    allowed_from, to_status = TRANSITIONS[action]
    reason = free_text.reason(reason, empty=msg("say why the return is sent back") if action == "return" else None)
    status = current.status if current else None
    if expected is not None and expected != status:
        raise _moved(unit, period, status)
    if status not in allowed_from:
        raise BadInput("action", msg("cannot {action} a return that is {status}", action=msg(action),
                                     status=msg(status or "not started")))
    assert current is not None  # without a record the status is None, which no action starts from
    if action == "submit":
        from clusterwatch.reporting.flags import unexplained

        count, cells = unexplained(session, form, unit.code, period)
        if count:
            raise BadInput("explanations", msg("{n} flagged value(s) need an explanation before the return is submitted: {cells}",
                                               n=count, cells=listing(cells, more=count > len(cells))))
    now = dt.datetime.now(dt.UTC)
    values: dict = {"status": to_status, "updated_at": now}
    if action == "submit" and current.submitted_at is None:
        values["submitted_at"] = now  # timeliness counts the first submission
    if not compare_and_set(session, current, {"status": status}, values):
        raise _moved(unit, period, session.scalar(select(ReturnRecord.status).where(ReturnRecord.id == current.id)))
    session.add(ReturnEvent(return_id=current.id, action=action, from_status=status, to_status=to_status,
                            user_id=getattr(user, "id", None), at=now, reason=reason))
    _set_approved(session, form, unit.code, period, to_status in ("approved", "accepted"))
    if action == "accept":
        _set_final(session, form, unit.code, period)
    session.flush()
    return current


def _moved(unit: Region, period: str, status: str | None) -> Conflict:
    return Conflict(msg("the return of {region} for {period} is now {status}: it changed after you looked; reload and decide again",
                        region=unit.name_zh, period=period, status=msg(status or "not started")))


def _set_final(session: Session, form: Form, unit: str, period: str) -> None:
    """Accepted by the province, a return's provisional values (SDMX P) become normal (A);
    values a source marked estimated or otherwise keep their mark."""
    if form.level == "enterprise":
        session.execute(update(EnterpriseValues).where(EnterpriseValues.form_id == form.id, EnterpriseValues.period == period,
                                                       EnterpriseValues.region_code == unit, EnterpriseValues.status == "P")
                        .values(status="A"))
        return
    codes = select(FormIndicator.indicator_code).where(FormIndicator.form_id == form.id)
    session.execute(update(Observation).where(Observation.region_code == unit, Observation.period == period,
                                              Observation.indicator_code.in_(codes), Observation.status == "P")
                    .values(status="A"))


def _set_approved(session: Session, form: Form, unit: str, period: str, approved: bool) -> None:
    """Values of this return count (or stop counting) in dashboards at once."""
    if form.level == "enterprise":
        session.execute(update(EnterpriseValues).where(EnterpriseValues.form_id == form.id, EnterpriseValues.period == period,
                                                       EnterpriseValues.region_code == unit).values(approved=approved))
        return
    codes = select(FormIndicator.indicator_code).where(FormIndicator.form_id == form.id)
    session.execute(update(Observation).where(Observation.region_code == unit, Observation.period == period,
                                              Observation.indicator_code.in_(codes)).values(approved=approved))


def may_read(session: Session, user, unit: Region) -> None:
    """Refuse (NotAllowed) a user who may not read a return of `unit`: its values before they
    count, their history, flags and status belong to the unit's reporters, the approvers above
    it and the province."""
    if not can(user, "return.read", session=session, region=unit.code):
        raise NotAllowed("return.read", msg("sign in first") if user is None else
                         msg("you may not read the returns of {region} ({code})", region=unit.name_zh, code=unit.code))


def completeness(session: Session, plan: Plan, *, form_code: str, period: str, today: dt.date | None = None,
                 user=None, everyone: bool = False) -> dict:
    """Expected, received (submitted or further), on time, late and missing returns: of the
    units `user` may read (refused when none), or of all of them (`everyone`, for the
    province's own warnings)."""
    today = today or dt.date.today()
    form = form_by_code(session, plan, form_code)
    key = Period.parse(period)
    due = key.due(form.due_days)
    if not everyone and not can(user, "return.read"):
        raise NotAllowed("return.read", msg("sign in first") if user is None else msg("you may not read returns"))
    units = list(session.scalars(select(Region).where(Region.level == return_level(form)).order_by(Region.code)))
    if not everyone:
        units = [u for u in units if can(user, "return.read", session=session, region=u.code)]
    firms = _firms_by_county(session, form, period) if form.level == "enterprise" else None
    if firms is not None:
        # A county without registered firms has nothing to return.
        units = [u for u in units if firms[0].get(u.code)]
    records = {r.region_code: r for r in session.scalars(select(ReturnRecord).where(
        ReturnRecord.form_id == form.id, ReturnRecord.period == period))}
    from sqlalchemy import func

    from clusterwatch.reporting.models import ValueFlag

    unexplained = dict(session.execute(select(ValueFlag.region_code, func.count()).where(
        ValueFlag.form_id == form.id, ValueFlag.period == period, ValueFlag.explanation.is_(None))
        .group_by(ValueFlag.region_code)).all())
    rows = []
    for unit in units:
        rec = records.get(unit.code)
        received = rec is not None and rec.status in ("submitted", "approved", "accepted")
        on_time = received and rec is not None and rec.submitted_at is not None and rec.submitted_at.date() <= due
        row = {"unit": unit.code, "name_zh": unit.name_zh, "status": rec.status if rec else None,
               "received": received, "on_time": on_time, "late": received and not on_time,
               "overdue": not received and today > due, "unexplained": unexplained.get(unit.code, 0)}
        if firms is not None:
            row["firms_expected"], row["firms_reported"] = firms[0].get(unit.code, 0), firms[1].get(unit.code, 0)
        rows.append(row)
    return {"form": form.code, "period": period, "due": due.isoformat(), "expected": len(rows),
            "by_city": _by_city(session, units, rows),
            "received": sum(r["received"] for r in rows), "on_time": sum(r["on_time"] for r in rows),
            "late": sum(r["late"] for r in rows), "missing": sum(not r["received"] for r in rows),
            "overdue": [r for r in rows if r["overdue"]], "firms": firms is not None, "units": rows}


def _by_city(session: Session, units: list[Region], rows: list[dict]) -> list[dict]:
    """Expected and received returns per city (its own, or its counties'), and the share
    received in percent: what the completeness map colours. Empty for a province's form."""
    if not units or units[0].level == "province":
        return []
    city_of = {u.code: (u.code if u.level == "city" else u.parent_code) for u in units}
    cities = {c.code: c for c in session.scalars(select(Region).where(Region.level == "city"))}
    tally: dict[str, list[int]] = {}
    for row in rows:
        city = city_of[row["unit"]]
        assert city is not None  # only the province has no parent, and it is not a unit here
        counts = tally.setdefault(city, [0, 0])
        counts[0] += 1
        counts[1] += row["received"]
    return [{"region": code, "name_zh": cities[code].name_zh, "name_en": cities[code].name_en, "expected": expected,
             "received": received, "value": round(100 * received / expected, 1)}
            for code, (expected, received) in sorted(tally.items()) if code in cities]


def _firms_by_county(session: Session, form: Form, period: str) -> tuple[dict, dict]:
    """Registered firms per county, and those with a row in the form's return for the period."""
    from sqlalchemy import func

    from clusterwatch.enterprises.models import Enterprise

    expected = dict(session.execute(select(Enterprise.region_code, func.count()).group_by(Enterprise.region_code)).all())
    reported = dict(session.execute(select(EnterpriseValues.region_code, func.count())
                                    .where(EnterpriseValues.form_id == form.id, EnterpriseValues.period == period)
                                    .group_by(EnterpriseValues.region_code)).all())
    return expected, reported


def return_detail(session: Session, plan: Plan, *, form_code: str, unit_code: str, period: str) -> dict:
    """A return's status and every step of its history."""
    from clusterwatch.accounts.models import User
    form = form_by_code(session, plan, form_code)
    unit = reporting_unit(session, form, unit_code)
    period = Period.parse(period).key
    current = record(session, form, unit.code, period)
    events = []
    if current is not None:
        rows = session.execute(select(ReturnEvent, User.username).outerjoin(User, User.id == ReturnEvent.user_id)
                               .where(ReturnEvent.return_id == current.id).order_by(ReturnEvent.id))
        events = [{"action": e.action, "from": e.from_status, "to": e.to_status, "user": name,
                   "at": e.at.isoformat(), "reason": e.reason} for e, name in rows]
    return {"form": form.code, "unit": unit.code, "name_zh": unit.name_zh, "period": period,
            "status": current.status if current else None, "events": events}
