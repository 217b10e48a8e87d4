"""What the journey tests share: the demo site as `make run` builds it (copied per test), served on a free
port with an injected clock, and a Journey holding each person's browser context at one width."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from flask_migrate import upgrade
from werkzeug.serving import make_server

from core.app import create_app
from core.extensions import db
from tests.e2e.conftest import DEMO_PASSWORD, log_in

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 Beijing time
PHONE = {"width": 360, "height": 780}
SHOTS = Path(os.environ.get("ANZHI_E2E_SHOTS", "test-artifacts"))  # screenshots of each walk


def _config(folder: Path) -> dict:
    return {"DATABASE_URL": f"sqlite:///{folder}/live.db", "SECRET_KEY": "e2e", "DEMO_MODE": True,
            "INSTANCE_PATH": str(folder / "instance"), "SEARCH_INDEX_DIR": str(folder / "search-index"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "FROZEN_NOW": T0}


def _invoke(app, *args: str) -> Result:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    """The demo data as `make run` builds it (organisation, content, questions, training), once."""
    folder = tmp_path_factory.mktemp("demo-site")
    app = create_app(_config(folder))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    for command in (("demo", "load"), ("content", "import"), ("questions", "import"), ("demo", "training")):
        _invoke(app, *command)
    with app.app_context():
        db.engine.dispose()
    return folder


@pytest.fixture
def site(demo_site, tmp_path):
    """A copy of the demo site served on a free port; yields (base URL, app) so tests can move the clock."""
    shutil.copy(demo_site / "live.db", tmp_path / "live.db")
    app = create_app(_config(tmp_path))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


class Journey:
    """The people of the journey, each in their own browser context at the same width."""

    def __init__(self, browser, base_url: str, app, viewport: dict, name: str, journey: str = "journey1") -> None:
        self.browser, self.base_url, self.app, self.viewport, self.name = browser, base_url, app, viewport, name
        self.journey = journey
        self.contexts = []

    def page(self, emp_no: str, password: str = DEMO_PASSWORD):
        context = self.browser.new_context(viewport=self.viewport, locale="zh-CN", base_url=self.base_url)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, emp_no, password)
        return page

    def tick(self, seconds: float) -> None:
        self.app.config["FROZEN_NOW"] += timedelta(seconds=seconds)

    @property
    def today(self) -> str:
        return (self.app.config["FROZEN_NOW"] + timedelta(hours=8)).date().isoformat()

    def shot(self, page, what: str) -> None:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{self.journey}-{self.name}-{what}.png"), full_page=True)

    def fits(self, page) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.viewport["width"], f"{page.url} is {width}px wide"

    def close(self) -> None:
        for context in self.contexts:
            context.close()
