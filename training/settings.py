"""Company training settings (培训设置): a small key/value table with typed getters and defaults.

Every figure that varies by province or industry is a setting whose default is the national one
(令第3号: 24 学时 at hire, 72/20 学时 for high-risk units, re-training after ≥ 1 year away).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import now as clock_now
from core.exceptions import DomainError
from core.extensions import db
from core.input import number_problem
from core.settings import Setting, SettingsTable
from org.models import Employee

SETTINGS: dict[str, Setting] = {
    "company_name": Setting("", "单位名称（印在三级安全教育登记卡上）", 0, 100),
    "high_risk_unit": Setting(False, "高危行业单位（矿山、危化品、烟花爆竹、金属冶炼）"),
    "hours_split": Setting("8/8/8", "新员工三级教育学时（公司级/部门级/班组级，合计不少于 24 学时）", 0, 40),
    "hours_split_high_risk": Setting("24/24/24", "高危单位三级教育学时（合计不少于 72 学时）", 0, 40),
    "annual_hours_high_risk": Setting(20, "高危单位每年再培训学时", 0, 200),
    "annual_hours_key_positions": Setting(8, "一般单位每年再培训学时：高危岗位、特种作业人员（按本省规定）", 0, 200),
    "annual_hours_other": Setting(4, "一般单位每年再培训学时：其他从业人员（按本省规定）", 0, 200),
    "minutes_per_hour": Setting(45, "每学时分钟数", 30, 60),
    "study_cap_factor": Setting(1.5, "每项自学计时上限 = 预计分钟 × 系数", 1, 5),
    "study_min_factor": Setting(0.5, "确认已学习前至少学习 = 预计分钟 × 系数（只计页面显示在前台的时间）", 0, 1),
    "default_expected_minutes": Setting(15, "未设定时每份文件的预计学习分钟", 1, 600),
    "absence_days": Setting(365, "离岗多少天后返岗须重新进行部门级、班组级教育", 1, 3650),
    "new_hire_days": Setting(90, "入职多少天内建档的员工自动开启三级教育", 1, 3650),
    "restudy_due_days": Setting(7, "规程修订后重新学习的期限（天）", 1, 365),
}


class TrainingSetting(db.Model):
    __tablename__ = "training_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=clock_now, onupdate=clock_now)


STORE = SettingsTable(TrainingSetting, SETTINGS, audit_target="培训设置")


def get_setting(key: str) -> Any:
    """The stored value of ``key`` converted to its default's type, or the default."""
    return STORE.get(key)


def set_setting(key: str, raw: Any) -> bool:
    """Check and store one setting (the caller commits)."""
    _check(key, raw)
    return STORE.set(key, raw)


def parse_split(text: str, key: str = "hours_split") -> tuple[float, float, float]:
    """"8/8/8" → (8.0, 8.0, 8.0); three non-negative numbers."""
    parts = [p.strip() for p in str(text).replace("／", "/").split("/")]
    if len(parts) != 3 or any(number_problem(part, 0, 200) for part in parts):
        raise DomainError("学时分配须写成“公司级/部门级/班组级”三个 0–200 之间的数，例如 8/8/8。", field=key)
    numbers = tuple(float(part) for part in parts)
    return numbers  # type: ignore[return-value]


def level_hours() -> tuple[float, float, float]:
    """Required 学时 per level (company, department, team) under the current settings."""
    key = "hours_split_high_risk" if get_setting("high_risk_unit") else "hours_split"
    return parse_split(get_setting(key), key)


def _check(key: str, value: Any) -> None:
    if key.startswith("hours_split"):
        parse_split(str(value), key)


def save_settings(actor: Employee, raw: dict[str, str], now: datetime) -> list[str]:
    """Check and store every setting, and audit the change; any bad value raises SettingsInvalid."""
    return STORE.save(actor, raw, now, check=_check)
