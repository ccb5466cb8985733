"""Who may do what. Checked in the service layer and at every route, not only in templates."""

from __future__ import annotations

from clusterwatch.accounts.models import User
from clusterwatch.errors import NotAllowed

# Actions on the plan registry, forms included, are the province's.
PLAN_ACTIONS = {"plan.review", "plan.load", "form.define"}


def can(user: User | None, action: str) -> bool:
    if user is None or not user.active:
        return False
    if action in PLAN_ACTIONS:
        return user.role == "province_admin"
    return False


def require(user: User | None, action: str) -> User:
    if user is None:
        raise NotAllowed(action, "sign in first")
    if not can(user, action):
        raise NotAllowed(action, f"the role {user.role} may not do this")
    return user
