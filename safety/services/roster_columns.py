"""Certificate columns in the roster import (花名册): one certificate per row, checked with the rest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.audit import record_event
from core.extensions import db
from org.models import Employee
from safety.catalogue import KINDS, CertificateKind, CertificateSystem
from safety.models import Certificate
from safety.services.certificates import CertificateData, _defaults

COLUMNS = {"证件类别": "cert_system", "操作项目": "cert_item", "证号": "cert_number", "发证机关": "cert_authority",
           "发证日期": "cert_issued_on", "有效期至": "cert_valid_until", "下次复审日期": "cert_review_on"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
SYSTEM_WORDS = {"特种作业操作证": CertificateSystem.SPECIAL_OPERATION,
                "特种作业": CertificateSystem.SPECIAL_OPERATION,
                "特种设备安全管理和作业人员证": CertificateSystem.SPECIAL_EQUIPMENT,
                "特种设备作业人员证": CertificateSystem.SPECIAL_EQUIPMENT,
                "特种设备": CertificateSystem.SPECIAL_EQUIPMENT}


def _kind(system_text: str, item_text: str) -> CertificateKind | None:
    """Find the kind by 操作项目 (item, 类别/项目, or a TSG code such as N1), within the named system."""
    system = SYSTEM_WORDS.get(system_text.strip()) if system_text.strip() else None
    text = item_text.strip().replace("／", "/").replace(" ", "").upper()
    for kind in KINDS:
        if system is not None and kind.system is not system:
            continue
        names = {kind.item.replace(" ", "").upper(), kind.label.replace(" ", "").upper(),
                 kind.item.split(" ")[-1].upper()}
        if text in names:
            return kind
    return None


def _day(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _problem(line: int, column: str, message: str) -> str:
    return f"第 {line} 行「{column}」：{message}"


def on_roster_row_checking(values: dict[str, str], *, line: int, **_: object) -> list[str]:
    """Every problem with the certificate columns of one row (none when they are all empty)."""
    cert = {key: (values.get(key) or "").strip() for key in COLUMNS.values()}
    if not any(cert.values()):
        return []
    problems = []
    if cert["cert_system"] and cert["cert_system"] not in SYSTEM_WORDS:
        problems.append(_problem(line, "证件类别",
                                 f"“{cert['cert_system']}”应为“特种作业操作证”或“特种设备作业人员证”。"))
    elif _kind(cert["cert_system"], cert["cert_item"]) is None:
        problems.append(_problem(line, "操作项目", f"无法识别“{cert['cert_item']}”（例：低压电工作业、"
                                                  "熔化焊接与热切割作业、叉车司机 N1、起重机司机 Q2）。"))
    if not cert["cert_number"]:
        problems.append(_problem(line, "证号", "填写了证件信息时证号不能为空。"))
    if _day(cert["cert_issued_on"]) is None:
        problems.append(_problem(line, "发证日期", f"“{cert['cert_issued_on']}”不是有效日期（例：2024-03-01）。"))
    for key, column in (("cert_valid_until", "有效期至"), ("cert_review_on", "下次复审日期")):
        if cert[key] and _day(cert[key]) is None:
            problems.append(_problem(line, column, f"“{cert[key]}”不是有效日期（例：2030-03-01）。"))
    return problems


def on_roster_row_imported(employee: Employee, *, values: dict[str, str], line: int, now: datetime,
                           **_: object) -> None:
    """Enter (or update, same kind and number) the row's certificate; dates left blank follow the settings."""
    kind = _kind(values.get("cert_system", ""), values.get("cert_item", ""))
    number = (values.get("cert_number") or "").strip()
    if kind is None or not number:
        return
    data = CertificateData(kind.code, number, values.get("cert_authority", ""), _day(values.get("cert_issued_on", "")),
                           _day(values.get("cert_valid_until", "")), _day(values.get("cert_review_on", "")))
    valid_until, review = _defaults(data)
    certificate = db.session.scalar(select(Certificate).where(
        Certificate.employee_id == employee.id, Certificate.kind_code == kind.code, Certificate.number == number))
    if certificate is None:
        certificate = Certificate(employee_id=employee.id, kind_code=kind.code, number=number[:60], created_at=now)
        db.session.add(certificate)
    certificate.authority = data.authority.strip()[:120] or certificate.authority
    certificate.issued_on, certificate.valid_until, certificate.next_review_on = data.issued_on, valid_until, review
    db.session.flush()
    record_event("safety.certificate", target=f"{employee.emp_no} {employee.name}",
                 detail={"kind": kind.full_label, "source": f"花名册第 {line} 行"}, now=now)
