"""WTForms for login, passwords, employees, organisation units and roster import, and their select options."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from core.extensions import db
from core.forms import Form, choices_of, options
from org.models import ROLE_LABELS, Department, Employee, EmployeeStatus, Position, Role, Team

NONE = (0, "—")
GENDERS = (("", "—"), ("男", "男"), ("女", "女"))  # the words themselves, as the 登记卡 prints them


def department_options() -> list[SelectChoice]:
    departments = db.session.scalars(select(Department).order_by(Department.code))
    return options((d.id, d.name) for d in departments)


def team_options(blank: bool = True) -> list[SelectChoice]:
    teams = db.session.scalars(select(Team).order_by(Team.code))
    return options([NONE] * blank + [(t.id, f"{t.name}（{t.department.name}）") for t in teams])


def position_options(blank: bool = True) -> list[SelectChoice]:
    positions = db.session.scalars(select(Position).order_by(Position.code))
    return options([NONE] * blank + [(p.id, p.name) for p in positions])


def employee_options(blank: bool = True) -> list[SelectChoice]:
    people = db.session.scalars(
        select(Employee).where(Employee.status == EmployeeStatus.IN_POST).order_by(Employee.emp_no))
    return options([NONE] * blank + [(e.id, f"{e.emp_no} {e.name}") for e in people])


class LoginForm(Form):
    emp_no = StringField(_l("工号"), validators=[DataRequired(_l("请输入工号。")), Length(max=32)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=256)])
    next = HiddenField()


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("当前密码（或初始密码）"), validators=[DataRequired(_l("请输入当前密码。"))]
    )
    new_password = PasswordField(
        _l("新密码"),
        validators=[DataRequired(_l("请输入新密码。")), Length(max=256, message=_l("密码最多 256 位。"))],
        description=_l("至少 8 位，不要求特殊字符；不能是常见密码，不能包含工号或姓名。推荐用几个词组成的长短语。"),
    )
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[EqualTo("new_password", _l("两次输入的新密码不一致。"))],
    )


class LocaleForm(Form):
    locale = SelectField(_l("界面语言"), choices=options([("zh_Hans_CN", "简体中文"), ("en", "English")]))


class EmployeeForm(Form):
    emp_no = StringField(_l("工号"), validators=[DataRequired(_l("请输入工号。")), Length(max=32)])
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请输入姓名。")), Length(max=60)])
    department_id = SelectField(_l("部门/车间"), coerce=int)
    team_id = SelectField(_l("班组"), coerce=int, validators=[Optional()])
    position_id = SelectField(_l("岗位"), coerce=int, validators=[Optional()])
    hire_date = DateField(_l("入职日期"), validators=[Optional()])
    gender = SelectField(_l("性别"), choices=lambda: options(GENDERS), validators=[Optional()])
    status = SelectField(
        _l("状态"), choices=choices_of(EmployeeStatus), default="in_post"
    )
    roles = SelectMultipleField(
        _l("角色（可多选；所有人都是员工）"),
        choices=options([(r.value, ROLE_LABELS[r]) for r in Role if r is not Role.EMPLOYEE]),
    )


class DepartmentForm(Form):
    code = StringField(_l("部门代码"), validators=[DataRequired(), Length(max=16)])
    name = StringField(_l("部门名称"), validators=[DataRequired(), Length(max=60)])


class TeamForm(Form):
    code = StringField(_l("班组代码"), validators=[DataRequired(), Length(max=16)])
    name = StringField(_l("班组名称"), validators=[DataRequired(), Length(max=60)])
    department_id = SelectField(_l("所属部门"), coerce=int)
    leader_id = SelectField(_l("班组长"), coerce=int, validators=[Optional()])


class PositionForm(Form):
    code = StringField(_l("岗位代码"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("岗位名称"), validators=[DataRequired(), Length(max=60)])
    special_operation = BooleanField(_l("特种作业/特种设备作业（持证上岗）"))
    high_risk = BooleanField(_l("高风险岗位"))


class RosterUploadForm(Form):
    file = FileField(
        _l("花名册文件（.xlsx 或 .csv）"),
        validators=[
            FileRequired(_l("请选择文件。")),
            FileAllowed(["xlsx", "csv"], _l("只支持 .xlsx 或 .csv 文件。")),
        ],
    )


class ConfirmForm(Form):
    token = HiddenField(validators=[DataRequired()])
