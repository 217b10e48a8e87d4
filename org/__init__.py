"""Organisation: departments, teams, positions, employees (the accounts), roles and scope."""

# This module must stay free of top-level imports: the standard library's pickle runs
# ``from org.python.core import PyStringMap`` (a Jython probe) and so imports this
# package as a side effect; anything imported here would then load half-initialised.


def init_app(app) -> None:
    """Wire org into the app: login rules, the ``org`` blueprint, commands, menu, panels, audit labels."""
    from org.cli import demo_cli, users_cli
    from org.sessions import configure_login
    from org.ui import register_ui
    from org.views import bp

    configure_login(app)
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    register_ui(app)
