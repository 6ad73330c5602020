"""Turns claimed outbox rows into a MIME message: render in the recipient's language, add links and headers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Protocol

from notifications import kinds
from notifications.calendar import change_attachment, prebrief_attachment
from notifications.content import localized
from notifications.links import (
    LinkSigner,
    UnsubscribeLinks,
    material_links,
    member_links,
    participation_links,
    sign_in_token,
    sign_in_url,
)
from notifications.message import build_message, message_id_for
from notifications.outbox import OutboxMessage, RecipientKind
from notifications.render import Renderer

# Kinds that link the member's own pages (acknowledge the ground rules, wish a topic); signing costs CPU per mail.
RIGHTS_LINK_KINDS = frozenset({kinds.WELCOME, kinds.TOPIC_WISH_SCHEDULED, kinds.TOPIC_WISH_DECLINED})


class _Clock(Protocol):
    def now(self) -> datetime: ...


class MailComposer:
    def __init__(
        self,
        *,
        renderer: Renderer,
        signer: LinkSigner,
        sender: str,
        base_url: str,
        mail_domain: str,
        clock: _Clock,
    ) -> None:
        self.renderer = renderer
        self.signer = signer
        self.sender = sender
        self.base_url = base_url
        self.mail_domain = mail_domain
        self.clock = clock

    def message_id(self, key: str) -> str:
        return message_id_for(key, self.mail_domain)

    def compose(
        self, kind: str, rows: Sequence[OutboxMessage], *, key: str, date: datetime | None = None
    ) -> EmailMessage:
        """The email ``key`` carrying ``rows``; ``date`` is the time recorded for it (a repeat is dated the same)."""
        first = rows[0]
        to_member = first.recipient_kind is RecipientKind.MEMBER
        links = member_links(self.signer, self.base_url, self.mail_domain, first.recipient_id) if to_member else {}
        if to_member and kind in RIGHTS_LINK_KINDS:
            links |= participation_links(self.signer, self.base_url, first.recipient_id)
        if to_member and kind == kinds.PREBRIEF:  # the meeting's files, by a link signed for this member
            links |= material_links(self.signer, self.base_url, first.recipient_id, first.payload)
        payloads = [r.payload for r in rows]
        if kind == kinds.SIGN_IN_LINK:
            links, payloads = self._sign_in(first)
        rendered = self.renderer.render(kind, first.language, payloads, links=links)
        unsubscribe = UnsubscribeLinks.from_member_links(links) if to_member else None
        # The pre-brief carries the meeting as meeting.ics; it depends on the payload only, never on the clock.
        attachments = (
            [prebrief_attachment(first.payload, rendered.language, mail_domain=self.mail_domain)]
            if kind == kinds.PREBRIEF
            else []
        )
        # A moved or cancelled meeting updates or removes that saved entry (the same UID, a higher SEQUENCE).
        if kind in (kinds.MEETING_RESCHEDULED, kinds.MEETING_CANCELLED):
            cancelled, organizer = kind == kinds.MEETING_CANCELLED, parseaddr(self.sender)[1] or None
            attachments = [
                change_attachment(
                    first.payload,
                    rendered.language,
                    mail_domain=self.mail_domain,
                    cancelled=cancelled,
                    organizer=organizer,
                )
            ]
        contact = first.payload.get("panel_contact") if to_member else None
        return build_message(
            rendered,
            message_id=self.message_id(key),
            sender=self.sender,
            to=first.email,
            date=date or self.clock.now(),
            language=rendered.language,
            unsubscribe=unsubscribe,
            attachments=attachments,
            # Member mail comes from the panel, in the reader's language, and a reply reaches its contact person.
            sender_name=localized(first.payload, "panel_name", rendered.language) if to_member else None,
            reply_to=contact.get("email") or None if isinstance(contact, dict) else None,
        )

    def _sign_in(self, row: OutboxMessage) -> tuple[dict[str, str], list[dict[str, object]]]:
        """The sign-in link derived from the payload (no secret is stored), and the payload with the moment the
        link was asked for (the row's creation), from which the mail says how long the link is valid."""
        payload = row.payload
        token = sign_in_token(self.signer, int(payload["sign_in_id"]), str(payload["nonce"]))
        return {"sign_in": sign_in_url(self.base_url, token)}, [{"requested_at": row.created_at.isoformat(), **payload}]
