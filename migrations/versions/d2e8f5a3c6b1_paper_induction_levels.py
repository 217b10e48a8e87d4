"""paper three-level records of people hired before the system (历史记录补录)

Revision ID: d2e8f5a3c6b1
Revises: c4d7a1e9b2f3
Create Date: 2026-11-30 12:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "d2e8f5a3c6b1"
down_revision = "c4d7a1e9b2f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "paper_induction_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("finished_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("content", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("trainer_name", sa.String(length=60), nullable=False),
        sa.Column("assessor_name", sa.String(length=60), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"],
                                name=op.f("fk_paper_induction_levels_employee_id_employees"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["employees.id"],
                                name=op.f("fk_paper_induction_levels_recorded_by_id_employees"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_induction_levels")),
        sa.UniqueConstraint("employee_id", "level", name=op.f("uq_paper_induction_levels_employee_id")),
    )
    with op.batch_alter_table("paper_induction_levels") as batch_op:
        batch_op.create_index(batch_op.f("ix_paper_induction_levels_employee_id"), ["employee_id"], unique=False)


def downgrade():
    with op.batch_alter_table("paper_induction_levels") as batch_op:
        batch_op.drop_index(batch_op.f("ix_paper_induction_levels_employee_id"))
    op.drop_table("paper_induction_levels")
