"""Demo training data for a believable plant (idempotent): programmes and exams, new hires at every
stage of their induction, cleared hires, classroom sessions, and assignments some of which are overdue.

Run after the demo organisation, the content and the question bank are loaded (``flask demo training``).
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import select

from core.clock import today
from core.extensions import db
from kb.models import Document
from org.models import Department, Employee, EmployeeRole, Role, Team
from training.assignments.models import Assignment
from training.assignments.services import create_assignment
from training.induction.models import (
    Induction,
    InductionReason,
    Level,
    PaperLevel,
    Programme,
    ProgrammeItem,
    StudySession,
)
from training.induction.services.history import PaperLevelData, record_paper_induction
from training.induction.services.inductions import open_induction
from training.induction.services.progress import current_induction, induction_progress
from training.induction.services.study import acknowledge_study, study_continuously
from training.induction.services.trainer import record_classroom, sign_off
from training.quiz.models import Attempt, Exam, Question, meets_pass_mark
from training.quiz.services.exam_setup import ExamData, save_exam
from training.settings import get_setting, set_setting

COMPANY_DOCS = [("work-safety-law", 60), ("safety-training-rule", 30), ("accident-reporting-regulation", 30),
                ("case-003-die-cleaning-without-stop", 15), ("case-018-sleeping-on-night-shift", 15)]
DEPARTMENT_DOCS = [("gb-6441-2025", 30), ("sop-lockout-tagout", 30), ("case-009-press-guard-removed", 15)]
EXAMS = {Level.COMPANY: "公司级安全教育考试", Level.DEPARTMENT: "部门（车间）级安全教育考试",
         Level.TEAM: "班组级安全教育考试"}
# 工号 → how far their induction has got: levels complete, and whether the next one is under way.
# 10204 (马小军, the demo 新员工) starts from nothing: the first-hour journey walks every level.
STAGES = {"10204": (0, False), "10205": (2, True), "10213": (0, True), "10303": (3, False), "10403": (0, False),
          "10503": (1, False), "10623": (0, False), "10714": (3, False), "10703": (3, False)}
# 工号s whose level under way is done but for the trainer's signature, so 待签字 has someone on day one:
# 杨帆 (10205) waits for his team leader 李德胜 (10201).
READY_FOR_SIGN_OFF = {"10205"}


def _doc(slug: str) -> Document | None:
    return db.session.scalar(select(Document).where(Document.slug == slug))


def _emp(emp_no: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.emp_no == emp_no))


def _exam(level: Level):
    """The level's exam, built through ``save_exam`` so it passes the same checks as one saved on the page."""
    exam = db.session.scalar(select(Exam).where(Exam.title == EXAMS[level]))
    if exam is None:
        questions = db.session.scalars(select(Question).where(Question.level == level, Question.retired.is_(False))
                                       .order_by(Question.key).limit(10)).all()
        author = _emp("10002")
        if not questions or author is None:
            return None
        exam = save_exam(None, ExamData(
            title=EXAMS[level], level=level, published=True, listed=False, pass_percent=60, duration_minutes=30,
            max_attempts=3, question_keys=[q.key for q in questions]), author)
    return exam


def ensure_programmes() -> int:
    """The company, department and team programmes (skipped when any programme exists)."""
    if db.session.scalar(select(Programme.id).limit(1)):
        return 0
    for level, docs in ((Level.COMPANY, COMPANY_DOCS), (Level.DEPARTMENT, DEPARTMENT_DOCS), (Level.TEAM, [])):
        exam = _exam(level)
        items = [ProgrammeItem(document=d, expected_minutes=m, position=i)
                 for i, (slug, m) in enumerate(docs) if (d := _doc(slug)) is not None]
        db.session.add(Programme(level=level, title=f"{level.label}安全教育", exam_id=exam.id if exam else None,
                                 items=items))
    press = _doc("sop-press")
    if press is not None:
        cy = db.session.scalar(select(Department).where(Department.code == "CY"))
        db.session.add(Programme(level=Level.DEPARTMENT, title="冲压车间级安全教育", department=cy,
                                 exam_id=(_exam(Level.DEPARTMENT) or None) and _exam(Level.DEPARTMENT).id,
                                 items=[ProgrammeItem(document=d, expected_minutes=m, position=i) for i, (d, m) in
                                        enumerate([(press, 30), (_doc("case-020-phone-while-pressing"), 15)]) if d]))
    db.session.flush()
    return 1


def _sit(employee: Employee, exam_id: int, score: float, at: datetime) -> None:
    if db.session.scalar(select(Attempt.id).where(Attempt.employee_id == employee.id, Attempt.exam_id == exam_id)):
        return
    exam = db.session.get(Exam, exam_id)
    items, scores = [], {}
    for n, item in enumerate(exam.items):
        q = item.question
        iid, points = f"d{q.id}", exam.points_for(q.type)
        items.append({"iid": iid, "qid": q.id, "version": q.version, "type": q.type, "stem": q.stem,
                      "points": points, "explanation": q.explanation, "source_document_id": q.source_document_id,
                      "source_slug": "", "source_title": q.source_document.title if q.source_document else "",
                      "source_section": q.source_section, "options": []})
        scores[iid] = 0.0 if (n + int(employee.emp_no)) % 5 == 0 or n in (3, 7) and score < 90 else float(points)
    possible = float(sum(i["points"] for i in items))
    for item in items:  # a finished level's exam was passed: give back wrong answers until it is
        if meets_pass_mark(sum(scores.values()), possible, exam.pass_percent):
            break
        scores[item["iid"]] = float(item["points"])
    total = sum(scores.values())
    db.session.add(Attempt(exam_id=exam_id, employee_id=employee.id, number=1, open_slot=None,
                           started_at=at - timedelta(minutes=25), deadline=at + timedelta(minutes=5), items=items,
                           item_scores=scores, total_points=possible, score=total, pass_percent=exam.pass_percent,
                           passed=meets_pass_mark(total, possible, exam.pass_percent), submitted_at=at))


def _work_level(employee: Employee, level, at: datetime, finish: bool, sign: bool = True) -> None:
    """Study the level's items; when ``finish``: classroom hours, exam and (when ``sign``) the trainer's sign-off."""
    items = level.items if finish else level.items[: max(1, len(level.items) // 2)]
    for item in items:
        if item.done_at is None:
            study_continuously(employee, item.document, at, item.expected_minutes, item=item)
            acknowledge_study(employee, item.document, at + timedelta(minutes=item.expected_minutes))
    if not finish:
        return
    progress = induction_progress(level.induction).for_level(level.id)
    # Classroom hours come in half hours; round the shortfall up so the level is complete.
    missing = math.ceil((level.required_hours - progress.hours) * 2) / 2
    trainer = _trainer(employee, Level(level.level))
    if missing > 0:
        record_classroom(trainer, Level(level.level), today(at), missing, f"{level.level_label}安全教育集中授课",
                         [employee.id], at + timedelta(hours=2))
    if level.exam_id:
        _sit(employee, level.exam_id, 80 + int(employee.emp_no) % 15, at + timedelta(hours=4))
    if sign and level.needs_sign_off and level.signed_off_at is None:
        sign_off(trainer, level, at + timedelta(hours=5))


def _trainer(employee: Employee, level: Level) -> Employee:
    if level is Level.TEAM and employee.team and employee.team.leader:
        return employee.team.leader
    if level is Level.DEPARTMENT:
        officer = db.session.scalar(select(Employee).join(EmployeeRole).where(
            EmployeeRole.role == Role.SAFETY_OFFICER, Employee.department_id == employee.department_id))
        if officer:
            return officer
    return _emp("10002")


def _induction(employee: Employee, now: datetime) -> Induction:
    """The hire's induction, rebuilt when it was opened before the programmes existed."""
    induction = current_induction(employee)
    has_study = induction is not None and db.session.scalar(select(StudySession.id).join(
        StudySession.level_item).where(StudySession.employee_id == employee.id).limit(1))
    if induction is not None and not has_study and not induction.levels[0].items:
        db.session.delete(induction)
        db.session.flush()
        induction = None
    if induction is None:
        hired = datetime.combine(employee.hire_date or today(now), time(1, 0), now.tzinfo)
        induction = open_induction(employee, InductionReason.NEW_HIRE, min(hired, now))
    return induction


def load_inductions(now: datetime) -> int:
    done = 0
    for emp_no, (complete, under_way) in STAGES.items():
        employee = _emp(emp_no)
        if employee is None:
            continue
        induction = _induction(employee, now)
        start = induction.opened_at
        for index, level in enumerate(induction.levels):
            at = min(start + timedelta(days=2 + 3 * index, hours=1), now - timedelta(hours=6))
            if index < complete:
                _work_level(employee, level, at, finish=True)
            elif index == complete and under_way:
                ready = emp_no in READY_FOR_SIGN_OFF
                _work_level(employee, level, at, finish=ready, sign=not ready)
        done += 1
    db.session.flush()
    return done


def load_assignments(now: datetime) -> int:
    """A few assignments from leaders and officers, some already overdue."""
    created = 0
    day = today(now)
    specs = [("10201", "冲压一班危险源清单学习", ["hazards-cy1"], "CY1", day - timedelta(days=3), ["10202", "10203"]),
             ("10401", "焊接作业规程复习", ["sop-welding", "sop-hot-work"], "HZ1", day - timedelta(days=2),
              ["10402"]),
             ("10200", "压力机安全防护专项学习", ["sop-press", "case-009-press-guard-removed"], "CY2",
              day + timedelta(days=5), ["10212"]),
             ("10611", "危化品仓库规程学习", ["sop-hazchem-warehouse"], "CW2", day + timedelta(days=7), [])]
    for assigner_no, title, slugs, team_code, due, finished in specs:
        if db.session.scalar(select(Assignment.id).where(Assignment.title == title)):
            continue
        assigner, team = _emp(assigner_no), db.session.scalar(select(Team).where(Team.code == team_code))
        documents = [d for s in slugs if (d := _doc(s)) is not None]
        if assigner is None or team is None or not documents:
            continue
        created_at = now - timedelta(days=10)
        people = [e for e in db.session.scalars(select(Employee).where(Employee.team_id == team.id,
                                                                      Employee.status == "in_post"))
                  if e.id != assigner.id and e.emp_no not in STAGES]  # people in induction study it there
        create_assignment(assigner, title=title, documents=documents, exam_id=None, due_on=max(due, day),
                          people=people, now=created_at, target_label=team.name)
        assignment = db.session.scalar(select(Assignment).where(Assignment.title == title))
        assignment.due_on = due  # may lie in the past: these are the overdue ones
        for emp_no in finished:
            person = _emp(emp_no)
            for document in documents:
                study_continuously(person, document, created_at + timedelta(days=1), 12)
                acknowledge_study(person, document, created_at + timedelta(days=1, minutes=12))
        created += 1
    db.session.flush()
    return created


PAPER_CONTENT = {
    Level.COMPANY: "安全生产法律法规、公司安全管理制度、事故案例、应急与急救常识",
    Level.DEPARTMENT: "车间危险源与职业危害、安全操作规程、劳动防护用品使用、应急预案",
    Level.TEAM: "岗位安全操作规程、设备与安全装置、岗位危险源及控制措施、班组应急处置",
}


def _paper_people(level: Level, employee: Employee) -> tuple[str, str]:
    """(教育人, 考核人) as a paper card of the person's department would name them."""
    company = _emp("10002")
    officer = db.session.scalar(select(Employee).join(EmployeeRole).where(
        Employee.department_id == employee.department_id, EmployeeRole.role == Role.SAFETY_OFFICER))
    leader = employee.team.leader if employee.team is not None else None
    names = {Level.COMPANY: company, Level.DEPARTMENT: officer or company, Level.TEAM: leader or officer or company}
    trainer = names[level]
    return (trainer.name if trainer else "安全环保部"), (company.name if company else "安全环保部")


def load_paper_records(now: datetime) -> int:
    """Veterans (hired before the system, no induction in it) get the paper three-level records they hold,
    so they count as cleared and the dashboards' 准许上岗率 is true; people already recorded are kept."""
    actor = _emp("10002")
    if actor is None:
        return 0
    veterans = db.session.scalars(select(Employee).where(
        Employee.status == "in_post", ~Employee.id.in_(select(Induction.employee_id)),
        ~Employee.id.in_(select(PaperLevel.employee_id))).order_by(Employee.emp_no)).all()
    for number, employee in enumerate(veterans):
        hired = min(employee.hire_date or today(now) - timedelta(days=730), today(now) - timedelta(days=30))
        levels = []
        for index, level in enumerate(Level):
            trainer, assessor = _paper_people(level, employee)
            start = hired + timedelta(days=2 * index)
            levels.append(PaperLevelData(level, start, start + timedelta(days=1), 8.0, PAPER_CONTENT[level], True,
                                         trainer, assessor, float(82 + (number * 7 + index * 3) % 17)))
        record_paper_induction(actor, employee, levels, now)
    return len(veterans)


def ensure_company_name() -> None:
    """The demo organisation's name on the 登记卡, unless a name is already set."""
    if get_setting("company_name"):
        return
    source = Path(current_app.config["CONTENT_DIR"]) / "demo" / "org.yaml"
    if source.exists():
        name = (yaml.safe_load(source.read_text(encoding="utf-8")) or {}).get("company")
        if name:
            set_setting("company_name", str(name))


def load_demo_training(now: datetime) -> str:
    """Everything above; running it again changes nothing."""
    ensure_company_name()
    programmes = ensure_programmes()
    people = load_inductions(now)
    assignments = load_assignments(now)
    veterans = load_paper_records(now)
    return (f"培训方案 {'新建' if programmes else '已有'}，新员工 {people} 人，新建学习任务 {assignments} 项，"
            f"补录老员工纸质三级教育记录 {veterans} 人。")
