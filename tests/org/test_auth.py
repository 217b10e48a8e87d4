"""Login, rate limiting, sessions, CSRF and forced password change, as a user meets them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from org.services import deactivate_employee
from tests.conftest import NOW, PASSWORD


def test_login_page_is_chinese(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "登录安知" in page and "工号" in page


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_login_with_fullwidth_emp_no_works(client, make_employee):
    employee = make_employee(emp_no="10201")
    response = client.post("/auth/login", data={"emp_no": "１０２０１", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert employee.name in client.get("/").get_data(as_text=True)


def test_wrong_password_is_rejected_and_audited(client, make_employee):
    employee = make_employee()
    response = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": "nope"})
    assert "工号或密码不正确" in response.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "login.failure" in actions


def test_eleventh_failed_login_is_rate_limited(client, make_employee):
    employee = make_employee()
    for _ in range(10):
        response = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": "bad"})
        assert response.status_code == 200
    response = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多，已暂时锁定。请 15 分钟后再试" in response.get_data(as_text=True)


def test_rate_limit_counts_per_account_not_per_success(client, make_employee):
    employee = make_employee()
    for _ in range(12):
        assert client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD}).status_code == 302
        client.post("/auth/logout")


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_post_without_csrf_token_is_rejected(client, make_employee):
    employee = make_employee()
    response = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302


def test_deactivated_user_is_logged_out_on_next_request(client, login, make_employee):
    employee = make_employee()
    login(employee)
    assert client.get("/").status_code == 200
    deactivate_employee(employee, actor=None, now=NOW)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_logout_ends_other_sessions(app, login, make_employee):
    employee = make_employee()
    phone, desktop = app.test_client(), app.test_client()
    login(employee, target=phone)
    login(employee, target=desktop)
    phone.post("/auth/logout")
    assert desktop.get("/").status_code == 302


def test_new_hire_must_change_initial_password_first(client, login, make_employee):
    employee = make_employee(must_change_password=True)
    login(employee)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/password")
    bad = client.post("/auth/password", data={"current_password": PASSWORD, "new_password": "short",
                                              "confirm": "short"})
    assert "密码至少 8 位" in bad.get_data(as_text=True)
    good = client.post("/auth/password", data={"current_password": PASSWORD,
                                               "new_password": "Safer2026x", "confirm": "Safer2026x"})
    assert good.status_code == 302
    assert client.get("/").status_code == 200


def test_idle_session_times_out(app, client, login, make_employee):
    employee = make_employee()
    login(employee)
    with client.session_transaction() as session:
        session["seen"] -= 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_open_redirect_after_login_is_refused(client, make_employee):
    employee = make_employee()
    response = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD,
                                                "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_passwords_are_hashed(make_employee):
    employee = make_employee()
    assert PASSWORD not in employee.password_hash and employee.password_hash.startswith("pbkdf2")


def test_security_headers_and_healthz(client):
    response = client.get("/healthz")
    assert response.get_json() == {"status": "ok", "database": "ok"}
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


HOSTILE_NEXT = [
    "//evil.example/", "/%09/evil.example/phish", "/\t/evil.example/phish", "/\\evil.example/phish",
    "\\\\evil.example/phish", "/%5C/evil.example", "/%2F/evil.example", "https://evil.example/",
    "javascript:alert(1)", " //evil.example", "/\r\n/evil.example", "/x\r\nSet-Cookie: a=b",
    "/%0d%0aSet-Cookie:%20a=b", "/\x00/evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_never_follows_next_off_site(client, make_employee, target):
    employee = make_employee()
    response = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD,
                                                "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_login_query_next_with_line_breaks_is_a_page_not_an_error(client, make_employee):
    employee = make_employee()
    assert client.get("/auth/login?next=/x%0d%0aSet-Cookie:%20a=b").status_code == 200
    page = client.get("/auth/login?next=/%09/evil.example/phish")
    assert page.status_code == 200
    response = client.post("/auth/login?next=/%09/evil.example/phish",
                           data={"emp_no": employee.emp_no, "password": PASSWORD,
                                 "next": "/\t/evil.example/phish"})
    assert response.headers["Location"] == "/"


def test_login_follows_a_same_site_next(client, make_employee):
    employee = make_employee()
    response = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": PASSWORD,
                                                "next": "/kb/?q=%E5%AE%89%E5%85%A8"})
    assert response.headers["Location"] == "/kb/?q=%E5%AE%89%E5%85%A8"


@pytest.mark.parametrize("target", ["/%09/evil.example/phish", "/\\evil.example", "/x\r\nA: b"])
def test_language_switch_stays_on_site(client, login, make_employee, target):
    login(make_employee())
    response = client.post("/auth/locale", data={"locale": "en", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
