"""The pages as a person sees them in Chromium: map, labels, charts, language switch."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_overview_draws_the_map_of_21_cities_and_lists_20_clusters(page, live_server):
    page.goto(live_server + "/?lang=zh")
    chart = page.locator("#overview-map")
    chart.and_(page.locator("[data-drawn=true]")).wait_for(timeout=15000)
    assert chart.get_attribute("data-regions") == "21"
    assert chart.locator("canvas").count() >= 1
    assert page.locator("#cluster-table tbody tr").count() == 20
    assert page.locator("h1").inner_text() == "广东省战略性产业集群（2021—2025年）"
    assert "合成数据" in page.locator("#data-notice").inner_text()
    # The map's own data: one entry per city, named as on the map.
    names = page.evaluate("echarts.getInstanceByDom(document.getElementById('overview-map')).getOption().series[0].data.map(d => d.name)")
    assert len(names) == 21 and all(n.endswith("市") for n in names)


def test_switching_language_changes_the_labels(page, live_server):
    page.goto(live_server + "/?lang=zh")
    assert "战略性产业集群及其2025年目标" in page.locator("#cluster-table").locator("xpath=..").inner_text()
    page.click("text=English")
    page.wait_for_url(re.compile(r"lang=en"))
    section = page.locator("#cluster-table").locator("xpath=..").inner_text()
    assert "The strategic clusters and their 2025 goals" in section
    assert "New-generation electronic information" in section
    assert "Synthetic data" in page.locator("#data-notice").inner_text()
    # The choice is remembered on the next page.
    page.click("#cluster-table >> text=Automobiles")
    page.wait_for_selector("#cluster-chart[data-drawn=true]")
    assert "Layout over the cities" in page.content()
    page.click("text=中文")


def test_cluster_page_draws_its_series_against_the_goal(page, live_server):
    page.goto(live_server + "/clusters/advanced-materials?lang=zh")
    page.wait_for_selector("#cluster-chart[data-drawn=true]", timeout=15000)
    assert page.locator("#cluster-chart").get_attribute("data-points") == "7"
    option = page.evaluate("""() => {
        const o = echarts.getInstanceByDom(document.getElementById('cluster-chart')).getOption();
        return {names: o.series.map(s => s.name), goal: o.series[0].markLine.data[0].yAxis, n: o.series[0].data.length};
    }""")
    assert option == {"names": ["实际值", "目标直线路径"], "goal": 28000, "n": 7}
    assert "到 2025 年，先进材料产业营业收入达到 2.8 万亿元" in page.locator("#goal").inner_text()
    page.wait_for_selector("#cluster-map[data-drawn=true]")
    assert page.locator("#cluster-cities tbody tr").count() == 19


def test_filters_update_the_overview_in_place(page, live_server):
    page.goto(live_server + "/?lang=zh")
    page.wait_for_selector("#overview-map[data-drawn=true]")
    page.select_option("#filter-cluster", "robotics")
    page.wait_for_url(re.compile(r"cluster=robotics"))
    page.wait_for_function("document.querySelector('#overview-body h2').textContent.includes('智能机器人')")
    page.wait_for_selector("#overview-map[data-drawn=true]")
    values = page.evaluate("echarts.getInstanceByDom(document.getElementById('overview-map')).getOption().series[0].data.filter(d => d.value != null).length")
    assert values == 13


def test_clicking_a_city_on_the_map_opens_its_page(page, live_server):
    page.goto(live_server + "/?lang=zh")
    page.wait_for_selector("#overview-map[data-drawn=true]")
    # Click where the map draws Shaoguan's label point (cp in the map file): a real mouse click.
    x, y = page.evaluate("""() => {
        const el = document.getElementById('overview-map');
        const chart = echarts.getInstanceByDom(el);
        const city = echarts.getMap('guangdong').geoJSON.features.find(f => f.properties.name === '韶关市');
        const [px, py] = chart.convertToPixel({seriesIndex: 0}, city.properties.cp);
        const box = el.getBoundingClientRect();
        return [box.left + px, box.top + py];
    }""")
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/cities/440200"))
    page.wait_for_selector("#city-chart[data-drawn=true]")
    assert page.locator("h1").inner_text() == "韶关市"


def test_clicking_a_city_in_the_list_opens_its_page(page, live_server):
    page.goto(live_server + "/?lang=zh")
    page.wait_for_selector("#overview-map[data-drawn=true]")
    page.click("#city-table >> text=深圳市")
    page.wait_for_url(re.compile(r"/cities/440300"))
    page.wait_for_selector("#city-chart[data-drawn=true]")
    assert page.locator("h1").inner_text() == "深圳市"


def test_unknown_cluster_shows_a_404_page(page, live_server):
    response = page.goto(live_server + "/clusters/no-such-cluster?lang=zh")
    assert response.status == 404
    assert "未找到" in page.locator("h1").inner_text()


def test_review_an_uploaded_document(page, live_server, tmp_path):
    doc = tmp_path / "robots.txt"
    doc.write_text("广东省培育测试产业集群行动计划（2021—2025年）\n到2025年，智能机器人产业营业收入达到900亿元，力争培育龙头企业10家。\n",
                   encoding="utf-8")
    page.goto(live_server + "/review?lang=zh")
    # Not signed in: the review sends us to sign in, and back.
    page.wait_for_url(re.compile(r"/login\?next=/review"))
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "wrong password")
    page.click("#login-form button[type=submit]")
    assert "用户名或密码错误" in page.locator("#login-error").inner_text()
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(re.compile(r"/review$"))
    assert "演示管理员" in page.locator("#signed-in-as").inner_text()
    page.set_input_files("#upload-form input[type=file]", str(doc))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/review/\d+"))
    first = page.locator(".review-item").first
    assert "到2025年，智能机器人产业营业收入达到900亿元" in first.inner_text()
    assert first.locator("select[name=scope]").input_value() == "cluster:robotics"
    first.locator("input[name=code]").fill("robots-2025")
    first.locator("button[value=confirm]").click()
    page.wait_for_selector(".review-item[data-status=edited]")
    assert "code" in page.locator(".review-item[data-status=edited]").inner_text()
    page.locator(".review-item[data-status=extracted] button[value=reject]").click()
    page.wait_for_selector(".review-item[data-status=rejected]")
