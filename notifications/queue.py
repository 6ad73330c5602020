"""The data a delivery queue hands out: claims of outbox rows as recorded emails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from notifications import kinds
from notifications.outbox import OutboxMessage, message_id


@dataclass(frozen=True)
class Email:
    """One email: its id (the Message-ID follows from it), its kind, its Date and exactly the rows it carries.

    Recorded on the rows when they are first claimed, before anything is sent; a repeat (after a crash, a
    lost connection or a retry) is built from the record, so it is the same email.
    """

    id: str
    kind: str
    at: datetime
    rows: tuple[OutboxMessage, ...]

    @property
    def row_ids(self) -> list[str]:
        return [row.id for row in self.rows]


def email_id(kind: str, rows: Sequence[OutboxMessage]) -> str:
    """An email's id follows from exactly its rows and its kind: other rows, another id.

    A row that goes out alone as what it is keeps its own id (and so the Message-ID it always had).
    """
    if len(rows) == 1 and rows[0].kind == kind:
        return rows[0].id
    return message_id("email", kind, *sorted(row.id for row in rows))


def plan_emails(
    rows: Sequence[OutboxMessage],
    *,
    digest_recipients: frozenset[int],
    coalescing_kinds: Sequence[str],
    now: datetime,
) -> list[Email]:
    """Group newly claimed rows (none yet in an email) into emails dated ``now``.

    A row of a coalescing kind goes out with every other such row claimed for the same member, as one
    update email, or as their digest; every other row is an email of its own.
    """
    grouped: dict[tuple[str, int], list[OutboxMessage]] = {}
    emails: list[Email] = []
    for row in sorted(rows, key=lambda r: (r.created_at, r.id)):
        if row.kind in coalescing_kinds:
            grouped.setdefault((row.recipient_kind.value, row.recipient_id), []).append(row)
        else:
            emails.append(Email(id=row.id, kind=row.kind, at=now, rows=(row,)))
    for (_, recipient), together in grouped.items():
        kind = kinds.DIGEST if recipient in digest_recipients else together[0].kind
        emails.append(Email(id=email_id(kind, together), kind=kind, at=now, rows=tuple(together)))
    return emails


def recorded_emails(rows: Sequence[OutboxMessage]) -> list[Email]:
    """Rows claimed again, regrouped into the emails recorded on them when they were first claimed."""
    grouped: dict[str, list[OutboxMessage]] = {}
    for row in sorted(rows, key=lambda r: (r.created_at, r.id)):
        if row.email_id is None:
            raise ValueError(f"outbox row {row.id} has no recorded email")
        grouped.setdefault(row.email_id, []).append(row)
    emails = []
    for key, together in grouped.items():
        first = together[0]
        if first.email_kind is None or first.email_at is None:
            raise ValueError(f"the email {key} was recorded without its kind or time")
        emails.append(Email(id=key, kind=first.email_kind, at=first.email_at, rows=tuple(together)))
    return emails


@dataclass(frozen=True)
class ClaimRequest:
    now: datetime
    limit: int
    lease: timedelta
    # Member idea updates wait until the oldest is this old, then go out as one email.
    coalesce: timedelta
    digest: timedelta
    token: str
    coalescing_kinds: tuple[str, ...] = (kinds.IDEA_UPDATE,)


@dataclass(frozen=True)
class Claim:
    emails: list[Email]

    @property
    def rows(self) -> list[OutboxMessage]:
        return [row for email in self.emails for row in email.rows]
