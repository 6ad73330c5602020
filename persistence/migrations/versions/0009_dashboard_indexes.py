"""Indexes for the staff pages at national scale: the outbox's health per panel.

The dashboard counts a panel's pending mail (and the oldest) and its failed mail by reason. The outbox keeps
every row after sending, so with only ``panel_id`` indexed those counts walked the panel's whole mail history;
``(panel_id, status, created_at)`` answers them from the index.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.create_index("ix_outbox_panel_status", ["panel_id", "status", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_panel_status")
