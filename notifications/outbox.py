"""The outbox message: one notification for one recipient, stored with the change that caused it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

# Fixed namespace so that the same (event, recipient, kind) always gets the same id,
# and therefore the same Message-ID on every retry.
_NAMESPACE = uuid.UUID("6f1c2a4e-8b1d-4d8e-9a57-3c2f0e5b7a11")


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # Not to be sent any more: the member unsubscribed or left before delivery.
    CANCELLED = "cancelled"


class RecipientKind(StrEnum):
    MEMBER = "member"
    STAFF = "staff"


def message_id(*parts: object) -> str:
    """A stable id for a notification from the facts that make it unique."""
    return str(uuid.uuid5(_NAMESPACE, ":".join(str(p) for p in parts)))


@dataclass(frozen=True)
class OutboxMessage:
    id: str
    kind: str
    recipient_kind: RecipientKind
    recipient_id: int
    email: str
    language: str
    payload: dict[str, Any]
    created_at: datetime
    panel_id: int
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    # The Message-ID it went out under; a coalesced email carries several rows.
    sent_as: str | None = None
    # The email it goes out in, recorded when a dispatcher first claimed it (None until then).
    email_id: str | None = None
    email_kind: str | None = None
    email_at: datetime | None = None
