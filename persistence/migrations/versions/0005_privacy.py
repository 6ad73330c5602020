"""Privacy guard: recorded acknowledgements of health details in outgoing text.

No schema change: an acknowledgement is a ``privacy_acknowledged`` event in the event log (kinds and spans,
never the text), on the idea or meeting whose text it let through. The revision stays so that the chain is whole.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
