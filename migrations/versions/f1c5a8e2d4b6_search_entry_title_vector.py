"""search entries: a small title vector, so a rough rank of every match never reads the whole body vector

Revision ID: f1c5a8e2d4b6
Revises: e7a4c9d1f2b5
Create Date: 2026-11-30 09:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "f1c5a8e2d4b6"
down_revision = "e7a4c9d1f2b5"
branch_labels = None
depends_on = None


def upgrade():
    column_type = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")
    with op.batch_alter_table("search_entries") as batch:
        batch.add_column(sa.Column("title_vector", column_type, nullable=False, server_default=""))
    if op.get_bind().dialect.name == "postgresql":  # the title and number part of what is already stored
        op.execute("UPDATE search_entries SET title_vector = ts_delete(ts_filter(vector, '{a}'), "
                   "ARRAY(SELECT lexeme FROM unnest(ts_filter(vector, '{a}')) WHERE lexeme LIKE 'py:%'))")


def downgrade():
    with op.batch_alter_table("search_entries") as batch:
        batch.drop_column("title_vector")
