"""When things are due: pre-briefs, their alerts, summary reminders and the chasing of stale ideas.

Meetings happen in local wall-clock time: "seven days before a 17:00 meeting" is 17:00
local time a week earlier, also across a daylight-saving change. The time zone is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

PREBRIEF_FLOOR_DAYS = 3  # the model's rule: advance information no later than three days before
PREBRIEF_ALERT_DAYS = 4  # coordinators hear a day before the floor if the pre-brief cannot go out


def days_before(moment: datetime, days: int, tz: tzinfo) -> datetime:
    """The same wall-clock time ``days`` calendar days earlier, in ``tz``."""
    local = moment.astimezone(tz).replace(tzinfo=None) - timedelta(days=days)
    return local.replace(tzinfo=tz)


def days_after(moment: datetime, days: int, tz: tzinfo) -> datetime:
    return days_before(moment, -days, tz)


@dataclass(frozen=True)
class PrebriefTimes:
    due: datetime  # starts_at − lead_days
    alert: datetime  # starts_at − 4 days: not ready by now → coordinators are alerted
    deadline: datetime  # starts_at − 3 days: the hard floor

    def is_late(self, moment: datetime) -> bool:
        return moment > self.deadline


def prebrief_times(starts_at: datetime, *, lead_days: int, tz: tzinfo) -> PrebriefTimes:
    return PrebriefTimes(
        due=days_before(starts_at, lead_days, tz),
        alert=days_before(starts_at, PREBRIEF_ALERT_DAYS, tz),
        deadline=days_before(starts_at, PREBRIEF_FLOOR_DAYS, tz),
    )


def summary_reminders_due(ended_at: datetime, *, due_days: int, now: datetime, tz: tzinfo) -> list[int]:
    """Which summary reminders are due by ``now``: 1 (the day after), 2 (at the due date)."""
    due = []
    if now >= days_after(ended_at, 1, tz):
        due.append(1)
    if due_days > 1 and now >= days_after(ended_at, due_days, tz):
        due.append(2)
    return due


def periods_elapsed(since: datetime, *, every_days: int, now: datetime) -> int:
    """How many whole periods of ``every_days`` have passed since ``since`` (0 if none)."""
    if now <= since:
        return 0
    return int((now - since) / timedelta(days=every_days))


@dataclass(frozen=True)
class StaleChase:
    """What an idea waiting on its service has earned by now: the period numbers to act on."""

    reminder_period: int  # ≥ 1: remind the service's owners (once per period)
    escalation_period: int  # ≥ 1: tell the coordinators (from the second period on)


def chase_waiting_idea(sent_at: datetime, *, stale_days: int, now: datetime) -> StaleChase:
    """An idea in sent_to_service: a reminder after N days, an escalation after 2N, each period."""
    periods = periods_elapsed(sent_at, every_days=stale_days, now=now)
    return StaleChase(reminder_period=periods, escalation_period=max(periods - 1, 0))


def progress_note_period(last_change_at: datetime, *, note_days: int, now: datetime) -> int:
    """An idea in progress with no note for M days: the period of the note request (0: none due)."""
    return periods_elapsed(last_change_at, every_days=note_days, now=now)
