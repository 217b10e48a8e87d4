"""search entries: the PostgreSQL search engine's weighted tsvector per published document

Revision ID: e6a1c3b5d7f9
Revises: f7b3d2a8c4e1
Create Date: 2026-11-30 00:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "e6a1c3b5d7f9"
down_revision = "f7b3d2a8c4e1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_entries",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("department", sa.String(length=20), nullable=False),
        sa.Column("validity", sa.String(length=12), nullable=False),
        sa.Column("positions", sa.String(length=500), nullable=False),
        sa.Column("demoted", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("vector", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_search_entries_vector", "search_entries", ["vector"], postgresql_using="gin")


def downgrade():
    op.drop_table("search_entries")
