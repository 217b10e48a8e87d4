"""Safety settings page (安全管理部门): intervals, warning window, 三违 rules, emergency numbers."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.audit import audit
from core.exceptions import DomainError
from core.extensions import db
from core.permissions import deny
from safety.forms import ActionForm
from safety.permissions import may_edit_settings
from safety.settings import DEFAULTS, SPECIAL_OPERATION_NOTE, get_setting, set_setting
from safety.views import bp


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def edit_settings():
    """Show and change the safety settings; a bad value names its field and changes nothing."""
    if not may_edit_settings(current_user):
        deny(403)
    form = ActionForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        changed = []
        for key, (default, _label) in DEFAULTS.items():
            raw = "true" if isinstance(default, bool) and request.form.get(key) else request.form.get(key, "")
            raw = "false" if isinstance(default, bool) and not request.form.get(key) else raw
            try:
                if set_setting(key, raw):
                    changed.append(key)
            except DomainError as error:
                errors[key] = error.message
        if errors:
            db.session.rollback()
        else:
            if changed:
                audit("settings.change", target="安全设置", detail={"keys": changed})
            db.session.commit()
            flash(_("设置已保存。") if changed else _("没有变化。"), "success")
            return redirect(url_for("safety.edit_settings"))
    values = {key: request.form.get(key, get_setting(key)) if errors else get_setting(key) for key in DEFAULTS}
    return render_template("safety/settings.html", form=form, defaults=DEFAULTS, values=values, errors=errors,
                           note=SPECIAL_OPERATION_NOTE), 422 if errors else 200
