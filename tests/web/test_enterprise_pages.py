"""Enterprise pages and their API twins: search, profile, lists, evaluation results, exports, and
changing the scheme or running the evaluation (an administrator only; wrong input named, nothing stored)."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from clusterwatch.enterprises.evaluation.models import EvaluationScheme
from tests.conftest import TEST_FIRMS
from tests.web.conftest import add_user, sign_in


def test_search_profile_and_the_synthetic_notice(demo_client):
    page = demo_client.get("/enterprises?lang=zh")
    assert page.status_code == 200 and "合成数据" in page.text and "并非真实企业" in page.text
    assert f"{TEST_FIRMS} 家企业" in page.text
    assert re.search(r'data-uscc="([0-9A-Z]{18})"', page.text)
    uscc = demo_client.get("/api/enterprises?class=B").json()["firms"][0]["uscc"]  # a rated firm
    found = demo_client.get(f"/api/enterprises?q={uscc}").json()
    assert found["total"] == 1 and found["firms"][0]["uscc"] == uscc and found["firms"][0]["synthetic"]
    profile = demo_client.get(f"/enterprises/{uscc}?lang=zh")
    assert profile.status_code == 200 and uscc in profile.text and "综合评价" in profile.text
    data = demo_client.get(f"/api/enterprises/{uscc}").json()
    assert data["classes"][0]["year"] == 2025 and data["classes"][0]["klass"] == "B" and data["synthetic"]
    assert profile.text.count('<tr data-indicator="') == 6 and 'data-class="B"' in profile.text
    english = demo_client.get(f"/enterprises/{uscc}?lang=en")
    assert "Comprehensive evaluation" in english.text and "Synthetic data" in english.text


def test_filters_and_their_mistakes(demo_client):
    a = demo_client.get("/api/enterprises?class=A&page=1").json()
    assert a["total"] > 0 and {f["klass"] for f in a["firms"]} == {"A"}
    bad = demo_client.get("/enterprises?list=bogus&lang=zh")
    assert bad.status_code == 400 and "不是可选值之一" in bad.text
    assert demo_client.get("/api/enterprises?class=E").status_code == 400
    assert demo_client.get("/api/enterprises?page=0").json()["detail"]
    assert demo_client.get("/enterprises/91440300708461136X").status_code == 404


def test_lists_by_cluster_and_city(demo_client):
    overview = demo_client.get("/api/lists").json()
    leaders = [entry for entry in overview["lists"] if entry["list_code"] == "chain_leader"]
    assert leaders and sum(leaders[0]["by_cluster"].values()) == leaders[0]["total"] == sum(leaders[0]["by_city"].values())
    page = demo_client.get("/lists?list=chain_leader&lang=zh")
    assert page.status_code == 200 and "链主企业" in page.text and 'id="members-table"' in page.text
    assert page.text.count('<tr data-uscc="') == leaders[0]["total"]
    assert demo_client.get("/api/lists?level=planet").status_code == 400


def test_evaluation_page_and_api(demo_client):
    data = demo_client.get("/api/evaluation").json()
    assert data["year"] == 2025 and data["years"] == [2025, 2024, 2023]
    assert sum(data["overall"]["counts"].values()) == data["firms"] == TEST_FIRMS
    assert sum(d["counts"]["A"] for d in data["by_city"]) == data["overall"]["counts"]["A"]
    assert sum(d["counts"]["A"] for d in data["by_county"]) == data["overall"]["counts"]["A"]
    assert len(data["map"]) == len(data["by_city"]) and all(m["name_zh"].endswith("市") for m in data["map"])
    assert data["counts"]["without_land"] >= 0 and "tax_per_mu" in data["counts"]["imputed"]
    page = demo_client.get("/evaluation?year=2024&lang=zh")
    assert page.status_code == 200 and 'id="evaluation-map"' in page.text and "亩均效益综合评价" in page.text
    assert demo_client.get("/evaluation?year=1999").status_code == 400


def test_exports_hold_every_row_and_say_synthetic(demo_client):
    csv_text = demo_client.get("/enterprises.csv?class=A").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert "合成数据" in rows[0][0] and rows[1][0] == "统一社会信用代码"
    a = demo_client.get("/api/enterprises?class=A").json()["total"]
    assert len(rows) - 2 == a and all(r[8] == "A" for r in rows[2:])
    book = load_workbook(io.BytesIO(demo_client.get("/evaluation/results.xlsx?year=2025").content))
    sheet = book.active
    assert sheet.max_row == 2 + TEST_FIRMS and sheet.cell(2, 1).value == "统一社会信用代码"
    header = [c.value for c in sheet[2]]
    assert "tax_per_mu 得分" in header and "上年类别" in header
    members = load_workbook(io.BytesIO(demo_client.get("/lists.xlsx?list=hitech").content)).active
    assert members.max_row > 2
    assert demo_client.get("/lists.csv").status_code == 400  # which list: the export names one


def test_only_an_administrator_changes_the_scheme(anonymous):
    assert anonymous.post("/api/evaluation/schemes", json={"scheme": {}}).status_code in (401, 403)
    add_user(anonymous.database, "viewer1", "viewer")
    sign_in(anonymous, "viewer1")
    scheme = anonymous.get("/api/evaluation/schemes/per-mu-default").json()[0]["body"]
    assert anonymous.post("/api/evaluation/schemes", json={"scheme": scheme}).status_code == 403
    assert anonymous.post("/api/evaluation/runs", json={"year": 2025}).status_code == 403


def _form(page: str) -> dict:
    """The scheme form's fields as the browser would send them."""
    fields = dict(re.findall(r'<input type="text"[^>]*name="([a-z_A-Z]+)" value="([^"]*)"', page))
    for name, value in re.findall(r'<input type="radio" name="([a-z_]+)" value="([a-z_]+)" checked', page):
        fields[name] = value
    for name in re.findall(r'<input type="checkbox" name="(pool_[a-z_]+)" value="1" checked', page):
        fields[name] = "1"
    fields["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return fields


def test_the_scheme_form_refuses_wrong_weights_and_quotas_and_stores_a_right_change(client):
    database = client.database
    page = client.get("/evaluation/scheme?lang=zh").text
    form = _form(page)
    assert form["weight_tax_per_mu"] == "30" and form["quota_A"] in ("20", "20.0")

    wrong = client.post("/evaluation/scheme?lang=zh", data={**form, "weight_tax_per_mu": "25"})
    assert wrong.status_code == 400 and "权重合计为 95，应为 100" in wrong.text
    assert 'value="25"' in wrong.text  # what was typed comes back
    quotas = client.post("/evaluation/scheme?lang=zh", data={**form, "quota_D": "10"})
    assert quotas.status_code == 400 and "各类别比例合计为 105%，应为 100%" in quotas.text
    words = client.post("/evaluation/scheme?lang=zh", data={**form, "weight_va_per_mu": "二十"})
    assert words.status_code == 400 and "不是数字" in words.text
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(EvaluationScheme)) == 1

    right = client.post("/evaluation/scheme", data={**form, "weight_tax_per_mu": "25", "weight_va_per_mu": "25",
                                                    "note": "更重视亩均增加值"}, follow_redirects=False)
    assert right.status_code == 303
    versions = client.get("/api/evaluation/schemes/per-mu-default").json()
    assert [v["version"] for v in versions] == [2, 1] and versions[0]["note"] == "更重视亩均增加值"
    assert versions[0]["body"]["indicators"][1]["weight"] == 25

    ran = client.post("/api/evaluation/runs", json={"year": 2025})
    assert ran.status_code == 201 and ran.json()["firms"] == TEST_FIRMS
    assert client.get("/api/evaluation").json()["scheme"]["version"] == 2
    none = client.post("/api/evaluation/runs?lang=zh", json={"year": 2031})
    assert none.status_code == 400 and "2031 年没有已审核的企业年报" in str(none.json())


def test_an_administrator_imports_firms_from_the_page(client):
    import random

    from clusterwatch.uscc import make

    good = make("440106", random.Random(5))
    header = "统一社会信用代码,企业名称,所在县区,规模以上,用地面积（亩）\n"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/enterprises?lang=zh").text).group(1)
    assert 'id="register-import"' in client.get("/enterprises?lang=zh").text

    def send(text: str, dry_run: bool):
        data = {"csrf_token": token, "kind": "register", **({"dry_run": "true"} if dry_run else {})}
        return client.post("/enterprises/import?lang=zh", data=data, files={"file": ("firms.csv", text.encode("utf-8"), "text/csv")})

    bad = send(header + f"{good[:-1]}0,示例新企业,440106,是,12\n{good},示例新企业二,440106,是,0\n", dry_run=False)
    assert bad.status_code == 400 and 'id="import-refused"' in bad.text and "第 2 行" in bad.text
    assert client.get(f"/api/enterprises?q={good}").json()["total"] == 0  # nothing written
    checked = send(header + f"{good},示例新企业,440106,是,0\n", dry_run=True)
    # Land 0 is imported, with a warning that no per-mu indicator can be computed.
    assert checked.status_code == 200 and 'id="import-checked"' in checked.text and 'id="import-warnings"' in checked.text
    assert client.get(f"/api/enterprises?q={good}").json()["total"] == 0
    done = send(header + f"{good},示例新企业,440106,是,0\n", dry_run=False)
    assert done.status_code == 200 and 'id="import-done"' in done.text and 'id="import-warnings"' in done.text
    assert client.get(f"/api/enterprises?q={good}").json()["total"] == 1


def test_a_constant_benchmark_from_the_form(client):
    form = _form(client.get("/evaluation/scheme?lang=zh").text)
    form["benchmark_kind"] = "constant"
    missing = client.post("/evaluation/scheme?lang=zh", data=form)
    assert missing.status_code == 400 and "此处需要填写数字" in missing.text
    constants = {f"constant_{code}": "10" for code in ("tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission",
                                                       "labour_productivity", "rd_intensity")}
    saved = client.post("/evaluation/scheme", data={**form, **constants}, follow_redirects=False)
    assert saved.status_code == 303
    body = client.get("/api/evaluation/schemes/per-mu-default").json()[0]["body"]
    assert body["benchmark"] == {"kind": "constant", "k": 1.0, "values": {code[len("constant_"):]: 10.0 for code in constants}}
    assert client.post("/api/evaluation/runs", json={"year": 2025}).status_code == 201
