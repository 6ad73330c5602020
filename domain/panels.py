"""Panels and the people and services around them: panel, service, member, staff user.

Each ``create``/``add`` function validates its input and returns the new object with
its creation event; ids are given by the repository when the object is stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from domain.actors import Actor
from domain.entities import Entity
from domain.errors import InvalidValue
from domain.events import Aggregate, Event, EventType
from domain.translations import NONE, TextRule, Translations, cleared, translations
from domain.values import MAX_NAME, Language, Role, aware, email, language, single_line

PREBRIEF_FLOOR_DAYS = 3  # the model's hard rule: advance information no later than 3 days before


class Delivery(StrEnum):
    """How a member wants idea updates: as they happen, or in a weekly digest."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"


# What of a panel members read in their own language: its name.
PANEL_TEXTS = MappingProxyType({"name": TextRule(MAX_NAME, one_line=True)})
# A phone number as people write it: an optional +, then digits with spaces, hyphens or brackets between.
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]*[0-9]$")
MAX_PHONE = 40


@dataclass(frozen=True)
class Contact:
    """The person members may ask about the panel: every member mail and page names them."""

    name: str
    email: str
    phone: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {"name": self.name, "email": self.email, "phone": self.phone}


def phone(value: str, *, field: str = "phone") -> str:
    """A phone number, trimmed: digits (6 to 15) with an optional leading + and spaces, hyphens or brackets."""
    text = value.strip()
    digits = sum(c.isdigit() for c in text)
    if len(text) > MAX_PHONE or not _PHONE.match(text) or not 6 <= digits <= 15:
        raise InvalidValue(field, f"{text!r} is not a phone number (digits, with an optional + and spaces or hyphens)")
    return text


def contact(
    name: str | None, address: str | None, number: str | None = None, *, field: str = "contact"
) -> Contact | None:
    """A panel's contact from its parts: a name and an email (a phone is optional); None when nothing is given."""
    if not any((v or "").strip() for v in (name, address, number)):
        return None
    if not (name or "").strip():
        raise InvalidValue(f"{field}.name", "a contact needs a name")
    if not (address or "").strip():
        raise InvalidValue(f"{field}.email", "a contact needs an email address")
    return Contact(
        name=single_line(name, field=f"{field}.name"),
        email=email(address or "", field=f"{field}.email"),
        phone=phone(number, field=f"{field}.phone") if number and number.strip() else None,
    )


@dataclass
class Panel(Entity):
    id: int | None
    name: str
    lead_days: int = 7
    summary_due_days: int = 7
    stale_days: int = 14
    progress_note_days: int = 45
    translations: Translations = NONE  # the name in Swedish and English (PANEL_TEXTS)
    contact: Contact | None = None
    # The panel's public page (/p/{public_slug}, issue 16): off until a coordinator turns it on
    # (domain/public_pages.py); the slug stays when it is turned off, so the address comes back with it.
    public_page: bool = False
    public_slug: str | None = None


@dataclass
class Service(Entity):
    id: int | None
    panel_id: int
    name: str


@dataclass
class Member(Entity):
    id: int | None
    panel_id: int
    name: str
    email: str
    language: Language = Language.FI
    delivery: Delivery = Delivery.IMMEDIATE
    active: bool = True
    unsubscribed: bool = False
    # Set with --greeting-name; None: the first word of the name (``greeting``).
    greeting_name: str | None = None

    @property
    def greeting(self) -> str:
        """The name mail greets the member by: the given name, unless a greeting name was set."""
        return self.greeting_name or given_name(self.name)

    @property
    def receives_mail(self) -> bool:
        """Member mail goes only to active members who have not unsubscribed."""
        return self.active and not self.unsubscribed


@dataclass
class StaffUser(Entity):
    """A coordinator of some panels, the owner of one service, or a manager."""

    id: int | None
    email: str
    role: Role
    panel_ids: set[int] = field(default_factory=set)
    service_id: int | None = None
    # The saved UI language (None: not chosen; the web then asks the browser) and the name mail greets them by.
    language: Language | None = None
    greeting_name: str | None = None
    # A deactivated user signs in no more: their sessions and API tokens ended when they were deactivated.
    active: bool = True

    def as_actor(self) -> Actor:
        return Actor(
            name=self.email,
            role=self.role,
            panel_ids=frozenset(self.panel_ids),
            service_id=self.service_id,
            language=self.language,
        )


def given_name(full_name: str) -> str:
    """The first word of a full name ("Aino Asukas" → "Aino"); the whole name when it has one word."""
    words = full_name.split()
    return words[0] if words else full_name


def greeting_name(value: str | None, *, field: str = "greeting_name") -> str | None:
    """A greeting name as given (one line, trimmed), or None when none was given."""
    if value is None or not value.strip():
        return None
    return single_line(value, field=field)


def created(aggregate: Aggregate, type_: EventType, *, actor: Actor, at: datetime, **data: Any) -> Event:
    """The first event of a new aggregate (seq 1); the id is filled in when stored."""
    return Event(
        aggregate=aggregate,
        aggregate_id=None,
        seq=1,
        type=type_,
        actor=actor.name,
        at=aware(at),
        data=MappingProxyType(data),
    )


# A panel's day settings and the range each may take (the pre-brief's floor is the model's 3-day line).
DAY_LIMITS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "lead_days": (PREBRIEF_FLOOR_DAYS, 60),
        "summary_due_days": (1, 60),
        "stale_days": (1, 365),
        "progress_note_days": (7, 365),
    }
)


def _days(value: int, *, field: str) -> int:
    minimum, maximum = DAY_LIMITS[field]
    if field == "lead_days" and value < minimum:
        raise InvalidValue(
            field, f"is {value}; the pre-brief must reach members at least {PREBRIEF_FLOOR_DAYS} days before a meeting"
        )
    if not minimum <= value <= maximum:
        raise InvalidValue(field, f"is {value}; it must be between {minimum} and {maximum} days")
    return value


def create_panel(
    name: str,
    *,
    lead_days: int = 7,
    summary_due_days: int = 7,
    actor: Actor,
    at: datetime,
    texts: Mapping[str, Any] | None = None,
    contact: Contact | None = None,
) -> tuple[Panel, Event]:
    panel = Panel(
        id=None,
        name=single_line(name, field="name"),
        lead_days=_days(lead_days, field="lead_days"),
        summary_due_days=_days(summary_due_days, field="summary_due_days"),
        translations=translations(texts, rules=PANEL_TEXTS),
        contact=contact,
    )
    return panel, created(Aggregate.PANEL, EventType.CREATED, actor=actor, at=at, name=panel.name)


def update_panel(
    panel: Panel,
    *,
    name: str | None = None,
    texts: Mapping[str, Any] | None = None,
    contact: Contact | None = None,
    days: Mapping[str, int] | None = None,
    actor: Actor,
    seq: int,
    at: datetime,
) -> Event | None:
    """Change a panel's name, its translations (given ones replace, empty ones remove), its contact or its day
    settings (``days``: any of ``DAY_LIMITS``' names; only the ones that differ count as changed).

    None when nothing changed. The log names the changed fields, not the contact's personal data.
    """
    actor.require_coordinator(panel.stored_id)
    changed: list[str] = []
    checked = {setting: _days(value, field=setting) for setting, value in (days or {}).items()}
    for setting, value in checked.items():
        if getattr(panel, setting) != value:
            setattr(panel, setting, value)
            changed.append(setting)
    if name is not None:
        panel.name = single_line(name, field="name")
        changed.append("name")
    if texts is not None:
        panel.translations = panel.translations.merged(translations(texts, rules=PANEL_TEXTS), cleared=cleared(texts))
        changed.append("translations")
    if contact is not None:
        panel.contact = contact
        changed.append("contact")
    return panel_updated(panel, changed, actor=actor, seq=seq, at=at)


def panel_updated(panel: Panel, changed: list[str], *, actor: Actor, seq: int, at: datetime) -> Event | None:
    """The log's record of a change to a panel's settings: the names of the fields that changed, never their
    values (a contact's personal data); None when nothing changed."""
    if not changed:
        return None
    return Event(
        aggregate=Aggregate.PANEL,
        aggregate_id=panel.stored_id,
        seq=seq,
        type=EventType.UPDATED,
        actor=actor.name,
        at=aware(at),
        data=MappingProxyType({"fields": changed}),
    )


def add_service(panel: Panel, name: str, *, actor: Actor, at: datetime) -> tuple[Service, Event]:
    actor.require_coordinator(panel.stored_id)
    service = Service(id=None, panel_id=panel.stored_id, name=single_line(name, field="name"))
    event = created(Aggregate.SERVICE, EventType.ADDED, actor=actor, at=at, panel_id=panel.stored_id, name=service.name)
    return service, event


def add_member(
    panel: Panel,
    *,
    name: str,
    address: str,
    lang: str | None,
    actor: Actor,
    at: datetime,
    greeting: str | None = None,
) -> tuple[Member, Event]:
    actor.require_coordinator(panel.stored_id)
    member = Member(
        id=None,
        panel_id=panel.stored_id,
        name=single_line(name, field="name"),
        email=email(address),
        language=language(lang),
        greeting_name=greeting_name(greeting),
    )
    # The log keeps no name or email: personal data lives only in the member row.
    event = created(
        Aggregate.MEMBER, EventType.ADDED, actor=actor, at=at, panel_id=panel.stored_id, language=member.language.value
    )
    return member, event


def new_staff_user(
    address: str,
    *,
    role: Role,
    actor: Actor,
    at: datetime,
    lang: str | None = None,
    greeting: str | None = None,
) -> tuple[StaffUser, Event]:
    if role is Role.OPERATOR:
        raise InvalidValue("role", "operator is the built-in command-line role and cannot be given")
    user = StaffUser(
        id=None,
        email=email(address),
        role=role,
        language=ui_language(lang),
        greeting_name=greeting_name(greeting),
    )
    return user, created(Aggregate.USER, EventType.ADDED, actor=actor, at=at, role=role.value)


def ui_language(value: str | None, *, field: str = "language") -> Language | None:
    """A staff user's saved UI language: fi, sv or en; None (empty) when not chosen."""
    if value is None or not value.strip():
        return None
    return language(value, field=field)
