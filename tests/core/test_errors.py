"""What a user sees when the server cannot answer: a Chinese page, never a stack trace, and a
"try again" (503 with Retry-After) when other writers held the database past every retry."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import OperationalError


def _add_route(app, rule, error):
    def view():
        raise error

    app.add_url_rule(rule, rule.strip("/"), view)


def test_a_database_that_stays_locked_answers_503_try_again(app, client):
    _add_route(app, "/locked-test", OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked")))
    response = client.get("/locked-test")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "系统繁忙，请稍后再试" in response.get_data(as_text=True)


def test_any_other_crash_is_a_plain_500_page_without_details(app, client):
    _add_route(app, "/crash-test", RuntimeError("secret detail"))
    response = client.get("/crash-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret detail" not in page and "Traceback" not in page
