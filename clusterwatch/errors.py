"""Errors the service layer raises for a person to read, besides BadInput (problems.py):
the web layer maps them to 404, 401/403 and 409."""

from __future__ import annotations

from clusterwatch.problems import Message, msg


class NotFound(LookupError):
    """A plan, cluster, region or indicator that the database does not hold."""

    def __init__(self, kind: str, key: str):
        self.kind, self.key = kind, key
        self.message = msg("no {kind} {key}", kind=msg(kind), key=repr(key))
        super().__init__(str(self.message))


class NotAllowed(PermissionError):
    """The user (or nobody signed in) may not do `action`; `reason` says why."""

    def __init__(self, action: str, reason: Message):
        self.action, self.reason = action, reason
        super().__init__(f"{action}: {reason}")


class Conflict(RuntimeError):
    """What the person acted on changed meanwhile (someone else moved the return, the call,
    the project): nothing was written; `message` says what it is now."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(str(message))
