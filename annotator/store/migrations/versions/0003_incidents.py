"""Incidents: event mentions of one layer grouped into real-world events; history rows for incident edits.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("attrs", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotators.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["incidents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_incident_annotator", "incidents", ["annotator_id"])
    op.create_table(
        "incident_members",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id", "event_id"),
    )
    op.create_index("ix_incident_member_event", "incident_members", ["event_id"], unique=True)
    # Incident edits span documents: their history rows name no document.
    with op.batch_alter_table("history") as batch_op:
        batch_op.alter_column("document_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM history WHERE document_id IS NULL")
    with op.batch_alter_table("history") as batch_op:
        batch_op.alter_column("document_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index("ix_incident_member_event", table_name="incident_members")
    op.drop_table("incident_members")
    op.drop_index("ix_incident_annotator", table_name="incidents")
    op.drop_table("incidents")
