"""The email itself: multipart/alternative with the headers a careful sender sets.

An email with attachments (the pre-brief's calendar invitation) is multipart/mixed around that.

Every header value is checked or cleaned here, whatever the caller passes: a subject loses its
control characters, and an address, Message-ID or link with a line break is refused, so no value
can start a header of its own (``\\r\\nBcc: ...``). The policy is ``email.policy.SMTP``: CRLF
line ends, and the standard library's own refusal of line breaks in header values as a backstop.

Text a person typed (the subject, a display name) is text, never header syntax. Raati writes it
itself and stores it verbatim: plain printable ASCII without ``=?`` as it is, anything else as
RFC 2047 encoded-words of the literal text. The standard library's header parser would decode an
encoded-word the person typed (``=?utf-8?q?Hi=0D=0ABcc:_x=40evil?=``) and write the decoded line
break into the message; encoded again, it reads back as typed.

The same notification gives the same bytes on every retry (the MIME boundary is derived from the
content). Headers Raati composes itself are stored verbatim: on a built message they read back
as plain strings; parse the bytes (``email.message_from_bytes``) for header objects.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.header import Header
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, getaddresses, parseaddr
from functools import lru_cache

from notifications.links import UnsubscribeLinks
from notifications.render import SUBJECT_MAX, Rendered, single_line

_HEADER_CLASSES: dict[str, type[BaseHeader]] = {}


class _CachingHeaderRegistry(HeaderRegistry):
    """The standard registry builds a new header class on every lookup; this one builds each once."""

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        if key not in _HEADER_CLASSES:
            _HEADER_CLASSES[key] = super().__getitem__(name)
        return _HEADER_CLASSES[key]


# SMTP line ends (CRLF); the standard library also refuses CR/LF inside header values.
POLICY = policy.SMTP.clone(header_factory=_CachingHeaderRegistry())
_ONE_LINE = 78  # policy.SMTP's max_line_length
_MESSAGE_ID = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\Z")
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")
_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
_URL_FORBIDDEN = re.compile(r"[\s<>\"\x00-\x1f\x7f]")
_MIME_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]+(; [a-z-]+=[A-Za-z0-9._-]+)*\Z")
_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_PRINTABLE_ASCII = re.compile(r"[ -~]*\Z")


@dataclass(frozen=True)
class Attachment:
    """A UTF-8 text file sent with the email, e.g. ``Attachment("text/calendar; method=PUBLISH", "meeting.ics", ics)``.

    Base64-encoded, so its bytes (CRLF line ends included) arrive exactly as given.
    """

    mime_type: str
    filename: str
    text: str


class _VerbatimHeader(str):
    """An ASCII header value written as it is, folded only between its parts.

    ``email.policy`` stores any value with ``name`` and ``fold`` as a ready header. Two reasons to
    use one: the default policy would fold the long URLs of List-Unsubscribe into RFC 2047
    encoded-words, which mail providers do not decode there; and values Raati composes itself
    (dates, ids, MIME types) need no parsing, which is most of the cost of building a message.
    """

    name: str
    parts: tuple[str, ...]
    separator = ","  # between two parts, before the folding line break

    def __new__(cls, name: str, *parts: str) -> _VerbatimHeader:
        value = f"{cls.separator} ".join(parts)
        if not value.isascii():
            raise ValueError(f"{name} must be ASCII, got {value!r}")
        _reject_controls(name, value)
        header = super().__new__(cls, value)
        header.name = name
        header.parts = parts
        return header

    def __reduce__(self) -> tuple[type[_VerbatimHeader], tuple[str, ...]]:
        # Its own class: a copied or pickled message folds each header exactly as the original does.
        return (type(self), (self.name, *self.parts))

    def fold(self, *, policy: Policy) -> str:
        linesep = policy.linesep
        return f"{self.name}: " + f"{self.separator}{linesep} ".join(self.parts) + linesep


class _FoldedText(_VerbatimHeader):
    """Text folded between its parts, lines of plain words or RFC 2047 encoded-words (``_text_header``).

    Between plain words the folding white space is the one space of the text; between two encoded-words
    readers ignore it. Either way folding adds nothing. (The standard folder breaks before a space next
    to plain text, and moves a value of 70-odd characters to a line of its own: readers then show two
    spaces, or a leading one.)
    """

    separator = ""


def _is_plain(text: str) -> bool:
    """Text a reader shows as it is in a header: printable ASCII that cannot open an encoded-word."""
    return "=?" not in text and _PRINTABLE_ASCII.match(text) is not None


def _text_header(name: str, text: str, *, then: str = "") -> _FoldedText:
    """``text`` (one line with single spaces, as typed) so that a reader shows exactly ``text``: plain text as it is,
    anything else as UTF-8 encoded-words (an encoded-word the person typed is encoded again and reads back as typed).
    ``then`` (an ``<address>``) follows the last word."""
    if _is_plain(text):
        parts = _wrap(text.split(" "), first=_ONE_LINE - len(name) - 2)
    else:
        parts = Header(text, "utf-8", maxlinelen=76, header_name=name).encode(linesep="\n").split("\n ")
    if then:
        used = len(parts[-1]) + (len(name) + 2 if len(parts) == 1 else 1)
        if used + 1 + len(then) <= _ONE_LINE:
            parts[-1] = f"{parts[-1]} {then}"
        else:
            parts.append(then)
    return _FoldedText(name, *parts)


def _wrap(words: list[str], *, first: int) -> list[str]:
    """Words joined into lines of at most ``first`` characters, then ``_ONE_LINE - 1`` (a longer word gets its own)."""
    lines = [words[0]]
    for word in words[1:]:
        room = (first if len(lines) == 1 else _ONE_LINE - 1) - len(lines[-1])
        if len(word) + 1 <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


@lru_cache(maxsize=1024)
def _subject(value: str) -> _FoldedText:
    """The Subject header; cached, as every member hears of the same change under the same subject.

    Composed here and stored verbatim: the policy's parser would decode an encoded-word the person typed."""
    return _text_header("Subject", single_line(value, limit=SUBJECT_MAX))


@lru_cache(maxsize=64)
def _constant(name: str, *parts: str) -> _VerbatimHeader:
    """A header whose value is the same on many messages (MIME-Version, a part's Content-Type): built once."""
    return _VerbatimHeader(name, *parts)


def _set_constant(message: EmailMessage, name: str, *parts: str) -> None:
    message.set_raw(name, _constant(name, *parts))


def _set(message: EmailMessage, name: str, *parts: str) -> None:
    # set_raw stores the header as it is: what ``message[name] = ...`` would store for a ready header, without
    # the policy's look-ups and its scan for a duplicate (every header here is set once on a new message).
    message.set_raw(name, _VerbatimHeader(name, *parts))


def message_id_for(outbox_id: str, mail_domain: str) -> str:
    """The Message-ID (without angle brackets) of an outbox row: the same on every retry."""
    local = re.sub(r"[^A-Za-z0-9._-]", "-", outbox_id.strip())
    domain = mail_domain.strip().lower()
    if not local or not re.fullmatch(r"[a-z0-9.-]+", domain):
        raise ValueError(f"cannot make a Message-ID from {outbox_id!r} and {mail_domain!r}")
    return f"{local}@{domain}"


def _reject_controls(name: str, value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError(f"{name} contains a control character or line break: {value!r}")
    return value


# A bare address of dot-atoms, which the header registry would also write exactly as it is.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_BARE_ADDRESS = re.compile(rf"{_ATEXT}(\.{_ATEXT})*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\Z")
_FOLD_POLICIES = (POLICY, policy.SMTP, policy.SMTPUTF8, policy.default)


def _to_header(address: Address, name: str = "To") -> str:
    """The To (or Reply-To) header. A bare ASCII address that fits on one line is stored verbatim: the header
    registry would parse it only to write the very same line again."""
    value = str(address)
    if not address.display_name and len(value) <= _ONE_LINE - len(f"{name}: ") and _BARE_ADDRESS.match(value):
        return _VerbatimHeader(name, value)
    if address.display_name and not _is_plain(address.display_name):
        return _named_address(name, address)
    header: str = POLICY.header_factory(name, address)
    return header


def _named_address(name: str, address: Address) -> _FoldedText:
    """An address whose display name is not plain text: the name as encoded-words of the literal name. The header
    registry would parse the name and decode any encoded-word in it, line breaks and all."""
    if not address.addr_spec.isascii():
        raise ValueError(f"{name} must be an ASCII address, got {address.addr_spec!r}")
    return _text_header(name, address.display_name, then=f"<{address.addr_spec}>")


@lru_cache(maxsize=256)
def _sender_header(value: str, name: str | None = None) -> str:
    """The From header, built once per sender and name (the same on every message of a panel): verbatim
    when every policy a message is written with folds it to the very same line, otherwise the registry's
    header. ``name``, when given, is the display name in place of the configured sender's (a panel's name
    on member mail); the address stays the configured one."""
    address = _one_address("sender", value)
    if name and single_line(name):
        address = Address(display_name=single_line(name), addr_spec=address.addr_spec)
    if address.display_name and not _is_plain(address.display_name):
        return _named_address("From", address)
    header: BaseHeader = POLICY.header_factory("From", address)
    text = str(header)
    if text.isascii() and all(header.fold(policy=p) == f"From: {text}{p.linesep}" for p in _FOLD_POLICIES):
        return _VerbatimHeader("From", text)
    return header


def _one_address(name: str, value: str) -> Address:
    """Exactly one mailbox, display name allowed; anything that parses as more or less is refused."""
    _reject_controls(name, value)
    if _BARE_ADDRESS.match(value):  # a bare address (most recipients): both parsers give back just this
        local, _, domain = value.partition("@")
        return Address(username=local, domain=domain)
    parsed = getaddresses([value])
    if len(parsed) != 1 or parsed[0][1].count("@") != 1:
        raise ValueError(f"{name} must be exactly one email address, got {value!r}")
    display, address = parseaddr(value)
    local, _, domain = address.partition("@")
    if not local or not domain:
        raise ValueError(f"{name} must be exactly one email address, got {value!r}")
    return Address(display_name=single_line(display), username=local, domain=domain)


def _link(name: str, value: str, schemes: tuple[str, ...]) -> str:
    if not value.lower().startswith(schemes) or _URL_FORBIDDEN.search(value):
        raise ValueError(f"{name} must be a {' or '.join(schemes)} URL without spaces or brackets, got {value!r}")
    return value


def build_message(
    rendered: Rendered,
    *,
    message_id: str,
    sender: str,
    to: str,
    date: datetime,
    language: str,
    unsubscribe: UnsubscribeLinks | None,
    attachments: Sequence[Attachment] = (),
    sender_name: str | None = None,
    reply_to: str | None = None,
) -> EmailMessage:
    """The multipart/alternative email (plain text, then HTML); member mail carries RFC 8058 unsubscribe.

    ``sender_name`` replaces the display name of ``sender`` in From (the envelope sender is the transport's);
    ``reply_to`` is where a reader's reply goes (a panel's contact person).

    With attachments, the email is multipart/mixed: the multipart/alternative body, then each attachment.
    """
    if not _MESSAGE_ID.match(message_id):
        raise ValueError(f"message_id must look like local@domain without brackets, got {message_id!r}")
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("date must be timezone-aware")
    if not _LANGUAGE.match(language):
        raise ValueError(f"language must be a language tag like 'fi' or 'sv-FI', got {language!r}")
    message = EmailMessage(policy=POLICY)
    message.set_raw("From", _sender_header(sender, sender_name))
    message.set_raw("To", _to_header(_one_address("to", to)))
    if reply_to:
        message.set_raw("Reply-To", _to_header(_one_address("reply_to", reply_to), "Reply-To"))
    message.set_raw("Subject", _subject(rendered.subject))
    _set(message, "Date", format_datetime(date))
    _set(message, "Message-ID", f"<{message_id}>")
    _set_constant(message, "Auto-Submitted", "auto-generated")
    if unsubscribe is not None:
        https = _link("unsubscribe link", unsubscribe.https, ("https://", "http://"))
        mailto = _link("unsubscribe mailto", unsubscribe.mailto, ("mailto:",))
        _set(message, "List-Unsubscribe", f"<{https}>", f"<{mailto}>")
        _set_constant(message, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    _set_constant(message, "Content-Language", language)
    _set_constant(message, "MIME-Version", "1.0")
    # The same row gives the same bytes on every retry: the boundary comes from the content.
    body = message if not attachments else EmailMessage(policy=POLICY)
    boundary = _boundary(message_id, rendered)
    _set(body, "Content-Type", f'multipart/alternative; boundary="{boundary}"')
    body.set_payload([_text_part(rendered.text, "plain"), _text_part(rendered.html, "html")])
    if attachments:
        files = [_attachment_part(attachment) for attachment in attachments]
        _set(message, "Content-Type", f'multipart/mixed; boundary="{_mixed_boundary(boundary, attachments)}"')
        message.set_payload([body, *files])
    return message


def _text_part(body: str, subtype: str) -> EmailMessage:
    """A UTF-8 quoted-printable part, encoded by binascii: set_content() costs several times more."""
    part = EmailMessage(policy=POLICY)
    _set_constant(part, "Content-Type", f'text/{subtype}; charset="utf-8"')
    _set_constant(part, "Content-Transfer-Encoding", "quoted-printable")
    normalised = body.replace("\r\n", "\n").replace("\r", "\n")
    part.set_payload(binascii.b2a_qp(normalised.encode("utf-8"), istext=True).decode("ascii"))
    return part


def _attachment_part(attachment: Attachment) -> EmailMessage:
    if not _MIME_TYPE.match(attachment.mime_type) or not _FILENAME.match(attachment.filename):
        raise ValueError(f"attachment needs a plain MIME type and file name, got {attachment!r:.200}")
    part = EmailMessage(policy=POLICY)
    _set(part, "Content-Type", f'{attachment.mime_type}; charset=utf-8; name="{attachment.filename}"')
    _set(part, "Content-Disposition", f'attachment; filename="{attachment.filename}"')
    _set(part, "Content-Transfer-Encoding", "base64")
    part.set_payload(base64.encodebytes(attachment.text.encode("utf-8")).decode("ascii"))
    return part


def _mixed_boundary(alternative: str, attachments: Sequence[Attachment]) -> str:
    parts = [alternative, *(f"{a.mime_type}\0{a.filename}\0{a.text}" for a in attachments)]
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
    return f"=_raati_mixed_{digest[:40]}"


def _boundary(message_id: str, rendered: Rendered) -> str:
    digest = hashlib.sha256("\0".join((message_id, rendered.text, rendered.html)).encode("utf-8")).hexdigest()
    return f"=_raati_{digest[:40]}"


_WIRE_POLICY = policy.SMTP  # what aiosmtplib's send_message flattens with; our bodies are ASCII (QP, base64)
_LINE_ENDS = re.compile(r"\r\n|\r|\n")


def wire_bytes(message: EmailMessage) -> bytes:
    """The message as it goes over SMTP: the same bytes as ``email.generator.BytesGenerator`` with
    ``policy.SMTP``, for the messages ``build_message`` makes, at a fraction of its cost (the generator
    writes every body line through several calls; a dispatcher pays that for every email)."""
    out: list[bytes] = []
    _write_part(message, out)
    return b"".join(out)


def _write_part(part: EmailMessage, out: list[bytes]) -> None:
    for name, value in part.raw_items():
        if isinstance(value, _VerbatimHeader):  # folded once per header value (constant ones are shared)
            wire = value.__dict__.get("_wire")
            if wire is None:
                wire = value.__dict__["_wire"] = _WIRE_POLICY.fold_binary(name, value)
            out.append(wire)
        else:
            out.append(_WIRE_POLICY.fold_binary(name, value))
    out.append(b"\r\n")
    payload = part.get_payload()
    if isinstance(payload, list):
        boundary = part.get_boundary()
        if boundary is None or part.preamble is not None or part.epilogue is not None:
            raise ValueError("wire_bytes writes only the multiparts build_message makes")
        for index, sub in enumerate(payload):
            out.append(f"--{boundary}\r\n".encode("ascii") if index == 0 else f"\r\n--{boundary}\r\n".encode("ascii"))
            _write_part(sub, out)
        out.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
    elif isinstance(payload, str):
        lines = _LINE_ENDS.split(payload)
        out.append("\r\n".join(lines).encode("ascii"))
    else:
        raise ValueError("wire_bytes writes only the parts build_message makes")
