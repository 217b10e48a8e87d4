"""Roster import: all-or-nothing, every bad row named, GBK and xlsx, idempotent re-import."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from core.extensions import db
from org.models import Employee, Role, Team

HEADER = ["工号", "姓名", "部门", "班组", "岗位", "入职日期", "状态", "角色"]


@pytest.fixture
def admin_client(client, login, make_employee, make_team, make_position):
    team = make_team(code="CY1", name="冲压一班")
    team.department.code, team.department.name = "CY", "冲压车间"
    make_position(code="press-operator", name="冲压工")
    db.session.commit()
    login(make_employee(roles={Role.ADMIN}, emp_no="90001"))
    return client


def _rows(count: int) -> list[list[str]]:
    return [[f"2{n:04d}", f"员工{n}", "冲压车间", "冲压一班", "冲压工", "2026-11-02", "在岗", "员工"]
            for n in range(count)]


def _csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode(encoding)


def _upload(client, payload: bytes, filename: str):
    return client.post("/admin/roster/", data={"file": (io.BytesIO(payload), filename)},
                       content_type="multipart/form-data")


def _confirm(client, preview_html: str):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview_html).group(1)
    return client.post("/admin/roster/confirm", data={"token": token})


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Employee))


def test_200_rows_with_3_bad_rows_imports_nothing_and_names_each(admin_client):
    rows = _rows(200)
    rows[10][0] = rows[3][0]                 # duplicate 工号 (spreadsheet row 12 repeats row 5)
    rows[50][0] = "２００５０"               # fullwidth 工号 (row 52)
    rows[120][3] = "不存在的班组"            # unknown team (row 122)
    before = _count()
    response = _upload(admin_client, _csv(rows), "roster.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "3 处错误" in page
    assert "第 12 行「工号」" in page and "与第 5 行重复" in page
    assert "第 52 行「工号」" in page and "全角" in page
    assert "第 122 行「班组」" in page and "不存在的班组" in page
    assert _count() == before


def test_gbk_csv_imports_and_passwords_are_shown_once(admin_client):
    preview = _upload(admin_client, _csv(_rows(3), encoding="gbk"), "花名册.csv")
    assert preview.status_code == 200 and "新增" in preview.get_data(as_text=True)
    done = _confirm(admin_client, preview.get_data(as_text=True))
    page = done.get_data(as_text=True)
    assert "新增 3 人" in page
    slips = re.findall(r'<code class="slip-password">([^<]+)</code>', page)
    assert len(slips) == 3 and not any(set(slip) & set("0O1lI") for slip in slips)  # no look-alikes
    assert db.session.scalar(select(Employee).where(Employee.emp_no == "20001")).name == "员工1"
    link = re.search(r'href="(/admin/roster/passwords/[^"]+\.csv)"', page).group(1)
    download = admin_client.get(link)
    assert download.status_code == 200 and "初始密码" in download.get_data(as_text=True)
    assert admin_client.get(link).status_code == 404  # one time only
    assert db.session.scalar(select(Employee).where(Employee.emp_no == "20001")).must_change_password


def test_reimporting_the_same_file_changes_nothing(admin_client):
    payload = _csv(_rows(5))
    _confirm(admin_client, _upload(admin_client, payload, "a.csv").get_data(as_text=True))
    stamps = {e.emp_no: (e.updated_at, e.password_hash) for e in db.session.scalars(select(Employee))}
    again = _upload(admin_client, payload, "a.csv").get_data(as_text=True)
    assert "无变化" in again
    done = _confirm(admin_client, again).get_data(as_text=True)
    assert "新增 0 人，变更 0 人，无变化 5 人" in done
    db.session.expire_all()
    assert stamps == {e.emp_no: (e.updated_at, e.password_hash) for e in db.session.scalars(select(Employee))}


def test_xlsx_with_numeric_emp_no_and_date_cells(admin_client):
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([30001, "李四", "CY", "CY1", "press-operator", datetime(2026, 10, 8), "在岗", "班组长"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = _upload(admin_client, buffer.getvalue(), "roster.xlsx")
    _confirm(admin_client, preview.get_data(as_text=True))
    employee = db.session.scalar(select(Employee).where(Employee.emp_no == "30001"))
    assert employee.hire_date.isoformat() == "2026-10-08" and Role.TEAM_LEADER in employee.roles


def test_broken_xlsx_gets_a_clear_message(admin_client):
    response = _upload(admin_client, b"PK\x03\x04 not really a workbook", "roster.xlsx")
    assert response.status_code == 422 and "无法读取该 Excel 文件" in response.get_data(as_text=True)


def test_missing_header_columns_are_named(admin_client):
    response = _upload(admin_client, "姓名,部门\r\n张三,CY\r\n".encode(), "r.csv")
    assert "缺少列：工号" in response.get_data(as_text=True)


def test_confirm_token_of_another_admin_is_refused(app, admin_client, login, make_employee):
    preview = _upload(admin_client, _csv(_rows(2)), "a.csv").get_data(as_text=True)
    other = app.test_client()
    login(make_employee(roles={Role.ADMIN}), target=other)
    assert _confirm(other, preview).status_code == 404
    assert _confirm(admin_client, preview).status_code == 200


def test_one_time_password_file_neutralises_names_and_is_not_cached(admin_client):
    rows = _rows(2)
    rows[0][1] = '=HYPERLINK("http://evil.example","点我")'
    done = _confirm(admin_client, _upload(admin_client, _csv(rows), "a.csv").get_data(as_text=True))
    link = re.search(r'href="(/admin/roster/passwords/[^"]+\.csv)"', done.get_data(as_text=True)).group(1)
    download = admin_client.get(link)
    assert download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    names = [row[1] for row in csv.reader(io.StringIO(download.get_data().decode("utf-8-sig")))]
    assert names[1] == "'=HYPERLINK(\"http://evil.example\",\"点我\")"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_preview_shows_each_new_person_and_warns_when_training_reopens(admin_client, make_team, make_employee):
    first = db.session.scalar(select(Team).where(Team.code == "CY1"))
    make_team(code="CY2", name="冲压二班").department = first.department
    worker = make_employee(emp_no="30001", name="赵红梅", team=first)
    db.session.commit()
    rows = [["20001", "马小军", "冲压车间", "CY1", "press-operator", "2026-11-02", "在岗", "员工、班组长"],
            ["30001", "赵红梅", "冲压车间", "冲压二班", "", "", "在岗", ""]]
    page = _text(_upload(admin_client, _csv(rows), "roster.csv").get_data(as_text=True))
    assert "部门 冲压车间 班组 冲压一班 岗位 冲压工 角色 员工、班组长" in page  # codes read, names shown
    assert "班组：冲压一班 → 冲压二班" in page
    assert "将重新开启三级教育" in page and "1 人的班组或岗位将变更" in page
    assert "press-operator" not in page and "team_leader" not in page and worker.team.code == "CY1"


def test_preview_of_a_role_change_reads_in_chinese_and_reopens_nothing(admin_client, make_employee):
    make_employee(emp_no="30002", name="钱进", team=db.session.scalar(select(Team).where(Team.code == "CY1")))
    db.session.commit()
    rows = [["30002", "钱进", "冲压车间", "冲压一班", "", "", "在岗", "员工、班组长"]]
    page = _text(_upload(admin_client, _csv(rows), "roster.csv").get_data(as_text=True))
    assert "角色：员工 → 员工、班组长" in page
    assert "将重新开启三级教育" not in page


def test_gender_column_is_read_and_a_blank_keeps_what_is_recorded(admin_client):
    header = ["工号", "姓名", "性别", "部门", "班组"]

    def upload(rows):
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        return _upload(admin_client, buffer.getvalue().encode("utf-8-sig"), "roster.csv").get_data(as_text=True)

    assert "“M”应为“男”或“女”" in upload([["20001", "马小军", "M", "冲压车间", "冲压一班"]])
    page = upload([["20001", "马小军", "男", "冲压车间", "冲压一班"]])
    assert "性别 男" in _text(page)
    _confirm(admin_client, page)
    employee = db.session.scalar(select(Employee).where(Employee.emp_no == "20001"))
    assert employee.gender == "男"
    page = upload([["20001", "马小军", "", "冲压车间", "冲压一班"]])
    assert "无变化" in page and "性别：" not in _text(page)
    _confirm(admin_client, page)
    db.session.expire_all()
    assert employee.gender == "男"


def _admin_row(status: str = "在岗", roles: str = "系统管理员") -> list[str]:
    return ["90001", "管理员", "冲压车间", "冲压一班", "冲压工", "2026-11-02", status, roles]


@pytest.mark.parametrize("row", [_admin_row(status="离职"), _admin_row(roles="员工")])
def test_a_roster_cannot_take_away_the_last_administrator(admin_client, row):
    response = _upload(admin_client, _csv([row, *_rows(2)]), "roster.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 2 行" in page and "最后一位在岗的系统管理员" in page
    admin = db.session.scalar(select(Employee).where(Employee.emp_no == "90001"))
    assert admin.is_active and Role.ADMIN in admin.roles and _count() == 1


def test_the_last_administrator_may_leave_once_another_is_named(admin_client):
    successor = ["20099", "接任者", "冲压车间", "冲压一班", "冲压工", "2026-11-02", "在岗", "系统管理员"]
    preview = _upload(admin_client, _csv([_admin_row(status="离职"), successor]), "roster.csv")
    assert preview.status_code == 200
    assert _confirm(admin_client, preview.get_data(as_text=True)).status_code == 200
    db.session.expire_all()
    assert not db.session.scalar(select(Employee).where(Employee.emp_no == "90001")).is_active


def test_previews_and_password_lists_expire_after_a_day(app, admin_client, runner):
    import os
    from pathlib import Path

    from core.clock import wall_now

    preview = _upload(admin_client, _csv(_rows(2)), "a.csv").get_data(as_text=True)
    pending = Path(app.instance_path) / "pending" / "roster"
    (stored,) = pending.glob("*.json")
    day_old = wall_now().timestamp() - 25 * 3600
    os.utime(stored, (day_old, day_old))
    assert _confirm(admin_client, preview).status_code == 409 and _count() == 1  # expired: nothing imported
    old = _upload(admin_client, _csv(_rows(2)), "b.csv")
    os.utime(next(pending.glob("*.json")), (day_old, day_old))
    _upload(admin_client, _csv(_rows(3)), "c.csv")  # each new preview prunes the expired ones
    assert len(list(pending.glob("*.json"))) == 1 and old.status_code == 200
    os.utime(next(pending.glob("*.json")), (day_old, day_old))
    result = runner.invoke(args=["users", "prune-pending"])
    assert "已删除 1 个" in result.output and not list(pending.glob("*.json"))
