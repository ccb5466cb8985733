"""The enterprise register in Chromium: search a firm, open its profile, read its class and breakdown."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_search_a_firm_and_read_its_evaluation(page, live_server):
    page.goto(live_server + "/enterprises?lang=zh")
    assert "合成数据" in page.locator("#data-notice").inner_text()
    # Search by part of a name, in one city.
    page.fill("#enterprise-q", "示例电子")
    page.select_option("#enterprise-search select[name=city]", "440100")
    page.click("#enterprise-search-button")
    page.wait_for_url("**/enterprises?*city=440100*")
    rows = page.locator("#enterprises-table tbody tr[data-uscc]")
    assert rows.count() > 0
    assert all("示例电子" in rows.nth(i).inner_text() and "广州市" in rows.nth(i).inner_text() for i in range(rows.count()))
    first = rows.first
    uscc, klass = first.get_attribute("data-uscc"), first.locator("[data-class]").get_attribute("data-class")

    first.locator("a").first.click()
    page.wait_for_url(f"**/enterprises/{uscc}")
    assert page.locator("#firm-uscc").inner_text() == uscc
    assert page.locator("#firm-class .big-class [data-class]").get_attribute("data-class") == klass
    # Six indicators, each with its value, benchmark, weight and score; the weights make 100.
    breakdown = page.locator("#breakdown-table tbody tr[data-indicator]")
    assert breakdown.count() == 6
    weights = [float(breakdown.nth(i).locator("td").nth(3).inner_text()) for i in range(6)]
    scores = [float(breakdown.nth(i).locator("td").nth(4).locator("strong").inner_text()) for i in range(6)]
    assert sum(weights) == 100
    total = float(page.locator("#firm-total strong").inner_text())
    assert abs(sum(scores) - total) < 0.35  # each shown to one decimal
    assert page.locator("#class-history tbody tr").count() == 3
    assert "亩均税收" in page.locator("#breakdown-table").inner_text()
