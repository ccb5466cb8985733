"""Every endpoint × every role: no one reads or writes outside their scope through the API."""

from __future__ import annotations

import pytest

from tests.web.conftest import add_user, sign_in

ROLES = ["anonymous", "viewer", "department", "enterprise_reporter", "reporter", "approver", "province_admin"]
PUBLIC = ["/api/overview", "/api/clusters", "/api/clusters/electronics", "/api/cities/440100", "/api/layout",
          "/api/targets", "/api/regions", "/api/indicators", "/api/observations?limit=5", "/api/forms", "/", "/clusters/robotics"]
# reporter and approver act for Guangzhou (440100); the form is reported by cities.
TEMPLATE_GZ = "/api/forms/cluster-annual/template?unit=440100&period=2025"
TEMPLATE_SZ = "/api/forms/cluster-annual/template?unit=440300&period=2025"
EXPECTED = {
    #                      anon viewer dept  ent  reporter approver admin
    "/api/review/runs":    (401, 403, 403, 403, 403, 403, 200),
    TEMPLATE_GZ:           (401, 403, 403, 403, 200, 403, 200),
    TEMPLATE_SZ:           (401, 403, 403, 403, 403, 403, 200),
    "/api/forms/cluster-annual/completeness?period=2025": (401, 200, 200, 200, 200, 200, 200),
    "/api/observations/history?indicator=revenue&region=440100&period=2025": (401, 200, 200, 200, 200, 200, 200),
    "/api/returns/cluster-annual/440100/2025": (401, 200, 200, 200, 200, 200, 200),
}


@pytest.fixture(params=ROLES)
def as_role(request, anonymous):
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
        assert client.get(url).status_code == codes[ROLES.index(role)], (role, url)


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
