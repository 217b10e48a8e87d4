"""Organisation: departments, teams, positions, employees (the accounts), roles and scope."""

# This module must stay free of top-level imports: the standard library's pickle runs
# ``from org.python.core import PyStringMap`` (a Jython probe) and so imports this
# package as a side effect; anything imported here would then load half-initialised.


def init_app(app) -> None:
    """Register org's blueprints, login rules, navigation and home panels."""
    from org import admin_views, auth_views, roster_views, views
    from org.auth import configure_login
    from org.ui import register_ui

    configure_login(app)
    for blueprint in (auth_views.bp, views.bp, admin_views.bp, roster_views.bp):
        app.register_blueprint(blueprint)
    register_ui(app)
