"""Delivery: members can unsubscribe; outbox rows carry their claim and the Message-ID they went out under.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("unsubscribed", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("sent_as", sa.String(length=255), nullable=True))
        batch_op.create_index("ix_outbox_recipient", ["recipient_kind", "recipient_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_recipient")
        batch_op.drop_column("sent_as")
        batch_op.drop_column("claim_token")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("unsubscribed")
