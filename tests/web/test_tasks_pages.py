"""The tasks pages: filters, "my department", reporting on a task from the page and the API."""

from __future__ import annotations

import re

from tests.web.conftest import add_user, sign_in

CODE = "advanced-materials-000-01"  # led by 省工业和信息化厅


def test_tasks_page_and_filters(anonymous):
    page = anonymous.get("/tasks?lang=zh")
    assert page.status_code == 200 and page.text.count('data-task="') == 113
    # The demo's reports on the tasks are made up, and each says so.
    assert page.text.count("synthetic-badge") > 100 and "演示数据" not in page.text
    science = anonymous.get("/tasks?department=省教育厅&cluster=&status=&lang=zh")
    assert 0 < science.text.count('data-task="') < 113
    bad = anonymous.get("/tasks?department=nobody&lang=zh")
    assert bad.status_code == 400 and "规划中没有任务指定部门" in bad.text
    detail = anonymous.get(f"/tasks/{CODE}?lang=zh")
    assert detail.status_code == 200 and "省工业和信息化厅" in detail.text and "登录" in detail.text
    assert anonymous.get("/tasks/no-such-task").status_code == 404


def test_a_department_reports_on_its_task(anonymous):
    add_user(anonymous.database, "miit", "department")
    sign_in(anonymous, "miit")
    mine = anonymous.get("/tasks?mine=true&lang=zh")
    assert 'id="my-department"' in mine.text
    assert all("省工业和信息化厅" in row for row in re.findall(r'<tr data-task=.*?</tr>', mine.text, re.S))
    # Done without evidence: the page comes back with the message by its field and the typed note.
    token = anonymous.headers["X-CSRF-Token"]
    wrong = anonymous.post(f"/tasks/{CODE}?lang=zh", data={"status": "done", "note": "已完成全部工作", "evidence": "",
                                                           "csrf_token": token})
    assert wrong.status_code == 400
    assert 'data-field="evidence"' in wrong.text and "须提供佐证材料" in wrong.text and "已完成全部工作" in wrong.text
    right = anonymous.post(f"/tasks/{CODE}", data={"status": "done", "note": "已完成全部工作", "evidence": "粤工信〔2025〕9号",
                                                   "csrf_token": token}, follow_redirects=False)
    assert right.status_code == 303
    detail = anonymous.get(f"/api/tasks/{CODE}").json()
    assert detail["status"] == "done" and detail["history"][0]["evidence"] == "粤工信〔2025〕9号"
    assert detail["history"][0]["department"] == "省工业和信息化厅" and not detail["history"][0]["synthetic"]
    assert detail["history"][0]["by"] is not None  # a signed-in reader sees who reported
    anonymous.post("/logout", data={"csrf_token": token})
    public = anonymous.get(f"/api/tasks/{CODE}").json()
    assert public["history"][0]["department"] == "省工业和信息化厅" and public["history"][0]["by"] is None
    assert detail["history"][0]["by"] not in anonymous.get(f"/tasks/{CODE}").text
    sign_in(anonymous, "miit")
    # A task that names other departments only.
    other = next(t["code"] for t in anonymous.get("/api/tasks?department=省教育厅").json()["tasks"]
                 if "省工业和信息化厅" not in t["lead"] + t["cooperating"])
    refused = anonymous.post(f"/api/tasks/{other}/updates", json={"status": "in_progress", "note": "代报"})
    assert refused.status_code == 403


def test_api_update_as_administrator(client):
    response = client.post(f"/api/tasks/{CODE}/updates", json={"status": "delayed", "note": "用地指标未落实"})
    assert response.status_code == 201 and response.json()["status"] == "delayed"
    bad = client.post(f"/api/tasks/{CODE}/updates?lang=zh", json={"status": "in_progress", "note": ""})
    assert bad.status_code == 400 and bad.json()["detail"][0]["loc"][-1] == "note"
    assert client.post(f"/api/tasks/{CODE}/updates", json={"status": "finished", "note": "x"}).status_code == 422
