"""Who may do what: every action decided here, over the user's role and the region tree.

The service layer asks `can` (or `require`) before it changes anything, and the routes ask
through the web layer's dependencies; pages ask the same function to show only the actions a
user may take. No other module looks at a role.

A region-scoped action names the unit it is about (`region`), and for a firm's values the
firm (`firm`, its USCC); a task names its departments.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from clusterwatch.errors import NotAllowed
from clusterwatch.problems import Message, msg
from clusterwatch.regions.tree import region_tree

# The province's own work: the plan registry, forms, the register, the evaluation scheme, and
# reading the audit trail of everything people changed.
PROVINCE_ACTIONS = frozenset({"plan.review", "plan.load", "form.define", "register.import", "scheme.edit", "audit.read"})
# A return's steps (reporting/workflow.py) besides reporting its values.
REVIEW_ACTIONS = frozenset({"approve", "unapprove", "return"})
ACTIONS = PROVINCE_ACTIONS | REVIEW_ACTIONS | {"report", "submit", "explain", "accept", "task.report", "return.read"}
# Roles that report values of regions (a template, rows, the entry form).
REGION_REPORTERS = frozenset({"province_admin", "reporter"})


def can(user, action: str, *, session: Session | None = None, region: str | None = None, firm: str | None = None,
        departments: Collection[str] = ()) -> bool:
    """Whether `user` may do `action`.

    report, submit, explain: a province administrator anywhere; a reporter for its region and
    below; an enterprise reporter for its own firm's values. Without a region, `report` asks
    whether the role reports region values at all.
    approve, unapprove, return: a province administrator, or an approver of a region above the unit.
    accept and the province's actions: a province administrator.
    task.report: a province administrator, or a department that leads or co-operates on the task.
    return.read (a return's values before they count, their history, flags and completeness):
    a province administrator; a reporter or an approver for its region and below. Without a
    region, whether the role reads any return at all.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not getattr(user, "active", True):
        return False
    role = user.role
    if role == "province_admin":
        return True
    if action in ("report", "submit", "explain"):
        if firm is not None and role == "enterprise_reporter":
            return firm == user.enterprise_uscc
        if role != "reporter" or not user.region_code:
            return False
        return region is None or _tree(session).within(region, user.region_code)
    if action == "return.read":
        if role not in ("reporter", "approver") or not user.region_code:
            return False
        return region is None or _tree(session).within(region, user.region_code)
    if action in REVIEW_ACTIONS:
        return (role == "approver" and region is not None and bool(user.region_code)
                and user.region_code in _tree(session).ancestors(region))
    if action == "task.report":
        return role == "department" and user.department in set(departments)
    return False


def require(user, action: str, reason: Message | None = None, **scope) -> object:
    """The user, if they may do `action`; otherwise NotAllowed naming why."""
    if user is None:
        raise NotAllowed(action, msg("sign in first"))
    if not can(user, action, **scope):
        raise NotAllowed(action, reason or msg("the role {role} may not do this", role=msg(user.role)))
    return user


def _tree(session: Session | None):
    if session is None:
        raise ValueError("a region-scoped permission needs the session to read the region tree")
    return region_tree(session)
