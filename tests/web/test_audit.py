"""The audit trail (finding 8 of the hardening issue): every change to a firm, a listing, a form,
a scheme, a flag's explanation and an account is kept with who, when, old, new and the reason
typed; the page and its export show them in words, to province administrators only."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from clusterwatch.audit import present
from clusterwatch.audit.models import AuditEntry
from clusterwatch.enterprises.models import Enterprise
from tests.web.conftest import add_user, sign_in
from tests.web.test_reporting_pages import fill

FIRM = "91440101MA5CQ0R198"
HEADER = "统一社会信用代码,企业名称,所在县区,用地面积（亩）"


def entries(client, **where) -> list[AuditEntry]:
    with client.database.sessions() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        for name, value in where.items():
            query = query.where(getattr(AuditEntry, name) == value)
        return list(session.scalars(query))


def import_register(client, rows: str, reason: str | None = None):
    data = {"reason": reason} if reason else {}
    return client.post("/api/enterprises/import?dry_run=false", data=data,
                       files={"file": ("register.csv", f"{HEADER}\n{rows}\n".encode("utf-8-sig"), "text/csv")})


def test_a_register_import_that_renames_a_firm_and_changes_its_land_is_audited(client):
    assert import_register(client, f"{FIRM},广州测试有限公司,440103,10").json()["imported"]
    response = import_register(client, f"{FIRM},广州测试科技有限公司,440103,12.5", reason="企业更名，用地复核")
    assert response.json()["imported"], response.text
    created, renamed = entries(client, subject="enterprise", key=FIRM)
    assert (created.action, created.old, created.new["name"], created.new["land_mu"]) == ("create", None, "广州测试有限公司", 10.0)
    assert created.new["county"] == "荔湾区"  # the county by name, not its code
    assert renamed.action == "update" and renamed.username == "admin" and renamed.channel == "api"
    assert renamed.old == {"name": "广州测试有限公司", "land_mu": 10.0}
    assert renamed.new == {"name": "广州测试科技有限公司", "land_mu": 12.5}
    assert renamed.reason == "register.csv: 企业更名，用地复核"
    # Importing the same file again changes nothing and writes nothing to the trail.
    import_register(client, f"{FIRM},广州测试科技有限公司,440103,12.5")
    assert len(entries(client, subject="enterprise", key=FIRM)) == 2


def test_a_reason_that_is_not_text_refuses_the_import_whole(client):
    response = import_register(client, f"{FIRM},广州测试有限公司,440103,10", reason="bad\x00reason")
    assert response.status_code == 400 and response.json()["detail"][0]["loc"][-1] == "reason"
    with client.database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.uscc == FIRM)) == 0
    assert entries(client, subject="enterprise") == []


def test_listings_are_audited_with_their_old_and_new_exit_date(client):
    import_register(client, f"{FIRM},广州测试有限公司,440103,10")
    header = "统一社会信用代码,名单,级别,认定日期,退出日期"

    def listings(rows):
        return client.post("/api/enterprises/import?dry_run=false&kind=memberships",
                           files={"file": ("lists.csv", f"{header}\n{rows}\n".encode("utf-8-sig"), "text/csv")})

    assert listings(f"{FIRM},专精特新中小企业,省级,2024-01-01,").json()["imported"]
    assert listings(f"{FIRM},专精特新中小企业,省级,2024-01-01,2026-06-30").json()["imported"]
    created, ended = entries(client, subject="listing")
    assert created.new["list"] == "专精特新中小企业" and created.new["since"] == "2024-01-01"
    assert (ended.old, ended.new) == ({"until": None}, {"until": "2026-06-30"})


def test_a_second_explanation_keeps_the_first_and_its_author(client):
    content = client.get("/api/forms/cluster-annual/template", params={"unit": "440300", "period": "2025"}).content
    client.post("/api/returns?dry_run=false", files={"file": ("sz.xlsx", fill(content, {"B5": 99999.5}), "application/octet-stream")})
    [flag] = client.get("/api/returns/cluster-annual/440300/2025/flags").json()
    assert client.post(f"/api/flags/{flag['id']}", json={"explanation": "新项目投产"}).status_code == 200
    assert client.post(f"/api/flags/{flag['id']}", json={"explanation": "新项目三月投产，已核实"}).status_code == 200
    first, second = entries(client, subject="flag")
    assert first.old is None and first.new["explanation"] == "新项目投产"
    assert second.old["explanation"] == "新项目投产" and second.old["by"] == "admin"
    assert second.new["explanation"] == "新项目三月投产，已核实"
    assert "深圳" in second.label  # the unit by name


def test_forms_schemes_and_accounts_record_who(client):
    form = {"code": "firm-quarterly", "name_zh": "企业季度快报", "name_en": "Firms, quarterly", "period_type": "Q",
            "level": "enterprise", "due_days": 15, "expiry_days": 45, "indicators": [{"indicator": "revenue", "unit": "万元"}]}
    assert client.post("/api/forms", json=form).status_code == 201
    [defined] = entries(client, subject="form")
    assert (defined.username, defined.key, defined.new["period_type"]) == ("admin", "firm-quarterly", "Q")
    assert defined.new["indicators"] == "营业收入（万元）"
    scheme = client.get("/api/evaluation/schemes/per-mu-default").json()[0]
    assert client.post("/api/evaluation/schemes", json={"scheme": scheme["body"], "note": "权重调整"}).status_code == 201
    [version] = entries(client, subject="scheme")
    assert version.username == "admin" and version.reason == "权重调整" and version.new == {"version": scheme["version"] + 1}
    add_user(client.database, "gz-reporter", "reporter")
    [account] = entries(client, subject="user", key="gz-reporter")
    assert account.new["role"] == "reporter" and "password" not in account.new and account.channel == "cli"


def test_the_page_and_its_export_show_the_trail_in_words(client):
    import_register(client, f"{FIRM},广州测试有限公司,440103,10")
    import_register(client, f"{FIRM},广州测试科技有限公司,440103,12.5", reason="企业更名")
    page = client.get("/audit").text
    assert "审计记录" in page and "广州测试科技有限公司" in page and "企业更名" in page and "用地面积（亩）" in page
    assert "land_mu" not in page and "name_zh" not in page  # no field name on screen
    firm_only = client.get("/audit", params={"subject": "enterprise", "user": "admin"}).text
    assert firm_only.count("<tr>") == 3  # the header and two entries
    assert "没有符合筛选条件的更改" in client.get("/audit", params={"user": "nobody"}).text
    lines = list(csv.reader(io.StringIO(client.get("/audit.csv", params={"subject": "enterprise"}).content.decode("utf-8-sig"))))
    assert lines[0] == ["时间（UTC）", "操作人", "内容", "代码", "对象", "操作", "字段", "原值", "新值", "理由", "方式"]
    body = [line for line in lines if "广州测试科技有限公司" in line]
    assert ["用地面积（亩）", "10", "12.5"] in [line[6:9] for line in body]
    book = load_workbook(io.BytesIO(client.get("/audit.xlsx").content))
    assert any("企业更名" in str(cell.value) for row in book.active.iter_rows() for cell in row)
    [changed, created] = client.get("/api/audit", params={"subject": "enterprise"}).json()
    assert (changed["action"], created["action"], changed["reason"]) == ("修改", "新建", "register.csv: 企业更名")
    assert {"field": "名称", "old": "广州测试有限公司", "new": "广州测试科技有限公司"} in changed["changes"]
    english = client.get("/audit?lang=en").text
    assert "land (亩)" in english and "modified" in english


def test_the_trail_joins_the_values_and_returns_trails(client):
    content = client.get("/api/forms/cluster-annual/template", params={"unit": "440300", "period": "2025"}).content
    client.post("/api/returns?dry_run=false", files={"file": ("sz.xlsx", fill(content, {"B6": 1234.5}), "application/octet-stream")})
    for flag in client.get("/api/returns/cluster-annual/440300/2025/flags").json():
        client.post(f"/api/flags/{flag['id']}", json={"explanation": "新项目投产"})
    submitted = client.post("/api/returns/cluster-annual/440300/2025/submit", json={})
    assert submitted.status_code == 200, submitted.text
    rows = client.get("/api/audit?lang=en").json()
    subjects = {row["subject"] for row in rows}
    assert {"value of a region", "return of a unit"} <= subjects, subjects
    value = next(row for row in rows if row["subject"] == "value of a region")
    assert "Shenzhen" in value["label"] and value["changes"][0]["new"] == "1,234.5"
    only_returns = client.get("/api/audit", params={"subject": "return"}).json()
    assert only_returns and {row["subject"] for row in only_returns} == {"报表"}


def test_only_province_administrators_read_the_trail(anonymous):
    assert anonymous.get("/api/audit").status_code == 401
    assert anonymous.get("/audit", follow_redirects=False).status_code in (303, 401)
    add_user(anonymous.database, "viewer", "viewer")
    sign_in(anonymous, "viewer")
    for url in ("/audit", "/audit.csv", "/api/audit"):
        assert anonymous.get(url).status_code == 403, url


def test_every_subject_has_a_name_on_the_page():
    from clusterwatch.audit.trail import TRAIL_SUBJECTS

    assert set(TRAIL_SUBJECTS) == set(present.SUBJECTS)


def test_bad_filter_values_answer_422_naming_the_field(client):
    for params, field in (({"since": "2026-13-01"}, "since"), ({"subject": "secret"}, "subject"), ({"page": "0"}, "page"),
                          ({"user": "x" * 61}, "user")):
        response = client.get("/api/audit", params=params)
        assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == field, (params, response.text)
