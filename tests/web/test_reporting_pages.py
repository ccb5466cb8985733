"""Returns through the web: template download, check, import; signed-in users only."""

from __future__ import annotations

import html
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
    where = {"form": "cluster-annual", "unit": "440300", "period": "2025"}
    page = client.get("/reporting/flags", params=where).text
    assert f'data-flag="{flag["id"]}"' in page and "与本单位历史数据相差较大" in page  # the reason, in Chinese
    explained = client.post(f"/reporting/flags/{flag['id']}", data={**where, "explanation": "新项目投产"}, follow_redirects=False)
    assert explained.status_code == 303 and client.get(f"{base}/flags").json()[0]["explanation"] == "新项目投产"
    assert client.post(f"{base}/submit", json={}).json()["status"] == "submitted"
    refused = client.post(f"{base}/return", json={})
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"] == ["body", "reason"]
    assert client.post(f"{base}/approve", json={}).json()["status"] == "approved"
    report = client.get("/api/forms/cluster-annual/completeness", params={"period": "2025"}).json()
    assert report["expected"] == 21 and report["received"] == 1
    by_city = {c["region"]: c["value"] for c in report["by_city"]}
    assert len(by_city) == 21 and by_city["440300"] == 100.0 and by_city["440100"] == 0.0
    assert client.post(f"{base}/dance", json={}).status_code == 400
    # The audit: every step, and every value with who changed it, when, from what and why.
    detail = client.get(base).json()
    assert [e["action"] for e in detail["events"]] == ["submit", "approve"]
    revenue = next(v for v in detail["contents"]["values"] if v["indicator"] == "revenue" and v["cluster"] == "electronics")
    assert revenue["value"] == 99999.5 and revenue["approved"] and revenue["history"][-1]["new_value"] == 99999.5
    page = client.get("/reporting/return", params={"form": "cluster-annual", "unit": "440300", "period": "2025"}).text
    assert 'id="return-events"' in page and "99999.5" in page and "return imported" in page
    status_page = client.get("/reporting", params={"form": "cluster-annual", "period": "2025"}).text
    assert 'id="completeness-map"' in status_page and '"region": "440300"' in status_page


def test_the_web_entry_form(client):
    from sqlalchemy import func, select

    from clusterwatch.reporting.models import Observation, ObservationChange

    where = {"form": "cluster-annual", "unit": "440300", "period": "2025"}
    page = client.get("/reporting/entry", params=where)
    assert page.status_code == 200 and 'name="v|revenue|electronics"' in page.text and 'hx-post="/reporting/entry/cell"' in page.text
    # A cell checked as it is left (htmx): its problem comes back, in Chinese.
    answer = client.post("/reporting/entry/cell", data={**where, "v|revenue|electronics": "很多"})
    assert answer.status_code == 200 and "不是数字" in answer.text
    last_year = client.get("/api/observations", params={"indicator": "employment", "region": "440300", "cluster": "electronics",
                                                        "period": "2024"}).json()["items"][0]["value"]
    plausible = str(round(last_year * 1.03))
    assert client.post("/reporting/entry/cell", data={**where, "v|employment|electronics": plausible}).text == ""

    def changes():
        with client.database.sessions() as session:
            return session.scalar(select(func.count()).select_from(ObservationChange))

    before = changes()
    refused = client.post("/reporting/entry", data={**where, "v|revenue|electronics": "很多", "v|employment|electronics": plausible})
    assert refused.status_code == 400 and 'id="entry-refused"' in refused.text and "不是数字" in refused.text
    assert 'value="很多"' in refused.text and changes() == before  # what was typed comes back; nothing is written
    saved = client.post("/reporting/entry", data={**where, "v|employment|electronics": plausible}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/reporting/return?form=cluster-annual")
    with client.database.sessions() as session:
        value = session.scalar(select(Observation.value).where(Observation.region_code == "440300", Observation.period == "2025",
                                                               Observation.indicator_code == "employment",
                                                               Observation.cluster_id.is_not(None), Observation.value == float(plausible)))
        reason = session.scalar(select(ObservationChange.reason).order_by(ObservationChange.id.desc()).limit(1))
    assert value == float(plausible) and reason == "entered on the web"
    other = client.get("/reporting/entry", params={**where, "form": "enterprise-annual"})
    assert other.status_code == 400  # returns of firms come as the template


def test_forms_defined_on_the_page(client):
    page = client.get("/reporting/forms")
    assert page.status_code == 200 and 'data-form="enterprise-annual"' in page.text
    fields = {"code": "firm-q", "name_zh": "企业季报", "name_en": "Firms, quarterly", "period_type": "Q", "level": "enterprise",
              "disaggregation": "none", "due_days": "15", "expiry_days": "5", "indicators": "revenue 吨 0\nnope"}
    refused = client.post("/reporting/forms", data=fields)
    assert refused.status_code == 400 and 'id="form-problems"' in refused.text
    for field, words in (("expiry_days", "填报截止（5 天）早于报送期限（15 天）"), ("indicators.0.unit", "吨 不能换算为 亿元"),
                         ("indicators.1.indicator", "未知指标 'nope'")):
        assert f"<strong>{field}</strong>: {words}" in html.unescape(refused.text), field
    assert 'value="企业季报"' in refused.text  # what was typed comes back
    saved = client.post("/reporting/forms", data={**fields, "expiry_days": "45", "indicators": "revenue 万元 0\nemployment 0"},
                        follow_redirects=False)
    assert saved.status_code == 303
    forms = {f["code"]: f for f in client.get("/api/forms").json()}
    assert forms["firm-q"]["indicators"] == [{"indicator": "revenue", "min": 0.0, "max": None, "unit": "万元"},
                                             {"indicator": "employment", "min": 0.0, "max": None, "unit": None}]


def test_only_province_administrators_define_forms(anonymous):
    from tests.web.conftest import add_user, sign_in

    assert client_status(anonymous, "/reporting/forms") == 303  # to the sign-in page
    add_user(anonymous.database, "gz-reporter", "reporter")
    sign_in(anonymous, "gz-reporter")
    assert client_status(anonymous, "/reporting/forms") == 403
    assert anonymous.post("/reporting/forms", data={"code": "x"}).status_code == 403


def client_status(client, url):
    return client.get(url, follow_redirects=False).status_code


def test_a_file_of_rows_too_large_is_refused(client, monkeypatch):
    import clusterwatch.web.routes.reporting as routes

    monkeypatch.setattr(routes, "MAX_ROWS_FILE", 10)
    response = client.post("/api/forms/cluster-annual/values/file?lang=en",
                           files={"file": ("big.csv", b"unit,period,indicator,cluster,value\n", "text/csv")})
    assert response.status_code == 400 and "big.csv: larger than 0 MB; split the file" in response.json()["detail"][0]["msg"]


def test_a_period_that_is_not_one_is_named_not_a_server_error(client):
    # Period.parse raises PeriodError, a BadInput of the field "period": 400 with the reason, never 500.
    response = client.get("/api/forms/cluster-annual/completeness?period=bad&lang=en")
    assert response.status_code == 400 and response.json()["detail"][0]["loc"] == ["query", "period"]
    assert "'bad' is not a period" in response.json()["detail"][0]["msg"]
    page = client.get("/reporting?form=cluster-annual&period=bad")
    assert page.status_code == 400 and "不是报告期" in page.text
