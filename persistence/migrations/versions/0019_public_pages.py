"""A panel's public page: on or off and its address (issue 16).

- ``panels.public_page``: whether ``/p/{public_slug}`` shows the panel to anyone (off by default).
- ``panels.public_slug``: the address's last part (a-z, digits, hyphens; unique); it stays when the page is
  turned off, so turning it on again brings the same address back.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("panels") as batch_op:
        batch_op.add_column(sa.Column("public_page", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("public_slug", sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint("uq_panels_public_slug", ["public_slug"])


def downgrade() -> None:
    with op.batch_alter_table("panels") as batch_op:
        batch_op.drop_constraint("uq_panels_public_slug", type_="unique")
        batch_op.drop_column("public_slug")
        batch_op.drop_column("public_page")
