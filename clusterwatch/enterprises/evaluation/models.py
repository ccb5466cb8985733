"""Evaluation schemes as stored versions, the runs made with them, and each firm's result.

A scheme is never edited in place: a change is a new version, so that every stored result
still names exactly the rules it was computed by. A run is one scheme's evaluation of one
year; running it again replaces that run's results in one transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from clusterwatch.tables import Base


class EvaluationScheme(Base):
    __tablename__ = "evaluation_schemes"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class EvaluationRun(Base):
    __tablename__ = "evaluation_runs"
    __table_args__ = (UniqueConstraint("scheme_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("evaluation_schemes.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    firms: Mapped[int] = mapped_column(Integer)
    rated: Mapped[int] = mapped_column(Integer)
    # What the run could not use, so that no firm is left out silently: registered firms without
    # an approved return, rated firms without land (no per-mu figure), and per indicator the
    # rated firms whose score was imputed; the firms themselves are the results so marked.
    counts: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    seconds: Mapped[float] = mapped_column(Float)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class EvaluationResult(Base):
    """One firm's result: its pool, total, rank and class, the change from its class of the
    year before (same scheme code), and the breakdown {indicator: [value, benchmark, score, imputed]}."""

    __tablename__ = "evaluation_results"
    __table_args__ = (
        UniqueConstraint("run_id", "enterprise_id"),
        Index("ix_evaluation_results_run_class", "run_id", "klass"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))  # the firm's county at the run
    pool: Mapped[str] = mapped_column(String(120))
    unrated: Mapped[bool] = mapped_column(Boolean)
    total: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    pool_size: Mapped[int | None] = mapped_column(Integer)
    klass: Mapped[str] = mapped_column(String(1))
    previous_klass: Mapped[str | None] = mapped_column(String(1))
    previous_total: Mapped[float | None] = mapped_column(Float)
    breakdown: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
