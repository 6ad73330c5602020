"""Reading the development mail sink's folder: what arrived, and one message in full.

Messages are numbered from 1 in arrival order (the order of the sink's file names), so
``raati mail list`` and ``raati mail show N`` agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path
from typing import cast

__all__ = ["MailNotFound", "OpenedMail", "StoredMail", "list_messages", "read_message", "sequence_number"]


# The sink's file names: the arrival number, then the subject (cli/devtools/mailsink.py writes them).
_NAME = re.compile(r"^(\d+)-.*\.eml$")


def sequence_number(path: Path) -> int | None:
    """The arrival number in a sink file's name, or None for a file the sink did not write."""
    match = _NAME.match(path.name)
    return int(match.group(1)) if match else None


class MailNotFound(LookupError):
    """There is no message number ``number`` in ``directory`` (which holds ``count``)."""

    def __init__(self, directory: Path, number: int, count: int) -> None:
        self.directory = directory
        self.number = number
        self.count = count
        where = f"{count} message(s), numbered 1–{count}" if count else "no messages"
        super().__init__(f"No message {number} in {directory}: it holds {where}.")


@dataclass(frozen=True)
class StoredMail:
    number: int
    path: Path
    sender: str
    to: str
    subject: str
    date: datetime | None
    message_id: str
    language: str
    size: int


@dataclass(frozen=True)
class OpenedMail:
    mail: StoredMail
    message: EmailMessage
    text: str | None
    html: str | None
    headers: tuple[tuple[str, str], ...]


def _files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    files = [p for p in directory.glob("*.eml") if p.is_file()]
    return sorted(files, key=lambda p: (sequence_number(p) is None, sequence_number(p) or 0, p.name))


# Headers holding addresses: the standard library's address parser puts a space between two adjacent
# encoded-words of a display name ("kundrå d"); a reader that follows RFC 2047, as mail clients do, joins them.
_ADDRESS_HEADERS = frozenset({"from", "to", "cc", "reply-to", "sender"})


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return "" if value is None else _readable(message, name, str(value))


def _readable(message: EmailMessage, name: str, parsed: str) -> str:
    """A header as a mail client shows it (address headers decoded by RFC 2047 from their raw text)."""
    if name.lower() not in _ADDRESS_HEADERS:
        return parsed
    raw = next((str(value) for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return parsed
    return str(make_header(decode_header(" ".join(line.strip() for line in raw.splitlines()))))


def _date(message: EmailMessage) -> datetime | None:
    value = message.get("Date")
    return getattr(value, "datetime", None) if value is not None else None


def _summary(number: int, path: Path, message: EmailMessage) -> StoredMail:
    return StoredMail(
        number=number,
        path=path,
        sender=_header(message, "From"),
        to=_header(message, "To"),
        subject=_header(message, "Subject"),
        date=_date(message),
        message_id=_header(message, "Message-ID"),
        language=_header(message, "Content-Language"),
        size=path.stat().st_size,
    )


def list_messages(directory: Path) -> list[StoredMail]:
    """Every message in the folder, oldest first; an empty or missing folder gives []."""
    parser = BytesHeaderParser(policy=policy.default)
    mails = []
    for number, path in enumerate(_files(Path(directory)), start=1):
        with path.open("rb") as file:
            headers = parser.parse(file)
        mails.append(_summary(number, path, headers))
    return mails


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_type() != f"text/{subtype}":
        return None
    return cast(str, part.get_content())


def read_message(directory: Path, number: int) -> OpenedMail:
    """Message ``number`` (as in ``list_messages``) with its text and HTML parts and all its headers."""
    files = _files(Path(directory))
    if not 1 <= number <= len(files):
        raise MailNotFound(Path(directory), number, len(files))
    path = files[number - 1]
    with path.open("rb") as file:
        message = BytesParser(policy=policy.default).parse(file)
    return OpenedMail(
        mail=_summary(number, path, message),
        message=message,
        text=_body(message, "plain"),
        html=_body(message, "html"),
        headers=tuple((name, _readable(message, name, str(value))) for name, value in message.items()),
    )
