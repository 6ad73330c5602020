"""Speaking turns in the meeting room and the meeting's speaking balance (issue 16): the log of taps (an action id
is unique within its meeting, so a retried tap is recorded once), the turns, and the balance's figures (no member
ids: they stay when a member is erased).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_room_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("was_present", sa.Boolean(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "action_id", name="uq_meeting_room_actions_action"),
    )
    op.create_index(op.f("ix_meeting_room_actions_meeting_id"), "meeting_room_actions", ["meeting_id"])
    op.create_index(op.f("ix_meeting_room_actions_member_id"), "meeting_room_actions", ["member_id"])
    op.create_table(
        "meeting_turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_meeting_turns_meeting_id"), "meeting_turns", ["meeting_id"])
    op.create_index(op.f("ix_meeting_turns_member_id"), "meeting_turns", ["member_id"])
    op.create_table(
        "meeting_speaking_balances",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("spoke", sa.Integer(), nullable=False),
        sa.Column("share_spoke", sa.Double(), nullable=False),
        sa.Column("gini", sa.Double(), nullable=True),
        sa.Column("longest_seconds", sa.Integer(), nullable=False),
        sa.Column("median_seconds", sa.Integer(), nullable=True),
        sa.Column("max_to_median", sa.Double(), nullable=True),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("total_seconds", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("meeting_id"),
    )


def downgrade() -> None:
    op.drop_table("meeting_speaking_balances")
    op.drop_index(op.f("ix_meeting_turns_member_id"), table_name="meeting_turns")
    op.drop_index(op.f("ix_meeting_turns_meeting_id"), table_name="meeting_turns")
    op.drop_table("meeting_turns")
    op.drop_index(op.f("ix_meeting_room_actions_member_id"), table_name="meeting_room_actions")
    op.drop_index(op.f("ix_meeting_room_actions_meeting_id"), table_name="meeting_room_actions")
    op.drop_table("meeting_room_actions")
