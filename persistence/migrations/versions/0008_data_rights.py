"""Members' data rights: erasure marks and the retention of sent mail bodies.

Adds ``members.erased_at``, ``outbox.purged_at`` and ``event_redactions``. The event log
stays append-only with one narrow exception for erasure: an UPDATE of an event is allowed
only while an unapplied redaction row names that event, and only its text and data may
change (never its aggregate, sequence, type, states, actor or time). DELETE is still refused.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_PG_GUARDED = """
CREATE OR REPLACE FUNCTION raati_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND EXISTS (
            SELECT 1 FROM event_redactions r WHERE r.event_id = OLD.id AND r.applied_at IS NULL
        )
        AND NEW.id = OLD.id
        AND NEW.aggregate = OLD.aggregate
        AND NEW.aggregate_id = OLD.aggregate_id
        AND NEW.seq = OLD.seq
        AND NEW.type = OLD.type
        AND NEW.actor = OLD.actor
        AND NEW.from_state IS NOT DISTINCT FROM OLD.from_state
        AND NEW.to_state IS NOT DISTINCT FROM OLD.to_state
        AND NEW.at = OLD.at
    THEN
        RETURN NEW;  -- a granted redaction of the text or data
    END IF;
    RAISE EXCEPTION 'events are append-only';
END;
$$ LANGUAGE plpgsql
"""

_PG_ORIGINAL = """
CREATE OR REPLACE FUNCTION raati_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$ LANGUAGE plpgsql
"""

_SQLITE_GUARDED = """
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT EXISTS (SELECT 1 FROM event_redactions r WHERE r.event_id = OLD.id AND r.applied_at IS NULL)
    OR NEW.id IS NOT OLD.id
    OR NEW.aggregate IS NOT OLD.aggregate
    OR NEW.aggregate_id IS NOT OLD.aggregate_id
    OR NEW.seq IS NOT OLD.seq
    OR NEW.type IS NOT OLD.type
    OR NEW.actor IS NOT OLD.actor
    OR NEW.from_state IS NOT OLD.from_state
    OR NEW.to_state IS NOT OLD.to_state
    OR NEW.at IS NOT OLD.at
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END
"""

_SQLITE_ORIGINAL = (
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
)


def upgrade() -> None:
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "event_redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event_redactions") as batch_op:
        batch_op.create_index("ix_event_redactions_event_id", ["event_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_GUARDED)
    else:
        op.execute("DROP TRIGGER IF EXISTS events_no_update")
        op.execute(_SQLITE_GUARDED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_ORIGINAL)
    else:
        op.execute("DROP TRIGGER IF EXISTS events_no_update")
        op.execute(_SQLITE_ORIGINAL)
    with op.batch_alter_table("event_redactions") as batch_op:
        batch_op.drop_index("ix_event_redactions_event_id")
    op.drop_table("event_redactions")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("purged_at")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("erased_at")
