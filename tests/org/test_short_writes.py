"""Slow work runs before a short write: logins answer while a big roster is confirmed, and
concurrent confirms of one preview apply it once (the others are told so, never a 500)."""

from __future__ import annotations

import re
import threading
import time

import pytest
from sqlalchemy import func, select

from core.extensions import db
from org import services
from org.models import Employee, Role
from tests.org.test_roster import _csv, _rows, _upload

ROWS = 40


@pytest.fixture
def admin(client, login, make_employee, make_team, make_position):
    team = make_team(code="CY1", name="冲压一班")
    team.department.code, team.department.name = "CY", "冲压车间"
    make_position(code="press-operator", name="冲压工")
    db.session.commit()
    admin = make_employee(roles={Role.ADMIN}, emp_no="90001")
    login(admin)
    return client


def _token(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def _employees() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Employee))


def test_a_login_answers_at_once_while_a_big_roster_is_being_confirmed(app, admin, make_employee, monkeypatch):
    worker = make_employee(emp_no="30001")
    token = _token(_upload(admin, _csv(_rows(ROWS)), "roster.csv").get_data(as_text=True))
    hashing = threading.Event()
    real_hash = services.hash_password

    def slow_hash(password: str) -> str:  # 40 × 0.1 s: a confirm that takes seconds
        hashing.set()
        time.sleep(0.1)
        return real_hash(password)

    monkeypatch.setattr(services, "hash_password", slow_hash)
    outcome = {}
    confirm = threading.Thread(target=lambda: outcome.update(
        response=admin.post("/admin/roster/confirm", data={"token": token})))
    confirm.start()
    assert hashing.wait(5)
    started = time.perf_counter()
    response = app.test_client().post("/auth/login", data={"emp_no": worker.emp_no, "password": "Passw0rd-test"})
    waited = time.perf_counter() - started
    still_confirming = confirm.is_alive()
    confirm.join(30)
    assert response.status_code == 302 and waited < 1.5 and still_confirming
    assert outcome["response"].status_code == 200 and f"新增 {ROWS} 人" in outcome["response"].get_data(as_text=True)


def test_ten_concurrent_confirms_of_one_preview_apply_it_once(app, admin):
    before = _employees()
    token = _token(_upload(admin, _csv(_rows(ROWS)), "roster.csv").get_data(as_text=True))
    cookie = admin.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    responses = []
    start = threading.Barrier(10)

    def send() -> None:
        client = app.test_client()
        client.set_cookie(cookie.key, cookie.value)
        start.wait()
        responses.append(client.post("/admin/roster/confirm", data={"token": token}))

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    codes = sorted(response.status_code for response in responses)
    assert codes == [200] + [409] * 9
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "该预览已导入或已失效" in refused
    assert _employees() == before + ROWS


def test_a_write_waits_its_turn_and_is_retried_when_the_database_stays_locked(app, make_employee, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from core import transactions

    worker = make_employee(emp_no="30002")
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        db.session.get(Employee, worker.id).locale = "en"
        return "done"

    monkeypatch.setattr(transactions, "PAUSE_SECONDS", 0.01)
    assert transactions.write_briefly(flaky) == "done" and len(calls) == 3
    db.session.expire_all()
    assert db.session.get(Employee, worker.id).locale == "en"
