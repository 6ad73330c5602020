"""The privacy guard's detectors: find identity codes, phone numbers, email addresses and health details in text.

Pure and deterministic. Identifiers block a text from leaving Raati; health details need a coordinator's
acknowledgement (see ``domain.privacy_guard``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain import privacy_lexicon as lex


class Kind(StrEnum):
    IDENTITY_CODE = "identity_code"
    PHONE = "phone"
    EMAIL = "email"
    HEALTH = "health"


class Severity(StrEnum):
    BLOCK = "block"  # must be removed before the text leaves the system
    ACKNOWLEDGE = "acknowledge"  # a coordinator must confirm it may go out


SEVERITY = {Kind.IDENTITY_CODE: Severity.BLOCK, Kind.PHONE: Severity.BLOCK, Kind.EMAIL: Severity.BLOCK,
            Kind.HEALTH: Severity.ACKNOWLEDGE}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int
    text: str
    severity: Severity

    def position(self) -> str:
        """Where, without what: safe to show in errors and logs."""
        return f"{self.kind.value} at {self.start}-{self.end}"

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind.value, "start": self.start, "end": self.end, "text": self.text,
                "severity": self.severity.value}  # fmt: skip


def check_text(text: str) -> list[Finding]:
    """Every finding in ``text``, ordered by position; identifiers win over overlapping phone-like digits."""
    found = _identity_codes(text) + _emails(text)
    found += [f for f in _phones(text) if not _overlaps(f, found)]
    found += _health(text)
    return sorted(found, key=lambda f: (f.start, f.end, f.kind.value))


def _finding(kind: Kind, text: str, start: int, end: int) -> Finding:
    return Finding(kind, start, end, text[start:end], SEVERITY[kind])


def _overlaps(finding: Finding, others: list[Finding]) -> bool:
    return any(finding.start < o.end and o.start < finding.end for o in others)


# --- identity codes (henkilötunnus DDMMYYCZZZQ) -------------------------------------------------------------

CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
             "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}  # fmt: skip
CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_IDENTITY = re.compile(r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Z])(?![0-9A-Za-z])", re.I)


def check_char(birth: str, individual: str) -> str:
    """The check character of an identity code from its six date digits and three individual digits."""
    return CHECK_CHARS[int(birth + individual) % 31]


def is_identity_code(value: str) -> bool:
    match = _IDENTITY.fullmatch(value.strip())
    return match is not None and _valid_identity(match)


def _valid_identity(match: re.Match[str]) -> bool:
    day, month, year, sign, individual, check = match.groups()
    try:
        date(CENTURIES[sign.upper()] + int(year), int(month), int(day))
    except ValueError:
        return False
    return check_char(day + month + year, individual) == check.upper()


def _identity_codes(text: str) -> list[Finding]:
    return [_finding(Kind.IDENTITY_CODE, text, m.start(), m.end()) for m in _IDENTITY.finditer(text) if
            _valid_identity(m)]  # fmt: skip


# --- email addresses, also the "name(at)example.fi" way of writing them ----------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w%+-]+(?:\.[\w%+-]+)*(?:@|\s?[(\[]at[)\]]\s?)(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])"
)


def _emails(text: str) -> list[Finding]:
    return [_finding(Kind.EMAIL, text, m.start(), m.end()) for m in _EMAIL.finditer(text)]


# --- phone numbers ------------------------------------------------------------------------------------------

_SEP = r"[ \u00a0-]?"
_PHONE = re.compile(
    r"(?<![\w+#/.,€$-])(?:"
    rf"(?P<intl>(?:\+|00)\d{{1,3}}(?:[ \u00a0]?\(0\))?(?:{_SEP}\(?\d{{1,4}}\)?){{2,6}})"
    rf"|(?P<dom>(?:\(0\d{{1,3}}\)|0\d{{1,4}})(?:{_SEP}\d{{2,8}}){{1,4}})"
    r")(?![\w]|[.,:/-]\d)"
)
_DATE_LIKE = re.compile(r"\d{1,2}-\d{1,2}(?:-\d{2,4})?")
_AMOUNT_AFTER = re.compile(r"\s?(?:€|e\b|eur|euro|%|kpl|kr\b|km\b|henk|hlö|m2|m²|vuo|year|år)", re.I)


def _phones(text: str) -> list[Finding]:
    found, pos = [], 0
    while (m := _PHONE.search(text, pos)) is not None:
        end = _phone_end(text, m)
        if end is None:
            pos = m.end()
            continue
        found.append(_finding(Kind.PHONE, text, m.start(), end))
        pos = end
    return found


def _phone_end(text: str, m: re.Match[str]) -> int | None:
    """Where the number found at ``m`` ends: all of it, or fewer digit groups when it ran into the next number."""
    start, whole, intl = m.start(), m.group(), m.group("intl") is not None
    ends = [i + 1 for i, ch in enumerate(whole) if ch.isdigit() and (i + 1 == len(whole) or not whole[i + 1].isdigit())]
    for cut in reversed(ends):
        candidate = whole[:cut]
        if candidate.count("(") != candidate.count(")"):  # a cut inside "(09)" or "(0)"
            continue
        if _is_phone(candidate, intl=intl) and not _AMOUNT_AFTER.match(text, start + len(candidate)):
            return start + len(candidate)
    return None


def _is_phone(candidate: str, *, intl: bool) -> bool:
    digits = re.sub(r"\D", "", candidate.replace("(0)", ""))
    if intl:
        national = digits[2:] if candidate.startswith("00") else digits
        return 8 <= len(national) <= 15
    return 7 <= len(digits) <= 11 and digits[1] != "0" and not _DATE_LIKE.fullmatch(candidate)


# --- health details -----------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[-':]\w+)*")
_PHRASES = re.compile(r"(?<!\w)(?:" + "|".join(lex.PHRASES) + r")(?!\w)", re.I)
_WORDS = frozenset(w + e for w in lex.WORDS for e in lex.ENDINGS)
_STEMS = tuple(sorted(lex.FI_STEMS, key=len, reverse=True))


def _health(text: str) -> list[Finding]:
    spans = [(m.start(), m.end()) for m in _PHRASES.finditer(text)]
    spans += [(m.start(), m.end()) for m in _WORD.finditer(text) if is_health_word(m.group())]
    return [_finding(Kind.HEALTH, text, start, end) for start, end in _merge(spans, text)]


def is_health_word(word: str) -> bool:
    """Does one word (any case, inflected, compounded) name a diagnosis, medication or procedure?"""
    w = word.casefold()
    if w in _WORDS:
        return True
    head, colon, _ = w.partition(":")
    if head in lex.ABBREVIATIONS and (colon or w == head or w.startswith(head + "-")):
        return True
    for stem in _STEMS:
        if w.startswith(stem) and not _service_part(w[len(stem) :]):
            return True
    for tail in lex.TAILS:
        at = w.find(tail, 1)
        if at > 0 and not w[:at].endswith(lex.NOT_MEDICAL) and not _service_part(w[at + len(tail) :]):
            return True
    for tail in lex.GENERIC_TAILS:
        at = w.find(tail, 1)
        if at > 0 and w[:at].endswith(lex.GENERIC_TAIL_PREFIXES) and not _service_part(w[at + len(tail) :]):
            return True
    return False


def _service_part(rest: str) -> bool:
    return any(part in rest for part in lex.SERVICE_PARTS)


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and health words with only spaces between them, are one term."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
