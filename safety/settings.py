"""Safety settings (安全设置): certificate intervals, warning window, 三违 rules, emergency numbers.

Defaults follow the rules in force: 令第30号 (特种作业操作证 valid 6 years, reviewed every 3, apply
within 60 days before expiry, ≥ 8 学时 review training); TSG Z6001-2019 (特种设备作业人员证 valid
4 years); the shipped company rule 华岳安〔2025〕7号 (严重三违 or two 一般三违 within a year stand the
person down; retraining exam 80 分; three or more within a year is a repeat offender).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.exceptions import DomainError
from core.settings import Setting, SettingsTable
from safety.models import SafetySetting

SETTINGS: dict[str, Setting] = {
    "special_operation_valid_years": Setting(6, "特种作业操作证有效期（年）", 1, 20),
    "special_operation_review_years": Setting(3, "特种作业操作证复审间隔（年；0 表示不复审，只到期换证）", 0, 10),
    "special_equipment_valid_years": Setting(4, "特种设备作业人员证有效期（年，TSG Z6001-2019）", 1, 20),
    "warning_days": Setting(60, "证件到期/复审提前提醒天数（令第30号：期满前 60 日内申请复审）", 1, 365),
    "review_training_hours": Setting(8, "复审培训学时（令第30号：不少于 8 学时）", 1, 200),
    "review_due_days": Setting(30, "复审培训任务期限（天）", 1, 365),
    "standdown_on_serious": Setting(True, "严重三违立即停岗再培训"),
    "standdown_general_count": Setting(2, "一年内累计几次一般三违须停岗再培训（0 表示不累计）", 0, 20),
    "retraining_pass_percent": Setting(80, "再培训考试合格线（占总分百分比）", 1, 100),
    "retraining_questions": Setting(5, "再培训考试题数", 1, 100),
    "retraining_due_days": Setting(7, "再培训任务期限（天）", 1, 365),
    "repeat_offender_count": Setting(3, "累计几次三违标记为屡犯", 1, 50),
    "repeat_offender_months": Setting(12, "屡犯统计期间（月）", 1, 60),
    "emergency_phones": Setting("火警 119；急救 120；报警 110；公司安全环保部 0571-0000-0001（24 小时）",
                                "应急电话（用“；”分隔，显示在岗位安全风险告知卡上）", 0, 500),
}

# 应急管理部令第19号 is reported (secondary sources, not yet checked against the official text) to
# replace 令第30号 from 2026-06-01 with a 6-year renewal instead of the 3-year review.
SPECIAL_OPERATION_NOTE = ("待核实：据公开报道，应急管理部令第19号《特种作业人员安全技术培训考核管理规定》"
                          "自 2026-06-01 起施行并替代原总局令第30号，特种作业操作证改为每 6 年换证、不再每 3 年复审。"
                          "核对官方文本后，请把“复审间隔”改为 0，并按新规调整有效期。")


STORE = SettingsTable(SafetySetting, SETTINGS, audit_target="安全设置")


def get_setting(key: str) -> Any:
    """The stored value of ``key`` converted to its default's type, or the default."""
    return STORE.get(key)


def _check(key: str, value: Any) -> None:
    if key == "emergency_phones" and not value:
        raise DomainError("请至少填写一个应急电话。", field=key)


def set_setting(key: str, raw: Any) -> bool:
    """Check and store one setting; True when it changed (the caller commits)."""
    _check(key, raw.strip() if isinstance(raw, str) else raw)
    return STORE.set(key, raw)


def save_settings(actor: Any, raw: dict[str, str], now: datetime) -> list[str]:
    """Check and store every setting, and audit the change; any bad value raises SettingsInvalid."""
    return STORE.save(actor, raw, now, check=_check)


def emergency_phones() -> list[str]:
    """The emergency numbers, one entry per ``；``-separated item."""
    text = str(get_setting("emergency_phones")).replace(";", "；")
    return [part.strip() for part in text.split("；") if part.strip()]
