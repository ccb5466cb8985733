"""Every endpoint × every role: no one reads or writes outside their scope through the API."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.conftest import add_user, sign_in

TODAY = dt.date(2026, 4, 15)  # the app's reporting date in tests/web/conftest.py
ROLES = ["anonymous", "viewer", "department", "enterprise_reporter", "reporter", "approver", "province_admin"]
PUBLIC = ["/api/overview", "/api/clusters", "/api/clusters/electronics", "/api/cities/440100", "/api/layout",
          "/api/targets", "/api/regions", "/api/indicators", "/api/observations?limit=5", "/api/forms", "/", "/clusters/robotics",
          "/api/board", "/api/board?period=2025-Q3&light=red", "/targets", "/api/reports/monitoring?period=2025-Q3",
          "/api/warnings?period=2025-Q3", "/warnings", "/api/rankings", "/rankings", "/rankings/commendation",
          "/api/tasks", "/api/tasks/advanced-materials-000-01", "/tasks", "/api/enterprises?class=A", "/enterprises",
          "/api/lists", "/lists", "/api/evaluation", "/evaluation", "/api/evaluation/schemes/per-mu-default", "/evaluation/scheme"]
# reporter and approver act for Guangzhou (440100); the form is reported by cities.
TEMPLATE_GZ = "/api/forms/cluster-annual/template?unit=440100&period=2025"
TEMPLATE_SZ = "/api/forms/cluster-annual/template?unit=440300&period=2025"
EXPECTED = {
    #                      anon viewer dept  ent  reporter approver admin
    "/api/review/runs":    (401, 403, 403, 403, 403, 403, 200),
    TEMPLATE_GZ:           (401, 403, 403, 403, 200, 403, 200),
    TEMPLATE_SZ:           (401, 403, 403, 403, 403, 403, 200),
    # A return before it counts (its values, their history, flags, completeness): the unit's
    # reporters, the approvers above it, the province; Guangzhou's reporter and approver not Shenzhen's.
    "/api/forms/cluster-annual/completeness?period=2025": (401, 403, 403, 403, 200, 200, 200),
    "/api/observations/history?indicator=revenue&region=440100&period=2025": (401, 403, 403, 403, 200, 200, 200),
    "/api/observations/history?indicator=revenue&region=440300&period=2025": (401, 403, 403, 403, 403, 403, 200),
    "/api/returns/cluster-annual/440100/2025": (401, 403, 403, 403, 200, 200, 200),
    "/api/returns/cluster-annual/440300/2025": (401, 403, 403, 403, 403, 403, 200),
    "/api/returns/cluster-annual/440300/2025/flags": (401, 403, 403, 403, 403, 403, 200),
    "/reporting/return?form=cluster-annual&unit=440300&period=2025": (303, 403, 403, 403, 403, 403, 200),
    "/api/review/1": (401, 403, 403, 403, 403, 403, 404),
    "/api/plan/versions":  (401, 403, 403, 403, 403, 403, 200),
    "/api/audit":          (401, 403, 403, 403, 403, 403, 200),
    # The enterprise reporter's firm is in Guangzhou (Tianhe): it gets a template of its own row.
    "/api/forms/enterprise-annual/template?unit=440100&period=2025": (401, 403, 403, 200, 200, 403, 200),
    "/api/forms/enterprise-annual/template?unit=440300&period=2025": (401, 403, 403, 403, 403, 403, 200),
}
FIRM = "91440300708461136T"  # add_user gives the enterprise reporter this firm


@pytest.fixture(params=ROLES)
def as_role(request, anonymous):
    _shenzhen_flag_and_a_firm(anonymous.database)
    role = request.param
    if role != "anonymous":
        if role != "province_admin":
            add_user(anonymous.database, role.replace("_", "-"), role)
            sign_in(anonymous, role.replace("_", "-"))
        else:
            sign_in(anonymous, "admin")
    return role, anonymous


def test_reading(as_role):
    role, client = as_role
    for url in PUBLIC:
        assert client.get(url).status_code == 200, (role, url)
    for url, codes in EXPECTED.items():
        assert client.get(url, follow_redirects=False).status_code == codes[ROLES.index(role)], (role, url)


def test_writing(as_role):
    role, client = as_role
    allowed = role == "province_admin"
    # Review decisions and loads: the province's administrators only.
    assert client.post("/api/review/items/1", json={"status": "rejected"}).status_code in ((404,) if allowed else (401, 403))
    # Moving a return that does not exist yet: refused for want of rights before anything else.
    response = client.post("/api/returns/cluster-annual/440300/2025/approve", json={})
    if role == "anonymous":
        assert response.status_code == 401
    elif role in ("province_admin",):
        assert response.status_code == 400  # allowed, but there is no submitted return
    else:
        assert response.status_code == 403, role  # Guangzhou's approver may not approve Shenzhen's return

    # Explaining a flagged value of Shenzhen's return: whoever may report for Shenzhen only.
    response = client.post("/api/flags/1", json={"explanation": "新产线投产"})
    assert response.status_code == {"anonymous": 401, "province_admin": 200}.get(role, 403), (role, response.text)
    # Defining a form: the province's administrators only.
    form = {"code": "firm-q", "name_zh": "企业季报", "name_en": "Firms, quarterly", "period_type": "Q", "level": "enterprise",
            "due_days": 15, "expiry_days": 45, "indicators": [{"indicator": "revenue", "unit": "万元"}]}
    response = client.post("/api/forms", json=form)
    assert response.status_code == {"anonymous": 401, "province_admin": 201}.get(role, 403), (role, response.text)
    # Shenzhen's values as rows: refused to roles that do not report; Guangzhou's reporter gets the row named, nothing written.
    row = {"unit": "440300", "period": "2025", "indicator": "employment", "cluster": "electronics", "value": 1}
    response = client.post("/api/forms/cluster-annual/values?dry_run=false", json={"values": [row]})
    assert response.status_code == {"anonymous": 401, "province_admin": 200, "reporter": 200}.get(role, 403), (role, response.text)
    if role in ("reporter", "province_admin"):
        assert response.json()["imported"] is (role == "province_admin")
    csv = b"unit,period,indicator,cluster,value\n440300,2025,revenue,electronics,1\n"
    response = client.post("/api/forms/cluster-annual/values/file", files={"file": ("sz.csv", csv, "text/csv")})
    assert response.status_code == {"anonymous": 401, "province_admin": 200, "reporter": 200}.get(role, 403), (role, response.text)
    # Uploading Shenzhen's return: Guangzhou's reporter and every role without reporting rights are refused.
    response = client.post("/api/returns", files={"file": ("sz.xlsx", _shenzhen_return(client.database), XLSX)})
    assert response.status_code == {"anonymous": 401, "province_admin": 200}.get(role, 403), (role, response.text)
    # Reporting on a task led by 省工业和信息化厅: that department's users (add_user gives the
    # department role that department) and the province's administrators only.
    response = client.post("/api/tasks/advanced-materials-000-01/updates", json={"status": "in_progress", "note": "推进中"})
    assert response.status_code == {"anonymous": 401, "province_admin": 201, "department": 201}.get(role, 403), (role, response.text)
    # The evaluation: a new scheme version and a run, by the province's administrators only.
    response = client.post("/api/evaluation/runs", json={"year": 2025})
    assert response.status_code == {"anonymous": 401, "province_admin": 201}.get(role, 403), (role, response.text)
    scheme = client.get("/api/evaluation/schemes/per-mu-default").json()[0]["body"]
    response = client.post("/api/evaluation/schemes", json={"scheme": scheme, "note": "unchanged"})
    assert response.status_code == {"anonymous": 401, "province_admin": 201}.get(role, 403), (role, response.text)
    # Restoring a version of the plan (here the one loaded with the demo): the province's administrators only.
    response = client.post("/api/plan/versions/1/restore", json={"reason": "恢复演示规划"})
    assert response.status_code == {"anonymous": 401, "province_admin": 200}.get(role, 403), (role, response.text)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COVERED = {("get", url.split("?")[0]) for url in PUBLIC + list(EXPECTED)} | {
    ("post", "/api/review/items/1"), ("post", "/api/returns/cluster-annual/440300/2025/approve"), ("post", "/api/flags/1"),
    ("post", "/api/forms"), ("post", "/api/returns"), ("post", "/api/forms/cluster-annual/values"),
    ("post", "/api/forms/cluster-annual/values/file"), ("get", "/api/review/runs"), ("post", "/api/review/1/load"),
    ("post", "/api/tasks/advanced-materials-000-01/updates"), ("post", "/api/evaluation/runs"), ("post", "/api/evaluation/schemes"),
    ("post", "/api/plan/versions/1/restore"),
    # A firm's profile: public like the search (tests/web/test_enterprise_pages.py opens one).
    ("get", "/api/enterprises/91440300708461136T"),
    # The register as files: province administrators only (tests/enterprises/test_register_file.py).
    ("post", "/api/enterprises/import"), ("get", "/api/enterprises/export.xlsx"), ("get", "/api/enterprises/export.csv")}


def test_every_api_endpoint_is_in_the_role_tables(anonymous):
    import re

    for path, operations in anonymous.app.openapi()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method in operations:
            assert any(m == method and pattern.match(url) for m, url in COVERED), (method, path)


def test_loading_a_review_run(as_role):
    role, client = as_role
    response = client.post("/api/review/1/load", json={})
    assert response.status_code == {"anonymous": 401, "province_admin": 404}.get(role, 403), (role, response.text)


def _shenzhen_return(database) -> bytes:
    from clusterwatch.plans.queries import active_plan
    from clusterwatch.reporting.returns import make_template

    with database.sessions() as session:
        return make_template(session, active_plan(session), form_code="cluster-annual", unit_code="440300",
                             period_key="2025", today=TODAY)


def _shenzhen_flag_and_a_firm(database) -> None:
    """Flag 1: a value of Shenzhen's 2025 return far from its history; the enterprise
    reporter's firm registered in Tianhe."""
    import io
    from types import SimpleNamespace

    from openpyxl import load_workbook

    from clusterwatch.db import transaction
    from clusterwatch.enterprises.register import add_enterprise
    from clusterwatch.plans.queries import active_plan
    from clusterwatch.reporting.returns import import_return, read_return

    admin = SimpleNamespace(role="province_admin", region_code=None, enterprise_uscc=None, id=None)
    book = load_workbook(io.BytesIO(_shenzhen_return(database)))
    book["数据"]["B5"] = 99999
    buffer = io.BytesIO()
    book.save(buffer)
    with transaction(database.sessions) as session:
        plan = active_plan(session)
        result = read_return(session, plan, content=buffer.getvalue(), filename="sz.xlsx", user=admin, today=TODAY)
        import_return(session, plan, result=result, user=admin)
        add_enterprise(session, uscc=FIRM, name_zh="天河区示例企业", region_code="440106", synthetic=True)
