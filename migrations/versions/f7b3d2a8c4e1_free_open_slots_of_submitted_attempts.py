"""submitted attempts no longer hold their open slot (demo attempts were stored holding it)

Revision ID: f7b3d2a8c4e1
Revises: e5a1c7d9f3b2
Create Date: 2026-11-30 00:10:00
"""
from alembic import op

revision = "f7b3d2a8c4e1"
down_revision = "e5a1c7d9f3b2"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE attempts SET open_slot = NULL WHERE submitted_at IS NOT NULL AND open_slot IS NOT NULL")


def downgrade():
    pass  # a freed slot of a submitted attempt is the correct state; nothing to restore
