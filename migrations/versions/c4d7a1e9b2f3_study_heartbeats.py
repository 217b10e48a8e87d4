"""study sessions count only the time the page was seen (heartbeats)

Revision ID: c4d7a1e9b2f3
Revises: 2c98652e604e
Create Date: 2026-11-30 11:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "c4d7a1e9b2f3"
down_revision = "2c98652e604e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("study_sessions") as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("visible_seconds", sa.Double(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("study_sessions") as batch_op:
        batch_op.drop_column("visible_seconds")
        batch_op.drop_column("last_seen_at")
