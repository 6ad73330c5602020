"""Meeting content and follow-up: title, end, online link, agenda, materials, lateness, pre-brief and summary.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("online_url", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("agenda", JSON, nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("materials", JSON, nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("late", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("late_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("prebrief_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("summary", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("next_steps", JSON, nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("summary_approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("summary_approved_by", sa.String(length=254), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("summary_sent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch_op:
        for column in (
            "summary_sent_at",
            "summary_approved_by",
            "summary_approved_at",
            "next_steps",
            "summary",
            "prebrief_sent_at",
            "late_reason",
            "late",
            "materials",
            "agenda",
            "online_url",
            "ends_at",
            "title",
        ):
            batch_op.drop_column(column)
