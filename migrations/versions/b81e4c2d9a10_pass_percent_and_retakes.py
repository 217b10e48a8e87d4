"""pass mark as a percentage (及格线 %), 补考 grants

Exams and attempts keep their 及格线 as a percentage of the total points. An exam's old pass
score in points becomes pass score / total × 100 when it could be reached, else 60 % (the demo
exams asked 60 points of 21: nobody could pass). Attempts are re-judged on the same rule.

Revision ID: b81e4c2d9a10
Revises: 7d3f0f9c20c2
Create Date: 2026-11-30 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "b81e4c2d9a10"
down_revision = "7d3f0f9c20c2"
branch_labels = None
depends_on = None


def _exam_totals(bind) -> dict[int, float]:
    """Total points per exam: draw rules (count × points) or fixed items (points per type)."""
    totals: dict[int, float] = {}
    for exam_id, total in bind.execute(sa.text(
            "SELECT exam_id, SUM(count * points) FROM exam_draw_rules GROUP BY exam_id")):
        totals[exam_id] = float(total or 0)
    rows = bind.execute(sa.text(
        "SELECT e.id, q.type, e.points_single, e.points_multiple, e.points_truefalse FROM exams e "
        "JOIN exam_items i ON i.exam_id = e.id JOIN questions q ON q.id = i.question_id"))
    fixed: dict[int, float] = {}
    for exam_id, qtype, single, multiple, truefalse in rows:
        fixed[exam_id] = fixed.get(exam_id, 0.0) + {"single": single, "multiple": multiple}.get(qtype, truefalse)
    return {**fixed, **totals}


def upgrade():
    op.create_table(
        "exam_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("extra_attempts", sa.Integer(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], name=op.f("fk_exam_grants_employee_id_employees"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["exam_id"], ["exams.id"], name=op.f("fk_exam_grants_exam_id_exams"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["granted_by_id"], ["employees.id"],
                                name=op.f("fk_exam_grants_granted_by_id_employees"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_grants")),
    )
    with op.batch_alter_table("exam_grants") as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_grants_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exam_grants_exam_id"), ["exam_id"], unique=False)

    for table in ("exams", "attempts"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("pass_percent", sa.Double(), nullable=False, server_default="60"))
    bind = op.get_bind()
    totals = _exam_totals(bind)
    for exam_id, pass_score in bind.execute(sa.text("SELECT id, pass_score FROM exams")).all():
        total = totals.get(exam_id, 0.0)
        percent = round(pass_score * 100 / total, 1) if total and 0 < pass_score <= total else 60.0
        bind.execute(sa.text("UPDATE exams SET pass_percent = :p WHERE id = :i"), {"p": percent, "i": exam_id})
    attempts = bind.execute(sa.text("SELECT id, pass_score, total_points, score, submitted_at FROM attempts")).all()
    for attempt_id, pass_score, total, score, submitted in attempts:
        percent = round(pass_score * 100 / total, 1) if total and 0 < pass_score <= total else 60.0
        passed = None if submitted is None else bool(total and (score or 0) * 100 + 1e-6 >= percent * total)
        bind.execute(sa.text("UPDATE attempts SET pass_percent = :p, passed = :ok WHERE id = :i"),
                     {"p": percent, "ok": passed, "i": attempt_id})
    for table in ("exams", "attempts"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("pass_score")


def downgrade():
    for table in ("exams", "attempts"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("pass_score", sa.Double(), nullable=False, server_default="60"))
            batch_op.drop_column("pass_percent")
    with op.batch_alter_table("exam_grants") as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_grants_exam_id"))
        batch_op.drop_index(batch_op.f("ix_exam_grants_employee_id"))
    op.drop_table("exam_grants")
