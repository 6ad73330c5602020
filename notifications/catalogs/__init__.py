"""The mail's catalogs: every sentence Raati writes to people, in Finnish (the default), Swedish and English.

The templates in ``notifications/templates`` hold the layout of each kind once; the words come
from ``notifications/locale/<language>/LC_MESSAGES/mail.po`` (gettext, read by ``notifications.i18n``),
so a translator works in one ``.po`` file per language and a test checks that none lacks a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from domain.ground_rules import default_rules
from notifications.i18n import (
    DEFAULT_LANGUAGE,
    HELSINKI,
    LANGUAGES,
    Catalog,
    language_of,
    load_catalog,
    parse_moment,
    parse_when,
    to_helsinki,
)

__all__ = [
    "CATALOGS",
    "DEFAULT_LANGUAGE",
    "HELSINKI",
    "LANGUAGES",
    "LOCALE_DIR",
    "MAIL_DOMAIN",
    "Catalog",
    "catalog_for",
    "default_ground_rules",
    "parse_moment",
    "parse_when",
    "to_helsinki",
]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
MAIL_DOMAIN = "mail"


def catalog_for(language: str | None) -> Catalog:
    """The catalog of a language (``fi``, ``sv``, ``en``, also ``sv-FI``); anything else gets Finnish."""
    return load_catalog(LOCALE_DIR, MAIL_DOMAIN, language_of(language))


CATALOGS: Mapping[str, Catalog] = MappingProxyType({language: catalog_for(language) for language in LANGUAGES})


def default_ground_rules(language: str | None) -> list[str]:
    """The ground rules of the customer panel model, for a new panel's welcome email."""
    # One source: the model's rules live in the domain, with the versions panels publish.
    return list(default_rules(language_of(language)))
