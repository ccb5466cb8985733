"""The JSON API over the demo database, on both engines."""

from __future__ import annotations


def test_clusters_lists_the_20_strategic_clusters_with_kind(demo_client):
    clusters = demo_client.get("/api/clusters").json()
    assert len(clusters) == 20
    assert [c["kind"] for c in clusters].count("pillar") == 10
    assert clusters[0]["slug"] == "electronics" and clusters[0]["name_zh"] == "新一代电子信息"
    assert clusters[0]["cities"] == 15
    goal = clusters[0]["headline"]
    assert (goal["value"], goal["unit"], goal["year"]) == (66000, "亿元", 2025)
    assert goal["citation"]["document"] == "002" and goal["citation"]["line"] == 198
    assert goal["progress"]["status"] in {"achieved", "missed"} and goal["progress"]["method"] == "plan_schedule"
    assert goal["data_synthetic"] is True


def test_clusters_by_kind(demo_client):
    assert len(demo_client.get("/api/clusters?kind=future").json()) == 6
    assert len(demo_client.get("/api/clusters?kind=all").json()) == 28
    assert demo_client.get("/api/clusters?kind=nonsense").status_code == 422


def test_layout_gives_287_placements_with_tiers(demo_client):
    layout = demo_client.get("/api/layout").json()
    assert len(layout) == 287
    assert {p["tier"] for p in layout} == {"core", "key", "general"}
    assert all(p["citation"]["document"] == "002" for p in layout)
    guangzhou = demo_client.get("/api/layout?region=440100").json()
    assert len(guangzhou) == 20
    assert len(demo_client.get("/api/layout?cluster=advanced-materials&tier=core").json()) == 3


def test_overview_twin(demo_client):
    data = demo_client.get("/api/overview?cluster=automotive&indicator=value_added&year=2023").json()
    assert data["year"] == 2023 and data["cluster"]["slug"] == "automotive"
    assert data["data"]["synthetic"] is True and "合成" in data["data"]["zh"]
    placed = [r for r in data["map"] if r["value"] is not None]
    assert len(data["map"]) == 21 and len(placed) == 17
    assert {r["tier"] for r in placed} <= {"core", "key", "general"}


def test_cluster_twin_has_series_path_and_cities(demo_client):
    data = demo_client.get("/api/clusters/advanced-materials").json()
    assert [p["period"] for p in data["series"]] == [str(y) for y in range(2019, 2026)]
    assert data["series"][0]["value"] == 21540
    assert data["headline"]["progress"]["path"] == [[2019, 21540.0], [2025, 28000.0]]
    assert len(data["monthly"]) == 24 and len(data["cities"]) == 19
    assert abs(sum(c["share"] for c in data["cities"]) - 100) < 1e-6


def test_city_twin(demo_client):
    data = demo_client.get("/api/cities/445200?year=2024").json()
    assert data["region"]["name_zh"] == "揭阳市" and data["region"]["zone"] == "east"
    assert len(data["clusters"]) == 8  # 4 pillar + 4 emerging, the matrices' last rows


def test_targets_list_every_goal_with_citation(demo_client):
    targets = demo_client.get("/api/targets").json()
    assert len(targets) == 39
    assert all(t["citation"]["text"] and t["citation"]["line"] > 0 for t in targets)
    assert all(t["data_synthetic"] for t in targets)
    growth = [t for t in targets if t["code"] == "emerging-revenue-growth"][0]
    assert growth["progress"]["method"] == "cagr_ratio" and growth["progress"]["cagr"] is not None
    sub = [t for t in targets if t["cluster"] == "food"][0]
    assert sub["progress"]["status"] == "no_data"


def test_observations_page(demo_client):
    page = demo_client.get("/api/observations?indicator=revenue&cluster=robotics&period=2025").json()
    assert page["total"] == 13 and all(o["synthetic"] for o in page["items"])
    assert demo_client.get("/api/observations?limit=5&offset=10").json()["offset"] == 10


def test_unknown_cluster_region_or_indicator_is_a_json_404(demo_client):
    for url in ["/api/clusters/nope", "/api/cities/999999", "/api/layout?cluster=nope",
                "/api/overview?indicator=nope", "/api/observations?region=123"]:
        response = demo_client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"].startswith("没有")  # in the user's language: Chinese unless asked
        english = demo_client.get(url + ("&" if "?" in url else "?") + "lang=en")
        assert english.json()["detail"].startswith("no ")


def test_bad_parameters_name_the_field(demo_client):
    response = demo_client.get("/api/overview?year=abc")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "year"]
    response = demo_client.get("/api/observations?period=2025-13")
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["query", "period"] and "2025-Q1" in response.json()["detail"][0]["msg"]
    assert demo_client.get("/api/observations?limit=0").status_code == 422


def test_openapi_documents_every_twin(demo_client):
    paths = demo_client.get("/openapi.json").json()["paths"]
    for path in ["/api/overview", "/api/clusters", "/api/clusters/{slug}", "/api/cities/{code}", "/api/layout",
                 "/api/targets", "/api/observations", "/api/regions", "/api/indicators"]:
        assert path in paths
    docs = demo_client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_forms_are_listed(demo_client):
    forms = {f["code"]: f for f in demo_client.get("/api/forms").json()}
    assert [i["indicator"] for i in forms["cluster-monthly"]["indicators"]] == ["revenue", "value_added", "rd_spending"]
    assert forms["province-annual"]["indicators"][0] == {"indicator": "mfg_va_gdp_share", "min": 0.0, "max": 100.0, "unit": None}
    assert forms["enterprise-annual"]["level"] == "enterprise"
    assert forms["enterprise-annual"]["indicators"][0] == {"indicator": "revenue", "min": 0.0, "max": None, "unit": "万元"}
