"""What users see: each kind's page, drafts hidden from employees, roles, hazard table, export, diff."""

import io
import re

import pytest
from openpyxl import load_workbook

from core.audit import AuditEvent
from core.extensions import db
from kb.models import DocumentKind
from kb.services.publishing import create_document, publish_revision, start_revision, update_draft
from org.models import Role
from tests.conftest import NOW
from tests.kb.helpers import hazard_input, procedure_input


@pytest.fixture
def org(make_department, make_team, make_position, make_employee):
    dept = make_department("CY", "冲压车间")
    team = make_team(dept, code="CY1", name="冲压一班")
    press = make_position("press-operator", "冲压工")
    return {"dept": dept, "team": team, "press": press,
            "officer": make_employee(department=dept, roles={Role.SAFETY_OFFICER}),
            "safety": make_employee(roles={Role.SAFETY_DEPT}),
            "approver": make_employee(roles={Role.SAFETY_DEPT}, name="审核人"),
            "worker": make_employee(team=team, position=press)}


def _published_procedure(org, **extra):
    revision = create_document(org["safety"], "procedure", org["dept"], procedure_input("press-operator", **extra), NOW,
                               slug="sop-press")
    publish_revision(org["approver"], revision, NOW)
    db.session.commit()
    return revision.document


def test_each_kind_renders_its_fields(org, client, login, make_document):
    make_document(DocumentKind.REGULATION, slug="work-safety-law", title="安全生产法", body="### 第二十八条 培训",
                  fields={"issuer": "全国人大常委会", "doc_number": "主席令第八十八号", "level": "法律",
                          "effective_date": "2021-09-01", "validity": "已修订", "replaced_by": "new-law"})
    make_document(DocumentKind.REGULATION, slug="new-law", title="新法")
    make_document(DocumentKind.CASE, slug="case-1", title="不停机清理模具",
                  fields={"violation_type": "违章指挥", "occurred_on": "2024-11-06", "department": "CY",
                          "accident_type": "机械致害", "procedure": "sop-press",
                          "_html": {"happened": "<p>班长要求不停机</p>", "lessons": "<p>清模必须停机</p>"}})
    _published_procedure(org)
    login(org["worker"])
    law = client.get("/kb/d/work-safety-law").get_data(as_text=True)
    assert all(text in law for text in ("主席令第八十八号", "法律", "2021-09-01", "已修订", 'href="/kb/d/new-law"'))
    sop = client.get("/kb/d/sop-press").get_data(as_text=True)
    assert all(text in sop for text in ("冲压工", "护目镜", "检查光电保护", "严禁连续行程手工送料", "立即按下急停",
                                        "不停机清理模具"))
    case = client.get("/kb/d/case-1").get_data(as_text=True)
    assert all(text in case for text in ("违章指挥", "2024-11-06", "班长要求不停机", "清模必须停机",
                                         'href="/kb/d/sop-press"'))


def test_drafts_are_404_to_employees_in_pages_and_lists(org, client, login):
    revision = create_document(org["officer"], "procedure", org["dept"], procedure_input("press-operator",
                               title="草稿规程"), NOW, slug="draft-sop")
    db.session.commit()
    login(org["worker"])
    assert client.get("/kb/d/draft-sop").status_code == 404
    assert client.get("/kb/d/draft-sop/history").status_code == 404
    assert "草稿规程" not in client.get("/kb/procedures").get_data(as_text=True)
    published = _published_procedure(org)
    start_revision(org["safety"], published, NOW)
    db.session.commit()
    assert client.get("/kb/d/sop-press?rev=2").status_code == 404
    assert client.get("/kb/d/sop-press").status_code == 200
    assert revision.document.slug == "draft-sop"


def test_officer_cannot_publish_nor_edit_another_department(org, client, login, make_department, make_employee):
    revision = create_document(org["officer"], "procedure", org["dept"], procedure_input("press-operator"), NOW,
                               slug="sop-x")
    db.session.commit()
    login(org["officer"])
    assert client.post("/kb/d/sop-x/r/1/submit").status_code == 302
    assert client.post("/kb/d/sop-x/r/1/publish").status_code == 403
    outsider = make_employee(department=make_department(), roles={Role.SAFETY_OFFICER})
    other = db.session.get(type(outsider), outsider.id)
    client.post("/auth/logout")
    login(other)
    assert client.get("/kb/d/sop-x").status_code == 404
    assert client.post("/kb/d/sop-x/revise").status_code == 404
    assert revision.status == "in_review"


def test_publish_through_page_makes_acks_stale_and_lists_readers(org, client, login):
    document = _published_procedure(org)
    login(org["worker"])
    client.post("/kb/d/sop-press/ack")
    assert "已确认" in client.get("/kb/d/sop-press").get_data(as_text=True)
    client.post("/auth/logout")
    login(org["safety"])
    assert client.post("/kb/d/sop-press/revise").status_code == 302
    form = {"title": "冲压工安全操作规程", "owner": "CY", "positions": "press-operator", "ppe": "护目镜\n耳塞",
            "before_work": "检查", "during_work": "专注", "after_work": "断电", "prohibitions": "严禁伸手",
            "emergency": "急停", "change_note": "增加耳塞", "body": "正文"}
    assert client.post("/kb/d/sop-press/edit", data=form).status_code == 302
    assert "请由安全管理部门的另一位同事审核批准" in client.get("/kb/d/sop-press?rev=2").get_data(as_text=True)
    client.post("/kb/d/sop-press/r/2/publish")
    assert document.published_revision.number == 1  # nobody approves their own draft
    client.post("/auth/logout")
    login(org["approver"])
    assert client.post("/kb/d/sop-press/r/2/publish").status_code == 302
    assert document.published_revision.number == 2
    readers = client.get("/kb/d/sop-press/readers").get_data(as_text=True)
    assert org["worker"].name in readers and "需重新阅读" in readers
    assert db.session.query(AuditEvent).filter_by(action="kb.publish").count() == 2
    client.post("/auth/logout")
    login(org["worker"])
    page = client.get("/kb/d/sop-press").get_data(as_text=True)
    assert "需重新阅读" in page
    assert "冲压工安全操作规程" in client.get("/").get_data(as_text=True)  # home panel 待阅读确认


def test_hazard_form_reports_bad_lines(org, client, login):
    login(org["safety"])
    data = {"title": "清单", "owner": "CY", "team": "CY1",
            "rows": "送料 | 压手 | 机械致害 | 3 | 6 | 7 | 光幕 | 班长\n"
                    "清扫 | 滑倒 | 其他事故 | 2 | 6 | 1 | 清理 | 班长\n只有三栏 | a | b"}
    page = client.post("/kb/new/hazards", data=data).get_data(as_text=True)
    assert "第 2 行" in page and "只能是" in page and "第 3 行：应有 8 栏" in page


def test_hazard_table_order_and_export(org, client, login):
    revision = create_document(org["safety"], "hazard_list", org["dept"], hazard_input("CY1", rows=[
        {"activity": "送料", "hazard": "=HYPERLINK(\"http://evil\",\"点我\")", "accident_type": "机械致害",
         "L": 3, "E": 6, "C": 7, "measures": "光电保护", "responsible": "班组长"},
        {"activity": "吊模", "hazard": "吊物坠落", "accident_type": "起重致害", "L": 3, "E": 6, "C": 40,
         "measures": "检查吊具", "responsible": "司索工"},
        {"activity": "清扫", "hazard": "滑倒", "accident_type": "其他事故", "L": 1, "E": 6, "C": 1,
         "measures": "清理", "responsible": "操作工"}]), NOW, slug="hz")
    publish_revision(org["approver"], revision, NOW)
    db.session.commit()
    login(org["worker"])
    plain = client.get("/kb/d/hz").get_data(as_text=True)
    assert plain.index("送料") < plain.index("吊模")
    by_d = client.get("/kb/d/hz?sort=d").get_data(as_text=True)
    assert by_d.index("吊模") < by_d.index("送料") < by_d.index("清扫")
    assert "grade-red" in by_d and "重大（红）" in by_d and "低（蓝）" in by_d
    mine = client.get("/kb/my-position").get_data(as_text=True)
    assert mine.index("吊模") < mine.index("送料")
    response = client.get("/kb/d/hz/export.xlsx?sort=d")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [c.value for c in sheet[4]]
    assert cells[2] == "'=HYPERLINK(\"http://evil\",\"点我\")" and sheet.cell(4, 3).data_type == "s"
    assert sheet.cell(3, 2).value == "吊模" and sheet.cell(3, 8).value == 720
    assert db.session.query(AuditEvent).filter_by(action="export").count() == 1


def test_diff_page_shows_changes(org, client, login):
    document = _published_procedure(org)
    draft = start_revision(org["safety"], document, NOW)
    update_draft(org["safety"], draft, procedure_input("press-operator", ppe=["护目镜", "<b>耳塞</b>"]), NOW)
    publish_revision(org["approver"], draft, NOW)
    db.session.commit()
    login(org["worker"])
    page = client.get("/kb/d/sop-press/diff?a=1&b=2").get_data(as_text=True)
    assert 'class="kb-diff-add">+   - &lt;b&gt;耳塞&lt;/b&gt;' in page
    assert "第 1 版 → 第 2 版" in page


def _count_queries(run) -> int:
    from sqlalchemy import event

    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_pages_do_not_query_once_per_document(org, client, login, make_document):
    """The procedure page lists the cases citing it, the listing shows every procedure: neither
    may cost a query per document (a plant has hundreds)."""
    _published_procedure(org)
    for n in range(15):
        make_document(DocumentKind.CASE, slug=f"case-{n}", title=f"案例{n}",
                      fields={"violation_type": "违章作业", "occurred_on": "2024-01-01", "department": "CY",
                              "procedure": "sop-press"})
        make_document(DocumentKind.PROCEDURE, slug=f"sop-{n}", title=f"规程{n}", positions=[org["press"]])
    login(org["worker"])
    for url in ("/kb/d/sop-press", "/kb/procedures", "/kb/my-position"):
        client.get(url)
        queries = _count_queries(lambda url=url: client.get(url))
        assert queries < 20, f"{url}: {queries} queries"
    assert "案例14" in client.get("/kb/d/sop-press").get_data(as_text=True)


def test_hazard_list_pickers_offer_only_what_the_author_may_choose(org, client, login, make_department,
                                                                   make_team, make_employee):
    other_dept = make_department("HJ", "焊接车间")
    make_team(other_dept, code="HJ1", name="焊接一班")
    make_team(org["dept"], code="CY2", name="冲压二班")
    leader = make_employee(department=other_dept, roles={Role.TEAM_LEADER}, leads=org["team"])
    login(leader)
    page = client.get("/kb/new/hazards").get_data(as_text=True)
    assert "冲压一班" in page and "冲压二班" not in page and "焊接一班" not in page
    assert "冲压车间" in page and "焊接车间" not in page  # the led team's department owns the list
    client.post("/auth/logout")
    login(org["officer"])
    page = client.get("/kb/new/hazards").get_data(as_text=True)
    assert "冲压一班" in page and "冲压二班" in page and "焊接一班" not in page


@pytest.mark.parametrize("target", ["/%09/evil.example/phish", "//evil.example", "/x\r\nA: b"])
def test_acknowledge_never_redirects_off_site(org, client, login, target):
    _published_procedure(org)
    login(org["worker"])
    response = client.post("/kb/d/sop-press/ack", data={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/kb/d/sop-press"
    assert client.post("/kb/d/sop-press/ack", data={"next": "/kb/"}).headers["Location"] == "/kb/"


def _tags_on(client, slug: str) -> str:
    page = client.get(f"/kb/d/{slug}").get_data(as_text=True)
    found = re.search(r'<p class="kb-tags">(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


def test_draft_tags_reach_readers_only_when_published(org, client, login, app):
    document = _published_procedure(org)
    form = {"title": "冲压工安全操作规程", "owner": "CY", "positions": "press-operator", "ppe": "护目镜",
            "before_work": "检查", "during_work": "专注", "after_work": "断电", "prohibitions": "严禁伸手",
            "emergency": "急停", "change_note": "改标签", "body": "正文", "tags": "冲压、压力机"}
    login(org["safety"])
    client.post("/kb/d/sop-press/revise")
    assert client.post("/kb/d/sop-press/edit", data=form).status_code == 302
    client.post("/kb/d/sop-press/r/2/publish", data={})  # nobody approves their own draft
    reader = app.test_client()
    login(org["worker"], target=reader)
    assert "冲压" not in _tags_on(reader, "sop-press")  # saved on the draft only
    editor_view = client.get("/kb/d/sop-press?rev=2").get_data(as_text=True)
    assert "压力机" in editor_view  # the editor previews the draft's tags
    client.post("/auth/logout")
    login(org["approver"])
    client.post("/kb/d/sop-press/r/2/reject", data={"note": "标签不对"})
    assert "冲压" not in _tags_on(reader, "sop-press") and document.tags == []
    form["tags"] = "冲压、急停"
    client.post("/kb/d/sop-press/revise")
    client.post("/auth/logout")
    login(org["safety"])
    assert client.post("/kb/d/sop-press/edit", data=form).status_code == 302
    client.post("/auth/logout")
    login(org["approver"])
    assert client.post("/kb/d/sop-press/r/2/publish", data={}).status_code == 302
    shown = _tags_on(reader, "sop-press")
    assert "冲压" in shown and "急停" in shown and "压力机" not in shown


def test_english_reader_sees_validity_level_and_violation_choices_in_english(client, login, make_employee):
    reader = make_employee(name="Li Lei")
    reader.locale = "en"
    db.session.commit()
    login(reader)
    for url, name in (("/kb/search", "validity"), ("/kb/regulations", "validity")):
        page = client.get(url).get_data(as_text=True)
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
        assert select, url
        labels = [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))]
        assert labels[:4] == ["All", "In force", "Amended", "Repealed"], url
        assert 'value="已废止"' in select.group(1)
    page = client.get("/kb/regulations").get_data(as_text=True)
    assert re.search(r'<option value="国家标准"\s*>National standard</option>', page)
    assert re.search(r'<option value="违章作业"\s*>Working in breach of rules</option>',
                     client.get("/kb/cases").get_data(as_text=True))
    assert re.search(r'<option value="现场处置方案"\s*>On-site response plan</option>',
                     client.get("/kb/emergency").get_data(as_text=True))
    assert client.get("/kb/regulations?level=国家标准").status_code == 200
