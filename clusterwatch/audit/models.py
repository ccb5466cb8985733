"""AuditEntry: one change a person made to a thing the platform keeps.

Values have their own trails (ObservationChange, EnterpriseValueChange), returns theirs
(ReturnEvent) and plan loads theirs (PlanVersion); everything else a person changes (a firm,
a listing, a form, a scheme, a flag's explanation, a user) is written here, and the audit page
reads all of them together.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from clusterwatch.tables import Base

# What an entry of this table is about; the audit page names each (audit/present.py).
SUBJECTS = ("enterprise", "listing", "form", "scheme", "flag", "user")


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_subject", "subject", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # SET NULL: the trail outlives a deleted account (users are deactivated, not deleted, but
    # a test database or an administrator's SQL may delete one); the name is kept beside it.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None, index=True)
    username: Mapped[str | None] = mapped_column(String(60), default=None)
    subject: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))  # the thing's own code: a USCC, a form code, "scheme v3", a flag id
    label: Mapped[str] = mapped_column(String(300), default="")  # its name as people read it, at the time
    action: Mapped[str] = mapped_column(String(20))
    # Only the fields that changed, each as stored (numbers, dates as ISO text, lists).
    old: Mapped[dict | None] = mapped_column(JSON().with_variant(JSONB(), "postgresql"), default=None)
    new: Mapped[dict | None] = mapped_column(JSON().with_variant(JSONB(), "postgresql"), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)  # what the person typed, if anything
    channel: Mapped[str] = mapped_column(String(20))  # web, api, file, cli
