"""employees carry their gender (性别), as the 三级安全教育登记卡 asks

Revision ID: e7a4c9d1f2b5
Revises: e6a1c3b5d7f9
Create Date: 2026-11-30 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "e7a4c9d1f2b5"
down_revision = "e6a1c3b5d7f9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employees") as batch:
        batch.add_column(sa.Column("gender", sa.String(length=2), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("employees") as batch:
        batch.drop_column("gender")
