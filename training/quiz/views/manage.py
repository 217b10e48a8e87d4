"""Question bank and exam management for the safety department (安全管理部门)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from core.clock import local, now
from core.exceptions import DomainError, ValidationFailed
from core.exports import XLSX_MIMETYPE, download
from core.extensions import db
from core.forms import options
from core.input import page_arg
from core.permissions import permission_required
from core.transactions import read_first, write_briefly
from kb.services.picker import document_choices
from org.models import Department, Position
from training.quiz.forms import ExamForm, QuestionForm, SubmitForm, UploadForm
from training.quiz.models import Exam, Question, QuestionLevel, QuestionType
from training.quiz.permissions import may_manage_bank
from training.quiz.services.bank import QuestionData, data_of, save_question, set_retired
from training.quiz.services.bank_import import check_question_sheet, import_question_sheet, template_workbook
from training.quiz.services.exam_setup import ExamData, save_exam
from training.quiz.services.retakes import set_published
from training.quiz.views.common import bp


@bp.get("/manage/questions")
@permission_required(may_manage_bank)
def list_questions():
    """The question bank, filterable by level, type, topic and text."""
    query = select(Question).order_by(Question.level, Question.key)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(or_(Question.stem.contains(q), Question.key.contains(q), Question.topic.contains(q)))
    for arg, column in (("level", Question.level), ("type", Question.type)):
        if request.args.get(arg):
            query = query.where(column == request.args[arg])
    if request.args.get("retired") != "1":
        query = query.where(Question.retired.is_(False))
    page = db.paginate(query, page=page_arg(), per_page=30, error_out=False)
    return render_template("training/quiz/questions.html", page=page, q=q, levels=list(QuestionLevel),
                           types=list(QuestionType))


def _question_form(question: Question | None) -> QuestionForm:
    form = QuestionForm()
    if request.method == "GET" and question is not None:
        data = data_of(question)
        form = QuestionForm(data={**data.__dict__, "options": "\n".join(data.options),
                                  "answer": {"true": "对", "false": "错"}.get(data.answer, data.answer),
                                  "difficulty": str(data.difficulty)})
    positions = db.session.scalars(select(Position).where(Position.active.is_(True)).order_by(Position.code))
    form.positions.choices = [(p.code, p.name) for p in positions]
    current = question.source_document.slug if question is not None and question.source_document else ""
    form.source.choices = document_choices(blank=_("（请选择）"), keep=(current,))
    return form


def _question_data(form: QuestionForm) -> QuestionData:
    return QuestionData(key=(form.key.data or "").strip(), type=form.type.data, level=form.level.data,
                        topic=form.topic.data, stem=form.stem.data, options=form.option_lines(),
                        answer=form.answer.data, explanation=form.explanation.data, source=form.source.data.strip(),
                        source_section=form.source_section.data or "", difficulty=form.difficulty.data,
                        positions=form.positions.data or [])


@bp.route("/manage/questions/new", methods=["GET", "POST"])
@bp.route("/manage/questions/<int:question_id>/edit", methods=["GET", "POST"])
@permission_required(may_manage_bank)
def edit_question(question_id: int | None = None):
    """Create or edit a question; attempts already taken keep their snapshot."""
    question = db.get_or_404(Question, question_id) if question_id else None
    form = _question_form(question)
    if question is not None:
        del form.key
    if form.validate_on_submit():
        try:
            saved = save_question(question, _question_data(form))
        except DomainError as error:
            db.session.rollback()
            field = getattr(form, error.field or "stem", None) or form.stem
            field.errors = [*field.errors, error.message]
        else:
            db.session.commit()
            flash(f"题目 {saved.key} 已保存（第 {saved.version} 版）。", "success")
            return redirect(url_for("quiz.preview_question", question_id=saved.id))
    return render_template("training/quiz/question_form.html", form=form, question=question)


@bp.get("/manage/questions/<int:question_id>")
@permission_required(may_manage_bank)
def preview_question(question_id: int):
    """Preview a question as examinees see it, with the answer and explanation below."""
    return render_template("training/quiz/question.html", question=db.get_or_404(Question, question_id),
                           form=SubmitForm())


@bp.post("/manage/questions/<int:question_id>/retire")
@permission_required(may_manage_bank)
def retire_question(question_id: int):
    """Retire (停用) or restore a question."""
    question = db.get_or_404(Question, question_id)
    set_retired(question, not question.retired, now())
    db.session.commit()
    flash("已停用该题。" if question.retired else "已恢复该题。", "success")
    return redirect(url_for("quiz.preview_question", question_id=question.id))


@bp.route("/manage/questions/import", methods=["GET", "POST"])
@permission_required(may_manage_bank)
def import_questions():
    """Import the xlsx template: every bad row is listed (row, column, reason) and nothing is written."""
    form = UploadForm()
    if form.validate_on_submit():
        read_first()  # reading and checking the sheet holds no write lock; the import itself is short
        try:
            checked = check_question_sheet(form.file.data.read())
            report = write_briefly(lambda: import_question_sheet(current_user, checked, now()))
        except ValidationFailed as failure:
            db.session.rollback()
            return render_template("training/quiz/import.html", form=form, failure=failure), 422
        flash(f"导入完成：新增 {report.created} 题，更新 {report.updated} 题，未变 {report.unchanged} 题。", "success")
        return redirect(url_for("quiz.list_questions"))
    return render_template("training/quiz/import.html", form=form, failure=None)


@bp.get("/manage/questions/template.xlsx")
@permission_required(may_manage_bank)
def download_question_template():
    """The xlsx template for question import."""
    return download(template_workbook(), XLSX_MIMETYPE, "question-template.xlsx")


@bp.get("/manage/exams")
@permission_required(may_manage_bank)
def list_exams():
    """All exams, newest first."""
    exams = db.session.scalars(select(Exam).order_by(Exam.created_at.desc())).all()
    return render_template("training/quiz/exams.html", exams=exams, now=now())


def _exam_form(exam: Exam | None) -> ExamForm:
    form = ExamForm(obj=exam) if request.method == "GET" and exam else ExamForm()
    if request.method == "GET" and exam:
        form.positions.data = [p.id for p in exam.positions]
        form.department_id.data = exam.department_id or 0
        form.question_keys.data = [item.question.key for item in exam.items]
        form.rules.data = "\n".join(_rule_line(r) for r in exam.rules)
        for name in ("opens_at", "closes_at"):
            value = getattr(exam, name)
            getattr(form, name).data = local(value).replace(tzinfo=None) if value else None
    departments = db.session.scalars(select(Department).order_by(Department.code))
    form.department_id.choices = [(0, "全公司"), *((d.id, d.name) for d in departments)]
    form.positions.choices = [(p.id, p.name) for p in db.session.scalars(select(Position).order_by(Position.code))]
    form.question_keys.choices = _question_choices(exam)
    return form


def _question_choices(exam: Exam | None) -> list[SelectChoice]:
    """Questions by stem · 题型 · 级别 · 主题: the exam's own first (in its order), then the bank by level and topic."""
    own = [item.question for item in exam.items] if exam else []
    own_ids = {q.id for q in own}
    bank = db.session.scalars(select(Question).where(Question.retired.is_(False))
                              .order_by(Question.level, Question.topic, Question.key)).all()
    return options((q.key, _question_label(q)) for q in own + [q for q in bank if q.id not in own_ids])


def _question_label(question: Question) -> str:
    stem = " ".join(question.stem.split())
    stem = stem if len(stem) <= 60 else stem[:58] + "…"
    return " · ".join((stem, question.type_label, question.level_label, question.topic))


def _rule_line(rule) -> str:
    words = [QuestionType(rule.type).label, str(rule.count), str(rule.points)]
    if rule.level:
        words.append(QuestionLevel(rule.level).label)
    if rule.topic:
        words.append(rule.topic)
    return " ".join(words)


def _exam_data(form: ExamForm) -> ExamData:
    positions = [db.session.get(Position, pid) for pid in form.positions.data or []]
    return ExamData(
        title=form.title.data, description=form.description.data or "", level=form.level.data or None,
        department_id=form.department_id.data or None, positions=[p for p in positions if p],
        published=form.published.data, listed=form.listed.data, duration_minutes=form.duration_minutes.data,
        pass_percent=form.pass_percent.data, max_attempts=form.max_attempts.data,
        opens_at=form.local_to_utc(form.opens_at.data), closes_at=form.local_to_utc(form.closes_at.data),
        shuffle_questions=form.shuffle_questions.data, shuffle_options=form.shuffle_options.data,
        partial_credit=form.partial_credit.data, review_policy=form.review_policy.data,
        points_single=form.points_single.data, points_multiple=form.points_multiple.data,
        points_truefalse=form.points_truefalse.data, question_keys=form.key_lines(), rules=form.rule_lines())


@bp.route("/manage/exams/new", methods=["GET", "POST"])
@bp.route("/manage/exams/<int:exam_id>/edit", methods=["GET", "POST"])
@permission_required(may_manage_bank)
def edit_exam(exam_id: int | None = None):
    """Create or edit an exam; attempts already started keep their snapshot."""
    exam = db.get_or_404(Exam, exam_id) if exam_id else None
    form = _exam_form(exam)
    if form.validate_on_submit():
        data = _exam_data(form)
        if not form.rules.errors:
            try:
                saved = save_exam(exam, data, current_user)
            except DomainError as error:
                db.session.rollback()
                field = getattr(form, error.field or "title")
                field.errors = [*field.errors, error.message]
            else:
                db.session.commit()
                flash(f"考试“{saved.title}”已保存。", "success")
                return redirect(url_for("quiz.list_exams"))
    return render_template("training/quiz/exam_form.html", form=form, exam=exam)


@bp.post("/manage/exams/<int:exam_id>/publish")
@permission_required(may_manage_bank)
def publish_exam(exam_id: int):
    """发布 or 撤回 an exam straight from the exam list."""
    exam = db.get_or_404(Exam, exam_id)
    if not SubmitForm().validate_on_submit():
        abort(400)
    publish = request.args.get("publish") == "1"
    try:
        set_published(current_user, exam, publish, now())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("“%(t)s”已发布。", t=exam.title) if publish else _("“%(t)s”已撤回。", t=exam.title), "success")
    return redirect(url_for("quiz.list_exams"))
