"""Evaluation surveys: statements, one-time invitation tokens (hashed), anonymous answers.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("panel_id", sa.Integer(), sa.ForeignKey("panels.id"), nullable=False, index=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("opened_at", MOMENT, nullable=True),
        sa.Column("closes_at", MOMENT, nullable=True),
        sa.Column("closed_at", MOMENT, nullable=True),
    )
    op.create_table(
        "survey_statements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("survey_id", sa.Integer(), sa.ForeignKey("surveys.id"), nullable=False, index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.UniqueConstraint("survey_id", "position", name="uq_survey_statements_position"),
    )
    op.create_table(
        "survey_invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("survey_id", sa.Integer(), sa.ForeignKey("surveys.id"), nullable=False, index=True),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id"), nullable=False, index=True),
        sa.Column("invited_at", MOMENT, nullable=False),
        sa.Column("used_at", MOMENT, nullable=True),
        sa.Column("reminder_round", sa.Integer(), nullable=False, server_default="0"),
        sa.UniqueConstraint("survey_id", "member_id", name="uq_survey_invitations_member"),
    )
    op.create_table(
        "survey_tokens",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        sa.Column("invitation_id", sa.Integer(), sa.ForeignKey("survey_invitations.id"), nullable=False, index=True),
        sa.Column("issued_at", MOMENT, nullable=False),
    )
    # No member, invitation or time column, a random key, and on SQLite no rowid: nothing leads back.
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("survey_id", sa.Integer(), sa.ForeignKey("surveys.id"), nullable=False, index=True),
        sa.Column("agreements", JSON, nullable=False),
        sa.Column("recommendation", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False, server_default=""),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in ("survey_answers", "survey_tokens", "survey_invitations", "survey_statements", "surveys"):
        op.drop_table(table)
