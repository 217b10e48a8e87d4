"""Choice lists are built per request, so an English user's selects speak English (and a Chinese
user's, in the same process, stay Chinese)."""

from __future__ import annotations

import re

from core.extensions import db
from org.models import Role


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))]


def test_english_question_form_translates_type_and_level_choices(make_employee, client, login, app):
    english = make_employee(roles={Role.SAFETY_DEPT}, name="Li Lei")
    english.locale = "en"
    chinese = make_employee(roles={Role.SAFETY_DEPT})
    db.session.commit()

    login(english)
    page = client.get("/quiz/manage/questions/new").get_data(as_text=True)
    assert _options(page, "type") == ["Single choice", "Multiple choice", "True/false"]
    assert "Company level" in _options(page, "level")

    other = app.test_client()
    login(chinese, target=other)
    page = other.get("/quiz/manage/questions/new").get_data(as_text=True)
    assert _options(page, "type") == ["单选", "多选", "判断"]


def test_english_employee_form_translates_status_choices(make_employee, client, login):
    admin = make_employee(roles={Role.ADMIN})
    admin.locale = "en"
    db.session.commit()
    login(admin)
    page = client.get("/org/employees/new").get_data(as_text=True)
    assert "Active" in _options(page, "status")


def test_true_false_options_read_true_and_false_in_english_not_correct(app):
    from flask_babel import force_locale

    from training.quiz.models import option_label

    with app.test_request_context(), force_locale("en"):
        assert [option_label("truefalse", text) for text in ("正确", "错误")] == ["True", "False"]
    with app.test_request_context():
        assert option_label("truefalse", "正确") == "正确"
