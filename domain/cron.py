"""Cron schedules as Prefect fires them: the next moment a five-field cron expression fires in a time zone.

The deployments' schedules (``prefect.yaml``) are cron expressions in Helsinki time. Prefect fires
each matching wall-clock time once: a time that repeats when the clocks go back fires at its first
occurrence only, and a time that does not exist when they go forward fires as much later as the gap
is long (03:30 on the spring change fires at 04:30 summer time). ``Cron.next_at`` keeps the same
rules, so the season simulator runs a flow exactly when a Prefect server would.

Fields: minute, hour, day of month, month, day of week (0–7, both 0 and 7 are Sunday). Each is
``*``, a number, a range ``a-b``, a step ``*/n``, ``a-b/n`` or ``a/n``, or a comma list of these.
When both day fields are restricted, a day matching either fires (cron's rule; ``day_or=False``
asks for both). Names (``MON``, ``JAN``), ``@daily``, ``L``/``W``/``#``/``?`` and a range of one
value (``7-7``, which Prefect's croniter reads as every value) are refused. Compared with Prefect's
own dates (``tests/flows/test_deployments.py``) across daylight-saving changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# (name, lowest, highest) of the five fields, in order.
_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))
_PART = re.compile(r"^(\*|\d+(?:-\d+)?)(?:/(\d+))?$")
_LONGEST_MONTH = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}
# Longer than any daylight-saving gap: a skipped wall time fires up to one gap later.
_LOOKBACK = timedelta(hours=3)
# Every satisfiable expression fires within 28 years (29 February on a given weekday, day_or=False).
_SEARCH_DAYS = 366 * 29


class InvalidCron(ValueError):
    """A cron expression this module cannot read: names the expression and the reason."""

    def __init__(self, expression: str, reason: str) -> None:
        self.expression = expression
        self.reason = reason
        super().__init__(f"cron {expression!r}: {reason}")


@dataclass(frozen=True)
class Cron:
    """A cron expression in a time zone (an IANA name such as ``Europe/Helsinki``)."""

    expression: str
    timezone: str = "UTC"
    day_or: bool = True
    minutes: tuple[int, ...] = field(init=False, repr=False, compare=False)
    hours: tuple[int, ...] = field(init=False, repr=False, compare=False)
    days: frozenset[int] = field(init=False, repr=False, compare=False)
    months: frozenset[int] = field(init=False, repr=False, compare=False)
    weekdays: frozenset[int] = field(init=False, repr=False, compare=False)  # cron's: 0 is Sunday
    _restricted: tuple[bool, bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        texts = self.expression.split()
        if len(texts) != len(_FIELDS):
            raise InvalidCron(self.expression, f"needs {len(_FIELDS)} fields, has {len(texts)}")
        minutes, hours, days, months, weekdays = (
            _parse(self.expression, text, *limits) for text, limits in zip(texts, _FIELDS, strict=True)
        )
        weekdays = {0 if day == 7 else day for day in weekdays}
        # As Prefect's croniter reads them: ``*`` restricts nothing, nor does a field that allows every day
        # (``*/1``, ``0-6``) when the other day field has a ``*`` in it.
        restricted = (
            texts[2] != "*" and (days != set(range(1, 32)) or "*" not in texts[4]),
            texts[4] != "*" and (weekdays != set(range(7)) or "*" not in texts[2]),
        )
        possible = any(day <= _LONGEST_MONTH.get(month, 31) for day in days for month in months)
        if restricted[0] and not possible and (not restricted[1] or not self.day_or):
            raise InvalidCron(self.expression, "no month has such a day")
        try:
            ZoneInfo(self.timezone)
        except (ValueError, LookupError) as error:  # ZoneInfoNotFoundError is a KeyError
            raise InvalidCron(self.expression, f"unknown time zone {self.timezone!r}") from error
        for name, value in (
            ("minutes", tuple(sorted(minutes))),
            ("hours", tuple(sorted(hours))),
            ("days", frozenset(days)),
            ("months", frozenset(months)),
            ("weekdays", frozenset(weekdays)),
            ("_restricted", restricted),
        ):
            object.__setattr__(self, name, value)

    def next_at(self, moment: datetime) -> datetime:
        """The first time at or after ``moment`` at which the schedule fires, in UTC."""
        if moment.tzinfo is None:
            raise ValueError("next_at needs an aware moment")
        zone = ZoneInfo(self.timezone)
        after = moment.astimezone(UTC)
        start = moment.astimezone(zone).replace(tzinfo=None)
        if _clocks_change_near(zone, after):  # a wall time skipped just before may fire now
            start -= _LOOKBACK
        best: tuple[datetime, datetime] | None = None  # (the instant, its wall-clock time)
        for wall in self._wall_times(start):
            if best is not None and wall > best[1] + _LOOKBACK:
                break
            # fold=0: the first of a repeated time; a skipped time reads with the offset before the gap.
            instant = wall.replace(tzinfo=zone).astimezone(UTC)
            if instant >= after and (best is None or instant < best[0]):
                best = (instant, wall)
                if not _clocks_change_near(zone, instant):  # later wall times are later instants
                    break
        if best is None:
            raise InvalidCron(self.expression, f"does not fire within {_SEARCH_DAYS} days of {moment.isoformat()}")
        return best[0]

    def fires_on(self, day: date) -> bool:
        """Whether the day fields match ``day`` (a local date)."""
        if day.month not in self.months:
            return False
        in_month = day.day in self.days
        in_week = (day.weekday() + 1) % 7 in self.weekdays
        if all(self._restricted) and self.day_or:
            return in_month or in_week
        return in_month and in_week

    def _wall_times(self, start: datetime) -> Iterator[datetime]:
        """The matching wall-clock times at or after ``start`` (naive, local), in order."""
        day = start.date()
        for _ in range(_SEARCH_DAYS):
            if self.fires_on(day):
                for hour in self.hours:
                    if day == start.date() and hour < start.hour:
                        continue
                    for minute in self.minutes:
                        wall = datetime.combine(day, time(hour, minute))
                        if wall >= start:
                            yield wall
            day += timedelta(days=1)


def _clocks_change_near(zone: ZoneInfo, instant: datetime) -> bool:
    return (instant - _LOOKBACK).astimezone(zone).utcoffset() != (instant + _LOOKBACK).astimezone(zone).utcoffset()


def _parse(expression: str, text: str, name: str, low: int, high: int) -> set[int]:
    values: set[int] = set()
    for part in text.split(","):
        match = _PART.match(part)
        if match is None:
            raise InvalidCron(expression, f"cannot read {part!r} in the {name} field")
        body, step_text = match.groups()
        step = int(step_text) if step_text else 1
        if body == "*":
            first, last = low, high
        elif "-" in body:
            first, last = (int(number) for number in body.split("-"))
            if first == last:  # Prefect's croniter reads such a range as every value
                raise InvalidCron(expression, f"write {first}, not {part!r}, in the {name} field")
        else:
            first = int(body)
            last = high if step_text else first
        if step < 1 or not low <= first <= last <= high:
            raise InvalidCron(expression, f"{part!r} is outside {low}–{high} in the {name} field")
        values.update(range(first, last + 1, step))
    return values
