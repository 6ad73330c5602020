"""Ground rules (versioned, acknowledgements), topic wishes and meeting attendance.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ground_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("rules", JSON, nullable=False),
        sa.Column("published_at", MOMENT, nullable=False),
        sa.Column("published_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(["panel_id"], ["panels.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("panel_id", "version", name="uq_ground_rules_panel_version"),
    )
    op.create_index("ix_ground_rules_panel_id", "ground_rules", ["panel_id"])
    op.create_table(
        "ground_rules_acks",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.ForeignKeyConstraint(["panel_id"], ["panels.id"]),
        sa.PrimaryKeyConstraint("member_id", "panel_id", "version"),
    )
    op.create_table(
        "topic_wishes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitted_at", MOMENT, nullable=False),
        sa.Column("submitted_by", sa.String(length=254), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("scheduled_at", MOMENT, nullable=True),
        sa.Column("scheduled_by", sa.String(length=254), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["panel_id"], ["panels.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("panel_id", "member_id", "meeting_id"):
        op.create_index(f"ix_topic_wishes_{column}", "topic_wishes", [column])
    op.create_table(
        "meeting_attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("meeting_id", "member_id"),
    )
    op.create_index("ix_meeting_attendance_member_id", "meeting_attendance", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_meeting_attendance_member_id", table_name="meeting_attendance")
    op.drop_table("meeting_attendance")
    for column in ("meeting_id", "member_id", "panel_id"):
        op.drop_index(f"ix_topic_wishes_{column}", table_name="topic_wishes")
    op.drop_table("topic_wishes")
    op.drop_table("ground_rules_acks")
    op.drop_index("ix_ground_rules_panel_id", table_name="ground_rules")
    op.drop_table("ground_rules")
