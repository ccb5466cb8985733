"""The audit trail in people's words: what was changed, how, each field's name and its old and
new value, for the audit page and its export. No field name or code reaches the screen: every
subject, action, field and coded value has its English message id here (translated where
shown), and the trails' own English notes (how a value came in) too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pydantic import BaseModel

from clusterwatch.audit.trail import Entry
from clusterwatch.problems import msgid

Translate = Callable[[str], str]

SUBJECTS = {
    "enterprise": msgid("firm"), "listing": msgid("listing of a firm"), "form": msgid("form"),
    "scheme": msgid("evaluation scheme"), "flag": msgid("explanation of a flagged value"), "user": msgid("account"),
    "value": msgid("value of a region"), "firm values": msgid("values of firms"), "return": msgid("return of a unit"),
    "plan": msgid("plan"),
}
ACTIONS = {
    "create": msgid("created"), "update": msgid("modified"), "explain": msgid("explained"), "password": msgid("password set"),
    "import": msgid("imported"), "load": msgid("loaded"), "submit": msgid("submitted"), "approve": msgid("approved"),
    "unapprove": msgid("approval withdrawn"), "return": msgid("sent back"), "accept": msgid("accepted"),
}
CHANNELS = {"web": msgid("web page"), "api": msgid("API"), "file": msgid("file"), "cli": msgid("command line")}
FIELDS = {
    "name": msgid("name"), "county": msgid("county"), "above_scale": msgid("above designated size"),
    "land_mu": msgid("land (亩)"), "founded": msgid("founded on"), "industry_code": msgid("industry class"),
    "exempt_reason": msgid("why not rated"), "clusters": msgid("clusters (segment)"), "list": msgid("list"),
    "level": msgid("level"), "since": msgid("listed on"), "until": msgid("left the list on"), "cluster": msgid("cluster"),
    "source": msgid("document"), "name_en": msgid("English name"), "period_type": msgid("reported"),
    "disaggregation": msgid("by cluster"), "due_days": msgid("due (days after the period)"),
    "expiry_days": msgid("open for (days after the period)"), "indicators": msgid("indicators"),
    "version": msgid("version"), "explanation": msgid("explanation"), "by": msgid("by"), "at": msgid("at"),
    "display_name": msgid("display name"), "role": msgid("role"), "region": msgid("region"),
    "department": msgid("department"), "enterprise": msgid("firm (USCC)"), "password": msgid("password"),
    "value": msgid("value"), "status": msgid("status"), "rows": msgid("rows"), "created": msgid("new"),
    "updated": msgid("changed"), "unchanged": msgid("unchanged"),
    # A plan load's parts (plans/versions.py PARTS)
    "documents": msgid("Documents"), "layout": msgid("Layout placements"), "stated_figures": msgid("Stated past figures"),
    "targets": msgid("Goals"), "validation_rules": msgid("Validation rules"), "forms": msgid("Forms"), "tasks": msgid("Tasks"),
}
# Coded values, by field: what each code reads as.
VALUES = {
    "period_type": {"A": msgid("yearly"), "Q": msgid("quarterly"), "M": msgid("monthly")},
    "disaggregation": {"none": msgid("no"), "cluster": msgid("yes")},
    "level": {"province": msgid("province"), "city": msgid("city"), "county": msgid("county"), "town": msgid("town"),
              "park": msgid("park"), "enterprise": msgid("enterprise")},
    "status": {s: s for s in (msgid("draft"), msgid("submitted"), msgid("returned"), msgid("approved"), msgid("accepted"))},
    "role": {r: r for r in (msgid("province_admin"), msgid("department"), msgid("reporter"), msgid("approver"),
                            msgid("enterprise_reporter"), msgid("viewer"))},
    "password": {"set": msgid("set anew; its sign-ins ended")},
}
# The English notes the value trails keep of how a value came in.
HOW = {"return imported": msgid("a return's file imported"), "entered on the web": msgid("typed on the entry page"),
       "csv import": msgid("rows imported (CSV)"), "sdmx import": msgid("rows imported (SDMX-CSV)"),
       "json import": msgid("rows imported (JSON)"), "synthetic demo returns": msgid("synthetic demo data")}


class Change(BaseModel):
    field: str
    old: str
    new: str


class Row(BaseModel):
    """An entry as the page, the export and the API show it: every part in the reader's words."""

    at: str
    who: str
    subject: str
    key: str
    label: str
    action: str
    changes: list[Change]
    reason: str
    channel: str


def shown(entry: Entry, _: Translate, lang: str) -> Row:
    label = entry.extra.get("label_en", entry.label) if lang == "en" else entry.label
    how = entry.extra.get("how")
    channel = _(CHANNELS[entry.channel]) if entry.channel in CHANNELS else ""
    if how:
        channel = f"{channel} · {_(HOW[how]) if how in HOW else how}" if channel else (_(HOW[how]) if how in HOW else how)
    return Row(at=_time(entry.at), who=entry.username or _("command line or system"),
               subject=_(SUBJECTS.get(entry.subject, entry.subject)), key=entry.key if entry.subject in _SHOWN_KEYS else "",
               label=label, action=_(ACTIONS.get(entry.action, entry.action)), changes=_changes(entry, _),
               reason=entry.reason or "", channel=channel)


# Keys people use themselves (a firm's USCC, an account's name); the others are internal.
_SHOWN_KEYS = ("enterprise", "user", "listing")


def _changes(entry: Entry, _: Translate) -> list[Change]:
    old, new = entry.old or {}, entry.new or {}
    if entry.subject == "plan":
        return [Change(field=_(FIELDS.get(part, part)), old="", new=_("%(a)s added, %(c)s changed, %(r)s removed") % {
            "a": c.get("added", 0), "c": c.get("changed", 0), "r": c.get("removed", 0)})
            for part, c in new.items() if any(c.values())]
    return [Change(field=_(FIELDS.get(name, name)), old=_value(name, old.get(name), _) if name in old else "",
                   new=_value(name, new.get(name), _) if name in new else "")
            for name in dict.fromkeys([*new, *old])]


def _value(field: str, value, _: Translate) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field in VALUES and isinstance(value, str):
        return _(VALUES[field].get(value, value))
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) < 1e15 else f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    if field == "at" and isinstance(value, str):
        return value[:16].replace("T", " ")
    return str(value)


def _time(at: dt.datetime) -> str:
    # In UTC, as the other pages give times, and said so in the column's heading.
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def export_header(_: Translate) -> list[str]:
    return [_("Time (UTC)"), _("Who"), _("What"), _("Code"), _("Which"), _("Action"), _("Field"), _("Old"), _("New"),
            _("Reason"), _("How")]


def export_rows(rows: list[Row]) -> list[list[str]]:
    """One line per changed field (a line per entry where none changed), for a spreadsheet."""
    lines = []
    for r in rows:
        for change in r.changes or [Change(field="", old="", new="")]:
            lines.append([r.at, r.who, r.subject, r.key, r.label, r.action, change.field, change.old, change.new,
                          r.reason, r.channel])
    return lines
