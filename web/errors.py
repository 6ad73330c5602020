"""The domain's errors in people's words, in one place for the pages and the API's problem titles and details.

A page never shows a field code, a command-line flag, a character span or an internal state: each error
becomes a heading, a sentence in the reader's language that says what to do, the form control it is about,
and, for the privacy guard's findings, the words to highlight in the text. Whether an error is told as a page or as
a problem body follows the request's Accept header (``wants_json``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from application.errors import InvalidRows
from domain.errors import (
    AlreadyExists,
    DomainError,
    HealthDetailsNeedAcknowledgement,
    InvalidTransition,
    InvalidValue,
    NotFound,
    PermissionDenied,
    PrivacyBlocked,
    VersionConflict,
)
from domain.ideas import REQUIRED_TEXT, IdeaState
from notifications.i18n import Catalog

# The move form's Swedish and English versions of the note, by control, and the language each is in.
TRANSLATED_NOTES = {"note_sv": "sv", "note_en": "en"}
# Which control of the move form an error's field is about; anything else is about the whole form. A move's
# translated note is ``translations.sv.note``, a progress note's ``translations.sv.text``.
FORM_FIELDS = {
    "state": "to",
    "to": "to",
    "note": "note",
    "text": "note",
    "service": "service",
    **{
        f"translations.{language}.{name}": control
        for control, language in TRANSLATED_NOTES.items()
        for name in ("note", "text")
    },
}
_TOO_LONG = re.compile(r"is (\d+) characters; at most (\d+)")

JSON_TYPES = frozenset({"application/json", "application/problem+json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def wants_json(accept: str | None) -> bool:
    """Whether an Accept header asks for JSON rather than a page: a JSON type ranked above HTML. A browser always
    names text/html, and ``*/*`` alone (curl, most HTTP libraries) gets the page, as before."""
    best = {"json": 0.0, "html": 0.0}
    for part in (accept or "").split(","):
        kind, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        kind = kind.lower()
        group = "json" if kind in JSON_TYPES or kind.endswith("+json") else "html" if kind in HTML_TYPES else ""
        if group:
            best[group] = max(best[group], quality)
    return best["json"] > best["html"]


def form_control(field: str) -> str:
    """The move form's control an error's field is about (``note_sv`` for ``translations.sv.note``), else "form"."""
    return FORM_FIELDS.get(field, "form")


@dataclass(frozen=True)
class Mark:
    """A stretch of a text: plain, or a privacy finding (``kind`` names it in words)."""

    text: str
    kind: str = ""


@dataclass(frozen=True)
class Explained:
    title: str  # a heading: what kind of problem
    message: str  # what happened and what to do
    field: str = "form"  # the form control it is about: "to", "note", "service" or "form"
    marks: tuple[Mark, ...] = ()  # the checked text with the privacy guard's findings marked
    health: bool = False  # the text names health details that a coordinator may let through
    stale: bool = False  # someone else changed the idea first
    details: tuple[str, ...] = ()  # the kinds of personal detail found, in words


def state_name(state: str | None, t: Catalog) -> str:
    """An idea state as the glossary names it (the same words as the mail)."""
    names = {
        IdeaState.RAISED.value: t.pgettext("idea state", "raised at the panel"),
        IdeaState.SENT_TO_SERVICE.value: t.pgettext("idea state", "sent to the service"),
        IdeaState.IN_PROGRESS.value: t.pgettext("idea state", "in progress"),
        IdeaState.IMPLEMENTED.value: t.pgettext("idea state", "implemented"),
        IdeaState.DECLINED.value: t.pgettext("idea state", "not going ahead"),
    }
    return names.get(state or "", "–")


def field_label(name: str, t: Catalog) -> str:
    """A field as its form calls it."""
    labels = {
        "note": t("Note for the members"),
        "note_sv": t("Swedish version"),
        "note_en": t("English version"),
        "text": t("Text"),
        "title": t("Title"),
        "service": t("Service"),
        "state": t("Action"),
        "to": t("Action"),
        "meeting": t("Meeting"),
        "meeting_id": t("Meeting"),
        "language": t("Language"),
        "delivery": t("News about the ideas"),
        "email": t("Email address"),
        "name": t("Name"),
        "comment": t("Comment"),
        "recommendation": t("Recommendation"),
    }
    return labels.get(name, labels.get(FORM_FIELDS.get(name, ""), t("the form")))


def detail_kind(kind: str, t: Catalog) -> str:
    """What the privacy guard found, in words."""
    kinds = {
        "identity_code": t("a personal identity code"),
        "phone": t("a phone number"),
        "email": t("an email address"),
        "health": t("a health detail"),
    }
    return kinds.get(kind, t("a personal detail"))


def health_detail_kind(detail: str, t: Catalog) -> str:
    """What kind of health detail the privacy guard saw, in words (its ``Detail``: diagnosis, medicine, ...)."""
    kinds = {
        "diagnosis": t("a diagnosis"),
        "medicine": t("a medicine"),
        "procedure": t("a procedure or treatment"),
        "device": t("a medical device"),
        "measurement": t("a measurement"),
    }
    return kinds.get(detail, t("a health detail"))


def finding_kind(finding: object, t: Catalog) -> str:
    """One finding in words: for a health detail the kind of detail it is, when the guard says."""
    kind, detail = str(getattr(finding, "kind", "")), getattr(finding, "detail", None)
    if kind == "health" and detail is not None:
        return health_detail_kind(str(detail), t)
    return detail_kind(kind, t)


def found_details(findings: Sequence[object], t: Catalog) -> tuple[str, ...]:
    """Each finding's kind with the words it saw, once each, so the writer knows what to say more generally:
    "a health detail (a medicine: “Marevan”)", "a phone number “040 123 4567”"."""
    found: dict[str, None] = {}
    for finding in findings:
        kind, words = str(getattr(finding, "kind", "")), str(getattr(finding, "text", "")).strip()
        detail = getattr(finding, "detail", None)
        if not words:
            found.setdefault(finding_kind(finding, t))
        elif kind == "health" and detail is not None:
            found.setdefault(
                t("a health detail ({detail}: “{words}”)", detail=health_detail_kind(str(detail), t), words=words)
            )
        else:
            found.setdefault(t("{detail} “{words}”", detail=detail_kind(kind, t), words=words))
    return tuple(found)


def marked(text: str, findings: Sequence[object], t: Catalog) -> tuple[Mark, ...]:
    """``text`` cut into plain stretches and findings (by their start and end), in order; overlaps merge."""
    spans: list[tuple[int, int, str]] = []
    for finding in findings:
        start, end = getattr(finding, "start", None), getattr(finding, "end", None)
        kind = finding_kind(finding, t)
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            continue
        if spans and start < spans[-1][1]:
            last = spans.pop()
            spans.append((last[0], max(last[1], end), last[2]))
        else:
            spans.append((start, end, kind))
    marks: list[Mark] = []
    at = 0
    for start, end, kind in sorted(spans):
        if start > at:
            marks.append(Mark(text[at:start]))
        marks.append(Mark(text[start:end], kind))
        at = end
    if at < len(text):
        marks.append(Mark(text[at:]))
    return tuple(marks)


def explain(
    error: DomainError,
    t: Catalog,
    *,
    requested: str = "",
    text: str = "",
    reading: bool = False,
    may_acknowledge: bool = True,
) -> Explained:
    """An error for people: ``requested`` is the action the form asked for, ``text`` the note it sent, ``reading``
    whether the person only opened a page (then a refusal is about seeing, not saving), ``may_acknowledge``
    whether they may let health details through (a coordinator of the panel)."""
    if isinstance(error, PrivacyBlocked | HealthDetailsNeedAcknowledgement):
        return _privacy(error, t, text=text, may_acknowledge=may_acknowledge)
    if isinstance(error, PermissionDenied):
        return _permission(error, t, reading=reading)
    if isinstance(error, NotFound):
        return Explained(
            t("Not found"),
            t("This page does not exist. The address may be wrong, or what it showed has been removed."),
        )
    if isinstance(error, VersionConflict):
        if error.expected is None:
            message = t("Others changed this idea at the same moment, so nothing was saved. Please save again.")
        else:
            message = t(
                "Someone else changed this idea while you had the form open, so nothing was saved. "
                "See what changed below; your note is still in the form. Check it and save again."
            )
        return Explained(t("Someone else changed the idea first"), message, stale=error.expected is not None)
    if isinstance(error, InvalidTransition):
        current, wanted = state_name(error.current, t), state_name(error.requested, t)
        if not error.allowed:
            message = t("The idea is already “{current}”: its handling has ended.", current=current)
        else:
            message = t(
                "The idea is now “{current}” and cannot move to “{requested}”. Choose another action.",
                current=current,
                requested=wanted,
            )
        return Explained(t("The idea cannot move there"), message, field="to")
    if isinstance(error, InvalidValue):
        return _invalid(error, t, requested=requested)
    if isinstance(error, InvalidRows):
        return Explained(t("Check the form"), t("Some rows could not be read; nothing was saved."))
    if isinstance(error, AlreadyExists):
        return Explained(
            t("Already in use"), t("“{field}” is already in use.", field=field_label(error.field, t)), field="form"
        )
    return Explained(t("Could not save"), t("The change could not be saved. Check the form and try again."))


def _invalid(error: InvalidValue, t: Catalog, *, requested: str) -> Explained:
    title = t("Check the form")
    control = FORM_FIELDS.get(error.field, "form")
    reason = error.reason
    if error.field == "note":
        if reason == REQUIRED_TEXT.get(IdeaState.DECLINED) or (requested == IdeaState.DECLINED and "needs" in reason):
            return Explained(title, t("Write the members why the idea is not going ahead."), field=control)
        if reason == REQUIRED_TEXT.get(IdeaState.IMPLEMENTED) or (
            requested == IdeaState.IMPLEMENTED and "needs" in reason
        ):
            return Explained(title, t("Write the members what was done with the idea."), field=control)
        if "only open ideas" in reason:
            return Explained(title, t("The idea's handling has ended, so it takes no more notes."), field=control)
    if control in TRANSLATED_NOTES and "Finnish text" in reason:
        message = t("Write the note in Finnish too. A translation cannot go without the Finnish note.")
        return Explained(title, message, field=control)
    if error.field == "service":
        if "needs the service" in reason:
            return Explained(title, t("Choose the service the idea is sent to."), field=control)
        return Explained(title, t("A service is chosen only when the idea is sent to a service."), field=control)
    if error.field in ("state", "to"):
        return Explained(title, t("Choose an action from the list."), field=control)
    if error.field in ("form", "expected_version"):
        return Explained(
            t("The form had expired"), t("The form had expired. Reload the page and try again."), field="form"
        )
    label = field_label(error.field, t)
    too_long = _TOO_LONG.search(reason)
    if too_long:
        message = t(
            "“{field}” is {length} characters long; shorten it to at most {maximum}.",
            field=label,
            length=too_long.group(1),
            maximum=too_long.group(2),
        )
    elif "required" in reason or reason == "is empty":
        message = t("“{field}” is empty: fill it in.", field=label)
    elif "single line" in reason:
        message = t("Write “{field}” on a single line.", field=label)
    else:
        message = t("Check “{field}”: it cannot be saved as it is.", field=label)
    return Explained(title, message, field=control)


def _permission(error: PermissionDenied, t: Catalog, *, reading: bool) -> Explained:
    title = t("Not allowed")
    if reading:
        return Explained(title, t("You may not see this page."))
    if "acknowledge health" in error.reason:
        message = t(
            "Only the panel's coordinator may let health details through. "
            "Remove the highlighted words from the note, or ask the coordinator."
        )
        return Explained(title, message, field="note")
    if "raised idea" in error.reason:
        return Explained(title, t("The coordinator sends a new idea on to a service before its service can act."))
    return Explained(title, t("You may not change this idea. The panel's coordinators and the idea's service can."))


def _privacy(
    error: PrivacyBlocked | HealthDetailsNeedAcknowledgement, t: Catalog, *, text: str, may_acknowledge: bool
) -> Explained:
    details = found_details(error.findings, t)
    found = t.format_list(details)
    label = field_label(error.field, t)
    marks = marked(text.strip(), error.findings, t) if text else ()
    control = FORM_FIELDS.get(error.field, "form")
    if isinstance(error, PrivacyBlocked):
        message = t(
            "“{field}” contains {details}. Messages to the members must not identify anyone: "
            "remove the highlighted words and save again.",
            field=label,
            details=found,
        )
        return Explained(t("Remove the personal details"), message, field=control, marks=marks, details=details)
    if not may_acknowledge:
        message = t(
            "“{field}” mentions {details}. Members discuss health only in general terms: remove the highlighted "
            "words, or ask the panel's coordinator to check them.",
            field=label,
            details=found,
        )
        return Explained(t("Check the health details"), message, field=control, marks=marks, details=details)
    message = t(
        "“{field}” mentions {details}. Members discuss health only in general terms: remove the highlighted "
        "words, or, as the panel's coordinator, confirm below that they may be sent.",
        field=label,
        details=found,
    )
    return Explained(t("Check the health details"), message, field=control, marks=marks, health=True, details=details)
