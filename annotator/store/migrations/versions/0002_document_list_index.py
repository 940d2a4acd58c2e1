"""A narrow index on document ids: paging the document list reads it instead of every article's text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_documents_order", "documents", ["id"])


def downgrade() -> None:
    op.drop_index("ix_documents_order", table_name="documents")
