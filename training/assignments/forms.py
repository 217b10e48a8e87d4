"""The assignment form: what (documents, exam), to whom (teams, positions, members), by when."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import Form

# Members and teams as a list of checkboxes: a native multi-select is unusable on a phone.
CHECKBOXES = {"widget": ListWidget(prefix_label=False), "option_widget": CheckboxInput()}


class AssignmentForm(Form):
    title = StringField(_l("任务名称（可不填）"), validators=[Optional(), Length(max=200)])
    documents = SelectMultipleField(_l("学习资料"), coerce=int, validators=[Optional()])
    exam_id = SelectField(_l("考试"), coerce=int, validators=[Optional()])
    due_on = DateField(_l("截止日期"), validators=[DataRequired(_l("请填写截止日期。"))])
    teams = SelectMultipleField(  # scope is checked by the service (403), not as a choice error
        _l("布置给班组（全体成员）"), coerce=int, validators=[Optional()], validate_choice=False, **CHECKBOXES)
    positions = SelectMultipleField(
        _l("布置给岗位"), coerce=int, validators=[Optional()], validate_choice=False)
    employees = SelectMultipleField(
        _l("布置给人员"), coerce=int, validators=[Optional()], validate_choice=False, **CHECKBOXES)
    note = StringField(_l("说明"), validators=[Optional(), Length(max=500)])
