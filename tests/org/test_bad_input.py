"""Bad input in the organisation pages: a field message or a row-numbered message, nothing written."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from core.extensions import db
from org.models import Employee, Role

HEADER = ["工号", "姓名", "部门", "班组", "岗位", "入职日期", "状态", "角色"]


@pytest.fixture
def admin(client, login, make_employee, make_team, make_position):
    team = make_team(code="CY1", name="冲压一班")
    team.department.code, team.department.name = "CY", "冲压车间"
    make_position(code="press-operator", name="冲压工")
    db.session.commit()
    login(make_employee(roles={Role.ADMIN}, emp_no="90001"))
    return team


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(Employee))


@pytest.mark.parametrize(("name", "message"), [
    ("李\u202egnp.exe", "改变文字方向"), ("\u200b", "不可见字符"), ("张\x00三", "控制字符"), ("王\x1b五", "控制字符"),
])
def test_employee_name_with_hidden_characters_gets_a_field_message(client, admin, name, message):
    before = _people()
    response = client.post("/org/employees/new", data={
        "emp_no": "20001", "name": name, "department_id": admin.department_id, "team_id": 0, "position_id": 0,
        "status": "in_post"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _people() == before


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_hire_date_outside_sane_bounds_gets_a_field_message(client, admin, day):
    before = _people()
    response = client.post("/org/employees/new", data={
        "emp_no": "20001", "name": "张三", "department_id": admin.department_id, "team_id": 0, "position_id": 0,
        "status": "in_post", "hire_date": day})
    assert "日期须在 1900-01-01 至 2100-12-31 之间" in response.get_data(as_text=True)
    assert _people() == before


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "-5"])
def test_a_department_id_that_cannot_exist_is_a_field_message(client, admin, value):
    before = _people()
    response = client.post("/org/employees/new", data={
        "emp_no": "20001", "name": "张三", "department_id": value, "team_id": 0, "position_id": 0,
        "status": "in_post"})
    assert response.status_code == 200 and "有效的选" in response.get_data(as_text=True)
    assert _people() == before


def _upload(client, rows: list[list[str]]):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    payload = buffer.getvalue().encode("utf-8-sig")
    return client.post("/admin/roster/", data={"file": (io.BytesIO(payload), "roster.csv")},
                       content_type="multipart/form-data")


def test_roster_rows_with_direction_overrides_or_invisible_names_are_named(client, admin):
    before = _people()
    response = _upload(client, [
        ["20001", "李\u202egnp.exe", "冲压车间", "冲压一班", "冲压工", "2026-11-02", "在岗", "员工"],
        ["20002", "\u200b", "冲压车间", "冲压一班", "冲压工", "2026-11-02", "在岗", "员工"],
        ["20003", "王五", "冲压车间\x07", "冲压一班", "冲压工", "0001-01-01", "在岗", "员工"],
        ["20004", "赵六", "冲压车间", "冲压一班", "冲压工", "2026-11-02", "在岗", "员工"],
    ])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 2 行「姓名」：含有改变文字方向的不可见字符" in page
    assert "第 3 行「姓名」：不能只填空白或不可见字符" in page
    assert "第 4 行「部门」：含有控制字符" in page and "第 4 行「入职日期」：日期须在" in page
    assert "第 5 行" not in page
    assert _people() == before


def test_a_csv_cell_over_128_kb_gets_a_message_not_a_500(client, admin):
    before = _people()
    response = _upload(client, [["20001", "张" * 140_000, "冲压车间", "冲压一班", "冲压工", "", "在岗", "员工"]])
    assert response.status_code == 422
    assert "第 2 行有单元格超过 131072 个字符" in response.get_data(as_text=True)
    assert _people() == before
