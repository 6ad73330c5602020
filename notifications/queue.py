"""The data a delivery queue hands out: claims of outbox rows and the operators' summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from notifications.outbox import OutboxMessage


@dataclass(frozen=True)
class ClaimRequest:
    now: datetime
    limit: int
    lease: timedelta
    # Member idea updates wait until the oldest is this old, then go out as one email.
    coalesce: timedelta
    digest: timedelta
    token: str
    coalescing_kinds: tuple[str, ...] = ("idea_update",)


@dataclass(frozen=True)
class Claim:
    rows: list[OutboxMessage]
    # Members whose rows were claimed as their periodic digest.
    digest_recipients: frozenset[int] = frozenset()


@dataclass(frozen=True)
class QueueStats:
    counts: dict[str, int]
    oldest_pending: datetime | None
    failed: list[OutboxMessage] = field(default_factory=list)
