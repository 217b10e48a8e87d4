"""WTForms for certificates, requirements, 三违 records, 复岗, the expiring list and settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from core.forms import Form, options
from safety.catalogue import kind_choices
from safety.models import Severity, ViolationType

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class CertificateForm(Form):
    kind_code = SelectField(_l("证件类别 · 操作项目"), validators=[DataRequired(_l("请选择证件类别。"))])
    number = StringField(_l("证号"), validators=[DataRequired(_l("请填写证号。")), Length(max=60)])
    authority = StringField(_l("发证机关"), validators=[Optional(), Length(max=120)],
                            description=_l("特种作业操作证：应急管理部门；特种设备作业人员证：市场监督管理部门"))
    issued_on = DateField(_l("发证（初领）日期"), validators=[DataRequired(_l("请填写有效的发证日期。"))])
    valid_until = DateField(_l("有效期至"), validators=[Optional()],
                            description=_l("留空则按设置的有效期年限计算"))
    next_review_on = DateField(_l("下次复审日期"), validators=[Optional()],
                               description=_l("特种作业操作证留空则按复审间隔计算；特种设备作业人员证一般到期复审"))
    revoked = BooleanField(_l("已注销或复审不合格"))
    note = StringField(_l("备注"), validators=[Optional(), Length(max=200)])
    scan = FileField(_l("证件扫描件（照片或 PDF）"), render_kw={"accept": IMAGE_ACCEPT + ",application/pdf"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind_code.choices = options([("", _l("请选择"))] + kind_choices())


class RequirementsForm(Form):
    kinds = SelectMultipleField(_l("须持有的证件"), validate_choice=False,
                                description=_l("可多选；未持有效证件的人员不能“准许上岗”"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds.choices = options(kind_choices())


class ViolationForm(Form):
    employee_id = SelectField(_l("违章人员"), coerce=lambda v: int(v) if v else None, validate_choice=False,
                              validators=[DataRequired(_l("请选择违章人员。"))])
    occurred_at = DateTimeLocalField(_l("发生时间"), format="%Y-%m-%dT%H:%M",
                                     validators=[DataRequired(_l("请填写有效的发生时间。"))])
    place = StringField(_l("地点"), validators=[DataRequired(_l("请填写地点。")), Length(max=120)])
    type = SelectField(_l("三违类型"), validate_choice=False)
    severity = SelectField(_l("严重程度"), validate_choice=False, description=_l(
        "严重三违：可能直接导致伤亡、火灾爆炸或构成重大事故隐患的（无证特种作业、拆除安全装置、有限空间无审批进入、"
        "酒后上岗、违章指挥冒险作业），以及造成事故或未遂事件的（反三违管理办法第五条）。"))
    description = TextAreaField(_l("发生了什么"), validators=[DataRequired(_l("请描述发生了什么。")),
                                                             Length(max=2000)])
    procedure_id = SelectField(_l("违反的规程"), coerce=lambda v: int(v) if v else None, validate_choice=False)
    action_taken = TextAreaField(_l("现场处理"), validators=[Optional(), Length(max=1000)])
    photos = MultipleFileField(_l("照片（可拍照或从相册选择，最多 6 张）"),
                               render_kw={"accept": IMAGE_ACCEPT, "capture": "environment"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.type.choices = options([(t.value, t.label) for t in ViolationType])
        self.severity.choices = options([(s.value, s.label) for s in Severity])


class ReturnForm(Form):
    note = StringField(_l("复岗意见"), validators=[Optional(), Length(max=200)])


class ActionForm(Form):
    """A POST with CSRF and nothing else (draft a case, …)."""


class ReviewAssignForm(Form):
    certificate_ids = SelectMultipleField(_l("证件"), coerce=int, validate_choice=False)
    due_on = DateField(_l("完成期限"), validators=[Optional()])
    window = HiddenField()


class SettingsForm(Form):
    """Filled with one StringField per setting at runtime (see views)."""
