"""Training records (一人一档, dashboards, item analysis, exports) and the demo training data."""


def init_app(app) -> None:
    """Register the records blueprint, the ``flask demo training`` command, menu entry and home panel."""
    from training.records import cli, ui, views

    app.register_blueprint(views.bp)
    cli.register_cli(app)
    ui.register_ui(app)
