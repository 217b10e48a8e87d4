"""Three-level induction (三级安全教育): programmes, each employee's levels, study, classroom hours, sign-off."""


def init_app(app) -> None:
    """Register the induction blueprint, its signal receivers, menu entries and audit labels."""
    from training.induction import signals, ui, views

    app.register_blueprint(views.bp)
    signals.connect_receivers()
    ui.register_ui(app)
