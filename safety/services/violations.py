"""三违 register: recording from a phone, stand-down → retraining task and exam → 复岗, counts, case drafts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from core.attachments import Attachment, PreparedFile, store_attachment
from core.audit import audit_action
from core.clock import local, local_date
from core.exceptions import DomainError, NotAllowed
from core.extensions import db
from kb.models import Document, DocumentKind
from org.models import Employee
from safety.models import Severity, Violation, ViolationType
from safety.permissions import may_record_against, may_sign_return
from safety.settings import get_setting
from safety.signals import returned_to_post, stood_down, violation_recorded
from training.induction.services.clearance import Hold

PHOTO_OWNER = "safety.violation"
MAX_PHOTOS = 6
RULE_SLUG = "company-three-violations-rule"


@dataclass
class ViolationData:
    occurred_at: datetime | None
    place: str
    type: str
    severity: str
    description: str
    procedure_id: int | None = None
    action_taken: str = ""


def _check(data: ViolationData, now: datetime) -> Document | None:
    if data.occurred_at is None:
        raise DomainError("请填写发生时间。", field="occurred_at")
    if data.occurred_at > now + timedelta(minutes=5):
        raise DomainError("发生时间不能晚于现在。", field="occurred_at")
    if data.occurred_at < now - timedelta(days=366):
        raise DomainError("发生时间不能早于一年前。", field="occurred_at")
    if not data.place.strip():
        raise DomainError("请填写地点。", field="place")
    if data.type not in {t.value for t in ViolationType}:
        raise DomainError("请选择三违类型。", field="type")
    if data.severity not in {s.value for s in Severity}:
        raise DomainError("请选择严重程度。", field="severity")
    if len(data.description.strip()) < 4:
        raise DomainError("请描述发生了什么（至少 4 个字）。", field="description")
    if data.procedure_id is None:
        return None
    procedure = db.session.get(Document, data.procedure_id)
    if procedure is None or procedure.kind != DocumentKind.PROCEDURE or not procedure.is_published:
        raise DomainError("所选规程不存在或未发布。", field="procedure_id")
    return procedure


def general_count(employee: Employee, now: datetime, months: int = 12) -> int:
    """一般三违 of this person within the last ``months`` months (including any just added)."""
    since = now - timedelta(days=round(months * 30.44))
    return db.session.scalar(select(func.count(Violation.id)).where(
        Violation.employee_id == employee.id, Violation.severity == Severity.GENERAL,
        Violation.occurred_at >= since)) or 0


def _stand_down_reason(violation: Violation, now: datetime) -> str:
    if violation.is_serious and get_setting("standdown_on_serious"):
        return "严重三违"
    limit = int(get_setting("standdown_general_count"))
    if limit and not violation.is_serious and general_count(violation.employee, now) >= limit:
        return f"一年内累计 {limit} 次一般三违"
    return ""


def record_violation(actor: Employee, employee: Employee, data: ViolationData, photos: list[PreparedFile],
                     now: datetime) -> Violation:
    """Record a 三违 with its photos; a serious one (per the settings) stands the person down at once."""
    if not may_record_against(actor, employee):
        raise NotAllowed("您只能登记本班组（本部门）人员的三违。")
    procedure = _check(data, now)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(f"最多上传 {MAX_PHOTOS} 张照片。", field="photos")
    violation = Violation(
        employee=employee, department_id=employee.department_id, team_id=employee.team_id,
        occurred_at=data.occurred_at, place=data.place.strip()[:120], type=data.type, severity=data.severity,
        description=data.description.strip(), procedure_id=procedure.id if procedure else None,
        action_taken=data.action_taken.strip(), recorded_by_id=actor.id, created_at=now)
    db.session.add(violation)
    db.session.flush()
    for photo in photos:
        store_attachment(photo, owner=PHOTO_OWNER, owner_id=violation.id, uploaded_by_id=actor.id, now=now)
    audit_action("safety.violation", actor=actor, now=now, target=f"{employee.emp_no} {employee.name}",
                 detail={"type": violation.type_label, "severity": violation.severity_label})
    violation_recorded.send(violation, now=now)
    reason = _stand_down_reason(violation, now)
    if reason:
        stand_down(violation, reason, now)
    return violation


def photos_of(violation: Violation) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(
        Attachment.owner == PHOTO_OWNER, Attachment.owner_id == violation.id).order_by(Attachment.id)))


def _position_procedures(employee: Employee) -> list[Document]:
    from kb.services.reading import procedures_for_position

    return procedures_for_position(employee.position_id)


def _published_case_documents(procedure: Document | None, violation_type: str) -> list[Document]:
    """Published 三违案例 citing the procedure, else of the same violation type (up to three)."""
    cases = db.session.scalars(select(Document).where(
        Document.kind == DocumentKind.CASE, Document.published_revision_id.is_not(None),
        Document.archived.is_(False)).order_by(Document.title)).all()
    label = ViolationType(violation_type).label
    citing = [c for c in cases if procedure is not None
              and c.published_revision.fields.get("procedure") == procedure.slug]
    same_type = [c for c in cases if c.published_revision.fields.get("violation_type") == label]
    return (citing or same_type)[:3]


def _exam_questions(employee: Employee, sources: list[Document]):
    from training.quiz.models import Question

    source_ids = [d.id for d in sources]
    live = Question.retired.is_(False)
    found = list(db.session.scalars(select(Question).where(live, Question.source_document_id.in_(source_ids))
                                    .order_by(Question.id))) if source_ids else []
    if not found and employee.position_id is not None:
        from training.quiz.models import question_positions

        found = list(db.session.scalars(select(Question).join(question_positions).where(
            live, question_positions.c.position_id == employee.position_id).order_by(Question.id)))
    return found


def build_retraining_exam(violation: Violation, sources: list[Document], now: datetime,
                          rng: random.Random | None = None):
    """A short unlisted exam drawn from questions citing the broken procedure (else the position's);
    None when the bank has no such question."""
    from training.quiz.models import Exam, ExamItem

    questions = _exam_questions(violation.employee, sources)
    if not questions:
        return None
    count = min(int(get_setting("retraining_questions")), len(questions))
    picked = (rng or random.SystemRandom()).sample(questions, count)
    title = f"三违再培训考试：{sources[0].title if sources else '反三违管理办法'}（{violation.employee.name}）"
    exam = Exam(title=title[:120], published=True, listed=False, duration_minutes=15, max_attempts=0,
                review_policy="answers", created_at=now, pass_percent=int(get_setting("retraining_pass_percent")),
                items=[ExamItem(question=q, position=n) for n, q in enumerate(picked)])
    db.session.add(exam)
    db.session.flush()
    return exam


def stand_down(violation: Violation, reason: str, now: datetime) -> None:
    """停岗: withhold clearance and open the retraining task (procedure, related cases, short exam)."""
    from training.assignments.models import AssignmentKind
    from training.assignments.services import create_assignment

    violation.stand_down, violation.stand_down_reason = True, reason[:200]
    rule = db.session.scalar(select(Document).where(Document.slug == RULE_SLUG,
                                                    Document.published_revision_id.is_not(None)))
    sources = [violation.procedure] if violation.procedure is not None else _position_procedures(violation.employee)
    sources = sources or ([rule] if rule is not None else [])
    cases = _published_case_documents(violation.procedure, violation.type)
    exam = build_retraining_exam(violation, sources, now)
    documents = list(dict.fromkeys(sources + cases))
    if not documents and exam is None:  # nothing to study: the officer signs 复岗 after classroom retraining
        db.session.flush()
        stood_down.send(violation, now=now)
        return
    person = violation.employee
    due = local_date(now) + timedelta(days=int(get_setting("retraining_due_days")))
    assignment = create_assignment(
        None, title=f"三违停岗再培训：{person.name}（{local(violation.occurred_at):%Y-%m-%d} {violation.type_label}）",
        documents=documents, exam_id=exam.id if exam else None, due_on=due, people=[person], now=now,
        kind=AssignmentKind.RETRAINING, target_label=f"{person.name}（{person.emp_no}）",
        note=f"停岗原因：{reason}。学习规程和案例、通过考试后，由部门安全员签字复岗。")
    violation.assignment_id, violation.exam_id = assignment.id, exam.id if exam else None
    db.session.flush()
    stood_down.send(violation, now=now)


@dataclass
class Retraining:
    """Where a stood-down person stands: task progress and whether 复岗 may be signed."""

    violation: Violation
    documents_done: int
    documents_total: int
    exam_required: bool
    exam_passed: bool
    exam_score: float | None

    @property
    def ready(self) -> bool:
        return self.documents_done >= self.documents_total and (self.exam_passed or not self.exam_required)

    @property
    def missing(self) -> list[str]:
        needed = []
        if self.documents_done < self.documents_total:
            needed.append(f"学习资料 {self.documents_done}/{self.documents_total}")
        if self.exam_required and not self.exam_passed:
            needed.append("再培训考试未通过" if self.exam_score is not None else "尚未参加再培训考试")
        return needed


def retraining_of(violation: Violation, now: datetime) -> Retraining | None:
    """The retraining task's progress (None when the person was not stood down)."""
    from training.assignments.models import Task
    from training.assignments.services import task_progress

    if not violation.stand_down or violation.assignment_id is None:
        return None
    task = db.session.scalar(select(Task).where(Task.assignment_id == violation.assignment_id,
                                                Task.employee_id == violation.employee_id))
    if task is None:
        return None
    progress = task_progress([task], now)[0]
    exam = progress.exam
    return Retraining(violation, progress.documents_done, progress.documents_total, progress.exam_required,
                      bool(exam and exam.passed), exam.score if exam else None)


def sign_return(actor: Employee, violation: Violation, note: str, now: datetime) -> None:
    """复岗签字: only once the retraining is done and the exam passed; never twice."""
    if not may_sign_return(actor, violation):
        raise NotAllowed("只有该员工所在部门的安全员或安全管理部门可以签字复岗。")
    if not violation.standing_down:
        raise DomainError("该记录没有待复岗的停岗。")
    progress = retraining_of(violation, now)
    if progress is not None and not progress.ready:
        raise DomainError("尚不能复岗：" + "；".join(progress.missing) + "。")
    violation.returned_at, violation.returned_by_id, violation.return_note = now, actor.id, note.strip()[:200]
    db.session.flush()
    employee = violation.employee
    audit_action("safety.return", actor=actor, now=now, target=f"{employee.emp_no} {employee.name}")
    returned_to_post.send(violation, now=now)


def on_clearance_holds(employees: list[Employee], *, today: date, **_: object) -> dict[int, list[Hold]]:
    """Training's question answered: a stand-down not yet signed off withholds 准许上岗 (one query)."""
    found: dict[int, list[Hold]] = {}
    open_ones = db.session.scalars(select(Violation).where(
        Violation.employee_id.in_([e.id for e in employees]), Violation.stand_down.is_(True),
        Violation.returned_at.is_(None)).order_by(Violation.occurred_at)).all()
    for v in open_ones:
        detail = f"{local(v.occurred_at):%Y-%m-%d} {v.type_label}：须完成再培训、考试合格并经部门安全员签字复岗"
        found.setdefault(v.employee_id, []).append(Hold("三违停岗，待复岗", detail))
    return found
