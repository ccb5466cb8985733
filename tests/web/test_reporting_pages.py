"""Returns through the web: template download, check, import; signed-in users only."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.web.conftest import add_user, sign_in


def fill(content: bytes, cells: dict) -> bytes:
    book = load_workbook(io.BytesIO(content))
    for ref, value in cells.items():
        book["数据"][ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_download_check_and_import(client):
    response = client.get("/api/forms/cluster-annual/template", params={"unit": "440300", "period": "2025"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/vnd.openxmlformats")
    # The demo data for 2025 are in the template already: change one value.
    content = fill(response.content, {"B5": 9999.5})
    files = {"file": ("sz.xlsx", content, "application/octet-stream")}
    checked = client.post("/api/returns", files=files).json()
    assert checked["dry_run"] and not checked["imported"] and checked["updated"] == 1 and checked["errors"] == []
    imported = client.post("/api/returns?dry_run=false", files=files).json()
    assert imported["imported"] and imported["updated"] == 1
    page = client.post("/reporting?action=check&lang=zh", files=files)
    assert "已校验，未导入" in page.text and "未变" in page.text
    history = client.get("/api/observations/history", params={"indicator": "revenue", "region": "440300",
                                                                "period": "2025", "cluster": "electronics"}).json()
    assert len(history) == 1 and history[0]["new_value"] == 9999.5 and history[0]["user"] == "admin"
    assert history[0]["old_value"] is not None  # the synthetic value it replaced is kept


def test_errors_are_listed_by_cell_and_nothing_imported(client):
    content = client.get("/reporting/template", params={"form": "cluster-annual", "unit": "440300", "period": "2025"}).content
    files = {"file": ("sz.xlsx", fill(content, {"C6": "很多"}), "application/octet-stream")}
    result = client.post("/api/returns?dry_run=false", files=files).json()
    assert not result["imported"] and result["errors"][0]["cell"] == "C6"
    page = client.post("/reporting?action=import&lang=zh", files=files).text
    assert "C6" in page and "不是数字" in page  # the page speaks Chinese by default


def test_reporting_needs_sign_in_and_scope(anonymous):
    assert anonymous.get("/reporting", follow_redirects=False).status_code == 303
    assert anonymous.get("/api/observations/history", params={"indicator": "revenue", "region": "440300",
                                                               "period": "2025"}).status_code == 401
    assert anonymous.get("/api/forms/cluster-annual/template", params={"unit": "440300", "period": "2025"}).status_code == 401
    add_user(anonymous.database, "gz", "reporter")
    sign_in(anonymous, "gz")
    response = anonymous.get("/api/forms/cluster-annual/template", params={"unit": "440300", "period": "2025"})
    assert response.status_code == 403 and "您无权填报深圳市" in response.json()["detail"]
    assert anonymous.get("/api/forms/cluster-annual/template", params={"unit": "440100", "period": "2025"}).status_code == 200


def test_the_cycle_through_the_api(client):
    content = client.get("/api/forms/cluster-annual/template", params={"unit": "440300", "period": "2025"}).content
    files = {"file": ("sz.xlsx", fill(content, {"B5": 99999.5}), "application/octet-stream")}
    assert client.post("/api/returns?dry_run=false", files=files).json()["imported"]
    base = "/api/returns/cluster-annual/440300/2025"
    blocked = client.post(f"{base}/submit", json={})  # 99999.5 is far from Shenzhen's history
    assert blocked.status_code == 400 and blocked.json()["detail"][0]["loc"] == ["body", "explanations"]
    [flag] = client.get(f"{base}/flags").json()
    assert (flag["cell"], flag["kind"]) == ("B5", "outlier")
    assert client.post(f"/api/flags/{flag['id']}", json={"explanation": ""}).status_code == 400
    assert client.post(f"/api/flags/{flag['id']}", json={"explanation": "新项目投产"}).json()["explanation"] == "新项目投产"
    assert client.post(f"{base}/submit", json={}).json()["status"] == "submitted"
    refused = client.post(f"{base}/return", json={})
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"] == ["body", "reason"]
    assert client.post(f"{base}/approve", json={}).json()["status"] == "approved"
    report = client.get("/api/forms/cluster-annual/completeness", params={"period": "2025"}).json()
    assert report["expected"] == 21 and report["received"] == 1
    assert client.post(f"{base}/dance", json={}).status_code == 400
