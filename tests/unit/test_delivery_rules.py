"""When a failed email is tried again, and when Raati gives up on it, with the numbers of the README.

README, "Retries": a transient failure is tried again with exponential backoff and jitter (30 s, 1 min, 2 min …
up to 1 h) until 8 attempts or 48 hours, then the row is failed. The numbers below are typed from there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.delivery import RetryRules, next_attempt
from notifications.settings import DeliverySettings

RULES = RetryRules(base=timedelta(seconds=30), cap=timedelta(hours=1), max_attempts=8, max_age=timedelta(hours=48))
CREATED = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
FULL, HALF = 1.0, 0.0  # jitter scales the delay into [½, 1]


def delay(
    attempts: int, *, rules: RetryRules = RULES, jitter: float = FULL, age: timedelta = timedelta(0)
) -> timedelta | None:
    now = CREATED + age
    at = next_attempt(attempts=attempts, created_at=CREATED, now=now, rules=rules, jitter=jitter)
    return None if at is None else at - now


def test_the_defaults_are_those_of_the_readme(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MAX_ATTEMPTS", "MAX_AGE_HOURS", "RETRY_BASE_SECONDS", "RETRY_MAX_SECONDS"):
        monkeypatch.delenv(f"RAATI_{name}", raising=False)
    settings = DeliverySettings()

    assert (settings.max_attempts, settings.max_age_hours) == (8, 48)
    assert (settings.retry_base_seconds, settings.retry_max_seconds) == (30, 3600)


def test_the_delay_doubles_from_thirty_seconds() -> None:
    minutes = [delay(n) for n in range(1, 8)]

    assert minutes == [timedelta(minutes=m) for m in (0.5, 1, 2, 4, 8, 16, 32)]


def test_the_delay_stops_growing_at_an_hour() -> None:
    patient = RetryRules(base=RULES.base, cap=RULES.cap, max_attempts=100, max_age=timedelta(days=30))

    assert [delay(n, rules=patient) for n in (7, 8, 9, 40)] == [timedelta(minutes=32)] + [timedelta(hours=1)] * 3


def test_jitter_spreads_the_delay_between_half_and_all_of_it() -> None:
    assert delay(3, jitter=HALF) == timedelta(minutes=1)
    assert delay(3, jitter=0.5) == timedelta(minutes=1.5)
    assert delay(3, jitter=FULL) == timedelta(minutes=2)


def test_an_email_is_tried_eight_times_and_then_given_up() -> None:
    """After the seventh failure there is an eighth try; after the eighth, none, however young the row is."""
    assert delay(7, age=timedelta(hours=2)) is not None
    assert delay(8, age=timedelta(hours=2)) is None
    assert delay(9, age=timedelta(hours=2)) is None
    assert delay(8, age=timedelta(0), jitter=HALF) is None


def test_an_email_is_given_up_when_the_next_try_would_come_after_48_hours() -> None:
    """However few tries it has had: a row that waited two days (a server down all weekend) fails."""
    assert delay(1, age=timedelta(hours=47, minutes=59)) == timedelta(seconds=30)
    assert delay(1, age=timedelta(hours=47, minutes=59, seconds=45)) is None
    assert delay(1, age=timedelta(hours=49)) is None
    assert delay(3, age=timedelta(hours=47, minutes=59)) is None  # two minutes more are past 48 hours
