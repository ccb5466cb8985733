"""The enterprise register: firms keyed by their unified social credit code (USCC).

An enterprise belongs to a county-level region (where it is registered for statistics), to
one or more clusters (with its segment of the cluster's chain), and to lists and tiers with
the dates it joined and left them. Evaluations of firms are in evaluation/models.py.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clusterwatch.tables import Base


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
    # The industry class of GB/T 4754 (four digits), where known.
    industry_code: Mapped[str | None] = mapped_column(String(4), default=None)
    # Why the firm is not rated by the comprehensive evaluation (e.g. a public utility), if it is not.
    exempt_reason: Mapped[str | None] = mapped_column(String(200), default=None)
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
    # Its segment of the cluster's industrial chain (e.g. 上游·材料), for the chain maps.
    segment: Mapped[str | None] = mapped_column(String(100), default=None)


# The lists and tiers the plans name, with the levels each is awarded at.
LISTS: dict[str, dict] = {
    "chain_leader": {"zh": "链主企业", "en": "Chain-leader enterprise", "levels": ("province", "city")},
    "leading_pool": {"zh": "龙头骨干企业培育库", "en": "Leading-enterprise cultivation pool",
                     "levels": ("province", "city", "district")},
    "single_champion": {"zh": "制造业单项冠军", "en": "Single-item champion", "levels": ("national", "province")},
    "little_giant": {"zh": "专精特新“小巨人”企业", "en": "Little giant (specialised and sophisticated)", "levels": ("national",)},
    "specialised_sme": {"zh": "专精特新中小企业", "en": "Specialised and sophisticated SME", "levels": ("province",)},
    "hitech": {"zh": "高新技术企业", "en": "High-tech enterprise", "levels": ("national",)},
    "unicorn": {"zh": "独角兽企业", "en": "Unicorn", "levels": ("province",)},
    "white_list": {"zh": "优质企业白名单", "en": "White list of quality enterprises", "levels": ("province", "city")},
}
LEVELS = {"national": ("国家级", "national"), "province": ("省级", "provincial"), "city": ("市级", "city"),
          "district": ("区县级", "district")}


class ListMembership(Base):
    """A firm's place on a list or tier from a date, until a date (open while it holds).

    Leaving a list closes the membership rather than deleting it: the history of who was a
    chain leader when is what the commendations and the evaluations of policy look back on.
    """

    __tablename__ = "list_memberships"
    __table_args__ = (
        CheckConstraint("list_code IN (" + ", ".join(f"'{c}'" for c in LISTS) + ")", name="list_code"),
        CheckConstraint("level IN (" + ", ".join(f"'{c}'" for c in LEVELS) + ")", name="level"),
        CheckConstraint("until IS NULL OR until >= since", name="dates"),
        Index("ix_list_memberships_list_level", "list_code", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    list_code: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    # The cluster the listing is for (a chain leader leads a cluster's chain), where it is for one.
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"), default=None)
    since: Mapped[dt.date] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date, default=None)
    # The notice that awarded it (e.g. 粤工信融资函〔2023〕12号), or "synthetic" for the demo.
    source: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
