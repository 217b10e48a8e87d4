"""The application factory: the one module that imports the domain packages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from core import attachments  # noqa: F401  (the attachments table, known to migrations)
from core import views as core_views
from core.config import load_config
from core.db import render_migration_item, tune_sqlite
from core.errors import register_error_handlers
from core.extensions import babel, csrf, db, limiter, login_manager, migrate
from core.input import IdConverter
from core.security import register_security_headers
from core.ui import register_template_helpers

ROOT = Path(__file__).resolve().parent.parent
# Anzhi runs from its checkout (README, "Deploying"): these sit next to the packages.
CHECKOUT_FILES = ("wsgi.py", "templates", "static", "migrations", "translations", "content")


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Anzhi app. Does no I/O beyond reading configuration."""
    check_checkout(ROOT)
    instance = (overrides or {}).get("INSTANCE_PATH") or os.environ.get("ANZHI_INSTANCE_PATH")
    app = Flask(
        "anzhi",
        root_path=str(ROOT),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(instance or ROOT / "instance"),
        instance_relative_config=True,
    )
    load_config(app, overrides)
    if app.config.get("PROXY_FIX"):
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    # Before any route exists: every ``<int:…>`` takes ASCII digits up to what the database holds (else 404).
    app.url_map.converters["int"] = IdConverter
    register_extensions(app)
    register_packages(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    return app


def check_checkout(root: Path) -> None:
    """Refuse to start from a copy of the packages without the files beside them (a built wheel)."""
    missing = [name for name in CHECKOUT_FILES if not (root / name).exists()]
    if missing:
        raise RuntimeError(
            f"Anzhi runs from its checkout, and {root} has no {', '.join(missing)}: install it with "
            "`pip install -e .` inside the checkout and start it there (README, Deploying).")


def _locale() -> str | None:
    from flask import current_app

    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True,
                     render_item=render_migration_item, render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale, default_translation_directories=str(ROOT / "translations"))
    limiter.init_app(app)


def register_packages(app: Flask) -> None:
    """Core's own endpoints, then each domain package's ``init_app``, lower packages first."""
    import kb
    import org
    import safety
    import training

    app.register_blueprint(core_views.bp)
    org.init_app(app)
    kb.init_app(app)
    training.init_app(app)
    safety.init_app(app)
