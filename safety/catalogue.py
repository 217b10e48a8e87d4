"""The two certificate systems (证件体系) and their operation items, as a fixed catalogue.

特种作业操作证 is issued by the emergency-management authorities under 《特种作业人员安全技术培训
考核管理规定》 (原国家安全监管总局令第30号; 应急管理部令第19号 is reported to replace it from
2026-06-01). 特种设备安全管理和作业人员证 is issued by market regulation under TSG Z6001-2019.
They are different systems with different validity and renewal rules, so each item names its
system. Forklift (N1) and crane (Q1/Q2) posts are special *equipment* work, not 特种作业.
Slingers (司索) are not certified under TSG Z6001: the employer trains and assesses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class CertificateSystem(StrEnum):
    SPECIAL_OPERATION = "special_operation"
    SPECIAL_EQUIPMENT = "special_equipment"

    @property
    def label(self) -> str:
        return str({"special_operation": _l("特种作业操作证"),
                    "special_equipment": _l("特种设备安全管理和作业人员证")}[self.value])

    @property
    def authority_hint(self) -> str:
        return str({"special_operation": _l("应急管理部门"),
                    "special_equipment": _l("市场监督管理部门")}[self.value])


@dataclass(frozen=True)
class CertificateKind:
    code: str
    system: CertificateSystem
    category: str  # 作业类别 / 作业种类
    item: str  # 操作项目 / 作业项目 (with its TSG code where there is one)

    @property
    def label(self) -> str:
        return f"{self.category}/{self.item}" if self.category != self.item else self.item

    @property
    def full_label(self) -> str:
        return f"{self.system.label} · {self.label}"


_SO, _SE = CertificateSystem.SPECIAL_OPERATION, CertificateSystem.SPECIAL_EQUIPMENT
KINDS: tuple[CertificateKind, ...] = (
    CertificateKind("so-electric-low", _SO, "电工作业", "低压电工作业"),
    CertificateKind("so-electric-high", _SO, "电工作业", "高压电工作业"),
    CertificateKind("so-electric-ex", _SO, "电工作业", "防爆电气作业"),
    CertificateKind("so-weld-fusion", _SO, "焊接与热切割作业", "熔化焊接与热切割作业"),
    CertificateKind("so-weld-pressure", _SO, "焊接与热切割作业", "压力焊作业"),
    CertificateKind("so-weld-braze", _SO, "焊接与热切割作业", "钎焊作业"),
    CertificateKind("so-height-scaffold", _SO, "高处作业", "登高架设作业"),
    CertificateKind("so-height-install", _SO, "高处作业", "高处安装、维护、拆除作业"),
    CertificateKind("so-refrigeration", _SO, "制冷与空调作业", "制冷与空调设备运行操作作业"),
    CertificateKind("so-hazchem", _SO, "危险化学品安全作业", "危险化学品安全作业"),
    CertificateKind("se-forklift-n1", _SE, "场（厂）内专用机动车辆作业", "叉车司机 N1"),
    CertificateKind("se-crane-q1", _SE, "起重机作业", "起重机指挥 Q1"),
    CertificateKind("se-crane-q2", _SE, "起重机作业", "起重机司机 Q2"),
    CertificateKind("se-boiler-g1", _SE, "锅炉作业", "工业锅炉司炉 G1"),
    CertificateKind("se-vessel-r1", _SE, "压力容器作业", "快开门式压力容器操作 R1"),
    CertificateKind("se-safety-a", _SE, "特种设备安全管理", "特种设备安全管理 A"),
)
KIND_BY_CODE = {kind.code: kind for kind in KINDS}


def kind_label(code: str) -> str:
    """The Chinese name of a certificate kind (never its code)."""
    kind = KIND_BY_CODE.get(code)
    return kind.full_label if kind else str(_l("未知证件"))


def kind_choices() -> list[tuple[str, str]]:
    """(code, name) pairs for a picker, grouped by system."""
    return [(kind.code, kind.full_label) for kind in KINDS]
