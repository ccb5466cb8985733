"""Sign-in throttling: after a few wrong passwords the account (or address) waits, doubling each
time, and a throttled attempt is refused before any password is hashed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from clusterwatch.accounts import service, throttle
from clusterwatch.accounts.models import SignInAttempt
from clusterwatch.accounts.service import SignInFailed, SignInThrottled, create_user, sign_in
from clusterwatch.db import transaction
from tests.accounts.conftest import START
from tests.web.conftest import PASSWORD


def attempt(db, username, password, address="10.0.0.1"):
    with transaction(db.sessions) as session:
        try:
            sign_in(session, username=username, password=password, address=address)
            return "ok"
        except (SignInFailed, SignInThrottled) as exc:
            return exc


def test_wrong_passwords_make_the_account_wait_doubling(plan_db, clock, monkeypatch):
    with transaction(plan_db.sessions) as session:
        create_user(session, username="gz", password=PASSWORD, role="reporter", region_code="440100")
    for _ in range(throttle.FREE_PER_ACCOUNT):
        assert isinstance(attempt(plan_db, "gz", "wrong-password"), SignInFailed)
    # The right password now waits: refused before Argon2 runs at all.
    hashed = []

    class Counting:
        def __getattr__(self, name):
            hashed.append(name)
            return getattr(real, name)

    real = service._hasher
    monkeypatch.setattr(service, "_hasher", Counting())
    refused = attempt(plan_db, "gz", PASSWORD)
    assert isinstance(refused, SignInThrottled) and refused.seconds == 30 and hashed == []
    monkeypatch.setattr(service, "_hasher", real)
    clock["at"] = START + dt.timedelta(seconds=31)
    assert isinstance(attempt(plan_db, "gz", "wrong-again"), SignInFailed)  # the sixth failure: the wait doubles
    assert attempt(plan_db, "gz", PASSWORD).seconds == 60
    clock["at"] += dt.timedelta(seconds=61)
    assert attempt(plan_db, "gz", PASSWORD) == "ok"
    assert attempt(plan_db, "gz", "wrong-password").__class__ is SignInFailed  # a success starts the count again
    with plan_db.sessions() as session:
        kept = session.execute(select(SignInAttempt.username, SignInAttempt.address, SignInAttempt.succeeded)
                               .order_by(SignInAttempt.id)).all()
    assert [a.succeeded for a in kept] == [False] * 6 + [True, False] and {a.address for a in kept} == {"10.0.0.1"}


def test_many_names_from_one_address_are_throttled_too(plan_db, clock):
    for n in range(throttle.FREE_PER_ADDRESS):
        assert isinstance(attempt(plan_db, f"nobody{n}", "guess"), SignInFailed)
    assert isinstance(attempt(plan_db, "nobody-else", "guess"), SignInThrottled)
    assert isinstance(attempt(plan_db, "nobody-else", "guess", address="10.0.0.2"), SignInFailed)  # another address is not
