"""Take the screenshots in docs/: overview, cluster page, target board, evaluation and a firm, in Chromium.

    .venv/bin/python scripts/screenshots.py

Builds a demo database in a temporary folder, serves it on a free port, and drives Debian's
Chromium with Playwright (no browser download).
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from clusterwatch.cli import build_demo_database
from clusterwatch.settings import Settings
from clusterwatch.web.app import create_app

DOCS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
# (file, page, chart to wait for, whole page or its first screenful: long pages show the top)
SHOTS = [
    ("overview.png", "/?lang=zh", "#overview-map", True),
    ("cluster.png", "/clusters/advanced-materials?lang=zh", "#cluster-chart", True),
    ("overview-en.png", "/?lang=en&cluster=electronics", "#overview-map", True),
    ("targets.png", "/targets?lang=zh&period=2025-Q3", None, False),
    ("evaluation.png", "/evaluation?lang=zh", "#evaluation-map", False),
    ("enterprise.png", "first firm of /enterprises?lang=zh&class=A&city=440300", None, False),
]


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        build_demo_database(url)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(create_app(Settings(database_url=url)), host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            for name, path, chart, whole in SHOTS:
                if path.startswith("first firm of "):
                    page.goto(f"http://127.0.0.1:{port}{path.removeprefix('first firm of ')}")
                    page.click("#enterprises-table tbody tr[data-uscc] a")
                    page.wait_for_selector("#breakdown-table")
                else:
                    page.goto(f"http://127.0.0.1:{port}{path}")
                if chart:
                    page.wait_for_selector(f"{chart}[data-drawn=true]")
                    page.wait_for_timeout(1200)  # let ECharts finish its entry animation
                page.screenshot(path=str(DOCS / name), full_page=whole)
                print("wrote", DOCS / name)
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
