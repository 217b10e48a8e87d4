"""Every route, as every demo role and anonymously, with hostile values: huge, negative and non-ASCII
numbers in each ``<int:>`` argument and common query arguments, control and direction characters and
very long strings in query strings and in every form field a POST may carry, and JSON bodies that are
not objects of finite numbers. Nothing may answer 5xx (or raise).

The values rotate over requests so that each route sees several of them without the test taking long
(a few thousand requests, well under a minute).
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter
from wtforms import FormField
from wtforms.fields.core import UnboundField

from core.extensions import db, limiter
from core.forms import Form
from kb.models import DocumentKind
from org.models import Employee
from tests.conftest import NOW

HUGE = "99999999999999999999"
INTS = ["2147483648", HUGE, "-1", "١٢", "²", "1e400", "0", "1", "2", "3", "2147483647", "１２"]
REAL_IDS = ["1", "2", "3"]
PATH_INTS = ["2147483648", HUGE, "-1", "١٢", "2147483647", "0", "１２", "00000000000000000001"]
TEXTS = ["a\x00b", "\x1b[31m红\x1b[0m", "铃\x07", "竖\x0b表", "李\u202egnp.exe", "\u200b", "\u2066x\u2069",
         "长" * 3000, "Infinity", "sNaN", "NaN", "-Infinity", "1e400", "0001-01-01", "9999-12-31",
         "2026-02-30", '=HYPERLINK("http://evil.example","x")', "'; DROP TABLE employees; --", "%00"]
JSON_BODIES = ["Infinity", "1e400", "[1, 2]", '"一段文字"', "null",
               '{"item": "x", "choice": "abc", "revision": 1e400}', '{"revision": 99999999999999999999}',
               '{"choice": {"a": 1}, "revision": -5}', "{" * 2000, "NaN"]
STRINGS = {"slug": ["fuzz-doc", "\u202efuzz", "x" * 300, "%00"], "kind_path": ["procedures", "regulations", "x"],
           "code": ["press", "\u200b"], "token": ["x" * 300, "0" * 32], "fmt": ["xlsx", "csv", "pdf"],
           "unit": ["departments", "teams", "positions"]}
QUERY_INTS = ("page", "team", "department", "position", "employee", "year", "rev", "a", "b", "item", "window",
              "exam", "document")
QUERY_TEXTS = ("q", "kind", "status", "sort", "size", "validity", "level", "action", "who", "next", "publish",
               "retired", "type", "topic", "violation_type", "from", "to", "month")
EXTRA_FIELDS = ("item_doc", "item_min", "qid", "revision", "a-1", "p-1", "q-1", "back", "resumed", "item", "token",
                "next", "emp_no", "password")
INPUT_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
SKIP = {"static"}  # logging out is fuzzed too: the actor logs in again


def _field_names(form_class: type, prefix: str = "") -> set[str]:
    names = set()
    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if isinstance(unbound, UnboundField):
            if issubclass(unbound.field_class, FormField):
                names |= _field_names(unbound.args[0] if unbound.args else unbound.kwargs["form_class"], f"{name}-")
            else:
                names.add(prefix + name)
    return names


def _all_forms(base: type) -> set[type]:
    found = set()
    for sub in base.__subclasses__():
        found |= {sub} | _all_forms(sub)
    return found


def form_fields() -> list[str]:
    from safety.settings import SETTINGS as SAFETY_SETTINGS
    from training.settings import SETTINGS as TRAINING_SETTINGS

    names = set(EXTRA_FIELDS) | set(SAFETY_SETTINGS) | set(TRAINING_SETTINGS)
    for form_class in _all_forms(Form):
        names |= _field_names(form_class)
    return sorted(names)


def _pick(values: list[str], counter: itertools.count) -> str:
    return values[next(counter) % len(values)]


def build_url(rule, path_value: str, counter: itertools.count) -> str:
    """The rule with ``path_value`` in each int argument, and hostile query arguments."""
    args = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            args[name] = path_value
        elif isinstance(converter, AnyConverter):
            args[name] = _pick(STRINGS["unit"], counter)
        else:
            args[name] = _pick(STRINGS.get(name, ["x", "\u202e", "长" * 300]), counter)
    path = rule.rule
    for name, value in args.items():
        path = path.replace(f"<{_spec(rule, name)}>", quote(value, safe=""))
    query = {key: _pick(INTS, counter) for key in QUERY_INTS}
    query |= {key: _pick(TEXTS, counter) for key in QUERY_TEXTS}
    pairs = [f"{key}={quote(value, safe='')}" for key, value in query.items()]
    return path + "?" + "&".join([*pairs, "raw=%ff%fe%ed%a0%80"])  # and bytes that are not UTF-8


def path_values(rule, turn: int) -> list[str]:
    """A real id, and a hostile one that differs per turn (each actor takes the next), for int routes."""
    if not any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
        return [REAL_IDS[0]]
    return [REAL_IDS[turn % len(REAL_IDS)], PATH_INTS[turn % len(PATH_INTS)]]


def _spec(rule, name: str) -> str:
    for part in rule.rule.split("<")[1:]:
        inner = part.split(">")[0]
        if inner.split(":")[-1] == name:
            return inner
    raise AssertionError(name)


def form_data(fields: list[str], counter: itertools.count) -> dict[str, list[str]]:
    pool = INTS + TEXTS
    return {name: [_pick(pool, counter), _pick(pool, counter)] if n % 3 == 0 else [_pick(pool, counter)]
            for n, name in enumerate(fields)}


@pytest.fixture
def demo(app: Flask, runner, make_document, make_department):
    """The demo organisation, a published procedure (``fuzz-doc``) and the demo logins per role."""
    from org.cli import _demo_file
    from org.demo_org import demo_logins

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    make_document(DocumentKind.PROCEDURE, slug="fuzz-doc", title="动火作业安全操作规程", body="## 作业前\n\n1. 检查")
    db.session.commit()
    logins = {}
    for login in demo_logins(_demo_file()):  # one account per role
        logins.setdefault(login.label.split("（")[0], login)
    return logins


def _log_in(client, login) -> None:
    response = client.post("/auth/login", data={"emp_no": login.emp_no, "password": login.password})
    assert response.status_code == 302, (login.label, response.status_code)


def _restore(actor) -> None:
    """Undo what another actor's posts may have done to this demo account (a reset password, a
    deactivation, the login limit), so that it can go on."""
    from org.models import EmployeeStatus
    from org.services import hash_password

    db.session.rollback()
    employee = db.session.scalar(select(Employee).where(Employee.emp_no == actor.emp_no))
    employee.password_hash = hash_password(actor.password)
    employee.status = EmployeeStatus.IN_POST
    db.session.commit()
    limiter.reset()


def _request(client, actor, method: str, url: str, **kwargs):
    """The response (or the exception's text) of one request; an actor logged out by what it posted (a
    password reset of its own account, say) logs in again and repeats it."""
    for _attempt in range(2):
        try:
            response = client.open(url, method=method, **kwargs)
        except Exception as error:  # noqa: BLE001  (a crash the error handler did not turn into a page)
            return repr(error)[:120]
        if actor is None or not response.headers.get("Location", "").startswith("/auth/login"):
            break
        _restore(actor)
        _log_in(client, actor)
    return response


def _failed(response) -> bool:
    return isinstance(response, str) or response.status_code >= 500


class Fuzzer:
    """One actor's pass over every route."""

    def __init__(self, app: Flask, fields: list[str]) -> None:
        self.app, self.fields = app, fields
        self.queries, self.values, self.bodies = itertools.count(), itertools.count(), itertools.count()
        self.failures: list[str] = []

    def run(self, actor, turn: int) -> None:
        client = self.app.test_client()
        if actor is not None:
            _restore(actor)
            _log_in(client, actor)
        who = actor.label if actor else "anonymous"
        for number, rule in enumerate(r for r in self.app.url_map.iter_rules() if r.endpoint not in SKIP):
            for path_value in path_values(rule, turn + number):
                self.visit(client, actor, who, rule, build_url(rule, path_value, self.queries))
            if "POST" in rule.methods:
                body = _pick(JSON_BODIES, self.bodies)
                response = _request(client, actor, "POST", build_url(rule, REAL_IDS[0], self.queries), data=body,
                                    content_type="application/json")
                if _failed(response):
                    self.failures.append(f"{who} POST(json {body[:20]}) {rule.rule} → {response}")
        db.session.rollback()

    def visit(self, client, actor, who: str, rule, url: str) -> None:
        """GET the page (when it has one), then POST hostile values in the fields it shows (or in every
        field any form has, for a bare POST endpoint)."""
        fields = self.fields
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = form_data(fields, self.values) if method == "POST" else None
            response = _request(client, actor, method, url, data=data)
            if _failed(response):
                self.failures.append(f"{who} {method} {url[:160]} → {getattr(response, 'status_code', response)}")
            elif method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
                shown = set(INPUT_NAME.findall(response.get_data(as_text=True)))
                fields = sorted(shown | set(EXTRA_FIELDS)) if shown else fields


@pytest.mark.config(FROZEN_NOW=NOW)
def test_no_route_answers_5xx_to_hostile_values(app: Flask, demo):
    fuzzer = Fuzzer(app, form_fields())
    for turn, actor in enumerate([None, *demo.values()]):
        fuzzer.run(actor, turn)
    assert fuzzer.failures == [], "\n".join(fuzzer.failures)
    assert db.session.query(Employee).filter(Employee.name.contains("\u202e")).count() == 0
