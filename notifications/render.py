"""Rendering a notification: kind, language and payloads in; subject, plain text and HTML out.

Jinja2 with ``StrictUndefined`` (a missing value is an error, never an empty string) and
autoescaping for the HTML templates. Each kind has ``<kind>.txt.j2`` and ``<kind>.html.j2``
extending a shared layout; the words come from ``notifications.catalogs``.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from domain.panels import given_name
from notifications import kinds
from notifications.catalogs import Catalog, catalog_for
from notifications.content import Content
from notifications.views import VIEWS

TEMPLATES = Path(__file__).resolve().parent / "templates"
SUBJECT_MAX = 150
# Characters that must never reach a header: C0/C1 controls, line and paragraph separators,
# and the bidirectional overrides that can disguise a subject.
_UNSAFE = re.compile("[\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    # The language actually written (an unknown language falls back to Finnish): for Content-Language.
    language: str = "fi"


@lru_cache(maxsize=4096)
def single_line(value: str, *, limit: int | None = None) -> str:
    """One header-safe line: control characters become spaces, whitespace collapses, long text is cut.

    Cached: a change goes to every member under the same subject.
    """
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    cleaned = " ".join(_UNSAFE.sub(" ", cleaned).split())
    if limit is not None and len(cleaned) > limit:
        cut = cleaned[: limit - 1]
        space = cut.rfind(" ")
        cleaned = (cut[:space] if space > limit // 2 else cut).rstrip() + "…"
    return cleaned


def _nl2br(value: str | None) -> Markup:
    """Escaped text whose line breaks survive in HTML."""
    return Markup("<br>\n").join(escape(line) for line in (value or "").splitlines())


def _paragraphs(value: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", value or "") if part.strip()]


def _tidy_text(value: str) -> str:
    lines = [line.rstrip() for line in value.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _foreign(context: Context, value: object) -> str | None:
    """The language of a text written in another language than the mail, else None."""
    lang = getattr(value, "lang", None)
    return lang if isinstance(value, Content) and lang != context["lang"] else None


def _language_note(t: Catalog, lang: str) -> str:
    notes = {"fi": t("(in Finnish)"), "sv": t("(in Swedish)"), "en": t("(in English)")}
    return notes.get(lang, "")


@pass_context
def _content(context: Context, value: object) -> object:
    """A person's text: in HTML marked with its language when it is not the mail's; in plain text followed by
    a short note saying which language it is in (a Swedish reader of a Finnish-only title knows why)."""
    lang = _foreign(context, value)
    if lang is None:
        return value
    if context.eval_ctx.autoescape:
        return Markup('<span lang="{}">{}</span>').format(lang, value)
    return f"{value} {_language_note(context['t'], lang)}"


@pass_context
def _text_block(context: Context, value: object) -> Markup:
    """A person's longer text in HTML: its line breaks kept, marked with its language when not the mail's."""
    body = _nl2br(str(value))
    lang = _foreign(context, value)
    return Markup('<span lang="{}">{}</span>').format(lang, body) if lang else body


@pass_context
def _lang_attr(context: Context, value: object) -> Markup:
    """` lang="fi"` for an element holding a text in another language than the mail (HTML)."""
    lang = _foreign(context, value)
    return Markup(' lang="{}"').format(lang) if lang else Markup("")


@pass_context
def _language_suffix(context: Context, value: object) -> str:
    """`` (in Finnish)`` after a heading whose longer text is in another language (plain text), or nothing."""
    lang = _foreign(context, value)
    return " " + _language_note(context["t"], lang) if lang else ""


def _autoescape(name: str | None) -> bool:
    return bool(name and name.endswith(".html.j2"))


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # The templates ship with the code: no file-system check on every render.
        auto_reload=False,
    )
    env.filters["nl2br"] = _nl2br
    env.filters["paragraphs"] = _paragraphs
    env.filters["content"] = _content
    env.filters["lang_attr"] = _lang_attr
    env.filters["text_block"] = _text_block
    env.filters["language_suffix"] = _language_suffix
    return env


# Stand-ins for what differs between the members who hear of the same change: their name and their links.
# Plain letters and digits, so escaping leaves them as they are; random, so no text can contain them.
_TOKEN = secrets.token_hex(8)
_STAND_INS = {
    "name": f"RaatiName{_TOKEN}",
    "preferences": f"RaatiPrefs{_TOKEN}",
    "panel": f"RaatiPanel{_TOKEN}",
    "unsubscribe": f"RaatiUnsub{_TOKEN}",
    "ground_rules": f"RaatiRules{_TOKEN}",
    "topic_wish": f"RaatiWish{_TOKEN}",
    "sign_in": f"RaatiSignIn{_TOKEN}",
}
_UNCACHEABLE = object()
_CACHE_SIZE = 256


@dataclass(frozen=True)
class _Shared:
    """A rendering with stand-ins where each member's own values go."""

    subject: str
    text: str  # before _tidy_text
    tidy_text: str  # after it: for values on one line with no space at either end, tidying commutes
    html: str
    language: str


class Renderer:
    """Renders every kind of ``notifications.kinds`` in Finnish, Swedish and English.

    A change usually goes to every member of a panel: the same kind, language and payload, only the
    name in the greeting and the signed links differ. The renderer renders such a mail once with
    stand-ins and then puts each member's own (escaped) values in their place. That is exact as long
    as the templates only print those values (``{{ greeting }}``, ``{{ unsubscribe_url }}``), as they
    do; the first mail of each kind, language and payload is also rendered the ordinary way and is
    shared only if both come out the same, so a template that transforms them is caught there.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._env = make_environment()
        self._shared: OrderedDict[str, _Shared | object] = OrderedDict()
        self._lock = threading.Lock()

    def render(
        self,
        kind: str,
        language: str,
        payloads: Sequence[Mapping[str, Any]],
        *,
        links: Mapping[str, str],
    ) -> Rendered:
        if kind not in VIEWS:
            raise ValueError(f"unknown notification kind {kind!r}; known: {', '.join(sorted(VIEWS))}")
        if not payloads:
            raise ValueError(f"nothing to render: {kind} needs at least one payload")
        if kind not in kinds.MULTI_PAYLOAD_KINDS and len(payloads) != 1:
            raise ValueError(f"{kind} renders exactly one payload, got {len(payloads)}")
        member = kinds.is_member_kind(kind)
        if member:
            missing = [name for name in ("unsubscribe", "preferences") if not links.get(name)]
            if missing:
                raise ValueError(f"member mail ({kind}) needs links: {', '.join(missing)}")
        names = {greeting_name(p) for p in payloads} - {None, ""}
        own = {
            "name": next(iter(names)) if len(names) == 1 else None,
            "preferences": links.get("preferences") if member else None,
            # The members' panel page: what became of the panel's ideas, its meetings and summaries.
            "panel": links.get("panel") if member else None,
            "unsubscribe": links.get("unsubscribe") if member else None,
            # The member's own pages (welcome mail): acknowledging the ground rules, wishing a topic.
            "ground_rules": links.get("ground_rules") if member else None,
            "topic_wish": links.get("topic_wish") if member else None,
            # The one-time sign-in link (sign_in_link): the composer derives it, no payload holds it.
            "sign_in": links.get("sign_in") if kind == kinds.SIGN_IN_LINK else None,
        }
        if kind == kinds.SIGN_IN_LINK and not own["sign_in"]:
            raise ValueError("a sign-in mail needs its link: sign_in")
        # A pre-brief's material files: each member's own signed link, by the material's position.
        files = _material_urls(payloads[0], links) if member and kind == kinds.PREBRIEF else []
        # A sign-in mail has one reader and a link of its own: nothing to share, nothing worth keeping; nor a
        # pre-brief with file links (signed per member and per file, no stand-in can hold them).
        shared_ok = len(names) <= 1 and kind != kinds.SIGN_IN_LINK and not any(files)
        key = _shared_key(kind, language, payloads, own) if shared_ok else None
        if key is None:
            return self._render(kind, language, payloads, own, files)
        with self._lock:
            shared = self._shared.get(key)
            if shared is not None:
                self._shared.move_to_end(key)
        if isinstance(shared, _Shared):
            return _personal(shared, own)
        rendered = self._render(kind, language, payloads, own)
        if shared is None:  # the first of its kind: share it only if sharing gives exactly this mail
            candidate = self._share(kind, language, payloads, own)
            same = isinstance(candidate, _Shared) and _personal(candidate, own) == rendered
            with self._lock:
                self._shared[key] = candidate if same else _UNCACHEABLE
                if len(self._shared) > _CACHE_SIZE:
                    self._shared.popitem(last=False)
        return rendered

    def _share(
        self, kind: str, language: str, payloads: Sequence[Mapping[str, Any]], own: Mapping[str, str | None]
    ) -> _Shared | object:
        stand_ins = {field: _STAND_INS[field] if value else value for field, value in own.items()}
        if own["name"]:
            payloads = [_without_names(p) for p in payloads]
        subject, text, html, written = self._templates(kind, language, payloads, stand_ins)
        if _TOKEN in subject:
            return _UNCACHEABLE
        return _Shared(subject=subject, text=text, tidy_text=_tidy_text(text), html=html, language=written)

    def _render(
        self,
        kind: str,
        language: str,
        payloads: Sequence[Mapping[str, Any]],
        own: Mapping[str, str | None],
        files: Sequence[str | None] = (),
    ) -> Rendered:
        subject, text, html, written = self._templates(kind, language, payloads, own, files)
        return Rendered(subject=subject, text=_tidy_text(text), html=html, language=written)

    def _templates(
        self,
        kind: str,
        language: str,
        payloads: Sequence[Mapping[str, Any]],
        own: Mapping[str, str | None],
        files: Sequence[str | None] = (),
    ) -> tuple[str, str, str, str]:
        """Subject, plain text (not yet tidied), HTML and the language written."""
        member = kinds.is_member_kind(kind)
        t = catalog_for(language)
        try:
            view = VIEWS[kind](t, payloads, self.base_url)
        except KeyError as error:
            raise ValueError(f"{kind} payload lacks the field {error}") from error
        subject = single_line(view.subject, limit=SUBJECT_MAX)
        context = {
            **view.context,
            "t": t,
            "lang": t.language,
            "subject": subject,
            "masthead": view.masthead or t("Customer panel"),
            "greeting": t("Dear {name},", name=own["name"]) if own["name"] else t("Hello,"),
            "member": member,
            "signature": t("The customer panel's coordinators")
            if member
            else t("Raati – following up the customer panels' ideas"),
            "contact": _contact(payloads[0]) if member else None,
            "preferences_url": own["preferences"],
            "panel_url": own["panel"],
            "unsubscribe_url": own["unsubscribe"],
            "ground_rules_url": own["ground_rules"],
            "topic_wish_url": own["topic_wish"],
            "sign_in_url": own["sign_in"],
            "material_urls": list(files),
        }
        text = self._env.get_template(f"{kind}.txt.j2").render(context)
        html = self._env.get_template(f"{kind}.html.j2").render(context)
        return subject, text, html, t.language


def _material_urls(payload: Mapping[str, Any], links: Mapping[str, str]) -> list[str | None]:
    """Each material's own file link (``links["material_{file_id}"]``) by position; None for a link material."""
    materials = payload.get("materials")
    if not isinstance(materials, list):
        return []
    return [links.get(f"material_{m.get('file_id')}") if isinstance(m, Mapping) else None for m in materials]


def greeting_name(payload: Mapping[str, Any]) -> str | None:
    """The name a mail greets its reader by: the given name (``greeting_name``), never the full name.

    Payloads queued before they carried ``greeting_name`` give the first word of ``recipient_name``.
    """
    name = payload.get("greeting_name") or given_name(str(payload.get("recipient_name") or ""))
    return str(name).strip() or None


def _without_names(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A payload without the reader's own names: what every member who hears of the same thing shares."""
    return {k: v for k, v in payload.items() if k not in ("recipient_name", "greeting_name")}


def _contact(payload: Mapping[str, Any]) -> dict[str, str | None] | None:
    """Whom a member may ask: the panel's contact person, else the coordinator the payload names."""
    contact = payload.get("panel_contact")
    if isinstance(contact, Mapping) and contact.get("name"):
        return {"name": contact["name"], "email": contact.get("email") or None, "phone": contact.get("phone") or None}
    if payload.get("coordinator_name"):
        return {"name": payload["coordinator_name"], "email": payload.get("coordinator_email"), "phone": None}
    return None


def _shared_key(
    kind: str, language: str, payloads: Sequence[Mapping[str, Any]], own: Mapping[str, str | None]
) -> str | None:
    """What the shared rendering depends on: all but the member's own values (None: do not share)."""
    try:
        common = [_without_names(p) for p in payloads]
        present = [field for field, value in own.items() if value]
        return json.dumps([kind, language, present, common], ensure_ascii=False)
    except (TypeError, ValueError):  # not plain JSON (payloads from the outbox always are)
        return None


def _personal(shared: _Shared, own: Mapping[str, str | None]) -> Rendered:
    """The shared rendering with this member's values: escaped in the HTML, as the template would."""
    values = {field: value for field, value in own.items() if value}
    plain = all(len(value.splitlines()) == 1 and value == value.strip() for value in values.values())
    text, html = (shared.tidy_text if plain else shared.text), shared.html
    for field, value in values.items():
        text = text.replace(_STAND_INS[field], value)
        html = html.replace(_STAND_INS[field], str(escape(value)))
    return Rendered(
        subject=shared.subject, text=text if plain else _tidy_text(text), html=html, language=shared.language
    )
