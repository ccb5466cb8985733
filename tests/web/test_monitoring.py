"""The target board page, its JSON twin, and the periodic report as PDF and .xlsx over HTTP."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO

import openpyxl
import pytest

from tests.conftest import unavailable


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        unavailable("pdftotext (Debian's poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_board_page_and_filters(demo_client):
    # The client is shared: every request names its language, as a remembered choice would leak.
    page = demo_client.get("/targets?period=2023&lang=zh")
    assert page.status_code == 200
    assert "目标看板" in page.text and 'id="board-table"' in page.text and "合成" in page.text
    assert page.text.count('data-target="') == 39
    red = demo_client.get("/targets?period=2023&light=red&cluster=&scope=")
    lights = re.findall(r'data-target="[^"]+" data-light="(\w+)"', red.text)
    assert red.status_code == 200 and lights and set(lights) == {"red"}
    english = demo_client.get("/targets?period=2023&lang=en")
    assert "Target board" in english.text and "Plan schedule" in english.text


def test_board_api(demo_client):
    data = demo_client.get("/api/board", params={"period": "2025-Q3", "disagree": "true"}).json()
    assert data["as_of_year"] == 2024 and data["rows"]
    for row in data["rows"]:
        assert row["progress"]["disagree"] and {m["method"] for m in row["progress"]["methods"]} == {"plan_schedule", "cagr_ratio"}
        assert row["citation"]["line"] > 0 and row["data_synthetic"] is True


@pytest.mark.parametrize(
    ("url", "field", "text"),
    [("/api/board?period=2025-Q9&lang=zh", "period", "不是报告期"),
     ("/api/reports/monitoring?period=2025&scope=moon&lang=zh", "scope", "不是报告范围")],
)
def test_bad_requests_are_named_in_chinese(demo_client, url, field, text):
    response = demo_client.get(url)
    assert response.status_code == 400
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == field and text in detail["msg"]


def test_report_pdf_has_the_chinese_title_and_the_table_of_targets(demo_client, tmp_path):
    response = demo_client.get("/reports/monitoring.pdf", params={"period": "2025-Q3", "scope": "cluster:electronics", "lang": "zh"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert 'filename="clusterwatch-cluster-electronics-2025-Q3.pdf"' in response.headers["content-disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "新一代电子信息产业集群监测报告（2025年第三季度）" in text
    assert "合成数据" in text and "营业收入" in text and "66,000" in text and "第198行" in text


def test_report_pdf_of_the_province_lists_every_target(demo_client, tmp_path):
    text = pdf_text(demo_client.get("/reports/monitoring.pdf?period=2024&lang=zh").content, tmp_path)
    assert "广东省战略性产业集群监测报告（2024年）" in text
    for words in ("制造业增加值占GDP比重", "规模以上制造业全员劳动生产率", "本年累计", "共39项目标"):
        assert words in text.replace(" ", ""), words


def test_report_xlsx_holds_the_tables(demo_client):
    response = demo_client.get("/reports/monitoring.xlsx?period=2025-Q3&scope=cluster:robotics&lang=zh")
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["说明", "目标", "目标趋势", "本年累计", "预警", "城市"]
    goals = list(book["目标"].iter_rows(values_only=True))
    assert goals[0][0] == "目标代码" and [r[0] for r in goals[1:]] == ["robotics-revenue"]
    trend = list(book["目标趋势"].iter_rows(values_only=True))
    assert trend[0][2:] == ("2019", "2020", "2021", "2022", "2023", "2024")
    months = list(book["本年累计"].iter_rows(values_only=True))[1]
    assert months[2] == 9 and months[3] > 0 and months[4] > 0


def test_board_links_to_the_reports(demo_client):
    page = demo_client.get("/targets?period=2025-Q3&cluster=robotics&lang=zh").text
    assert "/reports/monitoring.pdf?period=2025-Q3&amp;scope=cluster:robotics&amp;lang=zh" in page


def test_warnings_page_and_api(demo_client):
    page = demo_client.get("/warnings?period=2025-Q3&lang=zh")
    assert page.status_code == 200 and "预警" in page.text and 'data-kind="off_track"' in page.text
    filtered = demo_client.get("/warnings?period=2025-Q3&kind=returns_missing&city=440300&cluster=&lang=zh")
    assert set(re.findall(r'data-kind="(\w+)"', filtered.text)) == {"returns_missing"}
    data = demo_client.get("/api/warnings?period=2025-Q3&yoy_fall=5").json()
    assert data["thresholds"] == {"yoy_fall": 5.0, "mom_fall": 35.0} and data["counts"]["yoy_fall"] > 0
    assert demo_client.get("/api/warnings?period=2025-Q3&mom_fall=0").status_code == 422


def test_rankings_and_commendation_pages(demo_client):
    page = demo_client.get("/rankings?period=2024&cluster=electronics&lang=zh")
    assert page.status_code == 200 and 'id="cluster-ranking"' in page.text and 'id="overall-ranking"' in page.text
    assert "营业收入 30" in page.text  # the method shown with its weights
    bad = demo_client.get("/rankings?weights=revenue:50,revenue_growth:40&lang=zh")
    assert bad.status_code == 400 and "权重合计为 90，应为 100" in bad.text
    commendation = demo_client.get("/rankings/commendation?period=2024&lang=zh")
    assert commendation.status_code == 200 and "2024年度拟通报表扬地市名单" in commendation.text
    assert commendation.text.count("<li>") >= 3
    api = demo_client.get("/api/rankings?period=2024&normalisation=z_score").json()
    assert api["normalisation"] == "z_score" and len(api["overall"]["cities"]) == 21


def test_cluster_page_shows_both_methods_and_the_projection(demo_client):
    page = demo_client.get("/clusters/electronics?year=2023&lang=zh").text
    assert "规划进度法" in page and "几何外推" in page and '"projection": [[2023' in page


def test_city_scorecard(demo_client):
    page = demo_client.get("/cities/440300?year=2024&lang=zh").text
    assert 'id="scorecard"' in page and "总排名：全部战略性产业集群" in page and " / 21" in page
