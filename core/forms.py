"""Form helpers shared by every package."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def choices_of(enum: Iterable[Any], blank: Any = None) -> Callable[[], list[SelectChoice]]:
    """Select choices from an enum whose members have a ``label``, built when each form is made.

    A list built at import would freeze its labels in the language of start-up; WTForms calls this
    per form instance, so every request gets its own locale's words.
    """

    def build() -> list[SelectChoice]:
        head = [("", blank)] if blank is not None else []
        return options(head + [(member.value, member.label) for member in enum])

    return build
