"""The drafting form names documents and positions by Chinese name, never by identifier."""

import re

from core.extensions import db
from kb.models import Document, DocumentKind, RevisionStatus
from org.models import Role

LAW = {"issuer": "全国人大常委会", "doc_number": "主席令第八十八号", "level": "法律", "effective_date": "2021-09-01",
       "validity": "现行"}


def _visible_text(html: str) -> str:
    """What a reader sees: the page without tags, attribute values or scripts."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_procedure_form_offers_regulations_and_positions_by_name(client, login, make_employee, make_position,
                                                                  make_document):
    make_position("press-operator", "冲压工")
    law = make_document(DocumentKind.REGULATION, slug="work-safety-law", title="中华人民共和国安全生产法", fields=LAW)
    old = make_document(DocumentKind.REGULATION, slug="gb6441-1986", title="企业职工伤亡事故分类",
                        fields=LAW | {"validity": "已废止"})
    law.validity, old.validity = "现行", "已废止"  # as publishing denormalises them
    db.session.commit()
    author = make_employee(roles={Role.SAFETY_DEPT})
    login(author)
    page = client.get("/kb/new/procedures").get_data(as_text=True)
    seen = _visible_text(page)
    assert "中华人民共和国安全生产法 · 法律法规 · 现行" in seen
    assert "企业职工伤亡事故分类 · 法律法规 · 【已废止】" in seen
    assert "冲压工" in seen
    assert "work-safety-law" not in seen and "press-operator" not in seen
    assert re.search(r'class="check picker-repealed"><input type="checkbox" name="references" value="gb6441-1986"',
                     page)

    response = client.post("/kb/new/procedures", data={
        "title": "冲压工安全操作规程", "owner": author.department.code, "positions": ["press-operator"],
        "ppe": "护目镜", "before_work": "检查", "during_work": "专注", "after_work": "断电", "prohibitions": "严禁",
        "emergency": "急停", "references": ["work-safety-law"], "body": "正文"})
    assert response.status_code == 302
    document = db.session.query(Document).filter_by(title="冲压工安全操作规程").one()
    assert document.revisions[0].status == RevisionStatus.DRAFT
    assert document.revisions[0].fields["references"] == ["work-safety-law"]
    edit = client.get(f"/kb/d/{document.slug}/edit").get_data(as_text=True)
    assert re.search(r'<input type="checkbox" name="references" value="work-safety-law" checked>', edit)


def test_company_document_carries_its_number_on_page_list_and_form(client, login, make_employee, make_position):
    make_position("press-operator", "冲压工")
    author = make_employee(roles={Role.SAFETY_DEPT})
    approver = make_employee(roles={Role.SAFETY_DEPT}, name="审核人")
    login(author)
    form = {"title": "冲压工安全操作规程", "owner": author.department.code, "positions": ["press-operator"],
            "ppe": "护目镜", "before_work": "检查", "during_work": "专注", "after_work": "断电", "prohibitions": "严禁",
            "emergency": "急停", "doc_number": "AQ-CY-001", "body": "正文"}
    too_long = client.post("/kb/new/procedures", data=form | {"doc_number": "X" * 61}).get_data(as_text=True)
    assert "文件编号最多 60 个字符" in too_long
    location = client.post("/kb/new/procedures", data=form).headers["Location"]
    document = db.session.query(Document).filter_by(title="冲压工安全操作规程").one()
    assert "文件编号 AQ-CY-001" in _visible_text(client.get(location).get_data(as_text=True))
    assert 'value="AQ-CY-001"' in client.get(f"/kb/d/{document.slug}/edit").get_data(as_text=True)
    client.post(f"/kb/d/{document.slug}/r/1/submit")
    client.post("/auth/logout")
    login(approver)
    client.post(f"/kb/d/{document.slug}/r/1/publish")
    db.session.refresh(document)
    assert document.doc_number == "AQ-CY-001"
    assert "AQ-CY-001" in client.get("/kb/procedures?q=AQ-CY").get_data(as_text=True)


def test_regulation_and_case_forms_open_and_name_documents(client, login, make_employee, make_document):
    law = make_document(DocumentKind.REGULATION, slug="work-safety-law", title="中华人民共和国安全生产法", fields=LAW)
    law.validity = "现行"
    make_document(DocumentKind.PROCEDURE, slug="sop-press", title="冲压工安全操作规程")
    db.session.commit()
    login(make_employee(roles={Role.SAFETY_DEPT}))
    regulation = _visible_text(client.get("/kb/new/regulations").get_data(as_text=True))
    assert "中华人民共和国安全生产法 · 法律法规 · 现行" in regulation  # 被替代为
    case = _visible_text(client.get("/kb/new/cases").get_data(as_text=True))
    assert "冲压工安全操作规程 · 岗位安全操作规程" in case  # 违反的规程
    assert "sop-press" not in case and "work-safety-law" not in regulation
