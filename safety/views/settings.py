"""Safety settings page (安全管理部门): intervals, warning window, 三违 rules, emergency numbers."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from core.clock import now
from core.extensions import db
from core.permissions import deny
from core.settings import SettingsInvalid
from safety.forms import ActionForm
from safety.permissions import may_edit_settings
from safety.settings import SETTINGS, SPECIAL_OPERATION_NOTE, STORE, save_settings
from safety.views import bp


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def edit_settings():
    """Show and change the safety settings; a bad value names its field and changes nothing."""
    if not may_edit_settings(current_user):
        deny(403)
    form = ActionForm()
    errors: dict[str, str] = {}
    values = STORE.values()
    if form.validate_on_submit():
        try:
            changed = save_settings(current_user, STORE.posted(request.form), now())
        except SettingsInvalid as invalid:
            db.session.rollback()
            errors, values = invalid.errors, STORE.posted(request.form)
        else:
            db.session.commit()
            flash(_("设置已保存。") if changed else _("没有变化。"), "success")
            return redirect(url_for("safety.edit_settings"))
    return render_template("safety/settings.html", form=form, settings=SETTINGS, values=values, errors=errors,
                           note=SPECIAL_OPERATION_NOTE), 422 if errors else 200
