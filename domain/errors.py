"""Domain errors: exceptions that carry the facts (field, reason, states) as attributes.

Entry points map them once: bad input to CLI exit 2 / HTTP 4xx, conflicts to exit 1 / HTTP 409.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class InvalidValue(DomainError):
    """A value given by the user is not acceptable: names the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class NotFound(DomainError):
    """An id or name given by the user refers to nothing."""

    def __init__(self, kind: str, ref: object) -> None:
        self.kind = kind
        self.ref = ref
        super().__init__(f"{kind}: no {kind} {ref!r}")

    @property
    def field(self) -> str:
        return self.kind


class InvalidTransition(DomainError):
    """An idea cannot move from its current state to the requested one."""

    def __init__(self, current: str, requested: str, allowed: Iterable[str]) -> None:
        self.current = current
        self.requested = requested
        self.allowed = tuple(sorted(allowed))
        allowed_text = ", ".join(self.allowed) if self.allowed else "none (the state is final)"
        super().__init__(f"state: cannot move from {current} to {requested}; allowed next states: {allowed_text}")

    @property
    def field(self) -> str:
        return "state"


class VersionConflict(DomainError):
    """Someone else changed the object since the caller read it (optimistic concurrency).

    ``expected`` is the version the caller gave; None when they gave none and their change lost the race to
    concurrent writers on every attempt (``attempts``): the message then names no version.
    """

    def __init__(self, kind: str, ref: object, expected: int | None, current: int | None, *, attempts: int = 1) -> None:
        self.kind = kind
        self.ref = ref
        self.expected = expected
        self.current = current
        self.attempts = attempts
        if expected is None:
            tries = "once" if attempts == 1 else f"{attempts} times"
            super().__init__(
                f"{kind}: {kind} {ref} was changed by others while this change was being saved "
                f"(tried {tries}); nothing was changed, try again"
            )
            return
        now = "it has changed since" if current is None else f"it is now at version {current}"
        super().__init__(f"expected_version: {kind} {ref} was expected at version {expected}; {now}")

    @property
    def field(self) -> str:
        return "expected_version" if self.expected is not None else self.kind


class PermissionDenied(DomainError):
    """The actor may not do this (for example another service's idea)."""

    def __init__(self, actor: str, reason: str) -> None:
        self.actor = actor
        self.reason = reason
        super().__init__(f"permission: {actor} {reason}")

    @property
    def field(self) -> str:
        return "actor"


class AlreadyExists(DomainError):
    """A name or email that must be unique is taken."""

    def __init__(self, kind: str, field: str, value: object) -> None:
        self.kind = kind
        self.field = field
        self.value = value
        super().__init__(f"{field}: a {kind} with {field} {value!r} already exists")


class Located(Protocol):
    """A privacy finding as an error sees it: where and what kind, never the text itself."""

    def position(self) -> str: ...


class PrivacyBlocked(DomainError):
    """A text that would leave Raati holds an identity code, phone number or email address."""

    def __init__(self, field: str, findings: Sequence[Located]) -> None:
        self.field = field
        self.findings = tuple(findings)
        where = "; ".join(f.position() for f in self.findings)
        super().__init__(f"{field}: remove personal identifiers before it is sent ({where})")


class HealthDetailsNeedAcknowledgement(DomainError):
    """A text that would leave Raati names health details; a coordinator must acknowledge them first."""

    def __init__(self, field: str, findings: Sequence[Located]) -> None:
        self.field = field
        self.findings = tuple(findings)
        where = "; ".join(f.position() for f in self.findings)
        super().__init__(
            f"{field}: contains health details ({where}); members discuss health only at a general level, so "
            "remove them or have a coordinator acknowledge them (--acknowledge-health)"
        )
