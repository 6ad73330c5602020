"""Small value types and validators shared by the domain: languages, roles, emails, texts."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidValue

MAX_NAME = 200
MAX_TITLE = 200
MAX_TEXT = 4000


class Language(StrEnum):
    """Languages Raati writes to members in; Finnish is the default."""

    FI = "fi"
    SV = "sv"
    EN = "en"


class Role(StrEnum):
    """Staff roles. The operator role is the local command line acting without ``--as``."""

    COORDINATOR = "coordinator"
    SERVICE_OWNER = "service_owner"
    MANAGER = "manager"
    OPERATOR = "operator"


# Deliberately stricter than RFC 5322: what a municipal mail relay accepts in practice.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def email(value: str, *, field: str = "email") -> str:
    """Return the address normalised (trimmed, domain lower-cased) or raise InvalidValue."""
    text = value.strip()
    if not text:
        raise InvalidValue(field, "is empty")
    if len(text) > 254:
        raise InvalidValue(field, "is longer than 254 characters")
    if not _EMAIL.match(text):
        raise InvalidValue(field, f"{text!r} is not a valid email address")
    if "=?" in text:  # an RFC 2047 encoded word: mail readers would decode it inside the To header
        raise InvalidValue(field, f"{text!r} is not a valid email address (it must not contain '=?')")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def bounded_text(value: str | None, *, field: str, maximum: int = MAX_TEXT, required: bool = True) -> str:
    """Trim a user text and check it is present (if required) and not too long."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidValue(field, "is required and may not be empty")
    if len(text) > maximum:
        raise InvalidValue(field, f"is {len(text)} characters; at most {maximum} are allowed")
    if "\x00" in text:
        raise InvalidValue(field, "contains a NUL character")
    return text


def single_line(value: str | None, *, field: str, maximum: int = MAX_NAME) -> str:
    """A required one-line text such as a name or a title: no line breaks allowed."""
    text = bounded_text(value, field=field, maximum=maximum)
    if "\r" in text or "\n" in text:
        raise InvalidValue(field, "must be a single line (no line breaks)")
    return text


def language(value: str | None, *, field: str = "language") -> Language:
    """Parse a language code; empty means the default, Finnish."""
    code = (value or "").strip().lower()
    if not code:
        return Language.FI
    try:
        return Language(code)
    except ValueError:
        allowed = ", ".join(lang.value for lang in Language)
        raise InvalidValue(field, f"{value!r} is not one of {allowed}") from None


def aware(moment: datetime, *, field: str = "at") -> datetime:
    """Refuse naive datetimes: every time in Raati carries its offset."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValue(field, "must include a time zone offset")
    return moment
