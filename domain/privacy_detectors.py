"""The privacy guard's detectors: find identity codes, phone numbers, email addresses and health details in text.

Pure and deterministic. Identifiers block a text from leaving Raati; health details need a coordinator's
acknowledgement (see ``domain.privacy_guard``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain import privacy_lexicon as lex
from domain.privacy_disclosure import frames, joined_names, names_a_person, speaks_of_medicine
from domain.privacy_general import is_general
from domain.privacy_measures import (
    Detail,
    detail_of,
    is_medicine_name,
    measurements,
    medicines,
    named_medicines,
    procedures,
)
from domain.privacy_shapes import medical_looking
from domain.privacy_spelling import trie_pattern


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
    detail: Detail | None = None  # for health: a diagnosis, medicine, procedure, device or measurement

    def position(self) -> str:
        """Where, without what: safe to show in errors and logs."""
        return f"{self.kind.value} at {self.start}-{self.end}"

    def to_dict(self) -> dict[str, object]:
        found: dict[str, object] = {"kind": self.kind.value, "start": self.start, "end": self.end,
                                    "text": self.text, "severity": self.severity.value}  # fmt: skip
        if self.detail is not None:
            found["detail"] = self.detail.value
        return found


def check_text(text: str) -> list[Finding]:
    """Every finding in ``text``, ordered by position; identifiers win over overlapping phone-like digits."""
    found = _identity_codes(text) + _emails(text)
    found += [f for f in _phones(text) if not _overlaps(f, found)]
    found += _health(text)
    return sorted(found, key=lambda f: (f.start, f.end, f.kind.value))


def _finding(kind: Kind, text: str, start: int, end: int, detail: Detail | None = None) -> Finding:
    return Finding(kind, start, end, text[start:end], SEVERITY[kind], detail)


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

_WORD = re.compile(r"\w+(?:[-'’:]\w+)*")  # also the typographic apostrophe: Crohn’s
_PHRASE_AT = re.compile(r"(?:" + "|".join(lex.PHRASES) + r")(?!\w)", re.I)
_PHRASE_STARTS = frozenset(phrase[:3] for phrase in lex.PHRASES)  # every phrase begins with three plain letters
_WORDS = frozenset(w + e for w in lex.WORDS for e in lex.ENDINGS)
_STEMS = tuple(sorted(lex.FI_STEMS, key=len, reverse=True))
# Quick tests that let most words skip the loops below (a check of a 4,000-character note stays within 5 ms).
_STEM_START = re.compile(trie_pattern(_STEMS))
_INNER_STEMS = tuple(stem for stem in _STEMS if len(stem) >= 6 and " " not in stem)
_INNER = re.compile(trie_pattern(_INNER_STEMS))
_TAIL_SOMEWHERE = re.compile(trie_pattern(lex.TAILS + lex.GENERIC_TAILS))


_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*[-*•])")
# When spans of different kinds merge into one finding, it is named by the most telling of them.
_DETAIL_ORDER = (Detail.MEDICINE, Detail.DEVICE, Detail.PROCEDURE, Detail.DIAGNOSIS, Detail.MEASUREMENT)


def _health(text: str) -> list[Finding]:
    """Lexicon terms, medicine names, procedures, devices and measurements, and what medical frames say about a
    named person; terms in general talk (a group of patients, a service named after a disease) do not count."""
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    spans: list[tuple[int, int, Detail]] = []
    named: list[tuple[int, int, Detail]] = []  # words of the lexicon that may be a name
    for at, (start, end, word) in enumerate(tokens):
        if is_health_word(word):
            (named if _name_like(text, tokens, at) else spans).append((start, end, detail_of(word)))
    spans += [(m.start(), m.end(), detail_of(m.group())) for m in _phrases(text, tokens)]
    listed = medicines(tokens)
    spans += [s for s in listed if not text[s[0]].isupper()]
    capitalised = [s for s in listed if text[s[0]].isupper()]  # Xarelto, but also Zoran, Allegra, Lantus
    spans += named_medicines(text, tokens) + measurements(text, tokens)
    spans += [s for s in procedures(tokens) if not _service_word(text[s[0] : s[1]])]
    kept: list[tuple[int, int, Detail]] = []
    spans.sort()
    at_span = at_token = 0
    for sentence_start, sentence_end in _sentences(text):
        sentence = text[sentence_start:sentence_end]
        first = at_token
        while at_token < len(tokens) and tokens[at_token][0] < sentence_end:
            at_token += 1
        words = tokens[first:at_token]
        first = at_span
        while at_span < len(spans) and spans[at_span][0] < sentence_end:
            at_span += 1
        inside = spans[first:at_span]
        person = names_a_person([word for _, _, word in words])
        # Capitalised listed medicines (Xarelto, but also Zoran, Allegra) and words of the lexicon beside another
        # capitalised word ("Kasper Lantus", "Anna Parkinson") may be a person's name. A listed name that is not
        # beside another counts when the sentence names a person or speaks of health ("Jag tar Eliquis", not
        # "Kiitos, Zoran!"); one beside another only when a medical frame takes it ("Äiti käyttää Lantus
        # Solostaria", while "Kasper Lantus käyttää insuliinia" is about insulin); a word of the lexicon when a
        # person is named or health is spoken of ("Äitini Parkinson", not "Anna Parkinson chaired the meeting").
        names = [s for s in named if sentence_start <= s[0] < sentence_end]
        brands = [s for s in capitalised if sentence_start <= s[0] < sentence_end]
        maybe: list[tuple[int, int, Detail]] = []
        if brands or names:
            about_health = bool(inside) or speaks_of_medicine(sentence)
            for s in brands:
                if _name_like(text, tokens, _token_at(tokens, s[0])):
                    maybe.append(s)
                else:
                    (inside if about_health or person else maybe).append(s)
            (inside if about_health or person else maybe).extend(names)
        if person:
            inside += medical_looking(sentence, sentence_start, words)
            # A frame's object already found by name or shape keeps that finder's kind of detail (CPAP: a device).
            framed = frames(sentence, sentence_start, health_nearby=bool(inside or maybe))
            inside += [f for f in framed if not any(f[0] < s[1] and s[0] < f[1] for s in inside)]
        if any(s[2] is Detail.MEDICINE for s in inside):
            medicines_here = [s for s in inside if s[2] is Detail.MEDICINE]
            inside += joined_names(text, medicines_here, start=sentence_start, end=sentence_end)
        kept += [s for s in inside if not is_general(text, s[0], s[1], sentence=sentence, person=person)]
    return [_finding(Kind.HEALTH, text, start, end, detail) for start, end, detail in _merge(kept, text)]


def _token_at(tokens: list[tuple[int, int, str]], position: int) -> int:
    """The index of the word that holds ``position``."""
    return bisect.bisect_right(tokens, position, key=lambda t: t[0]) - 1


def _capitalised(word: str) -> bool:
    return word[0].isupper() and not word.isupper()


def _name_like(text: str, tokens: list[tuple[int, int, str]], at: int) -> bool:
    """Is the capitalised word ``tokens[at]`` shaped like part of a person's name: beside another capitalised word
    with only a space between ("Kasper Lantus", "Anna Parkinson") or joined to one ("Zephyrine-Oksanen")?"""
    start, end, word = tokens[at]
    if not _capitalised(word):
        return False
    if any(part[:1].isupper() for part in word.split("-")[1:]):
        return True
    before = tokens[at - 1][2] if at > 0 and text[tokens[at - 1][1] : start] == " " else ""
    after = tokens[at + 1][2] if at + 1 < len(tokens) and text[end : tokens[at + 1][0]] == " " else ""
    # The writer, a family member or another health detail beside it is no name: "Aloitin Cipralexin", "Äitini
    # Marevan-hoito", "Buranaa Marevanin kanssa".
    return any(
        _capitalised(w) and not names_a_person([w]) and not is_health_word(w) and not is_medicine_name(w)
        for w in (before, after)
        if w
    )


def _phrases(text: str, tokens: list[tuple[int, int, str]]) -> list[re.Match[str]]:
    """The lexicon's multi-word terms, tried only at words that can begin one."""
    found = []
    for start, _, word in tokens:
        if word[:3].casefold() in _PHRASE_STARTS and (m := _PHRASE_AT.match(text, start)):
            found.append(m)
    return found


def _service_word(word: str) -> bool:
    """A procedure or device word that names a cut in a budget or a service (budjettileikkaus, leikkausjono)."""
    w = word.casefold()
    return w.startswith(lex.NOT_MEDICAL) or _service_part(w[4:])


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def is_health_word(word: str) -> bool:
    """Does one word (any case, inflected, compounded) name a diagnosis, medication or procedure?"""
    w = word.casefold().replace("’", "'")
    if w in _WORDS:
        return True
    head, colon, _ = w.partition(":")
    # An abbreviation is written in capitals or small letters; "Gerd", "Tia" and "Ms" are a name and a title.
    written = word[: len(head)]
    capitalised = len(head) > 1 and written[:1].isupper() and not written.isupper()
    if head in lex.ABBREVIATIONS and not capitalised and (colon or w == head or w.startswith(head + "-")):
        return True
    if _STEM_START.match(w):
        for stem in _STEMS:
            if w.startswith(stem) and not _service_part(w[len(stem) :]):
                return True
    inner = _INNER.search(w, 2)  # a long stem as the head of a compound: nivelpsoriaasi, hemodialyysi
    if inner and not w[: inner.start()].endswith(lex.NOT_MEDICAL) and not _service_part(w[inner.end() :]):
        return True
    if not _TAIL_SOMEWHERE.search(w, 1):
        return False
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


def _merge(spans: list[tuple[int, int, Detail]], text: str) -> list[tuple[int, int, Detail]]:
    """Overlapping spans, and health words with only spaces between them, are one term."""
    merged: list[tuple[int, int, Detail]] = []
    for start, end, detail in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            last = merged[-1]
            best = min(last[2], detail, key=_DETAIL_ORDER.index)
            merged[-1] = (last[0], max(end, last[1]), best)
        else:
            merged.append((start, end, detail))
    return merged
