"""Observations: indicator × region × cluster × period → value, after SDMX."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from clusterwatch.tables import Base

# SDMX OBS_STATUS codes: normal, provisional, estimated, forecast, break, missing.
OBS_STATUSES = ("A", "P", "E", "F", "B", "M")


class DataSource(Base):
    """Where a batch of observations came from; `synthetic` marks made-up data."""

    __tablename__ = "data_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    synthetic: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Observation(Base):
    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("indicator_code", "region_code", "cluster_id", "period"),
        CheckConstraint("status IN ('A', 'P', 'E', 'F', 'B', 'M')", name="status"),
        CheckConstraint("period_type IN ('A', 'Q', 'M')", name="period_type"),
        # NULLs are distinct in a unique constraint on both engines, so province-wide
        # figures (no cluster) need a partial index of their own to stay unique.
        Index(
            "uq_observations_no_cluster",
            "indicator_code",
            "region_code",
            "period",
            unique=True,
            sqlite_where=text("cluster_id IS NULL"),
            postgresql_where=text("cluster_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    # NULL: not specific to a cluster (a province-wide figure).
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), index=True, default=None
    )
    period: Mapped[str] = mapped_column(String(10))  # SDMX key: 2025, 2025-Q1, 2025-03
    period_type: Mapped[str] = mapped_column(String(1))
    year: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(1), default="A")
    source_id: Mapped[int] = mapped_column(ForeignKey("data_sources.id", ondelete="CASCADE"))
    # Dashboards and assessments read approved values only. A value from a return counts from
    # the moment its return is approved (no nightly rebuild); other sources count as stored.
    approved: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Form(Base):
    """A data set to report (DHIS2's 'data set'): indicators, optionally by cluster, for a
    period type, by units of one level, due N days after the period ends and locked after M."""

    __tablename__ = "forms"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("period_type IN ('A', 'Q', 'M')", name="period_type"),
        CheckConstraint("level IN ('province', 'city', 'county', 'town', 'park', 'enterprise')", name="level"),
        CheckConstraint("disaggregation IN ('none', 'cluster')", name="disaggregation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    period_type: Mapped[str] = mapped_column(String(1))
    level: Mapped[str] = mapped_column(String(12))
    disaggregation: Mapped[str] = mapped_column(String(10), default="none")
    due_days: Mapped[int] = mapped_column(Integer)
    expiry_days: Mapped[int] = mapped_column(Integer)


class FormIndicator(Base):
    __tablename__ = "form_indicators"
    __table_args__ = (UniqueConstraint("form_id", "indicator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    position: Mapped[int] = mapped_column(Integer)
    # Plausible bounds of one unit's value (DHIS2's min-max); outside them a value is flagged.
    min_value: Mapped[float | None] = mapped_column(Float, default=None)
    max_value: Mapped[float | None] = mapped_column(Float, default=None)
    # The unit the form asks in (万元 for one firm's revenue), when it differs from the
    # indicator's declared unit (亿元); values are converted to the declared unit on import.
    unit: Mapped[str | None] = mapped_column(String(20), default=None)


class ObservationChange(Base):
    """Every change of a stored value: who, when, the old and the new value, and why."""

    __tablename__ = "observation_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), default=None)
    period: Mapped[str] = mapped_column(String(10))
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float | None] = mapped_column(Float)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    reason: Mapped[str] = mapped_column(Text)


RETURN_STATUSES = ("draft", "submitted", "returned", "approved", "accepted")


class ReturnRecord(Base):
    """Where one unit's return of one form for one period stands in the approval cycle."""

    __tablename__ = "return_records"
    __table_args__ = (
        UniqueConstraint("form_id", "region_code", "period"),
        CheckConstraint("status IN ('draft', 'submitted', 'returned', 'approved', 'accepted')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ReturnEvent(Base):
    """Every transition of a return: who moved it, when, from what to what, and why."""

    __tablename__ = "return_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return_records.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(12))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class ValidationRule(Base):
    """left operator right over a return's values (DHIS2's validation rules), e.g.
    rd_spending <= revenue. Sides are sums of indicator codes."""

    __tablename__ = "validation_rules"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("operator IN ('<', '<=', '==', '>=', '>')", name="operator"),
        CheckConstraint("importance IN ('high', 'medium', 'low')", name="importance"),
        CheckConstraint("missing IN ('skip_if_any_missing', 'skip_if_all_missing', 'never_skip')", name="missing"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    left: Mapped[str] = mapped_column(String(300))
    operator: Mapped[str] = mapped_column(String(2))
    right: Mapped[str] = mapped_column(String(300))
    importance: Mapped[str] = mapped_column(String(6), default="high")
    missing: Mapped[str] = mapped_column(String(20), default="skip_if_any_missing")
    # row: within a row of a return; children: the unit's left against its child regions' right.
    scope: Mapped[str] = mapped_column(String(10), default="row", server_default="row")
    tolerance: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")  # per cent of the right side


class ImportBatch(Base):
    """One import of an enterprise return file: who, when, which file, and what it did."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    created: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)


class EnterpriseValues(Base):
    """One enterprise's row of a return: its figures for one form and period.

    The values are one JSON object {indicator: value} per row rather than one row per value:
    a province-wide monthly return is 60,000 rows × 30 indicators, and a row per firm makes
    storing it a matter of seconds (docs/decisions.md). Both engines query inside the object
    (json_extract, ->>). `packed` holds the same values as float64s in the order of the
    form's indicators (`layout` names that order), so that the outlier check can read a
    province's history back without parsing JSON. A value's creation is the batch that wrote
    it; every later change is an EnterpriseValueChange.
    """

    __tablename__ = "enterprise_values"
    __table_args__ = (
        # Leading with the firm, the unique index also serves a firm's own history.
        UniqueConstraint("enterprise_id", "form_id", "period"),
        Index("ix_enterprise_values_form_period", "form_id", "period"),
        CheckConstraint("status IN ('A', 'P', 'E', 'F', 'B', 'M')", name="status"),
        CheckConstraint("period_type IN ('A', 'Q', 'M')", name="period_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    # The county the firm reported in, as it stood then: a later move of the firm or a
    # boundary change does not rewrite where past figures were counted.
    # (Not indexed: queries by county also name the form and period, whose index serves them.)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    period: Mapped[str] = mapped_column(String(10))
    period_type: Mapped[str] = mapped_column(String(1))
    year: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    layout: Mapped[str] = mapped_column(String(16))
    packed: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(1), default="P")
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))


class EnterpriseValueChange(Base):
    """A change of an enterprise's stored value: the old and the new value, by which import."""

    __tablename__ = "enterprise_value_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float | None] = mapped_column(Float)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)


class ValueFlag(Base):
    """A value an import flagged to check (outlier or a medium/low rule), and why it is right.
    A return cannot be submitted while any of its flags lacks an explanation."""

    __tablename__ = "value_flags"
    __table_args__ = (
        Index("ix_value_flags_return", "form_id", "region_code", "period"),
        CheckConstraint("kind IN ('outlier', 'rule')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id", ondelete="CASCADE"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))  # the return's unit (a firm's county)
    period: Mapped[str] = mapped_column(String(10))
    cell: Mapped[str] = mapped_column(String(60))  # where it was, in English: B5, "line 7, value", "values[3], value"
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), default=None)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), default=None, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)  # in English, as the audit and old rows read it
    # The reason and the cell as messages, to show them in any language: {"reason": Message.to_json(),
    # "cell": Message.to_json() or the cell as it reads}; None on flags written before it was kept.
    message: Mapped[dict | None] = mapped_column(JSON().with_variant(JSONB(), "postgresql"), default=None)
    explanation: Mapped[str | None] = mapped_column(Text, default=None)
    explained_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    explained_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
