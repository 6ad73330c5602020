"""Members' data rights: what an erased member becomes, how their name and address are found in text,
and what an outbox row keeps of its body once the body is no longer needed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from domain.errors import InvalidValue
from domain.events import Aggregate, Event, EventType
from domain.panels import Member
from domain.values import aware

# ``.invalid`` is reserved (RFC 2606): an erased member's address can never route anywhere.
ERASED_DOMAIN = "erased.invalid"


def former_member_name(member_id: int) -> str:
    return f"former member #{member_id}"


def erased_email(member_id: int) -> str:
    return f"member-{member_id}@{ERASED_DOMAIN}"


def is_erased_email(address: str) -> bool:
    return address.casefold().endswith("@" + ERASED_DOMAIN)


@dataclass(frozen=True)
class Identity:
    """What identifies a member in text: their name and their email address."""

    name: str
    email: str


# Keys that name a person: in a record that belongs to somebody else (another member, a staff
# user) they are that person's own name or address, even if it happens to be the same.
IDENTITY_KEYS = frozenset({"name", "email", "recipient_name", "recipient_email", "greeting_name"})


class Redactor:
    """Replaces one member's name (whole words, any case and spacing) and email address in text and JSON."""

    def __init__(self, member_id: int, original: Identity, placeholder: Identity) -> None:
        self.member_id = member_id
        self.placeholder = placeholder
        name = r"\s+".join(re.escape(part) for part in original.name.split())
        self._name = re.compile(rf"(?<!\w){name}(?!\w)", re.IGNORECASE) if name else None
        # Not part of a longer address: nothing glued before, no further label after.
        self._email = re.compile(rf"(?<![\w.+-]){re.escape(original.email)}(?![\w-]|\.\w)", re.IGNORECASE)

    def text(self, value: str) -> str:
        value = self._email.sub(self.placeholder.email, value)
        return self._name.sub(self.placeholder.name, value) if self._name else value

    def belongs_to_someone_else(self, record: Mapping[str, Any]) -> bool:
        """A record (row or JSON object) about another member or a staff user, by its own fields."""
        if record.get("recipient_kind") == "staff":
            return True
        owner = record.get("member_id")
        if owner is None and record.get("recipient_kind") == "member":
            owner = record.get("recipient_id")
        return isinstance(owner, int) and owner != self.member_id

    def document(self, value: Any, *, someone_else: bool = False) -> Any:
        """The same JSON value with every string redacted, except other people's identity fields.

        ``someone_else``: the value is the body of another person's record (their mail, their event).
        """
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            keep = IDENTITY_KEYS if someone_else or self.belongs_to_someone_else(value) else frozenset()
            return {str(k): v if k in keep else self.document(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.document(v) for v in value]
        return value


def erase(member: Member, *, seq: int, actor: str, at: datetime, counts: Mapping[str, int]) -> Event:
    """Anonymise ``member`` in place; the event carries only counts, never what was erased."""
    member_id = member.stored_id  # a member never stored has nothing to erase: a bug, not bad input
    member.name = former_member_name(member_id)
    member.email = erased_email(member_id)
    member.active = False
    member.unsubscribed = True
    return erasure_event(member_id, seq=seq, actor=actor, at=at, counts=counts)


def erasure_event(member_id: int, *, seq: int, actor: str, at: datetime, counts: Mapping[str, int]) -> Event:
    return Event(
        aggregate=Aggregate.MEMBER,
        aggregate_id=member_id,
        seq=seq,
        type=EventType.ERASED,
        actor=actor,
        at=aware(at),
        data=MappingProxyType(dict(counts)),
    )


# Keys of an outbox payload that only point at other records (no text, no names): kept when
# the body goes, so that "who was told of which idea change" can still be answered.
_REFERENCE_KEYS = frozenset({"event_seq"})


def retained_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """What an outbox row keeps once its body is removed: the integer references, nothing else."""
    return {
        key: value
        for key, value in payload.items()
        if (key.endswith("_id") or key in _REFERENCE_KEYS) and isinstance(value, int) and not isinstance(value, bool)
    }


def retention_cutoff(now: datetime, *, days: int) -> datetime:
    """Mail older than this loses its body; ``days`` is the retention period."""
    if days < 1:
        raise InvalidValue("mail_retention_days", f"is {days}; keep mail bodies at least 1 day")
    return aware(now) - timedelta(days=days)
