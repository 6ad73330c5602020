"""Cron schedules as Prefect fires them, in Helsinki time across the changes of the clocks.

(``tests/flows/test_deployments.py`` compares them with Prefect's own dates.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.cron import Cron, InvalidCron

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=HELSINKI)  # type: ignore[arg-type]


def test_a_slot_is_its_own_next_slot_and_a_microsecond_later_is_not() -> None:
    every_quarter = Cron("*/15 * * * *", "Europe/Helsinki")

    assert every_quarter.next_at(helsinki(2025, 8, 18, 9, 15)) == helsinki(2025, 8, 18, 9, 15)
    assert every_quarter.next_at(helsinki(2025, 8, 18, 9, 15, 0, 1)) == helsinki(2025, 8, 18, 9, 30)


def test_the_weekly_digest_waits_for_monday_morning_in_helsinki() -> None:
    mondays = Cron("0 8 * * 1", "Europe/Helsinki")

    assert mondays.next_at(helsinki(2025, 8, 19, 7, 0)) == helsinki(2025, 8, 25, 8, 0)
    assert mondays.next_at(helsinki(2025, 8, 19, 7, 0)).tzinfo is UTC


def test_a_time_skipped_in_spring_fires_as_much_later_as_the_clocks_jumped() -> None:
    purge = Cron("30 3 * * *", "Europe/Helsinki")

    # 29 March 2026: 03:00 becomes 04:00; 03:30 does not exist that night.
    assert purge.next_at(helsinki(2026, 3, 29, 0, 0)) == helsinki(2026, 3, 29, 4, 30)


def test_an_hour_that_repeats_in_autumn_fires_once() -> None:
    every_quarter = Cron("*/15 * * * *", "Europe/Helsinki")
    last_summer_slot = helsinki(2025, 10, 26, 3, 45)  # 26 October 2025: 04:00 becomes 03:00 again

    after = every_quarter.next_at(last_summer_slot.astimezone(UTC).replace(second=1))

    assert after == helsinki(2025, 10, 26, 4, 0)
    assert after - last_summer_slot.astimezone(UTC) == timedelta(minutes=75)  # not 03:00–03:45 a second time


def test_when_both_day_fields_are_given_either_day_fires() -> None:
    thirteenth_or_friday = Cron("0 0 13 * 5")

    assert thirteenth_or_friday.fires_on(datetime(2025, 8, 13).date())  # a Wednesday
    assert thirteenth_or_friday.fires_on(datetime(2025, 8, 15).date())  # a Friday
    assert not thirteenth_or_friday.fires_on(datetime(2025, 8, 14).date())
    assert not Cron("0 0 13 * 5", day_or=False).fires_on(datetime(2025, 8, 13).date())


@pytest.mark.parametrize(
    ("expression", "timezone", "reason"),
    [
        ("0 8 * *", "UTC", "needs 5 fields"),
        ("0 8 * * MON", "UTC", "cannot read 'MON'"),
        ("0 24 * * *", "UTC", "outside 0–23"),
        ("0 7-7 * * *", "UTC", "write 7"),
        ("0 0 31 2 *", "UTC", "no month has such a day"),
        ("0 8 * * *", "Europe/Espoo", "unknown time zone"),
    ],
)
def test_what_it_cannot_fire_as_prefect_would_is_refused(expression: str, timezone: str, reason: str) -> None:
    with pytest.raises(InvalidCron, match=reason):
        Cron(expression, timezone)
