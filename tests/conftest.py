"""Shared fixtures: databases on both engines, the demo data set, the app.

Database-facing tests take the `backend` parameter and run on SQLite and PostgreSQL. On
PostgreSQL each database gets a schema of its own, dropped afterwards. Where PostgreSQL
cannot be reached the tests are skipped, except under CI=true, where they fail: CI must
never pass without having run them.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from clusterwatch.db import make_engine, migrate, session_factory, transaction

POSTGRES_URL = os.environ.get("CLUSTERWATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
BACKENDS = ["sqlite", "postgresql"]


def unavailable(reason: str) -> None:
    """Skip a test whose real part is missing; under CI that is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run, not skip)")
    pytest.skip(reason)


class Database:
    """A fresh, migrated, empty database on one backend."""

    def __init__(self, backend: str, tmp_path: Path):
        self.backend = backend
        self.schema = None
        if backend == "sqlite":
            self.url = f"sqlite:///{tmp_path / 'test.db'}"
            self.engine = make_engine(self.url)
        else:
            self.schema = f"cw_test_{uuid.uuid4().hex[:12]}"
            try:
                admin = create_engine(POSTGRES_URL)
                with admin.begin() as connection:
                    connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
                admin.dispose()
            except Exception as exc:  # noqa: BLE001 - any failure to connect means "unavailable"
                unavailable(f"PostgreSQL at {POSTGRES_URL} cannot be reached: {exc.__class__.__name__}: {exc}")
            self.url = POSTGRES_URL
            self.engine = make_engine(self.url, schema=self.schema)
        migrate(self.engine)
        self.sessions = session_factory(self.engine)

    def drop(self) -> None:
        self.engine.dispose()
        if self.schema:
            admin = create_engine(POSTGRES_URL)
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database(backend, tmp_path):
    db = Database(backend, tmp_path)
    yield db
    db.drop()


TEST_FIRMS = 400


def build_demo(db: Database) -> None:
    from clusterwatch.demo.generator import generate_demo
    from clusterwatch.plans.loader import load_plan
    from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file

    with transaction(db.sessions) as session:
        plan = load_plan(session, read_plan_file(embedded_plan_path()))
        # Fewer synthetic firms than the served demo's 3,000: most tests build a demo of their own.
        generate_demo(session, plan, firms=TEST_FIRMS)


@pytest.fixture(scope="session", params=BACKENDS)
def demo_db(request, tmp_path_factory):
    """The Guangdong plan with the synthetic demo data, shared by read-only tests."""
    db = Database(request.param, tmp_path_factory.mktemp(f"demo-{request.param}"))
    build_demo(db)
    yield db
    db.drop()


@pytest.fixture
def demo_session(demo_db):
    with demo_db.sessions() as session:
        yield session


@pytest.fixture(scope="session")
def demo_client(demo_db):
    from fastapi.testclient import TestClient

    from clusterwatch.settings import Settings
    from clusterwatch.web.app import create_app

    app = create_app(Settings(database_url=demo_db.url, database_schema=demo_db.schema))
    with TestClient(app) as client:
        yield client
