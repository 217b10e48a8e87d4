"""Search: publishing makes documents findable, drafts and archived ones never are, the index
repairs itself, doc numbers / abbreviations / pinyin / synonyms match, and the page stays up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.extensions import db
from kb.models import DocumentKind, Revision, RevisionStatus
from kb.search import engine, store
from kb.services.publishing import archive_document, make_published
from org.models import Role
from tests.conftest import NOW

HOT_WORK_BODY = "动火作业前必须办理动火作业票，清理周围可燃物，配备灭火器，并安排专人监护。"


@pytest.fixture
def publish(make_document):
    """publish(title=..., body=..., **kw): a draft published through the real service (sends the signal)."""

    def do(**kwargs):
        document = make_document(published=False, **kwargs)
        revision = db.session.get(Revision, document.revisions[0].id)
        make_published(revision, None, NOW)
        db.session.commit()
        return document

    return do


def slugs(text: str, **filters) -> list[str]:
    return [hit.document.slug for hit in engine.query(text, **filters).hits]


@pytest.fixture
def built(app):
    """An empty index built once, as `flask search reindex` would."""
    engine.rebuild()


def test_publish_makes_a_document_findable_without_reindexing(built, publish):
    publish(slug="hot-work", title="动火作业安全操作规程", body=HOT_WORK_BODY)
    # The after-commit hook already caught up: the index holds it before any query runs.
    assert engine.status()["indexed_documents"] == 1
    assert slugs("灭火器") == ["hot-work"]
    assert slugs("动火") == ["hot-work"]


def test_a_draft_never_appears(built, make_document, publish):
    make_document(slug="draft", title="叉车司机安全操作规程（草稿）", body="叉车行驶限速", published=False)
    publish(slug="crane", title="起重机司机安全操作规程", body="起吊前检查钢丝绳")
    engine.rebuild()
    assert slugs("叉车") == []
    assert slugs("起重机") == ["crane"]


def test_a_draft_left_in_a_stale_index_is_not_shown(built, publish):
    document = publish(slug="hot-work", title="动火作业安全操作规程", body=HOT_WORK_BODY)
    document.published_revision.status = RevisionStatus.DRAFT
    document.published_revision = None  # the index is not told: the page double-checks the database
    db.session.commit()
    assert slugs("动火") == []


def test_archive_removes_it(built, publish, make_employee):
    document = publish(slug="hot-work", title="动火作业安全操作规程", body=HOT_WORK_BODY)
    assert slugs("动火") == ["hot-work"]
    archive_document(make_employee(roles={Role.SAFETY_DEPT}), document, NOW)
    db.session.commit()
    assert slugs("动火") == []
    assert engine.status()["indexed_documents"] == 0


@pytest.mark.config(SEARCH_ENGINE="whoosh")  # index files: the embedded engine only
def test_deleting_the_index_directory_rebuilds_it_on_the_next_search(app, built, publish):
    publish(slug="hot-work", title="动火作业安全操作规程", body=HOT_WORK_BODY)
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    store.forget_searcher()
    assert slugs("监护") == ["hot-work"]
    assert Path(app.config["SEARCH_INDEX_DIR"], "CURRENT").exists()


def test_never_built_index_is_built_by_the_first_search(app, publish):
    publish(slug="hot-work", title="动火作业安全操作规程", body=HOT_WORK_BODY)
    assert slugs("动火作业票") == ["hot-work"]


@pytest.mark.config(SEARCH_ENGINE="whoosh")  # index files: the embedded engine only
def test_a_corrupt_index_is_rebuilt(app, built, publish):
    publish(slug="hot-work", title="动火作业安全操作规程", body=HOT_WORK_BODY)
    generation = store.current_generation(Path(app.config["SEARCH_INDEX_DIR"]))
    for path in generation.iterdir():
        if path.suffix in (".toc", ".seg", ".trm", ".pst", ".fdt") or path.name.startswith("_"):
            path.write_bytes(b"\x00garbage")
    store.forget_searcher()
    assert slugs("动火") == ["hot-work"]
    assert store.current_generation(Path(app.config["SEARCH_INDEX_DIR"])) != generation


@pytest.mark.config(SEARCH_ENGINE="whoosh")  # index files: the embedded engine only
def test_unavailable_index_gives_the_friendly_message(app, client, login, make_employee, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    app.config["SEARCH_INDEX_DIR"] = str(blocker / "index")
    login(make_employee())
    response = client.get("/kb/search?q=动火")
    assert response.status_code == 200
    assert "搜索暂时不可用" in response.get_data(as_text=True)


@pytest.fixture
def library(built, publish, make_position):
    electrician = make_position(code="electrician", name="电工")
    publish(kind=DocumentKind.REGULATION, slug="gb-30871-2022", title="危险化学品企业特殊作业安全规范",
            body="规定了动火、受限空间、盲板抽堵、高处、吊装、临时用电等八类特殊作业的要求。",
            fields={"doc_number": "GB 30871-2022", "validity": "现行"})
    publish(kind=DocumentKind.REGULATION, slug="gb-30871-2014", title="化学品生产单位特殊作业安全规范",
            body="已被新版标准代替。", fields={"doc_number": "GB 30871-2014", "validity": "已废止"})
    publish(slug="loto", title="设备检修能量隔离（上锁挂牌）安全操作规程", fields={"positions": [electrician.code]},
            body="检修前执行 LOTO：停机、隔离、上锁、挂牌、释放残余能量、验证。")
    publish(slug="hazchem", title="危化品仓库安全操作规程", body="入库前查验 SDS 和标签，分区分类存放。")
    publish(slug="confined", title="有限空间作业安全操作规程", body="先通风、再检测、后作业，监护人不得离开。")
    publish(slug="hot-work", title="动火作业安全操作规程", body=HOT_WORK_BODY)


def test_document_numbers_match_whole_and_by_number(library):
    assert slugs("GB 30871-2022")[0] == "gb-30871-2022"
    assert set(slugs("30871")) == {"gb-30871-2022", "gb-30871-2014"}
    assert slugs("gb30871-2014")[:1] == ["gb-30871-2014"] or "gb-30871-2014" in slugs("GB 30871-2014")


def test_english_abbreviations_match(library):
    assert slugs("LOTO") == ["loto"]
    assert slugs("loto")[0] == "loto"
    assert slugs("SDS")[0] == "hazchem"


def test_pinyin_initials_find_titles(library):
    assert slugs("dhzy")[0] == "hot-work"
    assert slugs("yxkj")[0] == "confined"
    assert "hot-work" in slugs("donghuozuoye")


def test_synonyms_expand_queries(library):
    assert "confined" in slugs("受限空间")
    assert "hazchem" in slugs("危险化学品仓库")
    assert "loto" in slugs("能量隔离")
    assert slugs("热工作业")[0] == "hot-work"


def test_filters(library):
    assert slugs("30871", validity="现行") == ["gb-30871-2022"]
    assert slugs("安全操作规程", kind="regulation") == []
    assert slugs("检修", position="electrician") == ["loto"]


def test_quoted_phrase_needs_consecutive_characters(library):
    assert slugs("“释放残余能量”") == ["loto"]
    assert slugs("“残余释放”") == []


def test_search_page_shows_badges_marks_and_escapes(client, login, make_employee, library, publish):
    publish(slug="xss", title="<script>alert(1)</script>叉车", body="叉车 <img src=x onerror=alert(1)>")
    login(make_employee())
    html = client.get("/kb/search?q=叉车").get_data(as_text=True)
    assert "<mark>叉车</mark>" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    html = client.get("/kb/search?q=动火").get_data(as_text=True)
    assert "岗位安全操作规程" in html and "<mark>动火</mark>" in html


def test_no_results_page_helps(client, login, make_employee, library):
    login(make_employee())
    html = client.get("/kb/search?q=潜水作业").get_data(as_text=True)
    assert "没有找到" in html and "dhzy" in html


def test_pagination(client, login, make_employee, built, publish):
    for n in range(13):
        publish(slug=f"sop-{n}", title=f"叉车操作规程{n}", body="叉车")
    for n in range(4):  # share words with the query but not the term itself
        publish(slug=f"other-{n}", title=f"操作规程{n}", body="车辆 叉子")
    login(make_employee())
    first = client.get("/kb/search?q=叉车").get_data(as_text=True)
    second = client.get("/kb/search?q=叉车&page=2").get_data(as_text=True)
    assert first.count('class="search-hit"') == 10 and second.count('class="search-hit"') == 3
    assert "第 1 / 2 页" in first
    assert "找到 13 篇" in first  # an exact count, not Whoosh's upper estimate


def test_search_needs_login(client):
    assert client.get("/kb/search?q=动火").status_code == 302


def test_reindex_and_status_commands(runner, publish):
    publish(slug="hot-work", title="动火作业安全操作规程", body=HOT_WORK_BODY)
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "已索引 1 篇" in result.output
    status = runner.invoke(args=["search", "status"]).output
    assert "indexed_documents: 1" in status and "behind: 0" in status


def test_safety_department_edits_synonyms(client, login, make_employee, library):
    login(make_employee(roles={Role.SAFETY_DEPT}))
    page = client.get("/kb/search/synonyms").get_data(as_text=True)
    assert "有限空间 / 受限空间" in page
    response = client.post("/kb/search/synonyms", data={"text": "灭火器 / 消防器材\n动火 / 热工作业"})
    assert response.status_code == 302
    assert slugs("消防器材") == ["hot-work"]
    assert "confined" not in slugs("受限空间")  # that group was removed


def test_a_bad_synonym_line_is_named_and_nothing_changes(client, login, make_employee, library):
    login(make_employee(roles={Role.SAFETY_DEPT}))
    response = client.post("/kb/search/synonyms", data={"text": "灭火器 / 消防器材\n孤零零"})
    assert response.status_code == 200
    assert "第 2 行" in response.get_data(as_text=True)
    assert "confined" in slugs("受限空间")


def test_employees_cannot_edit_synonyms(client, login, make_employee, built):
    login(make_employee())
    assert client.get("/kb/search/synonyms").status_code == 403
