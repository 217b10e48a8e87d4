"""Company training settings (培训设置): a small key/value table with typed getters and defaults.

Every figure that varies by province or industry is a setting whose default is the national one
(令第3号: 24 学时 at hire, 72/20 学时 for high-risk units, re-training after ≥ 1 year away).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import utcnow
from core.exceptions import DomainError
from core.extensions import db
from core.input import number_problem, text_problem
from org.models import Employee
from training.audit import record_action

# key: (default, label)
DEFAULTS: dict[str, tuple[Any, str]] = {
    "company_name": ("", "单位名称（印在三级安全教育登记卡上）"),
    "high_risk_unit": (False, "高危行业单位（矿山、危化品、烟花爆竹、金属冶炼）"),
    "hours_split": ("8/8/8", "新员工三级教育学时（公司级/部门级/班组级，合计不少于 24 学时）"),
    "hours_split_high_risk": ("24/24/24", "高危单位三级教育学时（合计不少于 72 学时）"),
    "annual_hours_high_risk": (20, "高危单位每年再培训学时"),
    "annual_hours_key_positions": (8, "一般单位每年再培训学时：高危岗位、特种作业人员（按本省规定）"),
    "annual_hours_other": (4, "一般单位每年再培训学时：其他从业人员（按本省规定）"),
    "minutes_per_hour": (45, "每学时分钟数"),
    "study_cap_factor": (1.5, "每项自学计时上限 = 预计分钟 × 系数"),
    "study_min_factor": (0.5, "确认已学习前至少学习 = 预计分钟 × 系数（只计页面显示在前台的时间）"),
    "default_expected_minutes": (15, "未设定时每份文件的预计学习分钟"),
    "absence_days": (365, "离岗多少天后返岗须重新进行部门级、班组级教育"),
    "new_hire_days": (90, "入职多少天内建档的员工自动开启三级教育"),
    "restudy_due_days": (7, "规程修订后重新学习的期限（天）"),
}


# key: (lowest, highest) for the numeric settings; a value outside is refused at its field.
RANGES: dict[str, tuple[float, float]] = {
    "annual_hours_high_risk": (0, 200),
    "annual_hours_key_positions": (0, 200),
    "annual_hours_other": (0, 200),
    "minutes_per_hour": (1, 120),
    "study_cap_factor": (1, 10),
    "study_min_factor": (0, 1),
    "default_expected_minutes": (1, 600),
    "absence_days": (1, 3650),
    "new_hire_days": (1, 3650),
    "restudy_due_days": (1, 365),
}
SPLIT_MAX = 200  # 学时 per level


class TrainingSetting(db.Model):
    __tablename__ = "training_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _coerce(key: str, raw: Any) -> Any:
    default = DEFAULTS[key][0]
    if isinstance(default, bool):
        return str(raw).lower() in {"1", "true", "yes", "on", "是"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return str(raw)


def get_setting(key: str) -> Any:
    """The stored value of ``key`` converted to its default's type, or the default."""
    row = db.session.get(TrainingSetting, key)
    if row is None:
        return DEFAULTS[key][0]
    try:  # a value stored before the ranges existed, or out of them, gives way to the default
        _check(key, row.value)
        value = _coerce(key, row.value)
        if key.startswith("hours_split"):
            parse_split(str(value), key)
        return value
    except (ValueError, DomainError):
        return DEFAULTS[key][0]


def _check(key: str, raw: str) -> None:
    """Plain ASCII numbers within the key's range; text without control or direction characters."""
    default, label = DEFAULTS[key]
    if key in RANGES:
        low, high = RANGES[key]
        problem = number_problem(str(raw), low, high, whole=isinstance(default, int))
        if problem:
            raise DomainError(f"“{label}”{problem}", field=key)
    elif isinstance(default, str):
        problem = text_problem(str(raw), limit=100, blank_ok=True)
        if problem:
            raise DomainError(f"“{label}”{problem}", field=key)


def set_setting(key: str, raw: str) -> None:
    """Validate and store one setting (the caller commits and audits)."""
    if key not in DEFAULTS:
        raise DomainError(f"未知设置项 {key}。", field=key)
    _check(key, raw)
    try:
        value = _coerce(key, raw)
    except ValueError as error:
        raise DomainError(f"“{DEFAULTS[key][1]}”须为数字。", field=key) from error
    if key.startswith("hours_split"):
        parse_split(str(value), key)
    row = db.session.get(TrainingSetting, key) or TrainingSetting(key=key)
    row.value = str(value)
    db.session.add(row)
    db.session.flush()


def parse_split(text: str, key: str = "hours_split") -> tuple[float, float, float]:
    """"8/8/8" → (8.0, 8.0, 8.0); three non-negative numbers."""
    parts = [p.strip() for p in text.replace("／", "/").split("/")]
    if any(number_problem(p, 0, SPLIT_MAX) for p in parts):
        raise DomainError(f"学时分配须写成“公司级/部门级/班组级”三个 0–{SPLIT_MAX} 的数，例如 8/8/8。", field=key)
    numbers = tuple(float(p) for p in parts)
    if len(numbers) != 3:
        raise DomainError("学时分配须写成三个非负数，例如 8/8/8。", field=key)
    return numbers  # type: ignore[return-value]


def level_hours() -> tuple[float, float, float]:
    """Required 学时 per level (company, department, team) under the current settings."""
    key = "hours_split_high_risk" if get_setting("high_risk_unit") else "hours_split"
    return parse_split(get_setting(key), key)


class SettingsInvalid(DomainError):
    """Some settings were refused; ``errors`` maps each key to the reason (nothing is saved)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("设置有误，未保存。")
        self.errors = errors


def save_settings(actor: Employee, raw: dict[str, str], now: datetime) -> None:
    """Validate and store every setting, and audit the change; any bad value raises SettingsInvalid."""
    errors: dict[str, str] = {}
    for key in DEFAULTS:
        try:
            set_setting(key, raw.get(key, ""))
        except DomainError as error:
            errors[key] = error.message
    if errors:
        raise SettingsInvalid(errors)
    record_action("settings.change", actor, now, target="training", detail=dict(raw))
