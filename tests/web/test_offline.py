"""Nothing is fetched from outside at run time: assets are vendored and checked."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "clusterwatch" / "web"
VENDOR = WEB / "static" / "vendor"


def test_vendored_files_match_their_recorded_checksums():
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)`.*\| `([0-9a-f]{64})` \|$", (VENDOR / "VENDOR.md").read_text(), re.M)
    assert len(rows) >= 8
    for path, _package, digest in rows:
        assert hashlib.sha256((VENDOR / path).read_bytes()).hexdigest() == digest, path


def test_the_guangdong_map_has_21_cities_ending_in_shi():
    geo = json.loads((VENDOR / "maps" / "guangdong.json").read_text(encoding="utf-8"))
    names = [f["properties"]["name"] for f in geo["features"]]
    assert len(names) == 21 and all(n.endswith("市") for n in names)


def test_the_plan_uses_the_map_names():
    from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file

    geo = json.loads((VENDOR / "maps" / "guangdong.json").read_text(encoding="utf-8"))
    on_map = {f["id"]: f["properties"]["name"] for f in geo["features"]}
    cities = {r.code: r.name_zh for r in read_plan_file(embedded_plan_path()).data.regions if r.level == "city"}
    assert cities == on_map


def test_own_templates_and_scripts_load_nothing_from_outside():
    for path in [*WEB.glob("templates/*.html"), WEB / "static" / "app.js", WEB / "static" / "app.css"]:
        assert not re.search(r"https?://", path.read_text(encoding="utf-8")), path
