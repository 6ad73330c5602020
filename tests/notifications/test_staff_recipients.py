"""Who of the staff gets a staff mail: every active user asked for, in their language; a deactivated one none."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.panels import StaffUser
from domain.values import Language, Role
from notifications import kinds
from notifications.policy import to_staff

NOW = datetime(2027, 1, 11, 8, 0, tzinfo=UTC)


def test_a_deactivated_user_gets_no_staff_mail_and_the_active_ones_theirs_in_their_language() -> None:
    staying = StaffUser(id=1, email="stays@example.org", role=Role.COORDINATOR, panel_ids={1}, language=Language.SV)
    left = StaffUser(id=2, email="left@example.org", role=Role.COORDINATOR, panel_ids={1}, active=False)

    rows = to_staff(kinds.REMINDER, ("idea", 7), [staying, left], {"panel_id": 1}, panel_id=1, now=NOW)

    assert [(row.email, row.language) for row in rows] == [("stays@example.org", "sv")]
