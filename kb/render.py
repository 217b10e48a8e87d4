"""Markdown → sanitised HTML (rendered once, when a revision is saved).

Python-Markdown renders (tables, sane lists, heading anchors); nh3 then keeps only an
explicit allow-list of tags and attributes, so raw HTML, event handlers, scripts, SVG,
iframes, forms and ``javascript:``/``data:`` URLs never survive. ``attr_list`` is
deliberately not enabled: ``{: onclick=...}`` stays literal text.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

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
    """Markdown source → sanitised HTML fit to store in ``Revision.body_html``."""
    if not text or not text.strip():
        return ""
    return sanitize(_markdown().convert(text))


def trusted(html: str | None) -> Markup:
    """Mark stored, already sanitised HTML safe for a template (never use on raw input)."""
    return Markup(sanitize(html or ""))
