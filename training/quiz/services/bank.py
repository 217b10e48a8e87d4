"""The question bank: one set of rules for a question, shared by the form, YAML and xlsx imports."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from core.exceptions import DomainError
from core.extensions import db
from kb.models import Document
from org.models import Position
from training.quiz.models import Question, QuestionLevel, QuestionType

TRUE_WORDS = {"true", "t", "对", "正确", "√", "是", "yes"}
FALSE_WORDS = {"false", "f", "错", "错误", "×", "否", "no"}
FIELD_LABELS = {
    "key": "编号", "type": "题型", "level": "级别", "topic": "主题", "difficulty": "难度", "stem": "题干",
    "options": "选项", "answer": "答案", "explanation": "解析", "source": "来源文档",
    "source_section": "条款/章节", "positions": "适用岗位",
}
TYPE_WORDS = {"单选": "single", "多选": "multiple", "判断": "truefalse"}
LEVEL_WORDS = {"公司级": "company", "厂级": "company", "部门级": "department", "车间级": "department",
               "班组级": "team"}


@dataclass
class QuestionData:
    """A question as typed or imported, before checking (answer still as letters or true/false)."""

    key: str = ""
    type: str = ""
    level: str = ""
    topic: str = ""
    stem: str = ""
    options: list[str] = field(default_factory=list)
    answer: Any = ""
    explanation: str = ""
    source: str = ""
    source_section: str = ""
    difficulty: Any = 1
    positions: list[str] = field(default_factory=list)


@dataclass
class CheckedQuestion:
    data: QuestionData
    answer: list[int]
    document: Document | None
    positions: list[Position]
    difficulty: int


def _parse_answer(data: QuestionData, problems: list[tuple[str, str]]) -> list[int]:
    raw = data.answer
    if data.type == QuestionType.TRUEFALSE:
        word = str(raw).strip().lower() if raw is not None else ""
        if word in TRUE_WORDS:
            return [0]
        if word in FALSE_WORDS:
            return [1]
        problems.append(("answer", "判断题答案须为 true/false（对/错）"))
        return []
    letters = str(raw or "").replace(",", "").replace("，", "").replace(" ", "").upper()
    indexes = [ord(ch) - 65 for ch in letters]
    if not letters or any(not 0 <= i < len(data.options) for i in indexes) or len(set(indexes)) != len(indexes):
        problems.append(("answer", f"答案“{raw}”不是有效的选项字母（A–{chr(64 + max(len(data.options), 1))}）"))
        return []
    if data.type == QuestionType.SINGLE and len(indexes) != 1:
        problems.append(("answer", "单选题只能有一个答案"))
    if data.type == QuestionType.MULTIPLE and len(indexes) < 2:
        problems.append(("answer", "多选题至少要有两个正确答案"))
    return sorted(indexes)


def _check_basics(data: QuestionData, problems: list[tuple[str, str]]) -> int:
    if data.type not in {t.value for t in QuestionType}:
        problems.append(("type", f"题型“{data.type}”无效，应为 single/multiple/truefalse（单选/多选/判断）"))
    if data.level not in {lv.value for lv in QuestionLevel}:
        problems.append(("level", f"级别“{data.level}”无效，应为 company/department/team（公司级/部门级/班组级）"))
    for name in ("topic", "stem", "explanation", "source"):
        if not str(getattr(data, name) or "").strip():
            problems.append((name, f"缺少{FIELD_LABELS[name]}"))
    if len(data.key) > 80 or len(data.topic) > 60 or len(data.source_section) > 120:
        problems.append(("key", "编号、主题或条款过长"))
    try:
        difficulty = int(data.difficulty or 1)
    except (TypeError, ValueError):
        difficulty = 0
    if difficulty not in (1, 2, 3):
        problems.append(("difficulty", "难度须为 1、2 或 3"))
    if data.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        if not 2 <= len(data.options) <= 6 or any(not o.strip() for o in data.options):
            problems.append(("options", "单选/多选题须有 2–6 个非空选项"))
        elif len(set(data.options)) != len(data.options):
            problems.append(("options", "选项有重复"))
    elif data.type == QuestionType.TRUEFALSE and data.options:
        problems.append(("options", "判断题不填选项"))
    return difficulty


def _position_words(values: list[str]) -> list[str]:
    """Positions as typed in a form or a spreadsheet cell: names or codes, split on 、，, or ；."""
    words = []
    for value in values:
        text = str(value)
        for separator in ("、", "，", "；", ";"):
            text = text.replace(separator, ",")
        words += [word.strip() for word in text.split(",") if word.strip()]
    return words


def check_question(data: QuestionData) -> tuple[CheckedQuestion | None, list[tuple[str, str]]]:
    """Check every rule; return the checked question or the (field, reason) problems."""
    problems: list[tuple[str, str]] = []
    data.options = [str(o).strip() for o in data.options if str(o).strip()] if data.type != "truefalse" \
        else list(data.options)
    difficulty = _check_basics(data, problems)
    answer = _parse_answer(data, problems) if data.type in {t.value for t in QuestionType} else []
    document = None
    if str(data.source or "").strip():
        document = db.session.scalar(select(Document).where(Document.slug == str(data.source).strip()))
        if document is None:
            problems.append(("source", f"来源文档 source“{data.source}”未知（请先导入知识库文档）"))
    positions = []
    for text in _position_words(data.positions):
        position = db.session.scalar(select(Position).where(or_(Position.name == text, Position.code == text)))
        if position is None:
            problems.append(("positions", f"岗位“{text}”不存在（填岗位名称，如 冲压工；或岗位代码）"))
        elif position not in positions:
            positions.append(position)
    if problems:
        return None, problems
    return CheckedQuestion(data, answer, document, positions, difficulty), []


def _hash(checked: CheckedQuestion) -> str:
    d = checked.data
    payload = [d.type, d.level, d.topic.strip(), checked.difficulty, d.stem.strip(), d.options, checked.answer,
               d.explanation.strip(), checked.document.id if checked.document else None, d.source_section.strip(),
               sorted(p.code for p in checked.positions)]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def apply_question(question: Question | None, checked: CheckedQuestion) -> tuple[Question, bool]:
    """Write a checked question (new, or over ``question``); bumps the version when content changed."""
    digest = _hash(checked)
    if question is not None and question.content_hash == digest:
        return question, False
    d = checked.data
    if question is None:
        question = Question(key=d.key or f"web-{secrets.token_hex(4)}", version=1)
        db.session.add(question)
    else:
        question.version += 1
    question.type, question.level, question.topic = d.type, d.level, d.topic.strip()
    question.difficulty, question.stem = checked.difficulty, d.stem.strip()
    question.options = [] if d.type == QuestionType.TRUEFALSE else list(d.options)
    question.answer, question.explanation = checked.answer, d.explanation.strip()
    question.source_document, question.source_section = checked.document, d.source_section.strip()
    question.positions = checked.positions
    question.content_hash = digest
    db.session.flush()
    return question, True


def save_question(question: Question | None, data: QuestionData) -> Question:
    """Create or edit a question from the site; raises DomainError naming the first bad field.

    Attempts already taken keep their own snapshot, so editing never changes them.
    """
    if question is None and data.key:
        if db.session.scalar(select(Question.id).where(Question.key == data.key)):
            raise DomainError(f"编号 {data.key} 已被使用。", "key")
    checked, problems = check_question(data)
    if checked is None:
        name, message = problems[0]
        raise DomainError(message + "。", name)
    return apply_question(question, checked)[0]


def set_retired(question: Question, retired: bool, now: datetime) -> None:
    """Retire (停用) or restore a question; retired questions are no longer drawn into exams."""
    question.retired = retired
    question.updated_at = now
    db.session.flush()


def data_of(question: Question) -> QuestionData:
    """A question's current content as form/import data."""
    answer = ("true" if question.answer == [0] else "false") if question.type == QuestionType.TRUEFALSE \
        else question.answer_letters
    return QuestionData(key=question.key, type=question.type, level=question.level, topic=question.topic,
                        stem=question.stem, options=list(question.options), answer=answer,
                        explanation=question.explanation,
                        source=question.source_document.slug if question.source_document else "",
                        source_section=question.source_section, difficulty=question.difficulty,
                        positions=[p.code for p in question.positions])
