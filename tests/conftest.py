"""Fixtures: an app on a migrated database (SQLite file, or TEST_DATABASE_URL), a client,
a login helper, and factories that return callables so each test states only what matters."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData, text

from core.app import create_app
from core.extensions import db, limiter
from org.models import Department, Employee, Position, Role, Team
from org.services import hash_password

PASSWORD = "Passw0rd-test"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _database_url(tmp_dir) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir}/test.db"


def _reset_schema(url: str) -> None:
    """Drop whatever a previous run left in the shared test database."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            metadata = MetaData()
            metadata.reflect(connection)
            metadata.drop_all(connection)
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A database migrated once per test session with the project's own migrations."""
    url = _database_url(tmp_path_factory.mktemp("db"))
    _reset_schema(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test", "TESTING": True,
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _truncate_all() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("PRAGMA foreign_keys=OFF"))
        for table in tables:
            db.session.execute(table.delete())
        db.session.execute(text("PRAGMA foreign_keys=ON"))
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path, request) -> Iterator[Flask]:
    """A fresh app per test; ``@pytest.mark.config(KEY=value)`` overrides settings."""
    marker = request.node.get_closest_marker("config")
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search-index"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_STORAGE_URI": "memory://",
        "WTF_CSRF_ENABLED": False,
    } | (marker.kwargs if marker else {}))
    # The fixture holds one app context open for the whole test, and Flask reuses an
    # open context for requests: give each request a clean ``g`` as production does.
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: g.__dict__.clear())
    with app.app_context():
        limiter.reset()
        yield app
        db.session.remove()
        _truncate_all()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_seq = itertools.count(1)


@pytest.fixture
def make_department(app) -> Callable[..., Department]:
    def make(code: str | None = None, name: str | None = None) -> Department:
        n = next(_seq)
        dept = Department(code=code or f"D{n}", name=name or f"部门{n}")
        db.session.add(dept)
        db.session.commit()
        return dept

    return make


@pytest.fixture
def make_team(make_department) -> Callable[..., Team]:
    def make(department: Department | None = None, code: str | None = None, name: str | None = None,
             leader: Employee | None = None) -> Team:
        n = next(_seq)
        team = Team(code=code or f"T{n}", name=name or f"班组{n}",
                    department=department or make_department(), leader=leader)
        db.session.add(team)
        db.session.commit()
        return team

    return make


@pytest.fixture
def make_position(app) -> Callable[..., Position]:
    def make(code: str | None = None, name: str | None = None, **flags) -> Position:
        n = next(_seq)
        position = Position(code=code or f"pos-{n}", name=name or f"岗位{n}", **flags)
        db.session.add(position)
        db.session.commit()
        return position

    return make


@pytest.fixture
def make_employee(make_department) -> Callable[..., Employee]:
    """make_employee(team=..., roles={Role.TEAM_LEADER}, leads=team, ...) -> Employee."""

    def make(*, team: Team | None = None, department: Department | None = None,
             position: Position | None = None, roles: set[Role] | None = None,
             leads: Team | None = None, emp_no: str | None = None, name: str | None = None,
             hire_date: date | None = date(2020, 1, 1), must_change_password: bool = False,
             password: str = PASSWORD) -> Employee:
        n = next(_seq)
        employee = Employee(
            emp_no=emp_no or f"E{n:05d}", name=name or f"员工{n}",
            department=department or (team.department if team else make_department()),
            team=team, position=position, hire_date=hire_date,
            password_hash=hash_password(password), must_change_password=must_change_password,
        )
        employee.set_roles(set(roles or ()))
        db.session.add(employee)
        if leads is not None:
            db.session.flush()
            leads.leader = employee
        db.session.commit()
        return employee

    return make


@pytest.fixture
def make_document(make_department):
    """make_document(kind="procedure", slug=..., title=..., body="...", positions=[...]) ->
    a published Document (revision 1) unless ``published=False``."""
    from kb.models import Document, DocumentKind, Revision, RevisionStatus

    def make(kind: str = DocumentKind.PROCEDURE, *, slug: str | None = None, title: str | None = None,
             body: str = "正文", positions=(), owner: Department | None = None, fields=None,
             published: bool = True) -> Document:
        n = next(_seq)
        document = Document(kind=kind, slug=slug or f"doc-{n}", title=title or f"文档{n}",
                            owner_department=owner or make_department(), positions=list(positions))
        revision = Revision(number=1, title=document.title, body_md=body, body_html=f"<p>{body}</p>",
                            fields=fields or {}, document=document,
                            status=RevisionStatus.PUBLISHED if published else RevisionStatus.DRAFT,
                            published_at=NOW if published else None)
        db.session.add_all([document, revision])
        db.session.flush()
        if published:
            document.published_revision = revision
        db.session.commit()
        return document

    return make


@pytest.fixture
def login(client) -> Callable[..., object]:
    """login(employee) logs the test client in through the real login form."""

    def do_login(employee: Employee, password: str = PASSWORD, target: FlaskClient | None = None):
        c = target or client
        response = c.post("/auth/login", data={"emp_no": employee.emp_no, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login
