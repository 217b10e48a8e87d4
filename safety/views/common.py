"""Helpers every safety view shares: uploads from a form, domain errors onto form fields."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from core.attachments import PreparedFile, prepare_upload
from core.exceptions import DomainError


def prepared_files(storages, *, allow_pdf: bool) -> list[PreparedFile]:
    """Validate each uploaded file by content (raises DomainError naming the file)."""
    files = [s for s in (storages or []) if s and getattr(s, "filename", "")]
    return [prepare_upload(s.filename, s.read(), allow_pdf=allow_pdf) for s in files]


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's message at its field, or flash it."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        flash(error.message, "danger")
