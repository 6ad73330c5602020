"""Message catalogs: every sentence Raati writes, in Finnish (the default), Swedish and English.

The templates in ``notifications/templates`` hold the layout of each kind once; the words come
from here, so a translator edits one file per language and a test checks that no language lacks
a message. Messages are ``str.format`` patterns with named fields. Dates and times are written
the way each language writes them, always in Helsinki time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from domain.ground_rules import default_rules
from notifications.catalogs import en, fi, sv

HELSINKI = ZoneInfo("Europe/Helsinki")
DEFAULT_LANGUAGE = "fi"


class MissingMessageError(LookupError):
    """A template asked for a message the catalog does not have (a bug, not bad input)."""


@dataclass(frozen=True)
class Catalog:
    language: str
    messages: Mapping[str, str]
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    ground_rules: tuple[str, ...]

    def __call__(self, key: str, /, **values: object) -> str:
        try:
            pattern = self.messages[key]
        except KeyError:
            raise MissingMessageError(f"no message {key!r} in the {self.language!r} catalog") from None
        return pattern.format(**values)

    def plural(self, key: str, count: int, /, **values: object) -> str:
        """``key.one`` for exactly one, ``key.other`` otherwise (the rule of fi, sv and en alike)."""
        return self(f"{key}.one" if count == 1 else f"{key}.other", count=count, **values)

    def format_date(self, value: date, *, weekday: bool = False) -> str:
        month_name = self.months[value.month - 1] if self.months else ""
        text = self("fmt.date", day=value.day, month=value.month, month_name=month_name, year=value.year)
        if weekday:
            return self("fmt.weekday_date", weekday=self.weekdays[value.weekday()], date=text)
        return text

    def format_time(self, value: datetime) -> str:
        local = to_helsinki(value)
        return self("fmt.time", hour=local.hour, minute=local.minute)

    def format_datetime(self, value: datetime, *, weekday: bool = False) -> str:
        local = to_helsinki(value)
        return self("fmt.datetime", date=self.format_date(local.date(), weekday=weekday), time=self.format_time(local))

    def format_span(self, start: datetime, end: datetime | None, *, weekday: bool = True) -> str:
        """A meeting's time: ``torstai 12.3.2026 klo 17.00–19.00``; the end only when on the same day."""
        local_start, local_end = to_helsinki(start), to_helsinki(end) if end else None
        if local_end is None or local_end.date() != local_start.date():
            return self.format_datetime(start, weekday=weekday)
        return self(
            "fmt.datetime_span",
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


def _catalog(
    language: str,
    messages: Mapping[str, str],
    *,
    weekdays: tuple[str, ...],
    months: tuple[str, ...],
    ground_rules: tuple[str, ...],
) -> Catalog:
    return Catalog(language, MappingProxyType(dict(messages)), weekdays, months, ground_rules)


CATALOGS: Mapping[str, Catalog] = MappingProxyType(
    {
        module.LANGUAGE: _catalog(
            module.LANGUAGE,
            module.MESSAGES,
            weekdays=module.WEEKDAYS,
            months=module.MONTHS,
            # One source: the model's rules live in the domain, with the versions panels publish.
            ground_rules=default_rules(module.LANGUAGE),
        )
        for module in (fi, sv, en)
    }
)
LANGUAGES = tuple(CATALOGS)


def catalog_for(language: str | None) -> Catalog:
    """The catalog of a language (``fi``, ``sv``, ``en``, also ``sv-FI``); anything else gets Finnish."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return CATALOGS.get(code, CATALOGS[DEFAULT_LANGUAGE])


def default_ground_rules(language: str | None) -> list[str]:
    """The ground rules of the customer panel model, for a new panel's welcome email."""
    return list(catalog_for(language).ground_rules)
