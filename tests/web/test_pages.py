"""The HTML pages: Chinese first, English by a switch, synthetic data always said, proper 404s."""

from __future__ import annotations

import re

import pytest


def test_overview_in_chinese_by_default(demo_client):
    demo_client.cookies.clear()
    html = demo_client.get("/").text
    assert '<html lang="zh-CN">' in html
    assert "战略性产业集群及其2025年目标" in html and "新一代电子信息" in html
    assert "合成数据" in html and "演示数据为程序合成" in html
    assert html.count('data-cluster="') == 20


def test_switching_to_english_changes_labels_and_is_remembered(demo_client):
    demo_client.cookies.clear()
    response = demo_client.get("/?lang=en")
    assert "The strategic clusters and their 2025 goals" in response.text
    assert "Synthetic data" in response.text and "New-generation electronic information" in response.text
    assert response.cookies.get("cw_lang") == "en"
    # The cookie carries the choice to the next page, which has no ?lang=.
    demo_client.cookies.set("cw_lang", "en")
    html = demo_client.get("/clusters/automotive").text
    assert "Layout over the cities" in html and "地市布局" not in html
    demo_client.cookies.clear()


def test_htmx_request_gets_the_partial(demo_client):
    partial = demo_client.get("/?cluster=robotics&year=2022", headers={"HX-Request": "true"}).text
    assert "<html" not in partial and 'id="overview-map"' in partial and "2022" in partial


def test_cluster_page_shows_goal_with_its_quote(demo_client):
    html = demo_client.get("/clusters/advanced-materials?lang=zh").text
    assert "到 2025 年，先进材料产业营业收入达到 2.8 万亿元" in html
    assert "第266行" in html and "2019年全省先进材料产业主营业务收入达21540亿元" in html
    assert 'data-chart="series"' in html and "合成" in html


def test_city_page(demo_client):
    html = demo_client.get("/cities/440300?lang=zh").text
    assert "深圳市" in html and "珠三角核心区" in html and "合成" in html


@pytest.mark.parametrize("url", ["/clusters/nope", "/cities/999999", "/cities/440000", "/no/such/page"])
def test_unknown_things_get_a_404_page_not_a_trace(demo_client, url):
    response = demo_client.get(url + "?lang=zh")
    assert response.status_code == 404
    assert "未找到" in response.text and "Traceback" not in response.text
    assert "返回总览" in response.text


def test_404_page_in_english(demo_client):
    response = demo_client.get("/clusters/nope?lang=en")
    assert response.status_code == 404 and "Not found" in response.text and "no cluster &#39;nope&#39;" in response.text
    demo_client.cookies.clear()


def test_bad_query_value_gets_a_page_naming_the_field(demo_client):
    response = demo_client.get("/?year=abc&lang=zh")
    assert response.status_code == 400 and "请求参数有误" in response.text and "year" in response.text


def test_pages_reference_no_outside_address(demo_client):
    for url in ["/", "/clusters/electronics", "/cities/440100", "/docs"]:
        html = demo_client.get(url).text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), url
