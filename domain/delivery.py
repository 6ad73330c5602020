"""Delivery rules: when to try a failed notification again, and when to give up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryRules:
    base: timedelta
    cap: timedelta
    max_attempts: int
    max_age: timedelta


def next_attempt(
    *, attempts: int, created_at: datetime, now: datetime, rules: RetryRules, jitter: float
) -> datetime | None:
    """The time of the next try after ``attempts`` failed ones, or None to give up.

    Exponential backoff (base, 2×base, 4×base … up to the cap) with "equal jitter":
    the delay is scaled into [½, 1] by ``jitter`` ∈ [0, 1], so that dispatchers that
    failed together do not all come back at the same moment.
    """
    if attempts >= rules.max_attempts:
        return None
    delay = min(rules.cap, rules.base * (1 << min(max(attempts - 1, 0), 30)))
    at = now + delay * (0.5 + min(max(jitter, 0.0), 1.0) / 2)
    if at - created_at > rules.max_age:
        return None
    return at
