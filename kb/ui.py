"""The knowledge base's menu entries, home panel and audit labels."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from core.audit import register_action_labels, register_target_labels, register_target_namer
from core.ui import HomePanel, NavItem, add_home_panel, add_nav_item
from kb.models import DocumentKind
from kb.permissions import is_publisher, may_approve


def _pending_panel(user) -> dict | None:
    """待阅读确认: procedures / hazard lists of my position and team not confirmed in their current version."""
    from kb.services.reading import pending_acknowledgements

    pending = pending_acknowledgements(user)
    return {"pending": pending} if pending else None


def _desk_panel(user) -> dict | None:
    """The safety department's desk: 待审核, its drafts, recent publishes."""
    if not is_publisher(user):
        return None
    from kb.services.desk import editorial_desk

    return {"desk": editorial_desk(user)}


AUDIT_LABELS = {
    "kb.publish": "发布文档",
    "kb.submit": "提交审核",
    "kb.reject": "退回修改",
    "kb.archive": "归档文档",
}
AUDIT_SENTENCES = {
    "kb.publish": lambda d: f"第 {d['revision']} 版" if d.get("revision") else "",
    "kb.submit": lambda d: f"第 {d['revision']} 版" if d.get("revision") else "",
    "kb.reject": lambda d: "；".join(filter(None, [f"第 {d['revision']} 版" if d.get("revision") else "",
                                                   f"意见：{d['note']}" if d.get("note") else ""])),
}
AUDIT_FIELDS = {"groups": "同义词组数", "revision": "版本", "note": "意见"}


def _document_title(slug: str) -> str | None:
    from sqlalchemy import select

    from core.extensions import db
    from kb.models import Document

    document = db.session.scalar(select(Document).where(Document.slug == slug))
    return f"《{document.title}》" if document and document.title else None


# Values the kind fields store in Chinese (validity, regulation level, plan level, violation type), for display.
VALUE_LABELS = {
    "现行": _l("现行"), "已修订": _l("已修订"), "已废止": _l("已废止"), "待核实": _l("待核实"),
    "法律": _l("法律"), "行政法规": _l("行政法规"), "部门规章": _l("部门规章"), "地方法规": _l("地方法规"),
    "国家标准": _l("国家标准"), "行业标准": _l("行业标准"), "企业制度": _l("企业制度"),
    "综合应急预案": _l("综合应急预案"), "专项应急预案": _l("专项应急预案"), "现场处置方案": _l("现场处置方案"),
    "违章指挥": _l("违章指挥"), "违章作业": _l("违章作业"), "违反劳动纪律": _l("违反劳动纪律"),
}


def value_label(value: str | None) -> str:
    """A stored field value (kept in Chinese) in the reader's language."""
    return str(VALUE_LABELS.get(value, value or ""))


def register_ui(app: Flask) -> None:
    """Register kb's audit labels, menu entries, the 待阅读确认 home panel and template helpers."""
    register_action_labels(AUDIT_LABELS, sentences=AUDIT_SENTENCES, fields=AUDIT_FIELDS)
    register_target_labels({"search.synonyms": "搜索同义词表"})
    for kind in DocumentKind:
        register_target_namer(kind.value, _document_title)
    app.add_template_global(may_approve, "may_approve")
    app.add_template_global(value_label, "value_label")
    add_nav_item(app, NavItem(_l("知识库"), "kb.show_index", lambda user: True, 20))
    add_nav_item(app, NavItem(_l("我的岗位"), "kb.show_my_position", lambda user: True, 21))
    add_nav_item(app, NavItem(_l("审核"), "kb.show_review_queue", is_publisher, 22))
    add_home_panel(app, HomePanel("kb/_panel_pending.html", _pending_panel, 20))
    add_home_panel(app, HomePanel("kb/_panel_desk.html", _desk_panel, 5))
