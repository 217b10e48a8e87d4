"""Configuration: defaults, then the instance folder, then the environment, then overrides."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "DEMO_MODE": False,
    # 编制、审核、批准由不同的人完成: nobody approves a document they drafted
    # (ANZHI_SEPARATE_APPROVAL=false turns it off).
    "SEPARATE_APPROVAL": True,
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "IDLE_TIMEOUT_MINUTES": 30,
    "REMEMBER_COOKIE_DURATION": timedelta(days=0),
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": {"zh_Hans_CN": "简体中文", "en": "English"},
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    # Failed logins are counted in the database (shared by every worker); a shared store such
    # as redis://host:6379/0 here (or in RATELIMIT_STORAGE_URI) counts there instead.
    "LOGIN_THROTTLE_STORAGE_URI": "",
    "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",
    "LOGIN_LIMIT_PER_IP": "30 per 15 minutes",
    "SEARCH_INDEX_DIR": None,
    # "auto": PostgreSQL searches in the database itself (every node sees a publish at once),
    # SQLite with the embedded Whoosh index; "whoosh" or "postgres" forces one.
    "SEARCH_ENGINE": "auto",
    "ATTACHMENTS_DIR": None,  # default: the instance folder's attachments/
    "ATTACHMENT_MAX_BYTES": 8 * 1024 * 1024,
    "CONTENT_DIR": str(Path(__file__).resolve().parent.parent / "content"),
}

ENV_KEYS = ("SECRET_KEY", "DATABASE_URL")


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill ``app.config`` in order: defaults, instance/anzhi.cfg, environment, overrides."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("anzhi.cfg", silent=True)
    for key in ENV_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    app.config.from_prefixed_env("ANZHI")
    if overrides:
        app.config.update(overrides)
    _database_uri(app)
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = os.path.join(app.instance_path, "search-index")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app)


def _database_uri(app: Flask) -> None:
    url = app.config.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = "sqlite:///" + os.path.join(app.instance_path, "anzhi.db")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def _instance_secret_key(app: Flask) -> str:
    """Read the key kept in the instance folder, creating it (mode 600) on first run."""
    path = Path(app.instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
