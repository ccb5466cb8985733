"""The fixed state the corpus files were made against: the Guangdong plan, the firms of
firms.csv, and a reporting date on which the 2025 annual returns are open."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from clusterwatch.enterprises.register import add_enterprise

HERE = Path(__file__).parent
TODAY = dt.date(2026, 2, 15)
ADMIN = SimpleNamespace(role="province_admin", region_code=None, enterprise_uscc=None, id=None)
FIRMS = list(csv.DictReader((HERE / "firms.csv").open(encoding="utf-8")))
USERS = {
    "admin": ADMIN,
    "reporter-gz": SimpleNamespace(role="reporter", region_code="440100", enterprise_uscc=None, id=None),
    "reporter-sz": SimpleNamespace(role="reporter", region_code="440300", enterprise_uscc=None, id=None),
    "firm-05": SimpleNamespace(role="enterprise_reporter", region_code=None, enterprise_uscc=FIRMS[4]["uscc"], id=None),
}


def load_firms(session) -> None:
    for firm in FIRMS:
        add_enterprise(session, uscc=firm["uscc"], name_zh=firm["name_zh"], region_code=firm["region_code"], synthetic=True)
