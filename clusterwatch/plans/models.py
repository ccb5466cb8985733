"""Tables of the plan registry.

Regions and indicators are shared vocabulary; documents, clusters, layout and targets
belong to one plan, so that several regions' plans can live in one database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterwatch.tables import Base

CLUSTER_KINDS = ("pillar", "emerging", "future", "sub")
TIERS = ("core", "key", "general")
DIRECTIONS = ("higher", "lower")
AGGREGATIONS = ("sum", "ratio", "none")
COMPARATORS = ("=", ">", ">=", "<", "<=", "~", "range")
MEASURES = ("level", "cagr", "relative")
PROGRESS_METHODS = ("plan_schedule", "cagr_ratio")


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    horizon: Mapped[int] = mapped_column(Integer)
    source_sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Document(Base):
    """A policy document that facts are cited from."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    file: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(String(100), default=None)
    issued: Mapped[dt.date | None] = mapped_column(Date, default=None)


class Cluster(Base):
    __tablename__ = "clusters"
    __table_args__ = (
        UniqueConstraint("plan_id", "slug"),
        CheckConstraint("kind IN ('pillar', 'emerging', 'future', 'sub')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(60))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(10))
    sort_order: Mapped[int] = mapped_column(Integer)
    # Sub-clusters (子集群) hang under the strategic cluster they belong to.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id"), default=None)
    # Other spellings used in the documents, '|'-separated, for matching names.
    aliases: Mapped[str] = mapped_column(Text, default="")


class Indicator(Base):
    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("direction IN ('higher', 'lower')", name="direction"),
        CheckConstraint("aggregation IN ('sum', 'ratio', 'none')", name="aggregation"),
    )

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    aggregation: Mapped[str] = mapped_column(String(10))
    # For aggregation = 'ratio': value = scale * sum(numerator) / sum(denominator).
    numerator_code: Mapped[str | None] = mapped_column(
        ForeignKey("indicators.code"), default=None
    )
    denominator_code: Mapped[str | None] = mapped_column(
        ForeignKey("indicators.code"), default=None
    )
    scale: Mapped[float] = mapped_column(Float, default=1.0)
    # 'flow' values of months add up to the year; 'stock' and rates do not.
    flow: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class LayoutPlacement(Base):
    """A city's tier in a cluster (布局 ★★★/★★/★), cited to the matrix row."""

    __tablename__ = "layout_placements"
    __table_args__ = (
        UniqueConstraint("cluster_id", "region_code"),
        CheckConstraint("tier IN ('core', 'key', 'general')", name="tier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    tier: Mapped[str] = mapped_column(String(10))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    source_line: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)

    cluster: Mapped[Cluster] = relationship(lazy="joined")


class Target(Base):
    """A quantitative goal of a plan, with the sentence it comes from."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint(
            "comparator IN ('=', '>', '>=', '<', '<=', '~', 'range')", name="comparator"
        ),
        CheckConstraint("measure IN ('level', 'cagr', 'relative')", name="measure"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), default=None
    )
    # A goal set for all pillar or all emerging clusters together.
    cluster_group: Mapped[str | None] = mapped_column(String(10), default=None)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    # The indicator as the document words it (软件业务收入, 产业规模), when it differs.
    indicator_text: Mapped[str | None] = mapped_column(String(200), default=None)
    # 'level': the indicator reaches the value; 'cagr': it grows by the value (% a year);
    # 'relative': it reaches the value times its base year's (翻一番: 2倍 of base_year).
    measure: Mapped[str] = mapped_column(String(10), default="level")
    base_year: Mapped[int | None] = mapped_column(Integer, default=None)
    # The progress method shown first (plan_schedule or cagr_ratio); None: by measure.
    method: Mapped[str | None] = mapped_column(String(20), default=None)
    comparator: Mapped[str] = mapped_column(String(6))
    value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float, default=None)
    unit: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    # The stated past figure the goal is measured from, with its own citation.
    baseline_figure_id: Mapped[int | None] = mapped_column(
        ForeignKey("stated_figures.id", ondelete="SET NULL"), default=None
    )
    aspirational: Mapped[bool] = mapped_column(Boolean, default=False)
    # The headline goal of a cluster, shown on its card.
    headline: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    source_line: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)

    cluster: Mapped[Cluster | None] = relationship(lazy="joined")
    document: Mapped[Document] = relationship(lazy="joined")
    baseline_figure: Mapped[StatedFigure | None] = relationship(lazy="joined")


class StatedFigure(Base):
    """A figure a document states for a past year (2019年…营业收入21540亿元): not a goal."""

    __tablename__ = "stated_figures"
    __table_args__ = (
        CheckConstraint(
            "comparator IN ('=', '>', '>=', '<', '<=', '~', 'range')", name="comparator"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), default=None
    )
    cluster_group: Mapped[str | None] = mapped_column(String(10), default=None)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    indicator_text: Mapped[str | None] = mapped_column(String(200), default=None)
    year: Mapped[int] = mapped_column(Integer)
    comparator: Mapped[str] = mapped_column(String(6), default="=")
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    # Why the year or value is read as it is, when the quoted words alone do not say.
    note: Mapped[str | None] = mapped_column(Text, default=None)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    source_line: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(lazy="joined")


class PlanVersion(Base):
    """One load of a plan: the file as it was loaded (so that it can be loaded again to restore
    the plan), who loaded it, why, and what it added, changed and removed."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_code", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # By code, not id: a version outlives nothing it describes, and a plan keeps its code.
    plan_code: Mapped[str] = mapped_column(String(60), index=True)
    number: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    source: Mapped[str] = mapped_column(String(300))  # the file's name, "review run 3", "version 2 restored"
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)  # the plan file, YAML, as loaded
    changes: Mapped[dict] = mapped_column(JSON)  # per part: added, changed, removed
