"""Browser tests: a live server on a migrated SQLite file with the demo organisation, and
headless Debian Chromium driven by Playwright at phone width."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from core.app import create_app
from core.extensions import db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
DEMO_PASSWORD = "Anzhi2026"



def pytest_collection_modifyitems(config, items) -> None:
    """Mark every browser test ``e2e`` (``pytestmark`` in a conftest would not reach the modules)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_app(tmp_path) -> Iterator[Flask]:
    """An app on its own SQLite file, migrated, with the demo organisation loaded."""
    from org.demo_org import load_demo_org

    app = create_app({
        "DATABASE_URL": f"sqlite:///{tmp_path}/live.db",
        "SECRET_KEY": "e2e",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "DEMO_MODE": True,
    })
    with app.app_context():
        upgrade()
        load_demo_org(Path(app.config["CONTENT_DIR"]) / "demo" / "org.yaml", datetime.now(UTC))
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_app) -> Iterator[str]:
    """The live app served on a free local port in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def phone(browser, live_server):
    """A fresh browser context at 360 px; ``phone.goto("/path")`` resolves against the server."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server):
    """A fresh browser context at 1366 px."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def log_in(page, emp_no: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/auth/login")
    page.fill("input[name=emp_no]", emp_no)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll a page expression until it is truthy (page.wait_for_function evaluates strings, which the
    site's Content-Security-Policy forbids; page.evaluate goes through the debugger and is allowed)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:g} s: {expression}")
        page.wait_for_timeout(100)


# The demo site of the journey tests (`make run`'s data, an injected clock): fixtures ``demo_site`` and ``site``.
from tests.e2e.journey_support import demo_site, site  # noqa: E402, F401
