"""Safety on the plant floor: certificate ledger, 三违 register, workstation cards (imports training, kb, org)."""


def init_app(app) -> None:
    """Register safety's blueprint, answers to training's clearance question, commands and menus."""
    from org.cli import demo_cli
    from org.roster_import import register_roster_columns
    from org.signals import roster_row_checking, roster_row_imported
    from safety import models  # noqa: F401  (tables known to create_all and migrations)
    from safety.cli import demo_safety
    from safety.services import certificates, roster_columns, violations
    from safety.ui import register_ui
    from safety.views import register_routes
    from training.signals import clearance_holds

    app.register_blueprint(register_routes())
    clearance_holds.connect(certificates.on_clearance_holds)
    clearance_holds.connect(violations.on_clearance_holds)
    register_roster_columns(roster_columns.COLUMNS)
    roster_row_checking.connect(roster_columns.on_roster_row_checking)
    roster_row_imported.connect(roster_columns.on_roster_row_imported)
    demo_cli.add_command(demo_safety)  # flask demo safety
    register_ui(app)
