"""Forms for programmes, classroom sessions, sign-off, absences and settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as SubForm
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.forms import Form, choices_of, options
from training.induction.models import Level


class ProgrammeForm(Form):
    level = SelectField(_l("级别"), choices=choices_of(Level))
    title = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称。")), Length(max=120)])
    department_id = SelectField(_l("适用部门（不选则全公司）"), coerce=int, validators=[Optional()])
    position_id = SelectField(_l("适用岗位（不选则全部岗位）"), coerce=int, validators=[Optional()])
    exam_id = SelectField(_l("考试"), coerce=int, validators=[Optional()])
    pass_mark = IntegerField(_l("及格线（百分制，不填则按考试设置）"),
                             validators=[Optional(), NumberRange(1, 100, _l("及格线须在 1–100 分之间。"))])
    hours = DecimalField(_l("学时（不填则按公司设置）"), places=1,
                         validators=[Optional(), NumberRange(0, 200, _l("学时须在 0–200 之间。"))])
    items = TextAreaField(
        _l("学习资料"), description=_l("按名称选择文档并填写预计分钟"))
    active = BooleanField(_l("启用"), default=True)


class ClassroomForm(Form):
    level = SelectField(_l("级别"), choices=choices_of(Level))
    held_on = DateField(_l("培训日期"), validators=[DataRequired(_l("请填写培训日期。"))])
    hours = DecimalField(_l("学时"), places=1, validators=[
        DataRequired(_l("请填写学时。")), NumberRange(0.5, 200, _l("学时须在 0.5–200 之间。"))])
    topic = StringField(_l("培训内容"), validators=[DataRequired(_l("请填写培训内容。")), Length(max=200)])
    attendees = SelectMultipleField(_l("参训人员"), coerce=int)


class SignOffForm(Form):
    note = StringField(_l("考核意见"), validators=[Optional(), Length(max=200)])


class AbsenceForm(Form):
    left_on = DateField(_l("离岗日期"), validators=[DataRequired(_l("请填写离岗日期。"))])
    returned_on = DateField(_l("返岗日期"), validators=[Optional()])
    reason = StringField(_l("原因"), validators=[Optional(), Length(max=120)])


class PaperLevelForm(SubForm):
    """One level of a paper 三级安全教育登记卡; left blank when that level is not being entered."""

    started_on = DateField(_l("开始日期"), validators=[Optional()])
    finished_on = DateField(_l("结束日期"), validators=[Optional()])
    hours = DecimalField(_l("学时"), places=1,
                         validators=[Optional(), NumberRange(0.5, 200, _l("学时须在 0.5–200 之间。"))])
    content = StringField(_l("教育内容"), validators=[Optional(), Length(max=200)])
    score = DecimalField(_l("成绩（百分制，可空）"), places=1,
                         validators=[Optional(), NumberRange(0, 100, _l("成绩须在 0–100 之间。"))])
    passed = SelectField(_l("考核结果"), default="1",
                         choices=lambda: options([("1", _l("合格")), ("0", _l("不合格"))]))
    trainer_name = StringField(_l("教育人"), validators=[Optional(), Length(max=60)])
    assessor_name = StringField(_l("考核人"), validators=[Optional(), Length(max=60)])

    def is_blank(self) -> bool:
        return not any((self.started_on.data, self.finished_on.data, self.hours.data, self.content.data))

    def missing(self) -> list[str]:
        """Labels of the required fields left empty in a level that is being entered."""
        needed = (self.started_on, self.finished_on, self.hours, self.content, self.trainer_name,
                  self.assessor_name)
        return [str(f.label.text) for f in needed if f.data in (None, "")]


class PaperInductionForm(Form):
    """历史记录补录: the three levels of a paper card."""

    company = FormField(PaperLevelForm, label=_l("公司级"))
    department = FormField(PaperLevelForm, label=_l("部门（车间）级"))
    team = FormField(PaperLevelForm, label=_l("班组级"))
