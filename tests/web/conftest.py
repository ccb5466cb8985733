"""Web fixtures: a fresh demo database with an administrator, signed in or not."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from clusterwatch.settings import Settings
from clusterwatch.web.app import create_app
from tests.conftest import build_demo

PASSWORD = "review-password-1"


def add_user(database, username: str, role: str) -> None:
    from clusterwatch.accounts.service import create_user
    from clusterwatch.db import transaction

    with transaction(database.sessions) as session:
        create_user(session, username=username, password=PASSWORD, role=role,
                    region_code="440100" if role in ("reporter", "approver") else None,
                    department="省工业和信息化厅" if role == "department" else None,
                    enterprise_uscc="91440300708461136T" if role == "enterprise_reporter" else None)


def post_login(client, data: dict, url: str = "/login", **kwargs):
    """Post the sign-in form as a browser does: with the token its page set."""
    page = client.get("/login").text
    # The login form's own token (a signed-in page also has the sign-out form's).
    token = re.search(r'id="login-form">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def sign_in(client, username: str) -> None:
    """Sign in and send the sign-in's CSRF token with every later request, as htmx does."""
    response = post_login(client, {"username": username, "password": PASSWORD, "next": "/review"},
                          follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get("/").text
    client.headers["X-CSRF-Token"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def build_demo_with_admin(database) -> None:
    build_demo(database)
    add_user(database, "admin", "province_admin")


@pytest.fixture
def web_db(backend, tmp_path, templates):
    """A fresh copy of the demo with a province administrator, for a test to change."""
    db = templates.copy(backend, tmp_path, "demo-admin", build_demo_with_admin)
    yield db
    db.drop()


@pytest.fixture
def anonymous(web_db):
    database = web_db
    settings = Settings(database_url=database.url, database_schema=database.schema, today=dt.date(2026, 4, 15))
    with TestClient(create_app(settings)) as client:
        client.database = database
        yield client


@pytest.fixture
def client(anonymous):
    sign_in(anonymous, "admin")
    return anonymous


