"""A clock the sign-in service reads, set by the tests."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterwatch.accounts import service

START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    now = {"at": START}
    monkeypatch.setattr(service, "_now", lambda: now["at"])
    return now
