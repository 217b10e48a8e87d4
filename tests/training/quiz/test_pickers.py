"""Exams and questions are set up by name: questions by stem, positions and documents by Chinese name."""

import io
import re

from openpyxl import Workbook
from sqlalchemy import select

from core.extensions import db
from org.models import Role
from training.quiz.models import Exam, Question


def _visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", html, flags=re.S))


def test_fixed_exam_questions_are_ticked_by_stem_and_stay_ticked(client, login, make_employee, make_question):
    first = make_question(stem="安全生产工作坚持的方针是？", key="company-101", topic="安全生产方针")
    second = make_question("truefalse", stem="进入车间可以不戴安全帽。", key="company-102", level="team",
                           topic="劳动防护")
    make_question(stem="停用的题", key="company-103").retired = True
    db.session.commit()
    login(make_employee(roles={Role.SAFETY_DEPT}))
    seen = _visible_text(client.get("/quiz/manage/exams/new").get_data(as_text=True))
    assert "安全生产工作坚持的方针是？ · 单选 · 公司级 · 安全生产方针" in seen
    assert "进入车间可以不戴安全帽。 · 判断 · 班组级 · 劳动防护" in seen
    assert "停用的题" not in seen and "company-101" not in seen

    form = {"title": "公司级考试", "duration_minutes": "30", "pass_percent": "60", "max_attempts": "2",
            "review_policy": "answers", "points_single": "2", "points_multiple": "4", "points_truefalse": "1",
            "question_keys": [second.key, first.key]}
    response = client.post("/quiz/manage/exams/new", data=form)
    assert response.status_code == 302
    exam = db.session.scalar(select(Exam).where(Exam.title == "公司级考试"))
    assert [item.question.stem for item in exam.items] == ["进入车间可以不戴安全帽。", "安全生产工作坚持的方针是？"]
    edit = client.get(f"/quiz/manage/exams/{exam.id}/edit").get_data(as_text=True)
    ticked = re.findall(r'name="question_keys" value="([^"]+)" checked', edit)
    assert ticked == [second.key, first.key]  # the exam's own questions first, in its order


def test_question_form_names_its_source_document_and_positions(client, login, make_employee, make_document,
                                                               make_position):
    make_document("regulation", slug="work-safety-law", title="中华人民共和国安全生产法")
    make_position("press-operator", "冲压工")
    login(make_employee(roles={Role.SAFETY_DEPT}))
    seen = _visible_text(client.get("/quiz/manage/questions/new").get_data(as_text=True))
    assert "中华人民共和国安全生产法 · 法律法规" in seen and "冲压工" in seen
    assert "work-safety-law" not in seen and "press-operator" not in seen


def _sheet(positions: str) -> bytes:
    from training.quiz.services.bank_import import XLSX_COLUMNS

    book = Workbook()
    book.active.append([label for _n, label in XLSX_COLUMNS])
    book.active.append(["x-1", "单选", "班组级", "冲压", 1, positions, "冲压前应检查？", "光电保护", "午饭", "", "", "",
                        "", "A", "依据规程。", "sop-press", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, positions: str):
    return client.post("/quiz/manage/questions/import", data={"file": (io.BytesIO(_sheet(positions)), "q.xlsx")},
                       content_type="multipart/form-data")


def test_question_sheet_names_positions_by_chinese_name_or_code(client, login, make_employee, make_document,
                                                                make_position):
    make_document("procedure", slug="sop-press", title="冲压工安全操作规程")
    make_position("press-operator", "冲压工")
    make_position("forklift", "叉车司机")
    login(make_employee(roles={Role.SAFETY_DEPT}))
    bad = _upload(client, "冲压工、焊工")
    assert bad.status_code == 422 and "岗位“焊工”不存在" in bad.get_data(as_text=True)
    assert db.session.scalar(select(Question)) is None
    assert _upload(client, "冲压工、forklift").status_code == 302
    question = db.session.scalar(select(Question).where(Question.key == "x-1"))
    assert sorted(p.name for p in question.positions) == ["冲压工", "叉车司机"]
