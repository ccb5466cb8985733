"""Adding firms to the register, one at a time, with every check a person's mistake needs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch import uscc as uscc_codes
from clusterwatch.enterprises.models import Enterprise
from clusterwatch.errors import BadInput
from clusterwatch.regions.models import Region


def add_enterprise(session: Session, *, uscc: str, name_zh: str, region_code: str, above_scale: bool = True,
                   land_mu: float | None = None, synthetic: bool = False) -> Enterprise:
    """Register a firm under a county-level region; refused with the field named when its code
    is not a valid USCC or is taken, its name is empty, or the region is not a county."""
    code = (uscc or "").strip()
    problem = uscc_codes.problem(code)
    if problem is not None:
        raise BadInput("uscc", str(problem))
    if session.scalar(select(Enterprise.id).where(Enterprise.uscc == code)) is not None:
        raise BadInput("uscc", f"{code} is already in the register")
    if not (name_zh or "").strip():
        raise BadInput("name_zh", "the firm's registered name is missing")
    region = session.get(Region, region_code)
    if region is None or region.level != "county":
        raise BadInput("region_code", f"{region_code!r} is not a county-level region (a firm is registered in its county or district)")
    if land_mu is not None and land_mu < 0:
        raise BadInput("land_mu", f"land area {land_mu:g} 亩 is negative")
    firm = Enterprise(uscc=code, name_zh=name_zh.strip(), region_code=region_code, above_scale=above_scale,
                      land_mu=land_mu, synthetic=synthetic, created_at=dt.datetime.now(dt.UTC))
    session.add(firm)
    session.flush()
    return firm
