"""Engine, sessions and migrations.

SQLite is the embedded default and PostgreSQL the production database; both are reached
through one URL. The schema is only ever created by Alembic migrations, never by
`create_all`, so that a database made by the demo and one made in production are alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import orjson
from sqlalchemy import Connection, CursorResult, Engine, Table, create_engine, event, inspect, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from clusterwatch.settings import normalise_database_url

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(url: str, *, schema: str | None = None) -> Engine:
    """Create an engine; `schema` (PostgreSQL only) confines it to one schema, as the tests do."""
    import clusterwatch.models  # noqa: F401  (every table must be known before the first query)

    url = normalise_database_url(url)
    connect_args: dict = {}
    if url.startswith("postgresql") and schema:
        connect_args["options"] = f"-csearch_path={schema}"
    engine = create_engine(url, connect_args=connect_args, future=True, json_serializer=_json_text,
                           json_deserializer=orjson.loads)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def bulk_insert(connection: Connection, table: Table, columns: list[str], rows: list[tuple]) -> None:
    """Many rows into one table the driver's fastest way, inside the connection's transaction:
    COPY on PostgreSQL, executemany on SQLite. Values must be ready for the driver (JSON as
    text, binary as bytes): SQLAlchemy's per-row processing is what this skips."""
    if not rows:
        return
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    driver = connection.connection.driver_connection
    assert driver is not None  # an open Connection holds a checked-out DBAPI connection
    if connection.dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        driver.cursor().executemany(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)


def driver_rows(connection: Connection, statement) -> list[tuple]:
    """All rows of a Core SELECT as the driver's own tuples: for reading hundreds of
    thousands of rows, where building SQLAlchemy's Row objects would cost more than the
    query. No result types are processed: use it for plain numbers, text and bytes."""
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args = tuple(params[name] for name in compiled.positiontup) if compiled.positional else params
    driver = connection.connection.driver_connection
    assert driver is not None  # an open Connection holds a checked-out DBAPI connection
    cursor = driver.cursor()
    try:
        cursor.execute(compiled.string, args)
        return cursor.fetchall()
    finally:
        cursor.close()


def compare_and_set(session: Session, row, expected: Mapping[str, object], values: Mapping[str, object]) -> bool:
    """Write `values` into the ORM object's row only while its columns still hold `expected`,
    in one UPDATE … WHERE: the way every state here changes, so that of two people acting at
    once the second finds the state moved and is refused instead of overwriting it (on
    PostgreSQL the second UPDATE waits for the first's commit and then matches no row; on
    SQLite the writers take turns). True when the row changed; the object then holds `values`."""
    model = type(row)
    key = inspect(model).primary_key[0]
    statement = (update(model).where(key == getattr(row, key.key), *(getattr(model, name) == value for name, value in expected.items()))
                 .values(**values).execution_options(synchronize_session=False))
    result: CursorResult = session.execute(statement)  # type: ignore[assignment]  # an UPDATE's result is a cursor's
    changed = result.rowcount == 1
    if changed:
        for name, value in values.items():
            set_committed_value(row, name, value)
    return changed


def _json_text(value) -> str:
    # orjson: a province's 60,000 rows of firm values serialise in a tenth of the time.
    return orjson.dumps(value).decode()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked; WAL lets the web server read while a
    # loader writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL syncs at checkpoints rather than at every commit: a commit survives a
    # crash of the program, not always a power cut (SQLite's recommended setting for WAL).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MB of pages: a province's return touches many
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed whole or rolled back whole."""
    with factory() as session:
        with session.begin():
            yield session


def alembic_config(engine: Engine):
    # Alembic is imported when a migration runs, not with every command (a tenth of a second).
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (default: the newest)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
