"""Regions keyed by GB/T 2260 codes, grouped into zones, with date-effective parents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterwatch.tables import Base

REGION_LEVELS = ("province", "city", "county", "town", "park")


class Zone(Base):
    """A regional grouping of cities, e.g. Guangdong's 珠三角核心区."""

    __tablename__ = "zones"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Region(Base):
    __tablename__ = "regions"
    __table_args__ = (
        CheckConstraint(
            "level IN ('province', 'city', 'county', 'town', 'park')", name="level"
        ),
    )

    # GB/T 2260 code for administrative divisions; parks and towns get codes of their own
    # below their county, hence the generous length.
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code"), index=True, default=None
    )
    zone_code: Mapped[str | None] = mapped_column(ForeignKey("zones.code"), default=None)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Boundaries change (districts merge, parks are created); a region is valid between
    # these dates so that history is never rewritten.
    valid_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    valid_to: Mapped[dt.date | None] = mapped_column(Date, default=None)

    zone: Mapped[Zone | None] = relationship(lazy="joined")
