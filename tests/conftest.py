"""Shared fixtures: databases on both engines, the demo data set, the app.

Database-facing tests take the `backend` parameter and run on SQLite and PostgreSQL. Where
PostgreSQL cannot be reached the tests are skipped, except under CI=true, where they fail: CI
must never pass without having run them.

A database is never built twice in a run. Each prepared state (the migrated schema, the
demo, the plan with the corpus firms, …) is built once per backend as a template, and every
test gets a copy of its own: a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on
PostgreSQL (the server copies the files; the test role needs CREATEDB). On PostgreSQL the
tables live in a schema of their own inside each copy, so the schema setting that production
may use is exercised too. Copies and templates are dropped at the end.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from clusterwatch.db import make_engine, migrate, session_factory, transaction

POSTGRES_URL = os.environ.get("CLUSTERWATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
BACKENDS = ["sqlite", "postgresql"]
PG_SCHEMA = "cw_test"  # inside each test database, as CLUSTERWATCH_DATABASE_SCHEMA would name it


def unavailable(reason: str) -> None:
    """Skip a test whose real part is missing; under CI that is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run, not skip)")
    pytest.skip(reason)


_admin_engine = None


def _postgres_admin(statement: str) -> None:
    """CREATE/DROP DATABASE, which run outside a transaction, on the server's `test` database."""
    global _admin_engine
    try:
        if _admin_engine is None:
            _admin_engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with _admin_engine.connect() as connection:
            connection.execute(text(statement))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "unavailable"
        unavailable(f"PostgreSQL at {POSTGRES_URL} cannot be used: {exc.__class__.__name__}: {exc}")


class Database:
    """A migrated database on one backend: empty, or a copy of a prepared template."""

    def __init__(self, backend: str, tmp_path: Path, template: Database | None = None):
        self.backend = backend
        self.schema: str | None = None
        self.name: str | None = None
        if backend == "sqlite":
            path = tmp_path / f"test-{uuid.uuid4().hex[:8]}.db"
            if template is not None:
                shutil.copyfile(template.path, path)
            self.path = path
            self.url = f"sqlite:///{path}"
        else:
            self.name = f"cw_test_{uuid.uuid4().hex[:12]}"
            _postgres_admin(f'CREATE DATABASE "{self.name}"'
                            + (f' TEMPLATE "{template.name}"' if template is not None else ""))
            self.url = make_url(POSTGRES_URL).set(database=self.name).render_as_string(hide_password=False)
            self.schema = PG_SCHEMA
            if template is None:
                owner = create_engine(self.url)
                with owner.begin() as connection:
                    connection.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
                owner.dispose()
        self.engine = make_engine(self.url, schema=self.schema)
        if template is None:
            migrate(self.engine)
        self.sessions = session_factory(self.engine)

    def close(self) -> None:
        """Close every connection, so that the database can serve as a template (or be copied)."""
        if self.backend == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()

    def drop(self) -> None:
        self.engine.dispose()
        if self.name:
            _postgres_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Templates:
    """Prepared databases, built once per backend and name on first use."""

    def __init__(self, tmp_path_factory):
        self.tmp_path_factory = tmp_path_factory
        self.made: dict[tuple[str, str], Database] = {}

    def copy(self, backend: str, tmp_path: Path, name: str = "empty",
             build: Callable[[Database], None] | None = None) -> Database:
        key = (backend, name)
        if key not in self.made:
            template = Database(backend, self.tmp_path_factory.mktemp(f"template-{name}-{backend}"))
            try:
                if build is not None:
                    build(template)
            except BaseException:
                template.drop()
                raise
            template.close()
            self.made[key] = template
        return Database(backend, tmp_path, self.made[key])

    def drop_all(self) -> None:
        for template in self.made.values():
            template.drop()


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    made = Templates(tmp_path_factory)
    yield made
    made.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database(backend, tmp_path, templates):
    """A fresh, migrated, empty database."""
    db = templates.copy(backend, tmp_path)
    yield db
    db.drop()


def load_embedded_plan(db: Database) -> None:
    from clusterwatch.plans.loader import load_plan
    from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file

    with transaction(db.sessions) as session:
        load_plan(session, read_plan_file(embedded_plan_path()))


@pytest.fixture
def plan_db(backend, tmp_path, templates):
    """A fresh database with the embedded Guangdong plan and no data."""
    db = templates.copy(backend, tmp_path, "plan", load_embedded_plan)
    yield db
    db.drop()


TEST_FIRMS = 400


def build_demo(db: Database) -> None:
    from clusterwatch.demo.generator import generate_demo
    from clusterwatch.plans.loader import load_plan
    from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file

    with transaction(db.sessions) as session:
        plan = load_plan(session, read_plan_file(embedded_plan_path()))
        # Fewer synthetic firms than the served demo's 3,000, so that a template builds quickly.
        generate_demo(session, plan, firms=TEST_FIRMS)


@pytest.fixture
def demo(backend, tmp_path, templates):
    """A fresh database with the Guangdong plan and the synthetic demo data, for a test to change."""
    db = templates.copy(backend, tmp_path, "demo", build_demo)
    yield db
    db.drop()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_db(request, tmp_path_factory, templates):
    """The Guangdong plan with the synthetic demo data, shared by read-only tests."""
    db = templates.copy(request.param, tmp_path_factory.mktemp(f"demo-{request.param}"), "demo", build_demo)
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


FULL_DEMO_PASSWORD = "full-demo-password"


@pytest.fixture(scope="session")
def full_demo_file(tmp_path_factory) -> Path:
    """The served demo (3,000 firms, its administrator's password FULL_DEMO_PASSWORD) as an
    SQLite file, built once by the same function as `clusterwatch demo`: copy it, don't change it."""
    from clusterwatch.cli import build_demo_database

    path = tmp_path_factory.mktemp("full-demo") / "demo.db"
    os.environ["CLUSTERWATCH_DEMO_PASSWORD"] = FULL_DEMO_PASSWORD
    try:
        build_demo_database(f"sqlite:///{path}")
    finally:
        del os.environ["CLUSTERWATCH_DEMO_PASSWORD"]
    return path


@pytest.fixture
def full_demo(full_demo_file, tmp_path) -> Path:
    """A copy of the served demo for one test."""
    path = tmp_path / "demo.db"
    shutil.copyfile(full_demo_file, path)
    return path
