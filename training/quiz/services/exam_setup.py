"""Setting exams up (fixed question list or draw rules) and drawing the questions of a new attempt."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from core.exceptions import DomainError
from core.extensions import db
from org.models import Employee, Position
from training.quiz.models import DrawRule, Exam, ExamItem, Question, QuestionLevel, QuestionType, ReviewPolicy


@dataclass
class RuleData:
    type: str
    count: int
    points: int
    level: str | None = None
    topic: str | None = None


@dataclass
class ExamData:
    title: str
    description: str = ""
    level: str | None = None
    department_id: int | None = None
    positions: list[Position] = field(default_factory=list)
    published: bool = False
    listed: bool = True
    duration_minutes: int = 30
    pass_percent: float = 60
    max_attempts: int = 0
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    shuffle_questions: bool = True
    shuffle_options: bool = True
    partial_credit: bool = False
    review_policy: str = ReviewPolicy.ANSWERS
    points_single: int = 2
    points_multiple: int = 4
    points_truefalse: int = 1
    question_keys: list[str] = field(default_factory=list)
    rules: list[RuleData] = field(default_factory=list)


def _eligible(rule: DrawRule | RuleData):
    query = select(Question.id).where(Question.retired.is_(False), Question.type == rule.type)
    if rule.level:
        query = query.where(Question.level == rule.level)
    if rule.topic:
        query = query.where(Question.topic == rule.topic)
    return query


def _check(data: ExamData) -> list[Question]:
    if not data.title.strip():
        raise DomainError("请填写考试名称。", "title")
    if data.duration_minutes < 1 or data.duration_minutes > 600:
        raise DomainError("考试时长须在 1–600 分钟之间。", "duration_minutes")
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        raise DomainError("关闭时间必须晚于开放时间。", "closes_at")
    if not 0 < data.pass_percent <= 100:
        raise DomainError("及格线须在 1%–100% 之间。", "pass_percent")
    if data.review_policy not in {p.value for p in ReviewPolicy}:
        raise DomainError("请选择成绩和答案的显示方式。", "review_policy")
    if data.rules and data.question_keys:
        raise DomainError("固定题目和抽题规则只能选一种。", "question_keys")
    if not data.rules and not data.question_keys:
        raise DomainError("请填写固定题目（题目编号，每行一个）或抽题规则。", "question_keys")
    for number, rule in enumerate(data.rules, 1):
        if rule.type not in {t.value for t in QuestionType} or rule.count < 1 or rule.points < 1:
            raise DomainError(f"抽题规则第 {number} 行：题型、题数或分值无效。", "rules")
        if rule.level and rule.level not in {lv.value for lv in QuestionLevel}:
            raise DomainError(f"抽题规则第 {number} 行：级别无效。", "rules")
        available = len(db.session.scalars(_eligible(rule)).all())
        if available < rule.count:
            raise DomainError(f"抽题规则第 {number} 行：题库中符合条件的题目只有 {available} 道，"
                              f"不足 {rule.count} 道。", "rules")
    questions = []
    for key in data.question_keys:
        question = db.session.scalar(select(Question).where(Question.key == key))
        if question is None or question.retired:
            raise DomainError(f"题目编号 {key} 不存在或已停用。", "question_keys")
        if question in questions:
            raise DomainError(f"题目编号 {key} 重复。", "question_keys")
        questions.append(question)
    return questions


def save_exam(exam: Exam | None, data: ExamData, actor: Employee) -> Exam:
    """Create or update an exam after checking that every rule can be met from the bank."""
    questions = _check(data)
    if exam is None:
        exam = Exam(created_by_id=actor.id)
        db.session.add(exam)
    for name in ("title", "description", "level", "department_id", "positions", "published", "listed",
                 "duration_minutes", "pass_percent", "max_attempts", "opens_at", "closes_at",
                 "shuffle_questions", "shuffle_options", "partial_credit", "review_policy",
                 "points_single", "points_multiple", "points_truefalse"):
        setattr(exam, name, getattr(data, name))
    exam.title = data.title.strip()
    _set_items(exam, questions)
    exam.rules = [DrawRule(position=n, type=r.type, level=r.level or None, topic=r.topic or None,
                           count=r.count, points=r.points) for n, r in enumerate(data.rules)]
    db.session.flush()
    return exam


def _set_items(exam: Exam, questions: list[Question]) -> None:
    """The fixed list in the new order, keeping the rows of questions already on it.

    Replacing every row would insert (exam, question) pairs before deleting the old ones and
    break the unique constraint when the same question stays on the list (saving unchanged).
    """
    kept = {item.question_id: item for item in exam.items}
    items = []
    for n, question in enumerate(questions):
        item = kept.get(question.id) or ExamItem(question=question)
        item.position = n
        items.append(item)
    exam.items = items


def draw_questions(exam: Exam, rng: random.Random) -> list[tuple[Question, int]]:
    """(question, points) pairs for a new attempt: the fixed list, or a fresh draw by the rules."""
    if not exam.rules:
        return [(item.question, exam.points_for(item.question.type)) for item in exam.items
                if not item.question.retired]
    chosen: list[tuple[Question, int]] = []
    taken: set[int] = set()
    for rule in exam.rules:
        ids = [qid for qid in db.session.scalars(_eligible(rule)) if qid not in taken]
        if len(ids) < rule.count:
            raise DomainError("题库中可抽取的题目不足，请联系安全管理部门。")
        picked = rng.sample(sorted(ids), rule.count)
        taken.update(picked)
        chosen.extend((db.session.get(Question, qid), rule.points) for qid in picked)
    return chosen
