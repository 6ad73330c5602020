"""Every reader in their own language (issue 13): saved UI languages, translated content, the panel's contact.

- ``staff_users.language``: the staff user's saved UI language (fi/sv/en; null: not chosen).
- ``staff_users.greeting_name`` and ``members.greeting_name``: the name mail greets them by (null: the
  first word of the member's name).
- ``panels.contact_name``, ``contact_email``, ``contact_phone``: the person members may ask.
- ``translations`` (JSON, null = none) on panels, meetings, development tasks, ideas, surveys and survey
  statements: ``{"sv": {field: text}, "en": {...}}`` beside the Finnish columns. Materials keep theirs inside
  ``meetings.materials``, a move's or note's inside its event's ``data``.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TRANSLATED = ("panels", "meetings", "development_tasks", "ideas", "surveys", "survey_statements")


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("greeting_name", sa.String(length=200), nullable=True))
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("greeting_name", sa.String(length=200), nullable=True))
    with op.batch_alter_table("panels") as batch_op:
        batch_op.add_column(sa.Column("contact_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=40), nullable=True))
    for table in TRANSLATED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("translations", JSON, nullable=True))


def downgrade() -> None:
    for table in TRANSLATED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("translations")
    with op.batch_alter_table("panels") as batch_op:
        for column in ("contact_phone", "contact_email", "contact_name"):
            batch_op.drop_column(column)
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("greeting_name")
    with op.batch_alter_table("staff_users") as batch_op:
        batch_op.drop_column("greeting_name")
        batch_op.drop_column("language")
