"""Alembic environment: runs against the engine handed over by clusterwatch.db.migrate."""

from alembic import context

from clusterwatch.models import metadata

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
