"""Markdown → sanitised HTML (rendered once, when a revision is saved).

Python-Markdown renders (tables, sane lists, heading anchors); nh3 then keeps only an
explicit allow-list of tags and attributes, so raw HTML, event handlers, scripts, SVG,
iframes, forms and ``javascript:``/``data:`` URLs never survive. ``attr_list`` is
deliberately not enabled: ``{: onclick=...}`` stays literal text.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
from collections.abc import Iterator

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from core.input import text_problem

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# 第二十八条 / 第5条 / 第一百一十九条 at the start of a heading becomes the whole anchor,
# so a link such as #第二十八条 stays valid when the article's summary title is reworded.
ARTICLE = re.compile(r"^\s*(第[零〇一二三四五六七八九十百千0-9]+条(?:之[一二三四五六七八九十]+)?)")


def heading_slug(text: str, separator: str = "-") -> str:
    """A stable anchor for a heading, keeping Chinese characters."""
    match = ARTICLE.match(text)
    if match:
        return match.group(1)
    return slugify_unicode(text, separator) or "section"


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={
            "toc": {"slugify": heading_slug, "permalink": False},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )


_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")


def _url_filter(tag: str, attribute: str, value: str) -> str | None:
    """Drop a URL whose scheme, once blanks and control characters are removed, is not allowed."""
    if attribute in ("href", "src"):
        match = _SCHEME.match(_INVISIBLE.sub("", value).lower())
        if match and match.group(1) not in URL_SCHEMES:
            return None
    return value


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "svg", "math", "template",
                            "form", "textarea", "select", "noscript"},
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_url_filter,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown source → sanitised HTML fit to store in ``Revision.body_html``.

    Rendering time stays linear in the length: a block that would make Python-Markdown re-read itself
    over and over (thousands of unclosed ``[``) or nest too deep is shown as plain text instead.
    The last few results are kept, so a view can render before its short write transaction
    (``prerender``) and the service's own call inside it costs nothing.
    """
    if not text or not text.strip():
        return ""
    return _rendered(text)


@functools.lru_cache(maxsize=16)
def _rendered(text: str) -> str:
    source, plain = _neutralise(_unix_lines(text))
    rendered = _markdown().convert(source)
    for token, block in plain.items():
        shown = "<br>\n".join(html.escape(line) for line in block.splitlines())
        rendered = rendered.replace(f"<p>{token}</p>", f"<p>{shown}</p>").replace(token, shown)
    return sanitize(rendered)


# ---- keeping Markdown rendering bounded --------------------------------------------------------------
# Python-Markdown's link and image parser looks for the closing bracket of every ``[`` (and the closing
# parenthesis of every link target) by reading on through the block: thousands of unclosed or deeply
# nested brackets make it quadratic (8,000 ``[`` took 8 s). ``scan_cost`` counts what it would read; a
# document may spend SCAN_BUDGET in all, and the costliest blocks beyond it are shown as plain text.
MAX_BODY = 200_000  # characters in a document body
MAX_DEPTH = 12  # nesting of lists and quotes (each level 4 columns of indentation or one ``>``)
SCAN_BUDGET = 1_500_000
_BRACKETS = re.compile(r"[\[\]()]")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_QUOTES = re.compile(r"^[ \t]*(?:>[ \t]*)+")


def _unix_lines(text: str) -> str:
    """Line breaks as Python-Markdown reads them (a browser posts a textarea with CR LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def blocks(text: str) -> Iterator[tuple[int, int, str]]:
    """(first line number, offset, text) of each block: the runs of lines between blank lines."""
    line, start = 1, 0
    for gap in _BLANK_LINES.finditer(text):
        yield line, start, text[start:gap.start()]
        line += text.count("\n", start, gap.end())
        start = gap.end()
    yield line, start, text[start:]


def scan_cost(block: str) -> int:
    """Characters the link parser reads in ``block``: from each ``[`` and each link target's ``(`` (one
    right after ``]``) to its partner, or to the end of the block when it has none."""
    waiting: dict[str, list[tuple[int, bool]]] = {"[": [], "(": []}
    cost = 0
    for match in _BRACKETS.finditer(block):
        char, at = match.group(), match.start()
        if char in waiting:
            waiting[char].append((at, char == "[" or block[at - 1:at] == "]"))
        else:
            stack = waiting["[" if char == "]" else "("]
            if stack:
                opened, counted = stack.pop()
                cost += (at - opened) * counted
    return cost + sum(len(block) - at for stack in waiting.values() for at, counted in stack if counted)


def nesting(line: str) -> int:
    """The list/quote depth of a line: one per ``>`` and per 4 columns of indentation after them."""
    quotes = _QUOTES.match(line)
    prefix = quotes.group() if quotes else ""
    rest = line[len(prefix):].expandtabs(4)
    return prefix.count(">") + (len(rest) - len(rest.lstrip(" "))) // 4


def _too_deep(block: str) -> int | None:
    """The offset (in lines) of the first line nested deeper than MAX_DEPTH, or None."""
    return next((n for n, line in enumerate(block.split("\n")) if nesting(line) > MAX_DEPTH), None)


def costly_blocks(text: str) -> list[tuple[int, int, str, str]]:
    """(line, offset, block, reason) of every block that rendering shows as plain text."""
    found, costs = [], []
    for line, start, block in blocks(text):
        deep = _too_deep(block)
        if deep is not None:
            found.append((line + deep, start, block, "deep"))
        else:
            costs.append((scan_cost(block), line, start, block))
    spent = sum(cost for cost, *_rest in costs)
    for cost, line, start, block in sorted(costs, key=lambda c: c[0], reverse=True):
        if spent <= SCAN_BUDGET:
            break
        found.append((line, start, block, "brackets"))
        spent -= cost
    return sorted(found, key=lambda f: f[1])


def _neutralise(text: str) -> tuple[str, dict[str, str]]:
    """``text`` with each costly block replaced by a token paragraph, and the blocks by token."""
    plain: dict[str, str] = {}
    for _line, start, block, _reason in reversed(costly_blocks(text)):
        token = f"anzhiplain{secrets.token_hex(8)}"
        plain[token] = block
        text = f"{text[:start]}\n\n{token}\n\n{text[start + len(block):]}"
    return text, plain


def body_problems(text: str) -> list[tuple[int, str]]:
    """(line, Chinese reason) for each part of a Markdown body that cannot be saved as it is."""
    text = _unix_lines(text)
    if len(text) > MAX_BODY:
        return [(1, f"正文过长：{len(text)} 个字符，最多 {MAX_BODY} 个字符，请拆分为多篇文档")]
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        reason = text_problem(line, multiline=True, blank_ok=True)
        if reason:
            problems.append((number, reason))
    for line, _start, _block, reason in costly_blocks(text):
        problems.append((line, f"列表或引用嵌套超过 {MAX_DEPTH} 层，请减少缩进" if reason == "deep" else
                         "这一段含有大量未配对或层层嵌套的“[”“(”，无法排版，请删去多余的括号或拆分段落"))
    return problems


def prerender(*texts: str) -> None:
    """Render now (as a reader, before the write transaction) what a save is about to store
    (a body over MAX_BODY is refused by the save, so it is not rendered)."""
    for text in texts:
        if isinstance(text, str) and len(text) <= MAX_BODY:
            render_markdown(text)


def trusted(html: str | None) -> Markup:
    """Mark stored, already sanitised HTML safe for a template (never use on raw input)."""
    return Markup(sanitize(html or ""))
