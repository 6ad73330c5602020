"""Rendering a notification: kind, language and payloads in; subject, plain text and HTML out.

Jinja2 with ``StrictUndefined`` (a missing value is an error, never an empty string) and
autoescaping for the HTML templates. Each kind has ``<kind>.txt.j2`` and ``<kind>.html.j2``
extending a shared layout; the words come from ``notifications.catalogs``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from notifications import kinds
from notifications.catalogs import catalog_for
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
    return env


class Renderer:
    """Renders every kind of ``notifications.kinds`` in Finnish, Swedish and English."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._env = make_environment()

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
        t = catalog_for(language)
        try:
            view = VIEWS[kind](t, payloads, self.base_url)
        except KeyError as error:
            raise ValueError(f"{kind} payload lacks the field {error}") from error
        subject = single_line(view.subject, limit=SUBJECT_MAX)
        names = {p.get("recipient_name") for p in payloads} - {None, ""}
        context = {
            **view.context,
            "t": t,
            "lang": t.language,
            "subject": subject,
            "masthead": view.masthead or t("masthead.generic"),
            "greeting": t("greeting.named", name=names.pop()) if len(names) == 1 else t("greeting.anonymous"),
            "member": member,
            "signature": "signature.member" if member else "signature.staff",
            "preferences_url": links.get("preferences") if member else None,
            "unsubscribe_url": links.get("unsubscribe") if member else None,
        }
        text = self._env.get_template(f"{kind}.txt.j2").render(context)
        html = self._env.get_template(f"{kind}.html.j2").render(context)
        return Rendered(subject=subject, text=_tidy_text(text), html=html, language=t.language)
