"""Demo safety data (idempotent): position requirements, certificates (valid, two due within 60 days,
one expired), a few 三违 records (one serious, mid-retraining). Cards need no data of their own: every
position's card is built from its procedures and hazard lists.

Run after ``flask demo load``, ``content import``, ``questions import`` and ``demo training``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from core.clock import local_date
from core.extensions import db
from kb.models import Document
from kb.services.reading import acknowledge
from org.models import Employee, Position
from safety.models import Certificate, PositionRequirement, Violation
from safety.services.certificates import add_years
from safety.services.violations import ViolationData, record_violation

REQUIREMENTS = {"electrician": "so-electric-low", "welder": "so-weld-fusion", "forklift-driver": "se-forklift-n1",
                "crane-operator": "se-crane-q2", "rigger": "se-crane-q1"}
AUTHORITY = {"so": "杭州市应急管理局", "se": "杭州市市场监督管理局"}
# 工号 → days from today to the certificate's first due date (negative: already lapsed).
CERTIFICATES = {"10701": 700, "10702": 25, "10703": 900, "10401": 500, "10402": 400, "10403": 1500,
                "10411": 300, "10412": -20, "10621": 600, "10622": 45, "10623": 1400, "10214": 800,
                "10713": 1000, "10413": 650}
# (工号 of the person, 工号 of the recorder, days ago, place, type, severity, procedure slug, what, action)
VIOLATIONS = [
    ("10203", "10201", 3, "冲压车间 2 号线 250 吨冲床", "operation", "serious", "sop-press",
     "孙明在冲床连续运行时用手伸入模具区取放工件，未使用手用工具，光电保护被纸板遮挡。",
     "立即停机，拆除遮挡物，恢复光电保护；当事人停止作业。"),
    ("10622", "10621", 12, "成品仓库 3 号通道", "operation", "general", "sop-forklift",
     "吕晨驾驶叉车在仓库通道内车速明显超过 5 km/h，路口未停车瞭望。", "当场制止，批评教育，责令写出书面检查。"),
    ("10512", "10511", 20, "涂装班喷漆房", "operation", "general", "sop-spray-painting",
     "蒋雪在喷漆作业时未佩戴防毒面具，只戴了普通口罩。", "责令停止喷漆，佩戴防毒面具后恢复作业。"),
    ("10312", "10311", 35, "机加工车间数控二班 5 号机床", "discipline", "general", None,
     "宋佳在机床自动运行期间低头玩手机，未观察加工状态。", "当场制止，班前会通报。"),
]


def _emp(emp_no: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.emp_no == emp_no))


def load_requirements() -> int:
    created = 0
    for code, kind in REQUIREMENTS.items():
        position = db.session.scalar(select(Position).where(Position.code == code))
        exists = position and db.session.scalar(select(PositionRequirement.id).where(
            PositionRequirement.position_id == position.id, PositionRequirement.kind_code == kind))
        if position is not None and not exists:
            db.session.add(PositionRequirement(position_id=position.id, kind_code=kind))
            created += 1
    return created


def load_certificates(now: datetime) -> int:
    today, created = local_date(now), 0
    for emp_no, days in CERTIFICATES.items():
        person = _emp(emp_no)
        if person is None or person.position is None or person.position.code not in REQUIREMENTS:
            continue
        kind = REQUIREMENTS[person.position.code]
        if db.session.scalar(select(Certificate.id).where(Certificate.employee_id == person.id)):
            continue
        due = today + timedelta(days=days)
        special_operation = kind.startswith("so-")
        # 特种作业: the due date is the 3-yearly review within a 6-year certificate; 特种设备: the 4-year expiry.
        issued = add_years(due, -3 if special_operation else -4)
        db.session.add(Certificate(
            employee_id=person.id, kind_code=kind, authority=AUTHORITY[kind[:2]], issued_on=issued,
            number=f"{'T' if special_operation else 'TS'}3301{emp_no}{issued:%Y}",
            valid_until=add_years(issued, 6 if special_operation else 4),
            next_review_on=due if special_operation else None, created_at=now))
        created += 1
    return created


def load_violations(now: datetime) -> int:
    if db.session.scalar(select(Violation.id).limit(1)):
        return 0
    created = 0
    for emp_no, recorder_no, days, place, kind, severity, slug, what, action in VIOLATIONS:
        person, recorder = _emp(emp_no), _emp(recorder_no)
        if person is None or recorder is None:
            continue
        procedure = db.session.scalar(select(Document).where(Document.slug == slug)) if slug else None
        when = now - timedelta(days=days, hours=2)
        violation = record_violation(recorder, person, ViolationData(
            when, place, kind, severity, what, procedure.id if procedure else None, action), [], when)
        if violation.assignment is not None and violation.assignment.documents:
            # mid-retraining: the procedure read again, the cases and the exam still to do
            acknowledge(person, violation.assignment.documents[0], when + timedelta(days=1))
        created += 1
    return created


def load_demo_safety(now: datetime) -> str:
    """Everything above; returns a one-line summary."""
    requirements = load_requirements()
    db.session.flush()
    certificates = load_certificates(now)
    violations = load_violations(now)
    return f"持证要求 {requirements} 条，证件 {certificates} 张，三违记录 {violations} 条（已有的保持不变）"
