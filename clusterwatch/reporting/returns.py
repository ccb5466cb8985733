"""A return as an Excel template, whichever level its form is reported at: the one way in that
routes, the CLI and the tests call. A form of regions goes to region_returns.py, a form of
firms to enterprise_returns.py; both read the upload through workbook.py."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from clusterwatch.errors import NotFound
from clusterwatch.plans.models import Plan
from clusterwatch.regions.models import Region
from clusterwatch.reporting.enterprise_returns import EnterpriseReturnPlan, import_enterprise_return, make_enterprise_template, read_enterprise_return
from clusterwatch.reporting.queries import form_by_code
from clusterwatch.reporting.region_returns import import_region_return, make_region_template, read_region_return
from clusterwatch.reporting.values import ReturnPlan
from clusterwatch.reporting.workbook import open_upload


def make_template(session: Session, plan: Plan, *, form_code: str, unit_code: str, period_key: str,
                  today: dt.date | None = None, user=None) -> bytes:
    """The Excel template of a form for one unit and period, holding the values stored so far."""
    today = today or dt.date.today()
    form = form_by_code(session, plan, form_code)
    if form.level == "enterprise":
        unit = session.get(Region, unit_code)
        if unit is None:
            raise NotFound("region", unit_code)
        return make_enterprise_template(session, plan, form=form, unit=unit, period_key=period_key, user=user, today=today)
    return make_region_template(session, plan, form=form, unit_code=unit_code, period_key=period_key, today=today)


def read_return(session: Session, plan: Plan, *, content: bytes, filename: str, user,
                today: dt.date | None = None) -> ReturnPlan | EnterpriseReturnPlan:
    """Check an uploaded return completely and work out what importing it would do (a dry run)."""
    today = today or dt.date.today()
    upload = open_upload(session, plan, content=content, filename=filename)
    if upload.form.level == "enterprise":
        return read_enterprise_return(session, plan, upload=upload, user=user, today=today)
    return read_region_return(session, plan, upload=upload, user=user, today=today)


def import_return(session: Session, plan: Plan, *, result: ReturnPlan | EnterpriseReturnPlan, user,
                  reason: str = "return imported") -> ReturnPlan | EnterpriseReturnPlan:
    """Write a checked return: all values and their audit records, in the caller's transaction."""
    if isinstance(result, EnterpriseReturnPlan):
        return import_enterprise_return(session, plan, result=result, user=user, reason=reason)
    return import_region_return(session, plan, result=result, user=user, reason=reason)
