"""The quiz engine's menu entries (考试, 题库, 考试管理), home panel 我的考试, template helpers and audit labels."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from core.audit import register_action_labels
from core.clock import now
from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from kb.render import ARTICLE
from training.quiz.models import option_label, to_percent
from training.quiz.permissions import may_manage_bank
from training.quiz.services.my_exams import my_exam_rows
from training.quiz.services.results import exam_title

AUDIT_LABELS = {
    "questions.import": "导入题库",
    "quiz.grant_retake": "准许补考",
    "quiz.publish": "发布考试",
    "quiz.unpublish": "撤回考试",
}


AUDIT_SENTENCES = {
    "quiz.grant_retake": lambda d: f"《{d['exam']}》增加 {d.get('extra', 1)} 次考试机会" if d.get("exam") else "",
    "questions.import": lambda d: (f"新建 {d.get('created', 0)} 题，更新 {d.get('updated', 0)} 题，"
                                   f"未变 {d.get('unchanged', 0)} 题"),
}


def _my_exams_panel(user) -> dict | None:
    return {"rows": my_exam_rows(user, now())}


def kb_document_url(slug: str, section: str = "") -> str | None:
    """The knowledge-base page of a document (at the cited article when there is one), or None."""
    if not slug or "kb.show_document" not in current_app.view_functions:
        return None
    try:
        url = url_for("kb.show_document", slug=slug)
    except BuildError:
        return None
    article = ARTICLE.match(section or "")
    return f"{url}#{article.group(1)}" if article else url


def exam_url(exam_id: int | None) -> str | None:
    """The page for taking an exam (start or continue), or None without an exam."""
    return url_for("quiz.show_exam", exam_id=exam_id) if exam_id is not None else None


def local_time(value: datetime | None) -> str:
    """A UTC instant shown in the site's time zone (Asia/Shanghai)."""
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value is not None else "—"


def score_text(score: float | None, total: float | None) -> str:
    """A score on the 百分制 scale with the raw points beside it: "85 分（17/20）"."""
    percent = to_percent(score, total)
    if percent is None:
        return "—"
    return _("%(p)s 分（%(s)s/%(t)s）", p=f"{percent:g}", s=f"{float(score):g}", t=f"{float(total):g}")


def exam_window(exam) -> str:
    """When an exam is open: both ends, one end, or 不限 when it has neither."""
    if exam.opens_at is None and exam.closes_at is None:
        return _("不限")
    if exam.closes_at is None:
        return _("%(t)s 起，不限截止", t=local_time(exam.opens_at))
    if exam.opens_at is None:
        return _("即日起至 %(t)s", t=local_time(exam.closes_at))
    return f"{local_time(exam.opens_at)} — {local_time(exam.closes_at)}"


def register_ui(app: Flask) -> None:
    """Menu entries, the 我的考试 panel, template helpers every training page uses, audit labels."""
    register_action_labels(AUDIT_LABELS, sentences=AUDIT_SENTENCES)
    app.add_template_global(kb_document_url, "kb_document_url")
    app.add_template_global(exam_url, "exam_url")
    app.add_template_global(exam_title, "exam_title")
    app.add_template_filter(local_time, "local_time")
    app.add_template_global(score_text, "score_text")
    app.add_template_global(exam_window, "exam_window")
    app.add_template_global(option_label, "option_label")
    add_nav_item(app, NavItem(_l("考试"), "quiz.list_my_exams", lambda user: True, 30))
    add_nav_item(app, NavItem(_l("题库"), "quiz.list_questions", may_manage_bank, 70))
    add_nav_item(app, NavItem(_l("考试管理"), "quiz.list_exams", may_manage_bank, 71))
    add_home_panel(app, HomePanel("training/quiz/_panel_my_exams.html", _my_exams_panel, 20))
