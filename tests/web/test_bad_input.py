"""The bad-input corpus: requests a person (or a careless script) gets wrong, each answered with
its status, a message naming the field, row or cell in the user's language, and nothing written.

Each case is (name, method, url, what is sent, status, words the answer must hold); the rows of
the tables a request could write are counted before and after every case."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from clusterwatch.enterprises.models import Enterprise
from clusterwatch.plans.models import LayoutPlacement, PlanVersion, Target
from clusterwatch.plans.tasks_models import TaskUpdate
from clusterwatch.reporting.models import Form, Observation, ObservationChange, ReturnEvent, ValueFlag

WRITTEN = (Observation, ObservationChange, ReturnEvent, ValueFlag, Target, LayoutPlacement, PlanVersion, Form, Enterprise,
           TaskUpdate)
REGISTER_HEADER = "统一社会信用代码,企业名称,所在县区,用地面积（亩）,成立日期\n"
NEW_FIRM = "91440101MA5CQ0R198,广州测试有限公司,440103"


def register_file(row: str) -> dict:
    return {"files": {"file": ("firms.csv", (REGISTER_HEADER + row + "\n").encode(), "text/csv")}}


PERIOD_ROUTES = [
    "/api/forms/cluster-annual/completeness?period={p}", "/api/returns/cluster-annual/440100/{p}",
    "/api/returns/cluster-annual/440100/{p}/flags", "/api/forms/cluster-annual/template?unit=440100&period={p}",
    "/reporting?form=cluster-annual&period={p}", "/reporting/entry?form=cluster-annual&unit=440300&period={p}",
    "/reporting/return?form=cluster-annual&unit=440100&period={p}", "/reporting/flags?form=cluster-annual&unit=440100&period={p}",
    "/api/board?period={p}", "/targets?period={p}", "/api/warnings?period={p}", "/warnings?period={p}",
    "/api/rankings?period={p}", "/rankings?period={p}", "/api/reports/monitoring?period={p}", "/reports/monitoring.xlsx?period={p}",
    "/api/observations/history?indicator=revenue&region=440100&period={p}",
]
CASES = [
    *[(f"period {p} on {url.format(p=p).split('?')[0]}", "get", url.format(p=p), {}, 400, ("period", "年份应在 1900 至 2100 之间"))
      for p in ("0000", "9999") for url in PERIOD_ROUTES],
    ("a quarter that does not exist, in a transition", "post", "/api/returns/cluster-annual/440100/2025-Q5/approve", {"json": {}},
     400, ("period", "不是报告期")),
    ("an id past the integer range", "post", f"/api/flags/{2 ** 63}", {"json": {"explanation": "x"}}, 422, ("flag_id",)),
    ("an id past the integer range, on a page", "get", f"/review/{2 ** 64}", {}, 400, ("run_id",)),
    ("a negative id", "get", "/api/review/-1", {}, 422, ("run_id",)),
    ("an evaluation year before any data", "post", "/api/evaluation/runs", {"json": {"year": -1}}, 422, ("year",)),
    ("an evaluation year of 0", "get", "/api/evaluation?year=0", {}, 400, ("year", "0 年没有评价结果")),
    ("an evaluation year far ahead", "post", "/api/evaluation/runs", {"json": {"year": 99999}}, 422, ("year",)),
    ("a text body on a JSON endpoint", "post", "/api/forms", {"content": b"form=1", "headers": {"content-type": "text/plain"}},
     422, ("body",)),
    ("a body that is not JSON", "post", "/api/forms/cluster-annual/values", {"content": b"{values: [",
                                                                              "headers": {"content-type": "application/json"}},
     422, ("body",)),
    ("a web-entry field without its indicator", "post", "/reporting/entry",
     {"data": {"form": "cluster-annual", "unit": "440300", "period": "2025", "v|": "5"}}, 400, ("v|",)),
    ("a form bound that is not a number", "post", "/api/forms",
     {"content": json.dumps({"code": "nan-form", "name_zh": "测试", "name_en": "Test", "period_type": "A", "level": "city",
                             "indicators": [{"indicator": "revenue", "min": float("nan")}]}).encode(),
      "headers": {"content-type": "application/json"}}, 400, ("indicators.0.min", "有限")),
    ("infinity through the JSON rows", "post", "/api/forms/cluster-annual/values?dry_run=false",
     {"content": b'{"values": [{"unit": "440100", "period": "2025", "indicator": "revenue", "cluster": "electronics", "value": 1e999}]}',
      "headers": {"content-type": "application/json"}}, 200, ("values[0], value", "inf 不是数字")),
    ("NaN through the JSON rows", "post", "/api/forms/cluster-annual/values?dry_run=false",
     {"content": b'{"values": [{"unit": "440100", "period": "2025", "indicator": "revenue", "cluster": "electronics", "value": NaN}]}',
      "headers": {"content-type": "application/json"}}, 200, ("values[0], value", "nan 不是数字")),
    ("1e400 in a CSV", "post", "/api/forms/cluster-annual/values/file?dry_run=false",
     {"files": {"file": ("v.csv", b"unit,period,indicator,cluster,value\n440100,2025,revenue,electronics,1e400\n", "text/csv")}},
     200, ("第 2 行", "'1e400' 不是数字")),
    ("inf on the web entry form", "post", "/reporting/entry",
     {"data": {"form": "cluster-annual", "unit": "440300", "period": "2025", "v|revenue|electronics": "inf"}}, 400, ("不是数字",)),
    ("a CSV of values with its header only", "post", "/api/forms/cluster-annual/values/file?dry_run=false",
     {"files": {"file": ("v.csv", b"unit,period,indicator,cluster,value\n", "text/csv")}}, 400, ("v.csv", "只有表头")),
    ("no values in the JSON rows", "post", "/api/forms/cluster-annual/values?dry_run=false", {"json": {"values": []}},
     400, ("values", "至少")),
    ("a Latin-1 CSV", "post", "/api/forms/cluster-annual/values/file?dry_run=false",
     {"files": {"file": ("v.csv", "unit,period,indicator,cluster,value\n440100,2025,revenue,Société Générale,1\n".encode("latin-1"),
                         "text/csv")}}, 400, ("v.csv", "既不是 UTF-8")),
    ("a NUL byte in a task's note", "post", "/api/tasks/advanced-materials-000-01/updates",
     {"json": {"status": "in_progress", "note": "已完成\x00调研"}}, 400, ("note", "控制字符")),
    ("a NUL byte in the reason a return is sent back", "post", "/api/returns/cluster-annual/440100/2025/return",
     {"json": {"reason": "数据\x00有误"}}, 400, ("reason", "控制字符")),
    ("a method the address does not take", "delete", "/api/clusters", {}, 405, ("不接受 DELETE", "GET")),
    ("an address that does not exist", "get", "/api/nothing-here", {}, 404, ("没有这个页面",)),
    ("a form the parser cannot read", "post", "/reporting/entry",
     {"content": b"--x\r\nbroken", "headers": {"content-type": "multipart/form-data"}}, 400, ("无法读取",)),
    ("an address longer than any page takes", "get", "/targets?period=" + "2" * 5000, {}, 414, ("4096",)),
    ("a land area of 1e300 亩", "post", "/api/enterprises/import?dry_run=false", register_file(NEW_FIRM + ",1e300,2010-01-01"),
     400, ("用地面积", "平方米")),
    ("a firm founded in 1800", "post", "/api/enterprises/import?dry_run=false", register_file(NEW_FIRM + ",12,1800-01-01"),
     400, ("成立日期", "1900-01-01")),
    ("a firm founded in 2999", "post", "/api/enterprises/import?dry_run=false", register_file(NEW_FIRM + ",12,2999-01-01"),
     400, ("成立日期", "未来")),
]


def rows(client) -> dict:
    with client.database.sessions() as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model)) for model in WRITTEN}


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_bad_input(client, case):
    _name, method, url, sent, status, words = case
    before = rows(client)
    sep = "&" if "?" in url else "?"
    response = getattr(client, method)(f"{url}{sep}lang=zh", **sent)
    assert response.status_code == status, (response.status_code, response.text[:500])
    for word in words:
        assert word in response.text, (word, response.text[:800])
    assert rows(client) == before


def test_a_5_mb_field_is_refused_without_being_echoed(client):
    before = rows(client)
    response = client.post("/reporting/entry?lang=zh", data={"form": "cluster-annual", "unit": "440300", "period": "2" * 5_000_000})
    assert response.status_code == 400 and "超过 1024 KB" in response.text and len(response.content) < 50_000
    response = client.post("/api/returns/cluster-annual/440100/2025/return?lang=zh", json={"reason": "错" * 5_000_000})
    assert response.status_code == 400 and "1000" in response.text and len(response.content) < 50_000
    assert rows(client) == before


def test_an_xlsx_whose_zip_lies_about_its_size_is_refused_by_name(client):
    template = client.get("/api/forms/cluster-annual/template", params={"unit": "440300", "period": "2025"}).content
    book = load_workbook(io.BytesIO(template))
    book["数据"]["B5"] = 1.0
    buffer = io.BytesIO()
    book.save(buffer)
    broken = _understated(buffer.getvalue())
    before = rows(client)
    for url in ("/api/returns?dry_run=false&lang=zh", "/api/enterprises/import?dry_run=false&lang=zh"):
        response = client.post(url, files={"file": ("return.xlsx", broken, "application/octet-stream")})
        assert response.status_code == 400 and "return.xlsx" in response.text and "损坏" in response.text, (url, response.text)
    assert rows(client) == before


def _understated(content: bytes) -> bytes:
    """The same workbook with the sheet's CRC-32 in the zip headers made wrong: it opens as a
    zip, and fails ("Bad CRC-32") only when the sheet is read."""
    data = bytearray(content)
    name = b"xl/worksheets/sheet1.xml"
    for marker, crc_at, name_at in ((b"PK\x03\x04", 14, 30), (b"PK\x01\x02", 16, 46)):
        start = data.find(marker)
        while start >= 0:
            if data[start + name_at:start + name_at + len(name)] == name:
                data[start + crc_at:start + crc_at + 4] = b"\x00\x00\x00\x00"
            start = data.find(marker, start + 1)
    return bytes(data)


def test_an_upload_too_large_is_refused_by_its_declared_length(client):
    from clusterwatch.web.app import MAX_REQUEST_BYTES

    before = rows(client)
    response = client.post("/api/returns?lang=zh", content=b"x" * 16,
                           headers={"content-type": "multipart/form-data; boundary=x", "content-length": str(MAX_REQUEST_BYTES + 1)})
    assert response.status_code == 413 and "最大为 70 MB" in response.json()["detail"]
    assert rows(client) == before


def test_every_answer_carries_the_security_headers(client):
    for url in ("/", "/api/clusters", "/review"):
        headers = client.get(url).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"] and "script-src 'self';" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
