"""Take the screenshots in docs/: the overview, a cluster page and the target board, in Chromium.

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
SHOTS = [
    ("overview.png", "/?lang=zh", "#overview-map"),
    ("cluster.png", "/clusters/advanced-materials?lang=zh", "#cluster-chart"),
    ("overview-en.png", "/?lang=en&cluster=electronics", "#overview-map"),
    ("targets.png", "/targets?lang=zh&period=2025-Q3", None),
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
            for name, path, chart in SHOTS:
                page.goto(f"http://127.0.0.1:{port}{path}")
                if chart:
                    page.wait_for_selector(f"{chart}[data-drawn=true]")
                    page.wait_for_timeout(1200)  # let ECharts finish its entry animation
                # The board is long: its first screenful is what the README shows.
                page.screenshot(path=str(DOCS / name), full_page=chart is not None)
                print("wrote", DOCS / name)
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
