"""Markdown renders in bounded time: pathological blocks show as plain text; the editor and content
import refuse them, and bodies over 200,000 characters, naming the line; hidden characters in any
document field are refused at the field."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from core.exceptions import ValidationFailed
from core.extensions import db
from kb.content_import import import_content
from kb.models import Document
from kb.render import MAX_BODY, body_problems, render_markdown
from tests.conftest import NOW
from tests.kb.test_content_import import PROCEDURE, content  # noqa: F401  (fixture)
from tests.kb.test_content_import import org as content_org  # noqa: F401  (fixture)
from tests.kb.test_views import org  # noqa: F401  (fixture)

FORM = {"title": "动火作业安全操作规程", "owner": "CY", "positions": "press-operator", "ppe": "护目镜",
        "before_work": "检查", "during_work": "专注", "after_work": "断电", "prohibitions": "严禁伸手",
        "emergency": "急停", "change_note": "", "body": "## 适用范围\n\n动火作业。"}


@pytest.mark.parametrize("count", [8_000, 20_000, 100_000])
def test_thousands_of_open_brackets_render_fast_as_text(count):
    start = time.perf_counter()
    html = render_markdown("## 说明\n\n" + "[" * count + "\n\n正文继续。")
    assert time.perf_counter() - start < 2  # was 8.4 s for 8,000 and quadratic beyond
    assert html.count("[") == count and "<h2" in html and "<p>正文继续。</p>" in html


def test_nested_brackets_and_unclosed_link_targets_render_fast():
    for text in ("[" * 5_000 + "]" * 5_000, "[a](" * 5_000):
        start = time.perf_counter()
        render_markdown(text)
        assert time.perf_counter() - start < 2


def test_lists_nested_deeper_than_12_levels_render_instead_of_crashing():
    text = "".join("    " * depth + f"- 第 {depth} 层\n" for depth in range(300))
    html = render_markdown(text)  # Python-Markdown alone raises RecursionError here (a 500)
    assert "第 299 层" in html


def test_ordinary_markdown_is_unchanged_by_the_guard():
    text = "## 标题\n\n1. 见[动火规程](/kb/d/hot-work)\n2. **严禁**\n\n| 项 | 值 |\n|---|---|\n| a | b |\n\n> 注意\n"
    html = render_markdown(text)
    assert '<a href="/kb/d/hot-work"' in html and "<strong>严禁</strong>" in html and "<table>" in html
    assert "<blockquote>" in html and body_problems(text) == []


def test_editor_refuses_a_pathological_body_and_names_the_line(org, client, login):  # noqa: F811
    login(org["safety"])
    response = client.post("/kb/new/procedures", data=FORM | {"body": "## 说明\n\n" + "[" * 8_000})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "第 3 行" in page and "无法排版" in page
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_editor_refuses_a_body_over_the_size_limit(org, client, login):  # noqa: F811
    login(org["safety"])
    response = client.post("/kb/new/procedures", data=FORM | {"body": "字" * (MAX_BODY + 1)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "过长" in page and f"最多 {MAX_BODY} 个字符" in page
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "规程\u202e", "改变文字方向"), ("body", "正文\x00", "控制字符"), ("ppe", "护目镜\x1b", "控制字符"),
    ("title", "\u200b", "不可见字符"),
])
def test_editor_refuses_hidden_characters_at_the_field(org, client, login, field, value, message):  # noqa: F811
    login(org["safety"])
    response = client.post("/kb/new/procedures", data=FORM | {field: value})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_hazard_rows_with_control_characters_are_refused(org, client, login):  # noqa: F811
    login(org["safety"])
    rows = "送料 | 压手\x0b | 机械致害 | 3 | 6 | 7 | 光幕 | 班长"
    response = client.post("/kb/new/hazards", data={"title": "清单", "owner": "CY", "team": "CY1", "rows": rows})
    assert response.status_code == 200 and "控制字符" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_content_import_names_file_and_line_of_a_pathological_body(content_org, content):  # noqa: F811
    path = content / "procedures" / "sop-press.md"
    path.write_text(PROCEDURE + "\n" + "[" * 8_000 + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as error:
        import_content(content, NOW)
    db.session.rollback()
    assert [problem.split(": ", 1)[1][:8] for problem in error.value.problems] == ["这一段含有大量未"]
    assert "sop-press.md:18: " in error.value.problems[0]
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_content_check_names_an_oversized_body_and_control_characters(content_org, content, runner):  # noqa: F811
    (content / "procedures" / "sop-press.md").write_text(PROCEDURE + "\n响\x07铃\n", encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(content)])
    assert result.exit_code == 1 and "sop-press.md:18: 含有控制字符" in result.output
    (content / "procedures" / "sop-press.md").write_text(PROCEDURE + "字" * MAX_BODY, encoding="utf-8")
    result = runner.invoke(args=["content", "check", str(content)])
    assert result.exit_code == 1 and "正文过长" in result.output


def test_a_long_body_posted_with_crlf_and_a_few_stray_brackets_is_not_refused():
    paragraph = "说明 [ 见附件" + "文" * 5_000
    body = "\r\n\r\n".join([paragraph] * 30)  # what a browser posts from the textarea
    assert body_problems(body) == []
    assert "<p>说明 [ 见附件" in render_markdown(body)
