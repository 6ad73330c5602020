"""Staff sign in without pasting tokens (issue 14): sessions of their own, one-time links, rate limits, audit.

- ``staff_users.active``: false once a user is deactivated.
- ``staff_sessions`` belong to their user, no longer to a token (``token_id`` becomes nullable): ``method``,
  ``last_seen_at`` (the idle timeout), ``expires_at`` (the absolute one), ``client`` (a network such as
  ``203.0.113.0/24``, never the full address), ``user_agent`` and ``ended_reason``. Sessions opened before
  this revision were opened with a token and expire here: everyone signs in once more.
- ``sign_in_links``: one-time sign-in links, only the SHA-256 of each link's token.
- ``sign_in_requests``: the link requests of the last day (address hash, client network, time) for the rate
  limits, also for unknown addresses.
- ``api_tokens``: ``name``, ``expires_at`` and ``last_used_at``.
- ``audit_events``: who signed in, failed, signed out, asked for a link, created or revoked a token or ended
  sessions; no secrets and no full IP addresses.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table("api_tokens") as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("staff_sessions") as batch_op:
        batch_op.alter_column("token_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("method", sa.String(length=16), server_default="token", nullable=False))
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("client", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("user_agent", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("ended_reason", sa.String(length=32), nullable=True))
    # A session opened with a token ends with this revision: it was last seen, and expired, when it began.
    op.execute("UPDATE staff_sessions SET last_seen_at = created_at, expires_at = created_at")
    with op.batch_alter_table("staff_sessions") as batch_op:
        batch_op.alter_column("last_seen_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column("method", existing_type=sa.String(length=16), server_default=None)
    op.create_index("ix_staff_sessions_user_open", "staff_sessions", ["user_id", "ended_at"], unique=False)

    op.create_table(
        "sign_in_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("next", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["staff_users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_sign_in_links_user_id", "sign_in_links", ["user_id"], unique=False)
    op.create_index("ix_sign_in_links_expires_at", "sign_in_links", ["expires_at"], unique=False)

    op.create_table(
        "sign_in_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_requests_address", "sign_in_requests", ["address_hash", "at"], unique=False)
    op.create_index("ix_sign_in_requests_client", "sign_in_requests", ["client", "at"], unique=False)
    op.create_index("ix_sign_in_requests_at", "sign_in_requests", ["at"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["staff_users.id"]),
        sa.ForeignKeyConstraint(["actor_user_id"], ["staff_users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_events_user", "audit_events", ["user_id", "at"], unique=False)
    op.create_index("ix_audit_events_at", "audit_events", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_events_at", table_name="audit_events")
    op.drop_index("ix_audit_events_user", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_sign_in_requests_at", table_name="sign_in_requests")
    op.drop_index("ix_sign_in_requests_client", table_name="sign_in_requests")
    op.drop_index("ix_sign_in_requests_address", table_name="sign_in_requests")
    op.drop_table("sign_in_requests")
    op.drop_index("ix_sign_in_links_expires_at", table_name="sign_in_links")
    op.drop_index("ix_sign_in_links_user_id", table_name="sign_in_links")
    op.drop_table("sign_in_links")
    op.drop_index("ix_staff_sessions_user_open", table_name="staff_sessions")
    # Sessions without a token cannot go back to a table where every session has one.
    op.execute("DELETE FROM staff_sessions WHERE token_id IS NULL")
    with op.batch_alter_table("staff_sessions") as batch_op:
        for column in ("ended_reason", "user_agent", "client", "expires_at", "last_seen_at", "method"):
            batch_op.drop_column(column)
        batch_op.alter_column("token_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("api_tokens") as batch_op:
        for column in ("last_used_at", "expires_at", "name"):
            batch_op.drop_column(column)
    with op.batch_alter_table("staff_users") as batch_op:
        batch_op.drop_column("active")
