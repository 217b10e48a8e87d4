"""三违 lists, monthly counts per team and department, repeat offenders, and anonymised case drafts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.clock import local, start_of_day
from core.exceptions import NotAllowed
from core.extensions import db
from org.models import Department, Employee, Team
from safety.models import Violation
from safety.permissions import may_draft_case, violation_scope
from safety.settings import get_setting


def violations_for(actor: Employee, *, employee_id: int | None = None, limit: int = 200) -> list[Violation]:
    """Records ``actor`` may see, newest first (optionally one person's)."""
    query = select(Violation).where(violation_scope(actor))
    if employee_id is not None:
        query = query.where(Violation.employee_id == employee_id)
    return list(db.session.scalars(query.order_by(Violation.occurred_at.desc()).limit(limit)))


def repeat_offenders(actor: Employee, now: datetime) -> dict[int, int]:
    """employee id → count, for people in scope at or above the repeat-offender threshold."""
    months, threshold = int(get_setting("repeat_offender_months")), int(get_setting("repeat_offender_count"))
    since = now - timedelta(days=round(months * 30.44))
    rows = db.session.execute(select(Violation.employee_id, func.count(Violation.id)).where(
        violation_scope(actor), Violation.occurred_at >= since).group_by(Violation.employee_id))
    return {eid: n for eid, n in rows if threshold and n >= threshold}


@dataclass
class MonthlyRow:
    label: str
    department: bool
    counts: list[int] = field(default_factory=lambda: [0] * 12)
    serious: int = 0
    grand_total: bool = False  # the 合计 line under several departments

    @property
    def total(self) -> int:
        return sum(self.counts)


def monthly_counts(actor: Employee, year: int) -> list[MonthlyRow]:
    """Counts per month (company calendar) for each department in scope, followed by its teams."""
    begin = start_of_day(datetime(year, 1, 1).date())
    end = start_of_day(datetime(year + 1, 1, 1).date())
    records = db.session.scalars(select(Violation).where(
        violation_scope(actor), Violation.occurred_at >= begin, Violation.occurred_at < end)).all()
    by_dept: Counter = Counter()
    by_team: Counter = Counter()
    serious: Counter = Counter()
    for v in records:
        month = local(v.occurred_at).month - 1
        by_dept[(v.department_id, month)] += 1
        by_team[(v.team_id, month)] += 1
        serious[v.department_id] += v.is_serious
        serious[("team", v.team_id)] += v.is_serious
    department_ids = {v.department_id for v in records}
    rows: list[MonthlyRow] = []
    departments = db.session.scalars(select(Department).where(Department.id.in_(department_ids))
                                     .order_by(Department.code)) if department_ids else []
    for department in departments:
        row = MonthlyRow(department.name, True, [by_dept[(department.id, m)] for m in range(12)],
                         serious[department.id])
        rows.append(row)
        for team in db.session.scalars(select(Team).where(Team.department_id == department.id).order_by(Team.code)):
            counts = [by_team[(team.id, m)] for m in range(12)]
            if sum(counts):
                rows.append(MonthlyRow(team.name, False, counts, serious[("team", team.id)]))
    return rows + _grand_total(rows)


def _grand_total(rows: list[MonthlyRow]) -> list[MonthlyRow]:
    """A 合计 line when more than one department is listed."""
    departments = [r for r in rows if r.department]
    if len(departments) < 2:
        return []
    counts = [sum(r.counts[m] for r in departments) for m in range(12)]
    return [MonthlyRow(_("合计"), False, counts, sum(r.serious for r in departments), grand_total=True)]


def _anonymise(text: str, violation: Violation) -> str:
    people = [violation.employee] + [p for p in (violation.recorded_by,) if p is not None]
    if violation.team is not None and violation.team.leader is not None:
        people.append(violation.team.leader)
    for person in people:
        text = text.replace(person.name, "某员工" if person.id == violation.employee_id else "某管理人员")
        text = text.replace(person.emp_no, "")
    return text.strip()


def case_draft_input(violation: Violation):
    """What the draft case holds: no names or 工号, the facts, the broken procedure, lessons to learn."""
    from kb.services.publishing import DocumentInput

    procedure = violation.procedure
    when = local(violation.occurred_at)
    happened = _anonymise(f"{when:%Y年%m月%d日}，在{violation.place}，{violation.description}", violation)
    action = _anonymise(violation.action_taken, violation) or "现场予以制止"
    rule = f"违反了《{procedure.title}》的规定" if procedure else f"属于{violation.type_label}"
    fields = {
        "violation_type": violation.type_label, "occurred_on": when.date().isoformat(),
        "department": violation.department.code, "accident_type": "",
        "procedure": procedure.slug if procedure else "",
        "happened": happened,
        "consequence": f"发现人{action}，未造成人员伤害；认定为{violation.severity_label}。",
        "causes": f"当事人安全意识淡薄，{rule}；现场监督和班前安全交底不到位。",
        "lessons": (f"各班组对照本班组危险源清单，检查有无同类行为；组织学习《{procedure.title}》，"
                    "班组长加强现场巡查，发现三违先制止后登记。") if procedure else
                   "各班组组织学习《反三违管理办法》，对照本班组危险源清单开展举一反三检查。",
    }
    title = f"三违案例：{violation.type_label}（{violation.department.name}，{when:%Y年%m月}）"
    return DocumentInput(title=title, raw_fields=fields, tags=["三违", violation.type_label],
                         change_note="由三违登记记录生成（已隐去姓名）")


def draft_case(actor: Employee, violation: Violation, now: datetime):
    """One click: an anonymised 三违案例 draft in the knowledge base, owned by the safety department."""
    from kb.services.publishing import create_document

    if not may_draft_case(actor):
        raise NotAllowed("只有安全管理部门可以把三违记录整理为案例。")
    if violation.case_document_id is not None:
        return violation.case_document.revisions[-1]
    owner = db.session.get(Department, actor.department_id)
    revision = create_document(actor, "case", owner, case_draft_input(violation), now)
    violation.case_document_id = revision.document.id
    db.session.flush()
    return revision
