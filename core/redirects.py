"""Where to go after a form: only a path on this site, judged the way a browser reads it.

A browser strips tabs and line breaks from a URL, reads ``\\`` as ``/`` and treats ``//host``
as another site, so ``/\\t/evil.example`` or ``/\\evil.example`` leave the site. A ``next`` value
is accepted only if it is still a same-site path after that normalisation, also once
percent-decoded (``/%09/evil.example``); anything else falls back to a fixed page.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

MAX_NEXT_LENGTH = 2000
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def _is_local_path(target: str) -> bool:
    if _CONTROL_OR_SPACE.search(target):
        return False
    normalised = target.replace("\\", "/")
    if not normalised.startswith("/") or normalised.startswith("//"):
        return False
    parts = urlsplit(normalised)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a same-site path (after browser normalisation), else ``fallback``."""
    if not target or len(target) > MAX_NEXT_LENGTH:
        return fallback
    if _is_local_path(target) and _is_local_path(unquote(target)):
        return target
    return fallback
