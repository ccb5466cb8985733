"""The target board in Chromium: filter it, then download the periodic report and read it back."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import unavailable

pytestmark = pytest.mark.browser


def test_board_filters_and_the_pdf_report(page, live_server, tmp_path):
    if shutil.which("pdftotext") is None:
        unavailable("pdftotext (Debian's poppler-utils) is not installed")
    page.goto(live_server + "/targets?lang=zh")
    rows = page.locator("#board-table tbody tr[data-target]")
    assert rows.count() == 39
    assert "合成数据" in page.locator("#data-notice").inner_text()

    # The third quarter of 2025, red lights only.
    page.fill("#board-filters input[name=period]", "2025-Q3")
    page.select_option("#board-filters select[name=light]", "red")
    page.click("#board-filters button[type=submit]")
    page.wait_for_url("**/targets?*light=red*")
    red = rows.count()
    assert red > 0 and all(rows.nth(i).get_attribute("data-light") == "red" for i in range(red))
    assert f"显示{red}项" in page.locator("#board-counts").inner_text()

    # One cluster, any light.
    page.select_option("#board-filters select[name=light]", "")
    page.select_option("#board-filters select[name=cluster]", "electronics")
    page.click("#board-filters button[type=submit]")
    page.wait_for_url("**cluster=electronics*")
    assert rows.count() == 1 and rows.first.get_attribute("data-target") == "electronics-revenue"
    assert "本次依据2024年数据评估" in page.locator("#period-help").inner_text()

    with page.expect_download() as download:
        page.click("#report-pdf")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "clusterwatch-cluster-electronics-2025-Q3.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "新一代电子信息产业集群监测报告（2025年第三季度）" in text
    assert "目标看板" in text and "营业收入" in text and "66,000" in text  # the table of targets, with the goal
    assert "合成数据" in text
