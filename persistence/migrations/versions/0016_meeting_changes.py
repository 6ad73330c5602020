"""Rescheduled and cancelled meetings: the calendar entry's sequence (issue 15).

- ``meetings.calendar_sequence``: the SEQUENCE of the members' calendar entry; a move or cancellation the
  members are told of raises it, so their calendar replaces the entry with the same UID.
- ``meetings.cancelled_reason`` and ``meetings.cancelled_at``: why and when a meeting was cancelled.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.add_column(sa.Column("calendar_sequence", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("cancelled_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("cancelled_reason")
        batch_op.drop_column("calendar_sequence")
