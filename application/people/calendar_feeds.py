"""Making a member a new calendar feed address: the feed key's version rises, so the old address opens nothing."""

from __future__ import annotations

from application.ports.unit_of_work import UnitOfWork
from application.reads.calendar_feed import active_member, feed_purpose
from notifications.links import LinkSigner


def renew_calendar_feed(member_id: int, *, uow: UnitOfWork, signer: LinkSigner) -> str:
    """Make the member a new feed address (the old one stops working); returns its token. Entry points verify the
    member's signed link first. NotFound for a member who is not an active member (left, or erased)."""
    with uow:
        active_member(uow, member_id)
        version = uow.calendar_feeds.renew(member_id)
        uow.commit()
    return signer.sign(feed_purpose(version), member_id)
