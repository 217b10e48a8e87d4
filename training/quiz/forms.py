"""WTForms for questions, exams, the xlsx upload and submitting an attempt."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from core.clock import company_zone
from core.forms import Form, choices_of, options
from core.input import number_problem
from training.quiz.models import QuestionLevel, QuestionType, ReviewPolicy
from training.quiz.services.bank import LEVEL_WORDS, TYPE_WORDS
from training.quiz.services.exam_setup import RuleData

MAX_RULE_COUNT = 500  # questions drawn by one rule
POINTS = NumberRange(1, 100, _l("分值须为 1–100。"))


class QuestionForm(Form):
    key = StringField(_l("编号"), validators=[Optional(), Length(max=80, message=_l("编号最多 80 个字符。"))],
                      description=_l("留空则自动生成；导入时按编号更新。"))
    type = SelectField(_l("题型"), choices=choices_of(QuestionType))
    level = SelectField(_l("级别"), choices=choices_of(QuestionLevel))
    topic = StringField(_l("主题"), validators=[DataRequired(_l("请填写主题，例如 动火作业。")), Length(max=60)])
    difficulty = SelectField(_l("难度"), choices=options([("1", _l("1 易")), ("2", _l("2 中")), ("3", _l("3 难"))]))
    stem = TextAreaField(_l("题干"), validators=[DataRequired(_l("请填写题干。"))])
    options = TextAreaField(_l("选项（每行一个，不写字母；判断题不填）"))
    answer = StringField(_l("答案"), validators=[DataRequired(_l("请填写答案。"))],
                         description=_l("单选填一个字母如 B；多选填多个字母如 ACD；判断填 对 或 错。"))
    explanation = TextAreaField(_l("解析"), validators=[DataRequired(_l("请填写解析，说明依据的条款。"))])
    source = SelectField(_l("来源文档"), validators=[DataRequired(_l("请选择来源文档。"))], validate_choice=False,
                         description=_l("出题依据的法规、规程或案例，可输入名称筛选"))
    source_section = StringField(_l("条款/章节"), validators=[Optional(), Length(max=120)])
    positions = SelectMultipleField(_l("适用岗位（可不选）"), coerce=str)

    def option_lines(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]


class ExamForm(Form):
    title = StringField(_l("考试名称"), validators=[DataRequired(_l("请填写考试名称。")), Length(max=120)])
    description = TextAreaField(_l("说明"), validators=[Optional()])
    level = SelectField(_l("级别"), choices=choices_of(QuestionLevel, blank="—"), validators=[Optional()])
    department_id = SelectField(_l("面向部门（不选为全公司）"), coerce=int, validators=[Optional()])
    positions = SelectMultipleField(_l("面向岗位（不选为所有岗位）"), coerce=int)
    published = BooleanField(_l("发布（员工可见）"))
    listed = BooleanField(_l("列在面向人员的“我的考试”中（三级教育考试和学习任务中的考试可不列出，只对相关人员显示）"),
                          default=True)
    duration_minutes = IntegerField(_l("时长（分钟）"), default=30, validators=[
        InputRequired(_l("请填写时长。")), NumberRange(1, 600, _l("时长须在 1–600 分钟之间。"))])
    pass_percent = FloatField(_l("及格线（%，占总分的百分比）"), default=60, validators=[
        InputRequired(_l("请填写及格线。")), NumberRange(1, 100, _l("及格线须在 1%–100% 之间。"))])
    max_attempts = IntegerField(_l("允许次数（0 为不限）"), default=2, validators=[
        InputRequired(_l("请填写允许次数。")), NumberRange(0, 99, _l("允许次数须在 0–99 之间。"))])
    opens_at = DateTimeLocalField(_l("开放时间（北京时间，可空）"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("关闭时间（北京时间，可空）"), validators=[Optional()])
    shuffle_questions = BooleanField(_l("题目乱序"), default=True)
    shuffle_options = BooleanField(_l("选项乱序"), default=True)
    partial_credit = BooleanField(_l("多选题少选按比例得分（错选不得分）"))
    review_policy = SelectField(_l("成绩与答案显示"), choices=choices_of(ReviewPolicy),
                                default=ReviewPolicy.ANSWERS.value)
    points_single = IntegerField(_l("单选每题分值"), default=2, validators=[POINTS])
    points_multiple = IntegerField(_l("多选每题分值"), default=4, validators=[POINTS])
    points_truefalse = IntegerField(_l("判断每题分值"), default=1, validators=[POINTS])
    question_keys = SelectMultipleField(_l("固定题目"), validators=[Optional()], validate_choice=False,
                                        description=_l("勾选要考的题目，可按题干、主题筛选；与抽题规则二选一"))
    rules = TextAreaField(_l("或：抽题规则（每行一条）"), validators=[Optional()],
                          description=_l("格式：题型 题数 每题分值 [级别] [主题]，"
                                         "例如“单选 20 2 公司级”“判断 10 1 动火作业”。"))

    def local_to_utc(self, value: datetime | None) -> datetime | None:
        return value.replace(tzinfo=company_zone()).astimezone(UTC) if value else None

    def key_lines(self) -> list[str]:
        """The ticked questions' keys, in the order they are listed (a value may also hold one key per line)."""
        return [line.strip() for value in self.question_keys.data or [] for line in str(value).splitlines()
                if line.strip()]

    def rule_lines(self) -> list[RuleData]:
        """Parse the draw rules; a bad line adds a Chinese error naming it and returns []."""
        parsed = []
        for number, line in enumerate((self.rules.data or "").splitlines(), 1):
            words = line.split()
            if not words:
                continue
            if len(words) < 3 or words[0] not in TYPE_WORDS or number_problem(words[1], 1, MAX_RULE_COUNT, whole=True) \
                    or number_problem(words[2], 1, 100, whole=True):
                self.rules.errors = [*self.rules.errors, f"第 {number} 行“{line.strip()}”格式不对"
                                     f"（题数 1–{MAX_RULE_COUNT}、每题分值 1–100，用半角数字）。"]
                return []
            rule = RuleData(TYPE_WORDS[words[0]], int(words[1]), int(words[2]))
            for word in words[3:]:
                if word in LEVEL_WORDS:
                    rule.level = LEVEL_WORDS[word]
                else:
                    rule.topic = word
            parsed.append(rule)
        return parsed


class UploadForm(Form):
    file = FileField(_l("题库表格（.xlsx）"), validators=[
        FileRequired(_l("请选择文件。")), FileAllowed(["xlsx"], _l("只接受 .xlsx 文件。"))])


class SubmitForm(Form):
    revision = HiddenField()
