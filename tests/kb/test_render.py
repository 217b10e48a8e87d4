"""Markdown rendering: Chinese article anchors, tables, and stored-XSS payloads made inert."""

from html.parser import HTMLParser

import pytest

from kb.render import render_markdown


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict]]:
    parser = _Collect()
    parser.feed(html)
    return parser.elements


PAYLOADS = [
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我](java\tscript:alert(1))",
    "[点我](&#106;avascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<img src=x onerror=alert(1)>",
    "![x](x\" onerror=\"alert(1))",
    "<p onclick=\"alert(1)\">点</p>",
    "<div onmouseover=alert(1)>悬停</div>",
    "段落\n{: onclick=\"alert(1)\" }",
    "### 标题 {: onclick=alert(1) #x }",
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<form action=\"https://evil.example/\"><input name=p><button>登录</button></form>",
    "<script>alert(1)</script>",
    "<style>body{display:none}</style>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<base href=\"https://evil.example/\">",
    "[x]: javascript:alert(1)\n\n[链接][x]",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_stored_xss_payloads_come_out_inert(payload):
    elements = _elements(render_markdown(payload))
    assert not {tag for tag, _ in elements} & {"script", "svg", "iframe", "form", "input", "button", "style",
                                              "object", "embed", "math", "meta", "base", "details"}
    for _tag, attrs in elements:
        assert not [name for name in attrs if name.startswith("on") or name == "style"]
        for name in ("href", "src"):
            url = "".join((attrs.get(name) or "").split()).lower()
            assert not url.startswith(("javascript:", "vbscript:", "data:")), url


def test_attr_list_syntax_stays_literal_text():
    html = render_markdown("段落\n{: onclick=\"alert(1)\" }")
    assert "<p onclick" not in html
    assert "{: onclick=" in html


def test_article_headings_get_stable_chinese_anchors():
    html = render_markdown("### 第二十八条 从业人员教育和培训\n\n文字\n\n## 概述\n\n## 概述")
    assert '<h3 id="第二十八条">第二十八条 从业人员教育和培训</h3>' in html
    assert 'id="概述"' in html and 'id="概述_1"' in html


def test_tables_lists_and_safe_links_survive():
    html = render_markdown("|项目|要求|\n|---|---|\n|安全帽|必须佩戴|\n\n1. 一\n2. 二\n\n[法](https://www.mem.gov.cn/) "
                           "[条](/kb/d/work-safety-law#第二十八条) [信](mailto:aq@example.com)")
    assert "<table>" in html and "<td>安全帽</td>" in html
    assert "<ol>" in html
    assert 'href="https://www.mem.gov.cn/"' in html and 'rel="noopener noreferrer"' in html
    assert 'href="/kb/d/work-safety-law#第二十八条"' in html
    assert 'href="mailto:aq@example.com"' in html


def test_empty_body_renders_nothing():
    assert render_markdown("  \n") == ""
