"""The home page (首页): one panel per thing the user's roles care about."""

from flask import render_template
from flask_login import current_user, login_required

from core.ui import home_panels_for
from org.views.blueprint import bp


@bp.get("/")
@login_required
def show_home():
    """The home page: one panel per thing this user's roles care about."""
    return render_template("org/home.html", panels=home_panels_for(current_user))
