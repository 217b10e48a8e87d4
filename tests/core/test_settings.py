"""The two settings pages: every value is checked (digits, range, no control characters) and a refused
value names its field and stores nothing; a good change is stored and reads as Chinese in the audit log."""

from __future__ import annotations

import pytest

from org.models import Role

TRAINING = "/training/induction/settings"
SAFETY = "/safety/settings"


@pytest.fixture
def officer(make_employee, login):
    person = make_employee(roles={Role.SAFETY_DEPT})
    login(person)
    return person


def _training_form(**changes: str) -> dict[str, str]:
    from training.settings import SETTINGS

    form = {key: str(setting.default) for key, setting in SETTINGS.items() if not setting.is_flag}
    return form | changes


def _safety_form(**changes: str) -> dict[str, str]:
    from safety.settings import SETTINGS

    form = {key: str(setting.default) for key, setting in SETTINGS.items() if not setting.is_flag}
    return form | {"standdown_on_serious": "1"} | changes


@pytest.mark.parametrize(("field", "value", "message"), [
    ("minutes_per_hour", "4²", "请填写整数"),
    ("minutes_per_hour", "9999", "须在 30–60 之间"),
    ("study_cap_factor", "sNaN", "请填写数字"),
    ("study_cap_factor", "Infinity", "请填写数字"),
    ("absence_days", "1" * 25, "请填写整数"),
    ("hours_split", "8/8/1e400", "学时分配"),
    ("company_name", "华岳\x1b[31m机械", "控制字符"),
    ("company_name", "\u202egnp.exe", "改变文字方向"),
])
def test_a_refused_training_setting_names_its_field_and_stores_nothing(client, officer, field, value, message):
    from training.settings import get_setting

    before = get_setting(field)
    page = client.post(TRAINING, data=_training_form(**{field: value, "restudy_due_days": "9"}))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert message in text and 'role="alert"' in text
    assert get_setting(field) == before
    assert get_setting("restudy_due_days") == 7  # the good value beside it was not stored either


def test_a_good_training_setting_is_stored_and_audited_in_chinese(client, officer):
    from training.settings import get_setting

    page = client.post(TRAINING, data=_training_form(minutes_per_hour="40", company_name="华岳机械制造有限公司"))
    assert page.status_code == 302
    assert get_setting("minutes_per_hour") == 40
    assert get_setting("company_name") == "华岳机械制造有限公司"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("warning_days", "1e400", "请填写整数"),
    ("warning_days", "０", "请填写整数"),
    ("retraining_pass_percent", "101", "须在 1–100 之间"),
    ("emergency_phones", "   ", "至少填写一个应急电话"),
    ("emergency_phones", "火警 119\x00", "控制字符"),
])
def test_a_refused_safety_setting_names_its_field_and_stores_nothing(client, officer, field, value, message):
    from safety.settings import get_setting

    before = get_setting(field)
    page = client.post(SAFETY, data=_safety_form(**{field: value, "review_due_days": "20"}))
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert message in text
    assert get_setting(field) == before
    assert get_setting("review_due_days") == 30


def test_a_safety_setting_change_reads_as_chinese_in_the_audit_log(client, make_employee, login):
    from core.audit import AuditEvent
    from core.extensions import db

    admin = make_employee(roles={Role.SAFETY_DEPT, Role.ADMIN})
    login(admin)
    assert client.post(SAFETY, data=_safety_form(warning_days="90")).status_code == 302
    event = db.session.query(AuditEvent).filter_by(action="settings.change").one()
    assert event.target_name == "安全设置"
    assert event.detail_items == [("证件到期/复审提前提醒天数（令第30号：期满前 60 日内申请复审）", "90")]
