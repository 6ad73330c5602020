"""Commands: what a caller asks a use case to do, as plain immutable data.

``translations`` is always ``{"sv": {field: text}, "en": {…}}`` with the command's own field names (a list field
such as ``task`` or ``next_steps`` gives a list, by position); the domain checks it (``domain.translations``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.values import Role

# The Swedish and English versions of a command's texts, as the caller gave them.
Texts = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True, kw_only=True)
class ActorCommand:
    """A command someone gives: ``actor`` is their email; None is the local operator, who has every right."""

    actor: str | None = None


@dataclass(frozen=True, kw_only=True)
class MailedTextCommand(ActorCommand):
    """A command whose texts go out by email: health details in them go out only when a coordinator says so
    (``acknowledge_health``, recorded)."""

    acknowledge_health: bool = False


@dataclass(frozen=True)
class CreatePanel(ActorCommand):
    name: str
    lead_days: int = 7
    summary_due_days: int = 7
    translations: Texts | None = None  # name
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


@dataclass(frozen=True)
class UpdatePanel(ActorCommand):
    """Change a panel's name, translations, contact or day settings; None leaves a field as it is."""

    panel: str
    name: str | None = None
    translations: Texts | None = None  # name; an empty text removes a translation
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None  # "" removes the phone
    lead_days: int | None = None
    summary_due_days: int | None = None
    stale_days: int | None = None
    progress_note_days: int | None = None

    def days(self) -> dict[str, int]:
        """The day settings given (the names of ``domain.panels.DAY_LIMITS``)."""
        given = {
            "lead_days": self.lead_days,
            "summary_due_days": self.summary_due_days,
            "stale_days": self.stale_days,
            "progress_note_days": self.progress_note_days,
        }
        return {name: value for name, value in given.items() if value is not None}


@dataclass(frozen=True)
class AddService(ActorCommand):
    name: str
    panel: str
    owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class AddMember(ActorCommand):
    panel: str
    name: str
    email: str
    language: str | None = None
    greeting_name: str | None = None  # None: the first word of the name


@dataclass(frozen=True)
class MemberRow:
    """One row of an imported member list, with the line it came from."""

    line: int
    name: str
    email: str
    language: str | None = None
    greeting_name: str | None = None


@dataclass(frozen=True)
class ImportMembers(ActorCommand):
    panel: str
    rows: tuple[MemberRow, ...]
    skip_invalid: bool = False


@dataclass(frozen=True)
class AddUser(ActorCommand):
    email: str
    role: Role
    panel: str | None = None
    service: str | None = None
    language: str | None = None  # the saved UI language (fi/sv/en); None: not chosen
    greeting_name: str | None = None
    welcome: bool = False  # mail them what they do in Raati and how to sign in (``staff_welcome``)


@dataclass(frozen=True)
class UpdateUser(ActorCommand):
    """Change a staff user's saved UI language or greeting name ("" forgets either); None leaves it."""

    email: str
    language: str | None = None
    greeting_name: str | None = None


@dataclass(frozen=True)
class ScheduleMeeting(ActorCommand):
    panel: str
    starts_at: datetime
    service: str
    tasks: tuple[str, ...]
    task_kind: str = "question"
    category: str = "other"
    place: str = ""
    # Less than three days ahead is refused unless a reason is given; it is recorded.
    late_reason: str | None = None
    title: str | None = None
    online_url: str | None = None
    agenda: tuple[str, ...] = ()
    translations: Texts | None = None  # title, place, task (a list by position), agenda (a list)


@dataclass(frozen=True)
class UpdateMeeting(ActorCommand):
    meeting_id: int
    title: str | None = None
    agenda: tuple[str, ...] | None = None
    place: str | None = None
    online_url: str | None = None
    materials: tuple[tuple[str, str], ...] | None = None
    ends_at: datetime | None = None
    translations: Texts | None = None  # title, place, agenda, material (titles by position), task


@dataclass(frozen=True)
class DraftSummary(ActorCommand):
    meeting_id: int
    text: str
    next_steps: tuple[str, ...] = ()
    translations: Texts | None = None  # text, next_steps (a list by position)


@dataclass(frozen=True)
class ApproveSummary(MailedTextCommand):
    meeting_id: int


@dataclass(frozen=True)
class RaiseIdea(MailedTextCommand):
    meeting_id: int
    title: str
    text: str | None = None
    service: str | None = None
    translations: Texts | None = None  # title, text


@dataclass(frozen=True)
class MoveIdea(MailedTextCommand):
    idea_id: int
    to: str
    note: str | None = None
    service: str | None = None
    expected_version: int | None = None
    # An API bearer token instead of ``actor``: resolved inside the move's own transaction.
    token: str | None = None
    translations: Texts | None = None  # note


@dataclass(frozen=True)
class NoteIdea(MailedTextCommand):
    idea_id: int
    text: str
    expected_version: int | None = None
    translations: Texts | None = None  # text


@dataclass(frozen=True)
class IdeaFilter:
    panel: str | None = None
    service: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class RescheduleMeeting(ActorCommand):
    meeting_id: int
    starts_at: datetime
    ends_at: datetime | None = None  # None keeps the meeting's length
    # A new time less than three days ahead is refused unless a reason is given; it is recorded.
    late_reason: str | None = None


@dataclass(frozen=True)
class CancelMeeting(ActorCommand):
    meeting_id: int
    reason: str  # members read it in the cancellation mail
