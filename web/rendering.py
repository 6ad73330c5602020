"""Server-side HTML: one Jinja environment (autoescape, StrictUndefined), the pages' words and the CSRF token.

The words of every page are gettext messages in ``web/locale/<language>/LC_MESSAGES/web.po`` (English source
text as the message id; ``make messages`` collects them from the code and the templates). Dates, times and
numbers are written by the same ``notifications.i18n.Catalog`` as the mail, with the mail's date patterns, so a
date reads the same on a page as in an email.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from notifications.catalogs import catalog_for as mail_catalog_for
from notifications.content import Content, localized
from notifications.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, Catalog, compile_po, language_of, po_path
from wiring.logs import REQUEST_ID

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
LOCALE_DIR = Path(__file__).parent / "locale"
WEB_DOMAIN = "web"
CSRF_FIELD = "csrf_token"
# The language Raati's stored content (idea titles, notes, panel and service names) is written in until it
# carries translations: on a page in another language it is marked with its own lang attribute.
CONTENT_LANGUAGE = DEFAULT_LANGUAGE

__all__ = ["CONTENT_LANGUAGE", "LANGUAGES", "LANGUAGE_NAMES", "catalog_for", "content_in", "render"]


@cache
def catalog_for(language: str | None) -> Catalog:
    """The pages' words in a language (fi, sv, en; anything else: Finnish), compiled once per process.

    Messages the pages do not hold themselves fall back to the mail's catalog: that is where the date and time
    patterns (context ``format``) are, so pages and mail write dates alike.
    """
    code = language_of(language)
    translations = compile_po(po_path(LOCALE_DIR, WEB_DOMAIN, code), code)
    translations.add_fallback(mail_catalog_for(code).translations)
    return Catalog(code, translations)


def content_in(source: Any, field: str, language: str) -> Content:
    """A text people wrote, in ``language`` where it has a translation, else as the mail picks it (Finnish, then
    Swedish, then English: ``notifications.content.localized``), with the language it is in (``.lang``).

    ``source`` is a mapping with the Finnish under ``field`` and the others under ``translations``, or anything
    with those as attributes (a read model's ``{"sv": {...}}`` or a domain ``Translations``)."""
    if isinstance(source, Mapping):
        own, translated = source.get(field), source.get("translations")
    else:
        own, translated = getattr(source, field, None), getattr(source, "translations", None)
    if translated is not None and not isinstance(translated, Mapping):
        translated = translated.as_json()  # a domain Translations
    found = localized({field: own, "translations": translated or {}}, field, language)
    return found if found is not None else Content(str(own or ""), CONTENT_LANGUAGE)


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def words(t: Catalog) -> dict[str, Any]:
    """What every template gets for its words: ``t("…")``, ``ngettext(…)``, ``pgettext(…)`` (plain names, so
    that ``make messages`` finds them in the templates), the page's language and ``lang_of`` for content."""

    def lang_of(language: str = CONTENT_LANGUAGE) -> Markup:
        """`` lang="fi"`` for content in another language than the page's; nothing when they agree. Given a text
        from ``localized`` (a ``Content``), its own language."""
        code = getattr(language, "lang", language)
        return Markup(' lang="{}"').format(code) if code != t.language else Markup("")

    def in_page_language(source: Any, field: str) -> Content:
        return content_in(source, field, t.language)

    return {
        "t": t,
        "lang": t.language,
        "ngettext": t.ngettext,
        "pgettext": t.pgettext,
        "lang_of": lang_of,
        "localized": in_page_language,
        "language_names": LANGUAGE_NAMES,
    }


def render_html(template: str, t: Catalog, **context: Any) -> str:
    return environment().get_template(template).render(**words(t), **context)


def render(request: Request, template: str, *, t: Catalog, status: int = 200, **context: Any) -> HTMLResponse:
    # An error page names the request's id in small print: a person quotes it, the operator finds it in the log.
    reference = REQUEST_ID.get() if status >= 400 else None
    html = render_html(template, t, csrf_token=csrf_token(request), error_reference=reference, **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Language": t.language})


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every form carries it in a hidden field."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(expected, str) or not expected or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())
