"""Forms for drafting each kind of document, their pickers, and the review decisions."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from core.extensions import db
from core.forms import Form, options
from kb.fields import (
    CASE_TEXTS,
    EMERGENCY_LEVELS,
    EMERGENCY_LISTS,
    LEVELS,
    PROCEDURE_LISTS,
    VALIDITIES,
    VIOLATION_TYPES,
)
from kb.hazards import GB6441_TYPES
from kb.models import DocumentKind
from kb.permissions import drafts_only_for_led_teams, hazard_team_clause, owner_department_clause
from kb.render import body_problems
from kb.services.picker import document_choices, hazard_row_choices
from org.models import Department, Employee, Position, Team

LINES = _l("每行一条")
COMPANY_NUMBER = {"description": _l("本公司的文件编号，如 AQ-CY-001；可空"),
                  "validators": [Length(max=60, message=_l("文件编号最多 60 个字符"))]}


def markdown_body(_form: Form, field: TextAreaField) -> None:
    """A body that is too long, or that Markdown could not lay out in reasonable time, names its line."""
    problems = body_problems(field.data or "")
    if problems:
        line, reason = problems[0]
        raise ValidationError(_l("第 %(line)s 行：%(reason)s", line=line, reason=reason))


class DocumentForm(Form):
    """Fields every kind has."""

    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题")), Length(max=200)])
    owner = SelectField(_l("归口部门"))
    tags = StringField(_l("标签"), description=_l("用逗号或顿号分隔"), validators=[Length(max=300)])
    body = TextAreaField(_l("正文（Markdown）"), validators=[markdown_body],
                         description=_l("可用 ## 标题、列表、表格；法规条款写成“### 第二十八条 …”"))
    change_note = StringField(_l("修订说明"), validators=[Length(max=500)])

    kind_fields: tuple[str, ...] = ()

    def raw_fields(self) -> dict[str, Any]:
        """The kind's fields as the services expect them (lists from one-item-per-line text)."""
        return {name: getattr(self, name).data for name in self.kind_fields}

    def tag_list(self) -> list[str]:
        text = (self.tags.data or "").replace("，", ",").replace("、", ",")
        return [t.strip() for t in text.split(",") if t.strip()]


class RegulationForm(DocumentForm):
    issuer = StringField(_l("发布机关"))
    doc_number = StringField(_l("文号/标准号"), description=_l("如 应急管理部令第13号、GB 30871-2022"))
    level = SelectField(_l("层级"), choices=options([(v, v) for v in LEVELS]))
    issued_date = StringField(_l("发布日期"), description="YYYY-MM-DD")
    effective_date = StringField(_l("施行日期"), description="YYYY-MM-DD")
    validity = SelectField(_l("效力"), choices=options([(v, v) for v in VALIDITIES]))
    replaced_by = SelectField(_l("被替代为"), description=_l("已修订/已废止时选择替代它的法规（可输入名称筛选）"),
                              validate_choice=False)
    validity_note = TextAreaField(_l("效力说明"), description=_l("效力为“待核实”时必填：写明待核实的原因"),
                                  validators=[Length(max=1000)])
    verified_on = StringField(_l("最近核实日期"), description=_l("YYYY-MM-DD：最近一次对照官方发布核实效力的日期"))
    verified_source = StringField(_l("核实来源"), description=_l("如 发布机关官网公告、国家标准全文公开系统"),
                                  validators=[Length(max=500)])
    kind_fields = ("issuer", "doc_number", "level", "issued_date", "effective_date", "validity", "replaced_by",
                   "validity_note", "verified_on", "verified_source")


class ProcedureForm(DocumentForm):
    doc_number = StringField(_l("文件编号"), **COMPANY_NUMBER)
    positions = SelectMultipleField(_l("适用岗位"))
    equipment = TextAreaField(_l("设备/工具"), description=LINES)
    ppe = TextAreaField(_l("劳动防护用品"), description=LINES)
    before_work = TextAreaField(_l("作业前"), description=LINES)
    during_work = TextAreaField(_l("作业中"), description=LINES)
    after_work = TextAreaField(_l("作业后"), description=LINES)
    prohibitions = TextAreaField(_l("禁止事项"), description=LINES)
    emergency = TextAreaField(_l("应急措施"), description=LINES)
    references = SelectMultipleField(_l("依据法规"), description=_l("勾选本规程依据的法规标准，可输入名称筛选"),
                                     validate_choice=False)
    kind_fields = ("doc_number", "positions", *PROCEDURE_LISTS, "references")


class CaseForm(DocumentForm):
    doc_number = StringField(_l("文件编号"), **COMPANY_NUMBER)
    violation_type = SelectField(_l("违章类型"), choices=options([(v, v) for v in VIOLATION_TYPES]))
    occurred_on = StringField(_l("发生日期"), description="YYYY-MM-DD")
    department = SelectField(_l("发生部门"))
    accident_type = SelectField(_l("事故类型"), choices=options(
        [("", _l("（未遂，无分类）"))] + [(t, t) for t in GB6441_TYPES]))
    procedure = SelectField(_l("违反的规程"), validate_choice=False)
    hazard_list = SelectField(_l("涉及的危险源清单"), validate_choice=False)
    happened = TextAreaField(validators=[markdown_body], label=_l("事件经过"))
    consequence = TextAreaField(validators=[markdown_body], label=_l("后果"))
    causes = TextAreaField(validators=[markdown_body], label=_l("原因分析"))
    lessons = TextAreaField(validators=[markdown_body], label=_l("举一反三"))
    kind_fields = ("doc_number", "violation_type", "occurred_on", "department", "accident_type", "procedure",
                   "hazard_list",
                   *CASE_TEXTS)


class HazardListForm(DocumentForm):
    doc_number = StringField(_l("文件编号"), **COMPANY_NUMBER)
    team = SelectField(_l("班组"))
    area = StringField(_l("区域/工序"))
    rows = TextAreaField(_l("危险源（每行一条）"),
                         description=_l("作业活动 | 危险源 | 事故类型 | L | E | C | 控制措施 | 责任人"))
    occupational = TextAreaField(
        _l("职业病危害因素（每行一项，不用 LEC 评价）"),
        description=_l("危害因素 | 产生环节 | 接触情况 | 接触限值及依据 | 检测结果 | "
                       "判定（未超过限值/超过限值/待检测） | 可能导致的职业病 | 防护措施 | 职业健康检查 | 责任人"))
    kind_fields = ("doc_number", "team", "area")


class EmergencyPlanForm(DocumentForm):
    doc_number = StringField(_l("文件编号"), **COMPANY_NUMBER)
    level = SelectField(_l("预案层级"), choices=options([(v, v) for v in EMERGENCY_LEVELS]))
    scenario = TextAreaField(_l("适用情形"), description=_l("事故风险描述：场所、设备、可能发生的事故"))
    positions = SelectMultipleField(_l("适用岗位"), description=_l("现场处置方案必选，据此生成岗位应急处置卡"))
    hazard_rows = SelectMultipleField(_l("对应的危险源"), validate_choice=False,
                                      description=_l("勾选本预案针对的危险源（已发布的危险源辨识清单中的行），可输入名称筛选"))
    alarm = TextAreaField(_l("报警与报告"), description=LINES)
    response = TextAreaField(_l("处置步骤"), description=LINES)
    evacuation = TextAreaField(_l("疏散与撤离"), description=LINES)
    cautions = TextAreaField(_l("注意事项"), description=LINES)
    contacts = TextAreaField(_l("应急联系方式"), description=LINES)
    equipment = TextAreaField(_l("应急物资与装备"), description=LINES)
    drill_months = StringField(_l("演练周期（月）"), description=_l("如 6 表示每半年至少演练一次"))
    references = SelectMultipleField(_l("编制依据"), description=_l("勾选依据的法规标准，可输入名称筛选"),
                                     validate_choice=False)
    kind_fields = ("doc_number", "level", "scenario", "positions", "hazard_rows", *EMERGENCY_LISTS, "drill_months",
                   "references")


FORMS = {
    DocumentKind.REGULATION: RegulationForm,
    DocumentKind.PROCEDURE: ProcedureForm,
    DocumentKind.CASE: CaseForm,
    DocumentKind.HAZARD_LIST: HazardListForm,
    DocumentKind.EMERGENCY_PLAN: EmergencyPlanForm,
}


def fill_choices(form: DocumentForm, kind: DocumentKind, actor: Employee, current: dict | None = None) -> None:
    """Fill the pickers (by Chinese name) with what ``actor`` may choose for a ``kind`` document.

    ``current`` are the draft's stored fields: documents it names stay choosable even if no longer listed.
    """
    by_code = select(Department).order_by(Department.code)
    owners = db.session.scalars(by_code.where(owner_department_clause(actor))).all()
    form.owner.choices = [(d.code, d.name) for d in owners]
    if kind in (DocumentKind.PROCEDURE, DocumentKind.EMERGENCY_PLAN):
        positions = db.session.scalars(select(Position).where(Position.active).order_by(Position.code))
        form.positions.choices = [(p.code, p.name) for p in positions]
    _fill_document_pickers(form, kind, current or {})
    if kind is DocumentKind.EMERGENCY_PLAN:
        form.hazard_rows.choices = hazard_row_choices(tuple((current or {}).get("hazard_rows") or ()))
    if kind is DocumentKind.CASE:
        form.department.choices = [(d.code, d.name) for d in db.session.scalars(by_code)]
    if kind is DocumentKind.HAZARD_LIST:
        teams = db.session.scalars(select(Team).where(Team.active, hazard_team_clause(actor))
                                   .order_by(Team.code)).all()
        form.team.choices = [(t.code, f"{t.name}（{t.department.name}）") for t in teams]
        if drafts_only_for_led_teams(actor):
            form.owner.choices = [(t.department.code, t.department.name) for t in teams][:1]


DOCUMENT_PICKERS = {  # field → the kind of document it names
    "replaced_by": DocumentKind.REGULATION, "references": DocumentKind.REGULATION,
    "procedure": DocumentKind.PROCEDURE, "hazard_list": DocumentKind.HAZARD_LIST,
}


def _fill_document_pickers(form: DocumentForm, kind: DocumentKind, current: dict) -> None:
    """Documents by title · kind · validity (repealed ones marked), valued by the slug the fields store."""
    for name, names_kind in DOCUMENT_PICKERS.items():
        if name not in form.kind_fields:
            continue
        chosen = current.get(name) or []
        keep = tuple(chosen) if isinstance(chosen, list) else (chosen,)
        multiple = isinstance(getattr(form, name), SelectMultipleField)
        getattr(form, name).choices = document_choices((names_kind.value,), None if multiple else _("（不选）"), keep)


class RejectForm(Form):
    note = TextAreaField(_l("退回意见"), validators=[DataRequired(_l("请填写退回意见")), Length(max=500)])


class PublishForm(Form):
    effective_date = DateField(_l("生效日期"), validators=[Optional()], description=_l("留空则为今天"))


class ActionForm(Form):
    """A bare CSRF-protected form for POST buttons."""
