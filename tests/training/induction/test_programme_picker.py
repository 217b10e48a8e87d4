"""培训方案 items are picked by name (kind and validity shown, repealed marked), never typed as slugs."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.extensions import db
from kb.models import DocumentKind
from org.models import Role
from training.induction.models import Programme


def test_programme_items_are_picked_by_name(client, login, make_employee, make_document):
    safety = make_employee(roles={Role.SAFETY_DEPT})
    sop = make_document(slug="sop-press", title="冲压工安全操作规程")
    old = make_document(DocumentKind.REGULATION, slug="old-rule", title="旧规定", fields={"validity": "已废止"})
    old.validity = "已废止"
    db.session.commit()
    login(safety)
    page = client.get("/training/induction/programmes/new").get_data(as_text=True)
    assert "冲压工安全操作规程 · 岗位安全操作规程" in page, re.findall(r"<option[^>]*>[^<]*", page)[:20]
    assert "旧规定 · 法律法规 · 【已废止】" in page
    assert "sop-press" not in page and "slug" not in page

    response = client.post("/training/induction/programmes/new", data={
        "level": "company", "title": "公司级方案", "department_id": 0, "position_id": 0, "exam_id": 0,
        "item_doc": [str(sop.id), "", str(sop.id)], "item_min": ["30", "", "20"], "active": "y"})
    assert response.status_code == 200
    assert "第 3 行：文档“冲压工安全操作规程”重复" in response.get_data(as_text=True)

    response = client.post("/training/induction/programmes/new", data={
        "level": "company", "title": "公司级方案", "department_id": 0, "position_id": 0, "exam_id": 0,
        "item_doc": [str(sop.id), ""], "item_min": ["30", ""], "active": "y"})
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme).where(Programme.title == "公司级方案"))
    assert [(i.document.title, i.expected_minutes) for i in programme.items] == [("冲压工安全操作规程", 30)]
    page = client.get(f"/training/induction/programmes/{programme.id}").get_data(as_text=True)
    assert f'<option value="{sop.id}" selected>' in page
