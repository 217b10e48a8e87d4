"""Safety settings (安全设置): certificate intervals, warning window, 三违 rules, emergency numbers.

Defaults follow the rules in force: 令第30号 (特种作业操作证 valid 6 years, reviewed every 3, apply
within 60 days before expiry, ≥ 8 学时 review training); TSG Z6001-2019 (特种设备作业人员证 valid
4 years); the shipped company rule 华岳安〔2025〕7号 (严重三违 or two 一般三违 within a year stand the
person down; retraining exam 80 分; three or more within a year is a repeat offender).
"""

from __future__ import annotations

from typing import Any

from core.exceptions import DomainError
from core.extensions import db
from core.input import number_problem, text_problem
from safety.models import SafetySetting

# key: (default, label)
DEFAULTS: dict[str, tuple[Any, str]] = {
    "special_operation_valid_years": (6, "特种作业操作证有效期（年）"),
    "special_operation_review_years": (3, "特种作业操作证复审间隔（年；0 表示不复审，只到期换证）"),
    "special_equipment_valid_years": (4, "特种设备作业人员证有效期（年，TSG Z6001-2019）"),
    "warning_days": (60, "证件到期/复审提前提醒天数（令第30号：期满前 60 日内申请复审）"),
    "review_training_hours": (8, "复审培训学时（令第30号：不少于 8 学时）"),
    "review_due_days": (30, "复审培训任务期限（天）"),
    "standdown_on_serious": (True, "严重三违立即停岗再培训"),
    "standdown_general_count": (2, "一年内累计几次一般三违须停岗再培训（0 表示不累计）"),
    "retraining_pass_percent": (80, "再培训考试合格线（占总分百分比）"),
    "retraining_questions": (5, "再培训考试题数"),
    "retraining_due_days": (7, "再培训任务期限（天）"),
    "repeat_offender_count": (3, "累计几次三违标记为屡犯"),
    "repeat_offender_months": (12, "屡犯统计期间（月）"),
    "emergency_phones": ("火警 119；急救 120；报警 110；公司安全环保部 0571-0000-0001（24 小时）",
                         "应急电话（用“；”分隔，显示在岗位安全风险告知卡上）"),
}

# 应急管理部令第19号 is reported (secondary sources, not yet checked against the official text) to
# replace 令第30号 from 2026-06-01 with a 6-year renewal instead of the 3-year review.
SPECIAL_OPERATION_NOTE = ("待核实：据公开报道，应急管理部令第19号《特种作业人员安全技术培训考核管理规定》"
                          "自 2026-06-01 起施行并替代原总局令第30号，特种作业操作证改为每 6 年换证、不再每 3 年复审。"
                          "核对官方文本后，请把“复审间隔”改为 0，并按新规调整有效期。")


def _coerce(key: str, raw: Any) -> Any:
    default = DEFAULTS[key][0]
    if isinstance(default, bool):
        return str(raw).lower() in {"1", "true", "yes", "on", "是", "y"}
    if isinstance(default, int):
        return int(str(raw).strip())
    return str(raw).strip()


def get_setting(key: str) -> Any:
    """The stored value of ``key`` converted to its default's type, or the default."""
    row = db.session.get(SafetySetting, key)
    if row is None:
        return DEFAULTS[key][0]
    try:
        return _coerce(key, row.value)
    except ValueError:
        return DEFAULTS[key][0]


def set_setting(key: str, raw: str) -> bool:
    """Validate and store one setting; True when it changed (the caller commits and audits)."""
    if key not in DEFAULTS:
        raise DomainError(f"未知设置项 {key}。", field=key)
    default, label = DEFAULTS[key]
    problem = (number_problem(str(raw), 0, 3650, whole=True) if isinstance(default, int) and not isinstance(
        default, bool) else text_problem(str(raw), limit=500, blank_ok=True))
    if problem:
        raise DomainError(f"“{label}”{problem}", field=key)
    try:
        value = _coerce(key, raw)
    except ValueError as error:
        raise DomainError(f"“{label}”须为整数。", field=key) from error
    if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= 3650:
        raise DomainError(f"“{label}”须在 0–3650 之间。", field=key)
    if key == "emergency_phones" and not value:
        raise DomainError("请至少填写一个应急电话。", field=key)
    if get_setting(key) == value:
        return False
    row = db.session.get(SafetySetting, key) or SafetySetting(key=key)
    row.value = str(value)[:500]
    db.session.add(row)
    db.session.flush()
    return True


def emergency_phones() -> list[str]:
    """The emergency numbers, one entry per ``；``-separated item."""
    text = str(get_setting("emergency_phones")).replace(";", "；")
    return [part.strip() for part in text.split("；") if part.strip()]
