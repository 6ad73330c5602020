"""Words and formats in the reader's language: gettext catalogs (``.po``) read with Babel.

Mail (``notifications/locale``) and the web pages (``web/locale``) each keep one ``.po`` file per
language; a translator opens them in any gettext tool. The files are compiled in memory the first
time a language is asked for, so there is no build step to forget. Dates, times, numbers and
lists are written by Babel the way each language writes them, always in Helsinki time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, cached_property
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.lists import format_list as babel_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from domain.values import Language

HELSINKI = ZoneInfo("Europe/Helsinki")
DEFAULT_LANGUAGE = "fi"
# Finnish first: every text Raati holds has a Finnish version; then Swedish, the other official language.
LANGUAGES: tuple[str, ...] = tuple(language.value for language in Language)
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
# The regional variants Babel formats with: Finland's Swedish writes 15.1.2027 and 17.00.
_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


def language_of(value: str | None) -> str:
    """``sv-FI``, ``SV``, ``sv_FI`` → ``sv``; anything Raati does not speak → Finnish."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def negotiate(accept_language: str | None, *, default: str = DEFAULT_LANGUAGE) -> str:
    """The best of fi/sv/en for an ``Accept-Language`` header (``sv-FI,sv;q=0.9,en;q=0.5``)."""
    wanted: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().replace("_", "-").split("-")[0]
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if code in LANGUAGES and quality > 0:
            wanted.append((-quality, index, code))
    return min(wanted)[2] if wanted else default


def compile_po(path: Path, language: str) -> Translations:
    """A ``.po`` file as gettext translations, compiled in memory (fuzzy entries are not used)."""
    with path.open("rb") as source:
        catalog = read_po(source, locale=_LOCALES[language])
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled)


@dataclass(frozen=True)
class Catalog:
    """One language's words (gettext) and formats (Babel); ``t("Hello {name}", name=…)``.

    Messages are ``str.format`` patterns with named fields, so a translator can move a name to
    where the sentence wants it. The date and time patterns are messages too (context ``format``),
    so each language's translator decides how its dates look.
    """

    language: str
    translations: NullTranslations

    @cached_property  # every date, number and list asks for it: parsed once per catalog
    def locale(self) -> Locale:
        return Locale.parse(_LOCALES[self.language])

    def __call__(self, message: str, /, **values: object) -> str:
        text = self.translations.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        return self.translations.ngettext(singular, plural, count).format(count=count, **values)

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        text = str(self.translations.pgettext(context, message))
        return text.format(**values) if values else text

    # Dates and times: always Helsinki time.

    def format_date(self, value: date, *, weekday: bool = False) -> str:
        """A day; a moment (an aware datetime) is the day it is in Helsinki, never its UTC date."""
        if isinstance(value, datetime):
            value = to_helsinki(value).date()
        # Two literal patterns, not one built from parts: each is a message its translator sees whole.
        pattern = self.pgettext("format", "EEEE d MMMM y") if weekday else self.pgettext("format", "d MMMM y")
        return babel_date(value, format=pattern, locale=self.locale)

    def format_time(self, value: datetime) -> str:
        return babel_time(to_helsinki(value), format=self.pgettext("format", "HH:mm"), locale=self.locale)

    def format_datetime(self, value: datetime, *, weekday: bool = False) -> str:
        local = to_helsinki(value)
        return self.pgettext(
            "format",
            "{date} at {time}",
            date=self.format_date(local.date(), weekday=weekday),
            time=self.format_time(local),
        )

    def format_span(self, start: datetime, end: datetime | None, *, weekday: bool = True) -> str:
        """A meeting's time: ``torstai 12.3.2026 klo 17.00–19.00``; the end only when on the same day."""
        local_start, local_end = to_helsinki(start), to_helsinki(end) if end else None
        if local_end is None or local_end.date() != local_start.date():
            return self.format_datetime(start, weekday=weekday)
        return self.pgettext(
            "format",
            "{date} at {start}–{end}",
            date=self.format_date(local_start.date(), weekday=weekday),
            start=self.format_time(local_start),
            end=self.format_time(local_end),
        )

    def format_when(self, value: str | date | datetime, *, weekday: bool = False) -> str:
        """A date (``2026-03-20``) as a date; a moment as date and time in Helsinki."""
        moment = parse_when(value)
        if isinstance(moment, datetime):
            return self.format_datetime(moment, weekday=weekday)
        return self.format_date(moment, weekday=weekday)

    def format_range(self, start: str, end: str) -> str:
        return start if start == end else self.pgettext("format", "{start} – {end}", start=start, end=end)

    # Numbers and lists.

    def format_number(self, value: float, *, decimals: int = 1) -> str:
        """``4,0`` in Finnish and Swedish, ``4.0`` in English."""
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        return format_decimal(value, format=pattern, locale=self.locale)

    def format_percent(self, share: float) -> str:
        """A share (0.42) as ``42 %`` in Finnish and Swedish, ``42%`` in English."""
        return format_percent(share, locale=self.locale)

    def format_list(self, items: Iterable[str]) -> str:
        """``A, B ja C`` / ``A, B och C`` / ``A, B and C``."""
        words: Sequence[str] = list(items)
        return babel_list(words, locale=self.locale) if words else ""


@cache
def load_catalog(locale_dir: Path, domain: str, language: str) -> Catalog:
    """The catalog of ``locale_dir/<language>/LC_MESSAGES/<domain>.po``, compiled once per process."""
    code = language_of(language)
    return Catalog(code, compile_po(po_path(locale_dir, domain, code), code))


def po_path(locale_dir: Path, domain: str, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def parse_when(value: str | date | datetime) -> date | datetime:
    """An ISO date or moment; a moment without an offset is taken to be UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    text = value.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_moment(value: str | datetime) -> datetime:
    moment = parse_when(value)
    if not isinstance(moment, datetime):
        return datetime(moment.year, moment.month, moment.day, tzinfo=HELSINKI)
    return moment


def to_helsinki(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(HELSINKI)
