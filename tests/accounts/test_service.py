"""Accounts: every refusal of a user or a password, and of an action, is a message that translates."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from clusterwatch.accounts.permissions import require
from clusterwatch.accounts.service import create_user, set_password
from clusterwatch.db import transaction
from clusterwatch.errors import NotAllowed, NotFound
from clusterwatch.problems import BadInput, Message

PASSWORD = "a-long-enough-password"


@pytest.mark.parametrize(
    ("fields", "field", "id", "text"),
    [
        ({"username": "Bad Name"}, "username", "2-60 characters: lower-case letters, digits, _ . -",
         "2-60 characters: lower-case letters, digits, _ . -"),
        ({"password": "tiny"}, "password", "at least {n} characters", "at least 10 characters"),
        ({"role": "king"}, "role", "one of {actions}", "one of province_admin"),
        ({"role": "reporter"}, "region", "a reporter or approver acts for a region: give its code",
         "a reporter or approver acts for a region"),
        ({"role": "reporter", "region_code": "999999"}, "region", "no {kind} {key}", "no region '999999'"),
        ({"role": "department"}, "department", "a department user belongs to a department",
         "a department user belongs to a department"),
        ({"role": "enterprise_reporter"}, "enterprise", "an enterprise reporter reports for one enterprise: give its USCC",
         "an enterprise reporter reports for one enterprise: give its USCC"),
        ({"role": "enterprise_reporter", "enterprise_uscc": "91440300708461136X"}, "enterprise",
         "{code} is not a valid unified social credit code: {reason}",
         "'91440300708461136X' is not a valid unified social credit code: "),
    ],
)
def test_refused_users_are_named_by_field(plan_db, fields, field, id, text):
    with transaction(plan_db.sessions) as session:
        with pytest.raises(BadInput) as info:
            create_user(session, **{"username": "someone", "password": PASSWORD, "role": "viewer", **fields})
    assert info.value.field == field and isinstance(info.value.message, Message)
    assert info.value.message.id == id and info.value.message.startswith(text)


def test_a_taken_name_and_a_short_new_password(plan_db):
    with transaction(plan_db.sessions) as session:
        create_user(session, username="someone", password=PASSWORD, role="viewer")
        with pytest.raises(BadInput) as info:
            create_user(session, username="someone", password=PASSWORD, role="viewer")
        assert (info.value.message.id, info.value.message) == ("{name} is taken", "'someone' is taken")
        with pytest.raises(BadInput) as info:
            set_password(session, username="someone", password="short")
        assert (info.value.field, info.value.message) == ("password", "at least 10 characters")
        with pytest.raises(NotFound):
            set_password(session, username="nobody", password=PASSWORD)


def test_refusals_of_actions_say_why():
    with pytest.raises(NotAllowed) as info:
        require(None, "plan.load")
    assert (info.value.action, info.value.reason.id) == ("plan.load", "sign in first")
    viewer = SimpleNamespace(role="viewer", active=True)
    with pytest.raises(NotAllowed) as info:
        require(viewer, "plan.load")
    assert info.value.reason == "the role viewer may not do this"
    assert info.value.reason.params == {"role": "viewer"}
    assert require(SimpleNamespace(role="province_admin", active=True), "plan.load").role == "province_admin"
