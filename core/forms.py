"""The base form every package's forms derive from (it runs the input guard), and form helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS, _Auto
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    FieldList,
    FileField,
    FloatField,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice, SelectFieldBase
from wtforms.validators import StopValidation

from core.input import DB_INT_MAX, day_problem, json_object, number_problem, text_problem


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


class Form(FlaskForm):
    """The base of every form in Anzhi: each field passes the input guard (``core.input``) before its
    own validators, so a control character, a bidirectional override, an invisible-only value, a
    number that is not plain ASCII digits or out of range, or a date outside 1900–2100 gets a field
    message instead of reaching a service (or a 500)."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """A JSON body is read strictly: an object of finite numbers and strings, else a 400."""
            if formdata is _Auto and request.is_json and request.method in SUBMIT_METHODS:
                return ImmutableMultiDict([(key, str(item)) for key, value in json_object().items()
                                           for item in (value if isinstance(value, list) else [value])
                                           if isinstance(item, str | int | float)])
            return super().wrap_formdata(form, formdata)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guard_fields(self)


def guard_fields(form: Any) -> None:
    """Put ``input_guard`` first in every field's validators (sub-forms and field lists included)."""
    for field in form:
        _guard(field)


def _guard(field: Field) -> None:
    if isinstance(field, FormField):
        guard_fields(field.form)
    elif isinstance(field, FieldList):
        for entry in field.entries:
            _guard(entry)
    elif input_guard not in field.validators:
        field.validators = [input_guard, *field.validators]


def input_guard(_form: Any, field: Field) -> None:
    problem = field_problem(field)
    if problem:
        field.errors[:] = []  # WTForms' own (English) coercion message gives way to the Chinese one
        raise StopValidation(problem)


def _raw(field: Field) -> str:
    return str(field.raw_data[0]) if field.raw_data else ""


def field_problem(field: Field) -> str | None:
    """Why the submitted value of ``field`` is refused, or None."""
    if isinstance(field, PasswordField | HiddenField | FileField | BooleanField):
        return None
    if isinstance(field, IntegerField | DecimalField | FloatField):
        if not _raw(field).strip():
            return None
        whole = isinstance(field, IntegerField)
        return number_problem(_raw(field), low=-DB_INT_MAX if whole else None, high=DB_INT_MAX if whole else None,
                              whole=whole)
    if isinstance(field, DateTimeField | DateField):
        if field.process_errors and _raw(field).strip():
            return _("请填写有效的日期。")
        return day_problem(field.data)
    if isinstance(field, SelectFieldBase):
        return _choice_problem(field)
    if isinstance(field, StringField):
        text = "" if field.data is None else str(field.data)  # data filled from an object may be a number
        return text_problem(text, multiline=isinstance(field, TextAreaField))
    return None


def _choice_problem(field: Field) -> str | None:
    if field.process_errors:
        return _("请选择有效的选项。")
    values = field.data if isinstance(field.data, list | tuple) else [field.data]
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and not -DB_INT_MAX <= value <= DB_INT_MAX:
            return _("请选择有效的选项。")
        if isinstance(value, str) and text_problem(value):
            return _("请选择有效的选项。")
    return None
