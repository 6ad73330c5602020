"""The port of the members' calendar feeds: the version of each member's feed key, which the feed address signs.

Making a new address raises the version, so the address signed for the old one opens nothing any more.
"""

from __future__ import annotations

from typing import Protocol


class CalendarFeedRepository(Protocol):
    def version(self, member_id: int) -> int:
        """The member's feed key version: 0 until they first make a new address."""
        ...

    def renew(self, member_id: int) -> int:
        """Raise the member's feed key version (the old address stops working); returns the new one."""
        ...
