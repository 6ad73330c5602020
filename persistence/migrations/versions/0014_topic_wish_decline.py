"""Topic wishes a coordinator declines with a short note to the member (issue 15).

- ``topic_wishes.declined_at``: when the wish was declined (None: open or on an agenda).
- ``topic_wishes.declined_by``: the coordinator who declined it.
- ``topic_wishes.decline_note``: the note the member was sent, kept in the row only (the log holds no free text).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("topic_wishes") as batch_op:
        batch_op.add_column(sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("declined_by", sa.String(length=254), server_default="", nullable=False))
        batch_op.add_column(sa.Column("decline_note", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("topic_wishes") as batch_op:
        batch_op.drop_column("decline_note")
        batch_op.drop_column("declined_by")
        batch_op.drop_column("declined_at")
