"""Password rule per ASVS 5.0 level 2: length, no composition rules, no common or personal passwords."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from org.models import Employee
from org.services import PASSWORD_ALPHABET, generate_initial_password
from tests.conftest import PASSWORD


def _change(client, new: str):
    return client.post("/auth/password", data={"current_password": PASSWORD, "new_password": new,
                                               "confirm": new})


@pytest.mark.parametrize("weak", ["password1", "Passw0rd", "P@ssw0rd!", "12345678", "qwertyuiop",
                                  "1qaz2wsx3edc", "a123456789", "iloveyou1", "passwordpassword" * 6,
                                  "anquan123", "anquandiyi", "woaini1314"])
def test_common_passwords_are_refused(client, login, make_employee, weak):
    login(make_employee())
    page = _change(client, weak).get_data(as_text=True)
    assert "太常见或太容易被猜到" in page


@pytest.mark.parametrize("passphrase", ["steel ladders need two hands",
                                        "the forklift stops before the yellow line",
                                        "安全帽要系好下颌带再进车间",
                                        "every confined space gets a gas test first " * 4])
def test_long_passphrases_without_digits_are_accepted(client, login, make_employee, passphrase):
    employee = make_employee()
    login(employee)
    response = _change(client, passphrase)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/auth/logout")
    again = client.post("/auth/login", data={"emp_no": employee.emp_no, "password": passphrase})
    assert again.status_code == 302


def test_a_short_random_password_needs_no_special_characters(client, login, make_employee):
    login(make_employee())
    assert _change(client, "kwtpfmzq").status_code == 302


def test_password_may_not_contain_the_emp_no_or_the_name(client, login, make_employee):
    login(make_employee(emp_no="A70321", name="张伟强"))
    assert "不能包含工号或姓名" in _change(client, "red ladder a70321").get_data(as_text=True)
    assert "不能包含工号或姓名" in _change(client, "zhangweiqiang safety").get_data(as_text=True)
    assert "不能包含工号或姓名" in _change(client, "我是张伟强的新密码").get_data(as_text=True)


def test_too_short_and_too_long_are_field_messages(client, login, make_employee):
    login(make_employee())
    assert "密码至少 8 位" in _change(client, "x7#qLm").get_data(as_text=True)
    assert "密码最多 256 位" in _change(client, "plant" * 60).get_data(as_text=True)


def test_create_admin_refuses_a_common_password(runner):
    result = runner.invoke(args=["users", "create-admin", "--emp-no", "a9", "--name", "管理员",
                                 "--department", "it", "--password", "Passw0rd"])
    assert result.exit_code != 0 and "太常见" in result.output
    assert db.session.scalar(select(Employee).where(Employee.emp_no == "A9")) is None


def test_one_time_passwords_have_no_look_alike_characters():
    look_alikes = set("0Oo1lIi2Zz5Ss8B9gq6bGuvcCkKpPwWxXyY")
    assert not look_alikes & set(PASSWORD_ALPHABET)
    passwords = {generate_initial_password() for _ in range(200)}
    assert len(passwords) == 200
    assert all(len(p) >= 12 and set(p) <= set(PASSWORD_ALPHABET) for p in passwords)
