"""Browser tests: a real server on a free port and Debian's Chromium driven by Playwright.

Chromium is never downloaded (no `playwright install`): Debian's /usr/bin/chromium is used.
Without it the tests are skipped, except under CI=true, where that is a failure. A failing
test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import FULL_DEMO_PASSWORD, unavailable

CHROMIUM = os.environ.get("CLUSTERWATCH_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = FULL_DEMO_PASSWORD  # the administrator's, and the users' added here
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The closed network refuses Chromium's background connections; these flags stop it trying.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


USERS = {"sz-reporter": ("reporter", "440300"), "gd-approver": ("approver", "440000")}


def add_users(url: str) -> None:
    from clusterwatch.accounts.service import create_user
    from clusterwatch.db import make_engine, session_factory, transaction

    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        for name, (role, region) in USERS.items():
            create_user(session, username=name, password=DEMO_PASSWORD, role=role, region_code=region)
    engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, full_demo_file):
    import uvicorn

    from clusterwatch.settings import Settings
    from clusterwatch.web.app import create_app

    path = tmp_path_factory.mktemp("browser") / "demo.db"
    shutil.copyfile(full_demo_file, path)
    url = f"sqlite:///{path}"
    add_users(url)
    port = free_port()
    # The reporting calendar is fixed at 2026-04-15, when the 2025 annual returns are open.
    settings = Settings(database_url=url, today=dt.date(2026, 4, 15))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable(f"Playwright is not installed: {exc}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # A script, style or frame the Content-Security-Policy blocks is reported on the console.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
