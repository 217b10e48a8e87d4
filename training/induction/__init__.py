"""Three-level induction (三级安全教育), assignments and records: one init for all three."""


def init_app(app) -> None:
    """Register the induction, assignments and records blueprints, signal handlers, menu and panel."""
    from kb.signals import revision_published
    from org.signals import employee_changed, employee_created
    from training import settings  # noqa: F401  (table known to create_all and migrations)
    from training.assignments import models as assignment_models  # noqa: F401
    from training.assignments.services import on_personal_exams as task_exams
    from training.assignments.services import on_revision_published
    from training.assignments.ui import register_ui
    from training.assignments.views import bp as assignments_bp
    from training.induction import models  # noqa: F401
    from training.induction.services import on_attempt_starting, on_employee_changed, on_employee_created
    from training.induction.services import on_personal_exams as induction_exams
    from training.induction.views import bp as induction_bp
    from training.quiz.signals import attempt_starting, personal_exams
    from training.records.cli import demo_training
    from training.records.ui import register_records_ui
    from training.records.views import bp as records_bp

    for blueprint in (induction_bp, assignments_bp, records_bp):
        app.register_blueprint(blueprint)
    employee_created.connect(on_employee_created)
    employee_changed.connect(on_employee_changed)
    revision_published.connect(on_revision_published)
    attempt_starting.connect(on_attempt_starting)
    personal_exams.connect(induction_exams)
    personal_exams.connect(task_exams)
    register_ui(app)
    register_records_ui(app)
    from training.induction.exams import exam_title, exam_url

    app.add_template_global(exam_url, "exam_url")
    app.add_template_global(exam_title, "exam_title")
    from org.cli import demo_cli

    demo_cli.add_command(demo_training)  # flask demo training
