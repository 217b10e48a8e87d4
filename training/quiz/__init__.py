"""Quizzes: question bank (题库), exams, attempts with integrity, results and 错题本."""


def init_app(app) -> None:
    """Register the quiz blueprint, its commands, menu entries, home panel and template helpers."""
    from training.quiz import cli, ui, views

    app.config.setdefault("QUIZ_GRACE_SECONDS", 60)
    app.register_blueprint(views.bp)
    cli.register_cli(app)
    ui.register_ui(app)
