"""Log in, log out, password change and language switch (URLs under /auth)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from core.clock import now, wall_now
from core.exceptions import DomainError
from core.extensions import db
from core.redirects import safe_next
from core.transactions import read_first, write_briefly
from org import services
from org.forms import ChangePasswordForm, LocaleForm, LoginForm
from org.services import LoginThrottled, check_credentials, record_login, record_throttled
from org.views.blueprint import bp


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("org.show_home"))


@bp.route("/auth/login", methods=["GET", "POST"])
def log_in():
    """Log in by 工号 + password; the session is started afresh on success."""
    if current_user.is_authenticated:
        return redirect(url_for("org.show_home"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    read_first()  # the password check is slow: it runs before the short write that records it
    ip = request.remote_addr or ""
    try:
        matched = check_credentials(form.emp_no.data, form.password.data, now(), ip)
        employee = write_briefly(lambda: record_login(form.emp_no.data, matched, now(), ip))
    except LoginThrottled as error:
        write_briefly(lambda: record_throttled(form.emp_no.data, now()))
        flash(error.message, "danger")
        return render_template("auth/login.html", form=form), 429
    if employee is None:
        flash(_("工号或密码不正确，或账号已停用。"), "danger")
        return render_template("auth/login.html", form=form), 200
    session.clear()
    login_user(employee)
    session["seen"] = wall_now().timestamp()
    session.permanent = True
    if employee.must_change_password:
        flash(_("首次登录请先修改初始密码。"), "info")
        return redirect(url_for("org.change_password"))
    return redirect(_safe_next(form.next.data))


@bp.post("/auth/logout")
@login_required
def log_out():
    """Log out here and end every other session of this account."""
    services.log_out(current_user, now=now())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("您已安全退出。"), "info")
    return redirect(url_for("org.log_in"))


@bp.route("/auth/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password (forced at first login); other sessions end, this one continues."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data, now=now())
        except DomainError as error:
            getattr(form, error.field or "new_password").errors.append(error.message)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # store the new session version in this session
            flash(_("密码已修改。"), "success")
            return redirect(url_for("org.show_home"))
    return render_template("auth/change_password.html", form=form)


@bp.post("/auth/locale")
@login_required
def set_locale():
    """Remember the interface language for this user."""
    form = LocaleForm()
    if form.validate_on_submit():
        services.set_locale(current_user, form.locale.data)
        db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
