"""The declarative base every table derives from.

It stands apart from db.py (engines, sessions, migrations) so that the tables of every
capability can be declared without importing the machinery that opens databases, and db.py
can import all the tables without a cycle.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

# Named constraints make migrations reproducible on both engines (SQLite cannot alter an
# unnamed constraint later).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Every model here is mapped to a Table (none to a join or a select), so say so: the
    # stubs type __table__ as any FromClause, which bulk_insert and insert() do not accept.
    __table__: ClassVar[Table]
