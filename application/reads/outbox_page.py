"""The outbox page as a read model: delivery health per panel and the failed mail, in terms a coordinator reads.

Counts come from the outbox health read (``views.outbox_health_of``, as the dashboard and ``raati outbox status``);
each failed row names its recipient as a coordinator of the panel may see them (a member's name, else a masked
address) and its reason as one of a few kinds; no payloads, no full addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from application.access import permissions
from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.views import OutboxHealth, outbox_health_of
from domain.actors import Actor
from domain.errors import DomainError, InvalidValue
from domain.panels import Panel
from domain.redaction import hide_addresses
from notifications.outbox import OutboxMessage, OutboxStatus, RecipientKind

# The newest failed rows listed per panel (the counts cover them all).
FAILED_SHOWN = 100
STATUSES = ("", OutboxStatus.FAILED.value)  # the page's filter: everything, or only the panels with failed mail

# What a failure's stored reason says, in kinds a page names in words (see ``reason_kind``).
ADDRESS, REFUSED, GAVE_UP, OTHER = "address", "refused", "gave_up", "other"
_PERMANENT = re.compile(r"^\s*5\d\d\b")
_NO_SUCH_ADDRESS = re.compile(
    r"5\.1\.[0-3]|user unknown|unknown user|no such user|does not exist|address rejected|mailbox unavailable",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FailedMail:
    id: str
    kind: str  # the mail's kind (``notifications.kinds``): the page names it in words
    to_member: bool
    recipient: str  # a member's or staff user's name, else a masked address; "" when the reader may not see it
    reason: str  # ADDRESS, REFUSED, GAVE_UP or OTHER
    server_reply: str | None  # the mail server's own words, addresses hidden
    created_at: datetime
    attempts: int


@dataclass(frozen=True)
class PanelOutbox:
    panel: Panel
    health: OutboxHealth
    failed: list[FailedMail]


@dataclass(frozen=True)
class OutboxPage:
    panels: list[PanelOutbox]
    can_retry: bool
    panel_id: int | None
    status: str
    choices: list[tuple[int, str]]  # the panels the reader may choose from (id, name)


def outbox_page(actor: Actor, *, panel_id: int | None, status: str, uow: UnitOfWork, clock: Clock) -> OutboxPage:
    """Health and failed mail of each panel the actor may read the outbox of, narrowed to one panel or to the
    panels with failed mail; a panel outside the reach is refused, an unknown status named."""
    if status not in STATUSES:
        raise InvalidValue("status", f"{status!r} is not one of: failed")
    now = clock.now()
    with uow:
        allowed = permissions.outbox_panels(actor, str(panel_id) if panel_id is not None else None, uow=uow)
        readable = permissions.outbox_panels(actor, None, uow=uow)
        every = [p for p in uow.panels.list() if p.id is not None and (readable is None or p.id in readable)]
        chosen = [p for p in every if allowed is None or p.id in allowed]
        shown = []
        for panel in chosen:
            panel_ids = frozenset({panel.stored_id})
            health = outbox_health_of(uow, panel_ids, reader=actor, now=now, failed_limit=FAILED_SHOWN)
            if status == OutboxStatus.FAILED.value and not health.failed_count:
                continue
            shown.append(PanelOutbox(panel, health, [_failed(uow, actor, m) for m in health.failed]))
        return OutboxPage(
            panels=shown,
            can_retry=permissions.may_retry_outbox(actor),
            panel_id=panel_id,
            status=status,
            choices=[(p.stored_id, p.name) for p in every],
        )


def reason_kind(reason: str | None) -> str:
    """What a stored failure reason amounts to: the address does not exist, the server refused the mail, Raati gave
    up after retrying for its whole window, or something else."""
    text = reason or ""
    if text.startswith("gave up:"):
        return GAVE_UP
    if _NO_SUCH_ADDRESS.search(text):
        return ADDRESS
    if _PERMANENT.match(text) or "refused" in text:
        return REFUSED
    return OTHER


def masked(address: str) -> str:
    """An address with its local part hidden but its first letter: ``m…@example.org``."""
    local, at, domain = address.partition("@")
    if not at:
        return "…"
    return f"{local[:1]}…@{domain}"


def _failed(uow: UnitOfWork, actor: Actor, message: OutboxMessage) -> FailedMail:
    to_member = message.recipient_kind is RecipientKind.MEMBER
    return FailedMail(
        id=message.id,
        kind=message.kind,
        to_member=to_member,
        recipient=_recipient(uow, message) if permissions.may_read_personal_data(actor) else "",
        reason=reason_kind(message.last_error),
        # The name says who; the reply needs no address (a coordinator may read it, but the page has no use for it).
        server_reply=hide_addresses(message.last_error) if message.last_error else None,
        created_at=message.created_at,
        attempts=message.attempts,
    )


def _recipient(uow: UnitOfWork, message: OutboxMessage) -> str:
    """The recipient's name for a reader allowed personal data; a masked address when the name is gone."""
    try:
        if message.recipient_kind is RecipientKind.MEMBER:
            return uow.members.get(message.recipient_id).name
        user = uow.users.by_id(message.recipient_id)
        if user is not None:
            return user.greeting_name or user.email
    except DomainError:  # erased since: only the address the row kept
        pass
    return masked(message.email)
