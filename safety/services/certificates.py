"""Certificate ledger (持证上岗台账): entry and update, position requirements, the clearance hold,
the expiring list and one-step review training."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from core.audit import audit_action
from core.clock import local_date
from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from org.models import Department, Employee, EmployeeStatus, Position
from org.permissions import employee_scope
from safety.catalogue import KIND_BY_CODE, CertificateSystem, kind_label
from safety.models import Certificate, PositionRequirement
from safety.permissions import may_edit_certificates, may_manage_requirements, may_see_expiring
from safety.settings import get_setting
from training.induction.services.clearance import Hold


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def required_kinds(position_id: int | None) -> list[str]:
    """Codes of the certificate kinds a position requires (empty: none)."""
    if position_id is None:
        return []
    return list(db.session.scalars(select(PositionRequirement.kind_code).where(
        PositionRequirement.position_id == position_id).order_by(PositionRequirement.kind_code)))


def set_requirements(actor: Employee, position: Position, kind_codes: list[str], now: datetime) -> bool:
    """Replace the kinds ``position`` requires; True when something changed."""
    if not may_manage_requirements(actor):
        raise NotAllowed("只有安全管理部门可以设置岗位持证要求。")
    unknown = [code for code in kind_codes if code not in KIND_BY_CODE]
    if unknown:
        raise DomainError("所选证件类别无效，请重新选择。", field="kinds")
    wanted, have = set(kind_codes), set(required_kinds(position.id))
    if wanted == have:
        return False
    for row in db.session.scalars(select(PositionRequirement).where(PositionRequirement.position_id == position.id)):
        if row.kind_code not in wanted:
            db.session.delete(row)
    db.session.add_all(PositionRequirement(position_id=position.id, kind_code=code) for code in wanted - have)
    db.session.flush()
    audit_action("safety.requirements", actor=actor, now=now, target=position.name,
                 detail={"kinds": [kind_label(c) for c in sorted(wanted)]})
    return True


def certificates_of(employee: Employee) -> list[Certificate]:
    """All certificates of one person, newest expiry first."""
    return list(db.session.scalars(select(Certificate).where(Certificate.employee_id == employee.id)
                                   .order_by(Certificate.valid_until.desc(), Certificate.id.desc())))


def missing_certificates_many(employees: list[Employee], today: date) -> dict[int, list[str]]:
    """For each employee (by id), the required kinds with no valid certificate on file today (two queries)."""
    positions = {e.position_id for e in employees if e.position_id is not None}
    required: dict[int, list[str]] = {}
    if positions:
        for row in db.session.execute(select(PositionRequirement.position_id, PositionRequirement.kind_code).where(
                PositionRequirement.position_id.in_(positions)).order_by(PositionRequirement.kind_code)):
            required.setdefault(row.position_id, []).append(row.kind_code)
    concerned = [e.id for e in employees if required.get(e.position_id)]
    valid: dict[int, set[str]] = {eid: set() for eid in concerned}
    if concerned:
        for certificate in db.session.scalars(select(Certificate).where(Certificate.employee_id.in_(concerned))):
            if certificate.is_valid_on(today):
                valid[certificate.employee_id].add(certificate.kind_code)
    return {e.id: [kind_label(code) for code in required.get(e.position_id, []) if code not in valid.get(e.id, ())]
            for e in employees}


def missing_certificates(employee: Employee, today: date) -> list[str]:
    """Names of the required kinds with no valid certificate on file today."""
    return missing_certificates_many([employee], today)[employee.id]


def on_clearance_holds(employees: list[Employee], *, today: date, **_unused: object) -> dict[int, list[Hold]]:
    """Training's question answered: a required certificate missing or expired withholds 准许上岗."""
    return {eid: [Hold(_("未持有效证件"), _("缺少或已过期：%(k)s", k="、".join(missing)))]
            for eid, missing in missing_certificates_many(employees, today).items() if missing}


@dataclass
class CertificateData:
    kind_code: str
    number: str
    authority: str
    issued_on: date | None
    valid_until: date | None = None
    next_review_on: date | None = None
    revoked: bool = False
    note: str = ""


def _defaults(data: CertificateData) -> tuple[date, date | None]:
    """Expiry and next review from the settings when the form leaves them blank."""
    kind = KIND_BY_CODE[data.kind_code]
    assert data.issued_on is not None
    if kind.system is CertificateSystem.SPECIAL_OPERATION:
        valid = data.valid_until or add_years(data.issued_on, int(get_setting("special_operation_valid_years")))
        review_years = int(get_setting("special_operation_review_years"))
        review = data.next_review_on
        if review is None and review_years:
            review = add_years(data.issued_on, review_years)
            review = review if review < valid else None
        return valid, review
    valid = data.valid_until or add_years(data.issued_on, int(get_setting("special_equipment_valid_years")))
    return valid, data.next_review_on


def _check(data: CertificateData, today: date) -> None:
    if data.kind_code not in KIND_BY_CODE:
        raise DomainError("请选择证件类别和操作项目。", field="kind_code")
    if not data.number.strip():
        raise DomainError("请填写证号。", field="number")
    if data.issued_on is None:
        raise DomainError("请填写发证（初领）日期。", field="issued_on")
    if data.issued_on > today:
        raise DomainError("发证日期不能晚于今天。", field="issued_on")
    if data.valid_until is not None and data.valid_until <= data.issued_on:
        raise DomainError("有效期至须晚于发证日期。", field="valid_until")
    if data.next_review_on is not None and data.next_review_on <= data.issued_on:
        raise DomainError("复审日期须晚于发证日期。", field="next_review_on")


def save_certificate(actor: Employee, employee: Employee, data: CertificateData, now: datetime, *,
                     certificate: Certificate | None = None, scan_id: int | None = None) -> Certificate:
    """Enter a new certificate or update one; blank dates follow the settings (令第30号 / TSG Z6001)."""
    if not may_edit_certificates(actor, employee):
        raise NotAllowed("您不能登记该员工的证件。")
    from core.clock import local_date

    _check(data, local_date(now))
    valid_until, review = _defaults(data)
    if certificate is None:
        certificate = Certificate(employee_id=employee.id, recorded_by_id=actor.id, created_at=now)
        db.session.add(certificate)
    certificate.kind_code, certificate.number = data.kind_code, data.number.strip()[:60]
    certificate.authority, certificate.note = data.authority.strip()[:120], data.note.strip()[:200]
    certificate.issued_on, certificate.valid_until, certificate.next_review_on = data.issued_on, valid_until, review
    certificate.revoked = data.revoked
    if scan_id is not None:
        certificate.scan_id = scan_id
    db.session.flush()
    audit_action("safety.certificate", actor=actor, now=now, target=f"{employee.emp_no} {employee.name}",
                 detail={"kind": certificate.kind_label, "valid_until": valid_until.isoformat()})
    return certificate


@dataclass
class ExpiringRow:
    certificate: Certificate
    today: date

    @property
    def days_left(self) -> int:
        return (self.certificate.due_on - self.today).days

    @property
    def status_label(self) -> str:
        if self.days_left < 0:
            return self.certificate.status_label(self.today)
        return _("%(n)s 天后%(what)s", n=self.days_left, what=self.certificate.due_label)


def expiring_certificates(actor: Employee, today: date, window_days: int | None = None,
                          department_id: int | None = None) -> dict[Department, list[ExpiringRow]]:
    """Certificates of in-post people in scope expiring or due for review within the window (or already
    lapsed), grouped by department; a renewed certificate of the same kind hides the older one."""
    if not may_see_expiring(actor):
        raise NotAllowed("您不能查看证件到期清单。")
    window = int(get_setting("warning_days")) if window_days is None else window_days
    query = (select(Certificate).join(Employee, Employee.id == Certificate.employee_id)
             .where(employee_scope(actor), Employee.status == EmployeeStatus.IN_POST, Certificate.revoked.is_(False))
             .order_by(Certificate.valid_until))
    if department_id is not None:
        query = query.where(Employee.department_id == department_id)
    latest: dict[tuple[int, str], Certificate] = {}
    for certificate in db.session.scalars(query):
        key = (certificate.employee_id, certificate.kind_code)
        if key not in latest or certificate.valid_until > latest[key].valid_until:
            latest[key] = certificate
    horizon = today + timedelta(days=window)
    grouped: dict[Department, list[ExpiringRow]] = defaultdict(list)
    for certificate in sorted(latest.values(), key=lambda c: (c.due_on, c.employee.emp_no)):
        if certificate.due_on <= horizon:
            grouped[certificate.employee.department].append(ExpiringRow(certificate, today))
    return dict(sorted(grouped.items(), key=lambda item: item[0].code))


def assign_review_training(actor: Employee, certificates: list[Certificate], now: datetime, *,
                           exam_id: int | None = None, due_on: date | None = None):
    """One step from the expiring list: a 复审培训 task for each holder, with their position's procedures
    and the rules of the certificate systems concerned (令第30号 / TSG Z6001), due within the configured days."""
    from kb.models import Document, DocumentKind, document_positions
    from training.assignments.models import AssignmentKind
    from training.assignments.services import create_assignment

    if not certificates:
        raise DomainError("请至少选择一张证件。", field="certificates")
    people = sorted({c.employee for c in certificates}, key=lambda e: e.emp_no)
    position_ids = {p.position_id for p in people if p.position_id}
    documents = list(dict.fromkeys(db.session.scalars(select(Document).join(document_positions).where(
        document_positions.c.position_id.in_(position_ids), Document.kind == DocumentKind.PROCEDURE,
        Document.is_published).order_by(Document.title))))
    systems = {c.kind.system for c in certificates if c.kind}
    slugs = [slug for system, slug in ((CertificateSystem.SPECIAL_OPERATION, "special-operations-rule"),
                                       (CertificateSystem.SPECIAL_EQUIPMENT, "tsg-z6001-2019")) if system in systems]
    documents += list(db.session.scalars(select(Document).where(
        Document.slug.in_(slugs), Document.is_published)))
    kinds = "、".join(sorted({c.kind_label for c in certificates}))
    due = due_on or (local_date(now) + timedelta(days=int(get_setting("review_due_days"))))
    assignment = create_assignment(
        actor, title=f"证件复审培训（{kinds}）"[:200], documents=documents, exam_id=exam_id, due_on=due,
        people=people, now=now, kind=AssignmentKind.CERT_REVIEW, target_label="证件到期清单",
        note=f"复审培训不少于 {get_setting('review_training_hours')} 学时")
    audit_action("safety.review_assigned", actor=actor, now=now, target=assignment.title,
                 detail={"people": len(people)})
    return assignment
