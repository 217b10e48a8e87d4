"""One input guard for every package: ids and numbers in range, text without control, bidirectional or
invisible-only characters, dates within sane bounds, and JSON bodies that are objects of finite numbers.

Forms get it through ``core.forms.Form`` (every field is checked before its own validators run); URLs
through the bounded ``int`` converter registered app-wide; query strings through ``db_id``/``page_arg``;
fetch bodies through ``json_object``. Importers call ``text_problem`` per cell.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import abort, jsonify, make_response, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1  # the largest value an INTEGER column holds on PostgreSQL (and a sane bound on SQLite)
MAX_TEXT = 200_000  # characters in any one text field
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)

ASCII_WHOLE = re.compile(r"[0-9]{1,10}")
ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,12}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})")

# Right-to-left/left-to-right overrides, embeddings and isolates, and the directional marks: they
# reorder what a reader sees ("李\u202egnp.exe" shows as "李exe.png").
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Characters that print nothing: a value made only of these (and blanks) looks empty but is not.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
MULTILINE_KEEP = frozenset("\t\n\r")


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: ASCII digits only, and at most what the database stores (else 404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, DB_INT_MAX if max is None else max, signed)


def db_id(value: str) -> int:
    """A query-string id or count (``request.args.get("team", type=db_id)``): ASCII digits, 0 … 2³¹−1.

    Anything else raises ValueError, which ``MultiDict.get(type=…)`` turns into its default (ignored).
    """
    if not isinstance(value, str) or not ASCII_WHOLE.fullmatch(value.strip()):
        raise ValueError(value)
    number = int(value.strip())
    if number > DB_INT_MAX:
        raise ValueError(value)
    return number


def optional_id(value: Any) -> int | None:
    """A posted id (a form list or a JSON value) as an int in range, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= DB_INT_MAX else None
    try:
        return db_id(value)
    except ValueError:
        return None


def page_arg(name: str = "page") -> int:
    """The ``?page=`` of a list: 1 when absent, malformed or beyond any real page."""
    page = request.args.get(name, 1, type=db_id)
    return page if 1 <= page <= 100_000 else 1


def text_problem(value: str, multiline: bool = False, limit: int = MAX_TEXT, blank_ok: bool = False) -> str | None:
    """Why ``value`` cannot be stored as text (a Chinese sentence), or None when it can.

    Refused: control characters (tab and line breaks allowed in multi-line fields only), bidirectional
    controls, a value made only of blanks and invisible characters (unless ``blank_ok``), and more than
    ``limit`` characters.
    """
    if not value:
        return None
    if len(value) > limit:
        return _("内容过长（最多 %(limit)s 个字符）。", limit=limit)
    keep = MULTILINE_KEEP if multiline else frozenset()
    for char in set(value):
        if char in BIDI:
            return _("含有改变文字方向的不可见字符（如 U+%(code)04X），请删除后重新填写。", code=ord(char))
        if char not in keep and unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs"):
            return _("含有控制字符（U+%(code)04X），请删除后重新填写。", code=ord(char))
    if not blank_ok and not "".join(ch for ch in value if ch not in INVISIBLE).strip():
        return _("不能只填空白或不可见字符。")
    return None


def number_problem(raw: str, low: float | None = None, high: float | None = None,
                   whole: bool = False) -> str | None:
    """Why ``raw`` is not a plain decimal number (ASCII digits, at most 12 before the point) in range."""
    text = (raw or "").strip()
    if not (ASCII_WHOLE.fullmatch(text.lstrip("+-")) if whole else ASCII_NUMBER.fullmatch(text)):
        return _("请填写整数（半角数字）。") if whole else _("请填写数字（半角数字，如 1.5）。")
    value = Decimal(text)
    if (low is not None and value < Decimal(str(low))) or (high is not None and value > Decimal(str(high))):
        return _("须在 %(low)s–%(high)s 之间。", low=low, high=high)
    return None


def finite_decimal(value: Any) -> bool:
    """True for a finite number (Decimal, float or int) that a column can hold."""
    try:
        return value is None or (Decimal(str(value)).is_finite() and abs(Decimal(str(value))) < 10**12)
    except (InvalidOperation, ValueError):
        return False


def day_problem(value: date | datetime | None) -> str | None:
    """Why a date is outside the span the application works with, or None."""
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        return _("日期须在 %(first)s 至 %(last)s 之间。", first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    return None


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def json_object(limit: int = 64 * 1024) -> dict[str, Any]:
    """The request's JSON body as an object of finite numbers, or a 400 with a Chinese message."""
    raw = request.get_data(cache=True, as_text=False)
    if len(raw) > limit:
        abort(json_error(_("请求内容过大。"), 413))
    try:
        payload = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float)
    except (ValueError, UnicodeDecodeError, RecursionError):
        abort(json_error(_("请求内容不是有效的数据，请刷新页面后重试。")))
    if not isinstance(payload, dict):
        abort(json_error(_("请求内容格式不对，请刷新页面后重试。")))
    return payload


def json_error(message: str, status: int = 400):
    return make_response(jsonify(error="invalid", message=message), status)
