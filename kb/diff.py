"""Text diff between two revisions (title, typed fields, hazard rows and Markdown), line by line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from kb.fields import KIND_KEYS, LABELS
from kb.fields import format_hazard_lines as _rows_text
from kb.models import Revision


def revision_lines(revision: Revision) -> list[str]:
    """A revision as plain lines: what a reviewer compares."""
    lines = [f"标题：{revision.title}"]
    for key in KIND_KEYS.get(revision.document.kind, ()):
        if key == "rows":
            continue
        value = revision.fields.get(key)
        if isinstance(value, list):
            lines.append(f"{LABELS[key]}：")
            lines.extend(f"  - {item}" for item in value)
        elif value:
            text = str(value).splitlines()
            lines.append(f"{LABELS[key]}：{text[0] if text else ''}")
            lines.extend(f"  {line}" for line in text[1:])
    if revision.hazard_rows:
        lines.append("危险源：")
        lines.extend(f"  {line}" for line in _rows_text(revision.hazard_rows).splitlines())
    if revision.body_md.strip():
        lines.append("正文：")
        lines.extend(revision.body_md.strip().splitlines())
    return lines


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add" / "del" / "same" / "gap"
    text: str


def diff_revisions(old: Revision, new: Revision, context: int = 3) -> list[DiffLine]:
    """The changed lines with a little context; empty when nothing differs."""
    out: list[DiffLine] = []
    for line in difflib.unified_diff(revision_lines(old), revision_lines(new), lineterm="", n=context):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            out.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            out.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            out.append(DiffLine("del", line[1:]))
        else:
            out.append(DiffLine("same", line[1:]))
    return out
