"""Adding firms to the register, one at a time, with every check a person's mistake needs.

The checks a register file makes again (register_file.py) are worded here once, so that a firm
refused through either way is refused in the same words."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch import uscc as uscc_codes
from clusterwatch.enterprises.models import Enterprise
from clusterwatch.problems import BadInput, Message, msg
from clusterwatch.regions.models import Region
from clusterwatch.tabular import looks_like_formula


def name_empty() -> Message:
    return msg("the firm's name is empty: write its registered name")


def formula_text(text: str) -> Message | None:
    """Why a name or note cannot be registered as written: it would run as a formula in every
    spreadsheet the register is exported to (=HYPERLINK(…), @SUM(…))."""
    if looks_like_formula(text.lstrip("'")):
        return msg("{value} begins with {char}: a spreadsheet would run it as a formula; write it as registered",
                   value=repr(text[:60]), char=repr(text.lstrip("'")[0]))
    return None


def not_county(code: str) -> Message:
    """A region that is not a county-level one: a firm is registered in its county or district."""
    return msg("{code} is not a county-level region (a firm is registered in its county or district)", code=repr(code))


# No one firm's site is larger: the largest plants of the province (a steel base, a refinery)
# hold some 20,000 亩, so a figure past this is a unit slip (平方米 typed as 亩) or a typo.
LAND_MAX_MU = 100_000
# A firm's registered founding date: the register's dates start where the periods do.
FOUNDED_FROM = dt.date(1900, 1, 1)


def land_problem(land_mu: float) -> Message | None:
    """Why a land area cannot be a firm's site, if it cannot."""
    if land_mu < 0:
        return msg("land area {n} 亩 is negative", n=f"{land_mu:g}")
    if land_mu > LAND_MAX_MU:
        return msg("land area {n} 亩 is more than {max} 亩, larger than any one firm's site: check the unit (亩, not 平方米)",
                   n=f"{land_mu:g}", max=f"{LAND_MAX_MU:,}")
    return None


def founded_problem(founded: dt.date, today: dt.date) -> Message | None:
    """Why a founding date cannot be one, if it cannot."""
    if founded < FOUNDED_FROM:
        return msg("founded {date}: before {first}, which no firm in the register is", date=founded.isoformat(),
                   first=FOUNDED_FROM.isoformat())
    if founded > today:
        return msg("founded {date}: that is in the future", date=founded.isoformat())
    return None


def add_enterprise(session: Session, *, uscc: str, name_zh: str, region_code: str, above_scale: bool = True,
                   land_mu: float | None = None, synthetic: bool = False) -> Enterprise:
    """Register a firm under a county-level region; refused with the field named when its code
    is not a valid USCC or is taken, its name is empty, or the region is not a county."""
    code = (uscc or "").strip()
    problem = uscc_codes.problem(code)
    if problem is not None:
        raise BadInput("uscc", problem.message)
    if session.scalar(select(Enterprise.id).where(Enterprise.uscc == code)) is not None:
        raise BadInput("uscc", msg("{code} is already in the register", code=code))
    if not (name_zh or "").strip():
        raise BadInput("name_zh", name_empty())
    formula = formula_text(name_zh.strip())
    if formula is not None:
        raise BadInput("name_zh", formula)
    region = session.get(Region, region_code)
    if region is None or region.level != "county":
        raise BadInput("region_code", not_county(region_code))
    wrong_land = land_problem(land_mu) if land_mu is not None else None
    if wrong_land is not None:
        raise BadInput("land_mu", wrong_land)
    firm = Enterprise(uscc=code, name_zh=name_zh.strip(), region_code=region_code, above_scale=above_scale,
                      land_mu=land_mu, synthetic=synthetic, created_at=dt.datetime.now(dt.UTC))
    session.add(firm)
    session.flush()
    return firm
