"""Quiz fixtures: make_question(...) and make_exam(...) return saved objects."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest

from core.extensions import db
from tests.conftest import NOW
from training.quiz.models import Exam, ExamItem, Question, ReviewPolicy

_seq = itertools.count(1)


@pytest.fixture
def make_question(app):
    """make_question(type="single", options=[...], answer=[1], ...) -> Question."""

    def make(type: str = "single", *, stem: str | None = None, options=None, answer=None,
             level: str = "company", topic: str = "安全生产方针", explanation: str = "依据第三条。",
             key: str | None = None, source=None, source_section: str = "") -> Question:
        n = next(_seq)
        if options is None:
            options = [] if type == "truefalse" else [f"选项{n}-{i}" for i in range(4)]
        if answer is None:
            answer = {"single": [1], "multiple": [0, 2], "truefalse": [0]}[type]
        question = Question(key=key or f"q-{n}", type=type, level=level, topic=topic,
                            stem=stem or f"题干{n}", options=options, answer=answer,
                            explanation=explanation, source_document=source, source_section=source_section)
        db.session.add(question)
        db.session.commit()
        return question

    return make


@pytest.fixture
def make_exam(app):
    """make_exam(questions=[...], duration_minutes=30, ...) -> a published fixed-list Exam open at NOW."""

    def make(questions=(), **fields) -> Exam:
        n = next(_seq)
        values = dict(title=f"考试{n}", published=True, duration_minutes=30, pass_percent=1,
                      opens_at=NOW - timedelta(days=1), closes_at=NOW + timedelta(days=7),
                      review_policy=ReviewPolicy.ANSWERS, shuffle_questions=True, shuffle_options=True)
        values.update(fields)
        exam = Exam(**values)
        exam.items = [ExamItem(question=q, position=i) for i, q in enumerate(questions)]
        db.session.add(exam)
        db.session.commit()
        return exam

    return make


@pytest.fixture
def rng():
    return random.Random(7)
