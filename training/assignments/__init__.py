"""Study assignments (学习任务) and 我的任务."""


def init_app(app) -> None:
    """Register the assignments blueprint, its signal receivers, menu entries, home panel and audit labels."""
    from training.assignments import signals, ui, views

    app.register_blueprint(views.bp)
    signals.connect_receivers()
    ui.register_ui(app)
