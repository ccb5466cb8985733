"""Errors the service layer raises for a person to read; the web layer maps them to 404/400."""

from __future__ import annotations


class NotFound(LookupError):
    """A plan, cluster, region or indicator that the database does not hold."""

    def __init__(self, kind: str, key: str):
        self.kind, self.key = kind, key
        super().__init__(f"no {kind} {key!r}")


class BadInput(ValueError):
    """Values a person gave that cannot be used: `field` and `message` name the first problem,
    `problems` every one of them as (field, message)."""

    def __init__(self, field: str, message: str, problems: list[tuple[str, str]] | None = None):
        self.field, self.message = field, message
        self.problems: list[tuple[str, str]] = list(problems) if problems else [(field, message)]
        super().__init__(f"{field}: {message}")

    @classmethod
    def of(cls, problems: list[tuple[str, str]]) -> BadInput:
        """One error for several problems, named by the first."""
        return cls(problems[0][0], problems[0][1], problems)


class NotAllowed(PermissionError):
    """The user (or nobody signed in) may not do `action`."""

    def __init__(self, action: str, reason: str):
        self.action, self.reason = action, reason
        super().__init__(f"{action}: {reason}")
