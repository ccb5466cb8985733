"""The review pages and API on a fresh demo database: upload, decide, load, and bad input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from clusterwatch.accounts.throttle import FREE_PER_ACCOUNT
from clusterwatch.plans.models import Target
from tests.conftest import SEEDS
from tests.web.conftest import PASSWORD, add_user, post_login, sign_in

DOC = "广东省培育测试产业集群行动计划（2021—2025年）\n到2025年，智能机器人产业营业收入达到900亿元，力争培育龙头企业10家。\n".encode()


def upload(client, name="robots.txt", content=DOC):
    return client.post("/review?lang=zh", files=[("documents", (name, content, "text/plain"))], follow_redirects=False)


def test_upload_then_review_page(client):
    assert "读取文件" in client.get("/review?lang=zh").text
    response = upload(client)
    assert response.status_code == 303
    page = client.get(response.headers["location"] + "?lang=zh").text
    assert "到2025年，智能机器人产业营业收入达到900亿元" in page and "待审核" in page
    assert page.count('class="review-item') == 2


def test_an_unreadable_upload_is_named_and_stores_nothing(client):
    response = upload(client, "bad.pdf", b"%PDF-1.4 broken")
    assert response.status_code == 400 and "bad.pdf：不是可读取的 PDF" in response.text
    assert client.get("/api/review/runs").json() == []
    response = upload(client, "plan.doc", b"old word")
    assert response.status_code == 400 and "plan.doc：无法读取 .doc 文件" in response.text


def test_decide_in_place_and_through_the_api(client):
    run_id = int(upload(client).headers["location"].rsplit("/", 1)[1])
    items = client.get(f"/api/review/{run_id}").json()["items"]["target"]
    first, second = items
    partial = client.post(f"/review/items/{first['id']}?lang=zh", data={"action": "confirm", "scope": "cluster:robotics",
                                                                         "indicator": "revenue", "year": "2025", "value": "900"},
                          headers={"HX-Request": "true"}).text
    assert "<html" not in partial and 'data-status="confirmed"' in partial
    bad = client.post(f"/review/items/{first['id']}?lang=en", data={"action": "confirm", "year": "next year"})
    assert bad.status_code == 400 and "year" in bad.text
    response = client.post(f"/api/review/items/{second['id']}", json={"status": "maybe"})
    assert response.status_code == 400 and response.json()["detail"][0]["loc"] == ["body", "status"]
    response = client.post(f"/api/review/items/{second['id']}", json={"status": "rejected"})
    assert response.json()["status"] == "rejected"
    assert client.post("/api/review/items/999999", json={"status": "rejected"}).status_code == 404


def test_load_refuses_a_set_that_is_not_a_plan_and_writes_nothing(client):
    run_id = int(upload(client).headers["location"].rsplit("/", 1)[1])
    for item in client.get(f"/api/review/{run_id}").json()["items"]["target"]:
        client.post(f"/api/review/items/{item['id']}", json={"status": "confirmed"})
    with client.database.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Target))
    page = client.post(f"/review/{run_id}/load?lang=zh").text
    assert "已确认的条目无法载入" in page and re.search(r"targets\[1\]\.indicator", page)
    response = client.post(f"/api/review/{run_id}/load")
    assert response.status_code == 400 and any("indicator" in d["msg"] for d in response.json()["detail"])
    with client.database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Target)) == before


def test_load_a_reviewed_set(client):
    run_id = int(upload(client).headers["location"].rsplit("/", 1)[1])
    first, second = client.get(f"/api/review/{run_id}").json()["items"]["target"]
    client.post(f"/api/review/items/{first['id']}", json={"status": "edited", "edits": {"code": "robots", "headline": True}})
    client.post(f"/api/review/items/{second['id']}", json={"status": "rejected"})
    rules_before = counts(client)["rules"]
    # First what the load would do, nothing written: this run confirmed no layout table, so
    # the plan would lose its layout, and the page and the API say so before anything is written.
    preview = client.post(f"/api/review/{run_id}/load").json()
    changes = {row["part"]: row for row in preview["changes"]}
    assert preview["loaded"] is False and changes["layout"]["removed"] == 287 and changes["targets"]["added"] == 1
    assert changes["validation_rules"] == {"part": "validation_rules", "added": 0, "changed": 0, "removed": 0}
    page = client.post(f"/review/{run_id}/load?lang=zh").text
    assert "载入将改变什么" in page and "287 项" in page and 'name="reason"' in page
    assert client.get("/api/layout").json() != []
    refused = client.post(f"/api/review/{run_id}/load", json={"confirm": True})
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"] == ["body", "reason"]
    loaded = client.post(f"/api/review/{run_id}/load", json={"confirm": True, "reason": "审核后的机器人目标"})
    assert loaded.status_code == 200 and loaded.json()["loaded"] is True
    robots = client.get("/api/clusters/robotics").json()
    assert robots["headline"]["value"] == 900 and robots["headline"]["citation"]["document"] == "robots"
    assert client.get("/api/layout").json() == []
    assert counts(client)["rules"] == rules_before  # a review extracts no rules: the plan's are kept
    newest, previous = client.get("/api/plan/versions").json()[:2]
    assert (newest["loaded_by"], newest["reason"], newest["source"]) == ("admin", "审核后的机器人目标", f"review-{run_id}.yaml")
    assert newest["changes"]["layout"]["removed"] == 287
    # The plan as it was is one step away.
    restored = client.post(f"/api/plan/versions/{previous['number']}/restore", json={"reason": "误载，恢复"})
    assert restored.status_code == 200 and restored.json()["version"]["reason"] == "误载，恢复"
    assert len(client.get("/api/layout").json()) > 0 and counts(client)["targets"] == 39


def test_a_load_with_nothing_confirmed_is_refused_and_the_plan_kept(client):
    """The finding: a .txt upload, then a load with nothing confirmed, emptied the plan."""
    run_id = int(upload(client, "notes.txt", "随便写的一段话，没有目标。\n".encode()).headers["location"].rsplit("/", 1)[1])
    before = counts(client)
    for body in (None, {"confirm": True, "reason": "试试"}):
        response = client.post(f"/api/review/{run_id}/load", json=body)
        assert response.status_code == 400 and response.json()["detail"][0]["loc"] == ["body", "run"], response.text
        assert "载入将清空规划" in response.json()["detail"][0]["msg"]
    page = client.post(f"/review/{run_id}/load?lang=zh", data={"confirm": "1", "reason": "试试"}).text
    assert "载入将清空规划" in page
    assert counts(client) == before


def counts(client) -> dict:
    from clusterwatch.plans.models import Document, LayoutPlacement, StatedFigure
    from clusterwatch.reporting.models import ValidationRule

    with client.database.sessions() as session:
        return {name: session.scalar(select(func.count()).select_from(model)) for name, model in
                [("targets", Target), ("documents", Document), ("layout", LayoutPlacement), ("figures", StatedFigure),
                 ("rules", ValidationRule)]}

@pytest.mark.skipif(not SEEDS.exists(), reason="the policy documents are not beside the repository")
def test_the_five_documents_render_for_review(client):
    files = [("documents", (p.name, p.read_bytes(), "text/plain")) for p in sorted(SEEDS.glob("*.txt"))]
    response = client.post("/review", files=files, follow_redirects=False)
    page = client.get(response.headers["location"] + "?lang=zh")
    assert page.status_code == 200
    assert "新一代电子信息: emerging in 001_ef17eb8ff52a8b39.txt line 56" in page.text  # a conflict, shown
    assert page.text.count('class="review-item') > 200


def test_review_needs_a_signed_in_province_administrator(anonymous):
    response = anonymous.get("/review", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/review"
    assert anonymous.get("/api/review/runs").status_code == 401
    assert anonymous.post("/review", files=[("documents", ("a.txt", DOC, "text/plain"))]).status_code == 401
    add_user(anonymous.database, "gz", "reporter")
    sign_in(anonymous, "gz")
    assert anonymous.get("/api/review/runs").status_code == 403
    page = anonymous.get("/review?lang=en")
    assert page.status_code == 403 and "the role reporter may not do this" in page.text


def test_a_write_without_the_csrf_token_is_refused(client):
    token = client.headers.pop("X-CSRF-Token")
    response = upload(client)
    assert response.status_code == 403 and "CSRF" in response.text
    client.headers["X-CSRF-Token"] = "forged"
    assert client.post("/api/review/items/1", json={"status": "rejected"}).status_code == 403
    client.headers["X-CSRF-Token"] = token
    assert upload(client).status_code == 303


def test_wrong_password_says_so_without_saying_which(anonymous):
    for username, password in [("admin", "wrong-password"), ("nobody", PASSWORD)]:
        response = post_login(anonymous, url="/login?lang=zh", data={"username": username, "password": password})
        assert response.status_code == 400 and "用户名或密码错误" in response.text
    assert "cw_session" not in anonymous.cookies


def test_sign_in_never_redirects_elsewhere(anonymous):
    response = post_login(anonymous, {"username": "admin", "password": PASSWORD, "next": "https://evil.example/"},
                          follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_sign_out(client):
    assert client.get("/api/review/runs").status_code == 200
    assert client.post("/logout", follow_redirects=False).status_code == 303
    assert client.get("/api/review/runs").status_code == 401


def test_the_sign_in_page_says_how_long_to_wait(anonymous):
    add_user(anonymous.database, "sz", "viewer")
    for _ in range(FREE_PER_ACCOUNT):
        assert post_login(anonymous, url="/login?lang=zh", data={"username": "sz", "password": "wrong-password"}).status_code == 400
    page = post_login(anonymous, url="/login?lang=zh", data={"username": "sz", "password": PASSWORD}, follow_redirects=False)
    assert page.status_code == 429 and page.headers["Retry-After"] == "30" and "秒后再试" in page.text


def test_a_sign_in_without_its_forms_token_is_refused(anonymous):
    # Login CSRF: another site's form posting the attacker's account name and password.
    response = anonymous.post("/login?lang=zh", data={"username": "admin", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403 and "登录表单已过期" in response.text
    anonymous.cookies.set("cw_login_csrf", "one", path="/login")
    response = anonymous.post("/login?lang=en", data={"username": "admin", "password": PASSWORD, "csrf_token": "another"},
                              follow_redirects=False)
    assert response.status_code == 403 and "expired or came from another site" in response.text
    assert "cw_session" not in anonymous.cookies
    # The page it answers carries a fresh form, which signs in.
    assert post_login(anonymous, {"username": "admin", "password": PASSWORD}, follow_redirects=False).status_code == 303
