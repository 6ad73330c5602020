"""Recorded emails: which email each outbox row went into, recorded before the email is sent; no TRUNCATE of events.

A dispatcher records each email (its id, its kind and its time) on the rows it carries in the same
transactions as it claims them, before anything is sent. A repeat after a crash is then the same
email: the same rows, the same content, the same Message-ID; rows queued later go into a new email.

The event log's guard also refuses ``TRUNCATE`` on PostgreSQL (row triggers do not see it).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_PG_NO_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION raati_events_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("email_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("email_kind", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("email_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_outbox_email", ["email_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_NO_TRUNCATE_FUNCTION)
        op.execute(
            "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION raati_events_no_truncate()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_no_truncate ON events")
        op.execute("DROP FUNCTION IF EXISTS raati_events_no_truncate()")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_email")
        batch_op.drop_column("email_at")
        batch_op.drop_column("email_kind")
        batch_op.drop_column("email_id")
