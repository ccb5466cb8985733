"""Extraction runs and the items a reviewer confirms, edits or rejects."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clusterwatch.tables import Base

ITEM_KINDS = ("target", "baseline", "layout_table", "task", "list")
STATUSES = ("extracted", "confirmed", "edited", "rejected")


class ExtractionRun(Base):
    __tablename__ = "extraction_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # The plan whose vocabulary (regions, clusters, indicators) the facts are mapped onto.
    base_plan: Mapped[str] = mapped_column(String(60))
    documents: Mapped[list] = mapped_column(JSON)
    clusters: Mapped[list] = mapped_column(JSON)
    conflicts: Mapped[list] = mapped_column(JSON)


class ExtractedItem(Base):
    __tablename__ = "extracted_items"
    __table_args__ = (
        CheckConstraint("kind IN ('target', 'baseline', 'layout_table', 'task', 'list')", name="kind"),
        CheckConstraint("status IN ('extracted', 'confirmed', 'edited', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("extraction_runs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)  # as extracted, never changed
    suggestion: Mapped[dict] = mapped_column(JSON)  # scope and indicator in the base plan's codes
    status: Mapped[str] = mapped_column(String(10), default="extracted")
    edits: Mapped[dict] = mapped_column(JSON, default=dict)  # the reviewer's changes, field by field
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
