"""The enterprise register: firms keyed by their unified social credit code (USCC).

An enterprise belongs to a county-level region (where it is registered for statistics) and
to one or more clusters. Issue 6 adds dated list memberships and evaluations on top.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clusterwatch.db import Base


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    # 规模以上: above the designated size (annual revenue of 20 million yuan for industry).
    above_scale: Mapped[bool] = mapped_column(Boolean, default=True)
    land_mu: Mapped[float | None] = mapped_column(Float, default=None)
    founded: Mapped[dt.date | None] = mapped_column(Date, default=None)
    # Made up by the demo generator or a benchmark; shown as such wherever it appears.
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class EnterpriseCluster(Base):
    """An enterprise's place in a cluster; a firm can belong to more than one."""

    __tablename__ = "enterprise_clusters"
    __table_args__ = (UniqueConstraint("enterprise_id", "cluster_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0: the firm's main cluster
