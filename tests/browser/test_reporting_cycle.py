"""The reporting cycle in Chromium: a city reporter downloads the template, fills it, uploads
it, sees the error, fixes it and submits; the province's approver approves; the province
accepts; the value shows on the overview at once; the audit holds every step."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    page.goto(live_server + "/login?next=/reporting&lang=zh")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/reporting"))


def sign_out(page):
    page.click("header .account button")
    page.wait_for_url(re.compile(r"/$|/\?"))


def upload(page, tmp_path, content: bytes, button: str):
    path = tmp_path / "return.xlsx"
    path.write_bytes(content)
    page.set_input_files("#upload-return input[type=file]", str(path))
    page.click(f"#upload-return button:has-text('{button}')")
    page.wait_for_selector("#return-result")


def edited(path, cells) -> bytes:
    book = load_workbook(path)
    for ref, value in cells.items():
        book["数据"][ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def act(page, unit, action):
    page.click(f"#return-status tr[data-unit='{unit}'] button[data-action='{action}']")
    page.wait_for_selector(f"#return-status tr[data-unit='{unit}'] .return-status")


def status_of(page, unit):
    return page.locator(f"#return-status tr[data-unit='{unit}'] .return-status").inner_text()


def test_the_whole_cycle(page, live_server, tmp_path):
    sign_in(page, live_server, "sz-reporter")
    page.select_option("#template-form select[name=form]", "cluster-annual")
    page.fill("#template-form input[name=unit]", "440300")
    page.fill("#template-form input[name=period]", "2025")
    with page.expect_download() as download:
        page.click("#template-form button[type=submit]")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    upload(page, tmp_path, edited(template, {"B5": 12345.6, "C5": "很多"}), "校验并导入")
    errors = page.locator("#return-errors").inner_text()
    assert "C5" in errors and "不是数字" in errors  # in Chinese, the page's language
    assert "已校验，未导入" in page.locator("#return-result").inner_text()

    upload(page, tmp_path, edited(template, {"B5": 12345.6}), "校验并导入")
    assert "已导入" in page.locator("#return-result").inner_text()
    page.click("#to-status")
    assert status_of(page, "440300") == "draft"
    act(page, "440300", "submit")
    assert status_of(page, "440300") == "submitted"
    sign_out(page)

    sign_in(page, live_server, "gd-approver")
    page.goto(live_server + "/reporting?form=cluster-annual&period=2025&lang=zh")
    act(page, "440300", "approve")
    assert status_of(page, "440300") == "approved"
    sign_out(page)

    sign_in(page, live_server, "admin")
    page.goto(live_server + "/reporting?form=cluster-annual&period=2025&lang=zh")
    act(page, "440300", "accept")
    assert status_of(page, "440300") == "accepted"

    page.goto(live_server + "/?cluster=electronics&year=2025&lang=zh")
    page.wait_for_selector("#overview-map[data-drawn=true]")
    row = page.locator("#city-table tr", has_text="深圳市").inner_text()
    assert "12,345.6" in row

    audit = page.request.get(live_server + "/api/returns/cluster-annual/440300/2025").json()
    assert [(e["action"], e["user"]) for e in audit["events"]] == [
        ("submit", "sz-reporter"), ("approve", "gd-approver"), ("accept", "admin")]
    history = page.request.get(live_server + "/api/observations/history?indicator=revenue&region=440300"
                                             "&period=2025&cluster=electronics").json()
    assert history[-1]["new_value"] == 12345.6 and history[-1]["user"] == "sz-reporter"
