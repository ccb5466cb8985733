"""Errors the service layer raises for a person to read; the web layer maps them to 404/400."""


class NotFound(LookupError):
    """A plan, cluster, region or indicator that the database does not hold."""

    def __init__(self, kind: str, key: str):
        self.kind, self.key = kind, key
        super().__init__(f"no {kind} {key!r}")


class BadInput(ValueError):
    """A value a person gave that cannot be used; `field` names where it was given."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class NotAllowed(PermissionError):
    """The user (or nobody signed in) may not do `action`."""

    def __init__(self, action: str, reason: str):
        self.action, self.reason = action, reason
        super().__init__(f"{action}: {reason}")
