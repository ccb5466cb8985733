"""Text a person types (a note, an explanation, a reason): trimmed, within its length, and free of
control characters. A NUL byte cannot be stored by PostgreSQL and the others (a bell, an escape)
come only from a script or a paste gone wrong; line breaks and tabs are text and stay."""

from __future__ import annotations

import re

from clusterwatch.problems import BadInput, Message, msg

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REASON_LIMIT = 1000


def text_problem(text: str, limit: int) -> Message | None:
    """Why `text` cannot be kept as typed, if it cannot."""
    if _CONTROL.search(text):
        return msg("it holds a control character (such as a NUL byte) that is not text: type it again")
    if len(text) > limit:
        return msg("longer than {n} characters", n=limit)
    return None


def optional(field: str, text: str | None, *, limit: int) -> str | None:
    """The text trimmed, None when empty; BadInput naming `field` when it is too long or not text."""
    text = (text or "").strip()
    if not text:
        return None
    problem = text_problem(text, limit)
    if problem is not None:
        raise BadInput(field, problem)
    return text


def required(field: str, text: str | None, *, limit: int, empty: Message) -> str:
    """As `optional`, and BadInput saying `empty` when there is no text."""
    kept = optional(field, text, limit=limit)
    if kept is None:
        raise BadInput(field, empty)
    return kept


def reason(text: str | None, *, empty: Message | None = None) -> str | None:
    """The reason a person gives for a change, as the audit keeps it; required when `empty`
    says why it may not be left out."""
    if empty is not None:
        return required("reason", text, limit=REASON_LIMIT, empty=empty)
    return optional("reason", text, limit=REASON_LIMIT)
