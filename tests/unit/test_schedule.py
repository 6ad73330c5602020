"""The due-time rules: pure functions of moments, counted in Helsinki wall-clock days.

Helsinki leaves summer time on 2026-10-25 (04:00 EEST → 03:00 EET, UTC+3 → UTC+2) and enters
it on 2026-03-29 (03:00 EET → 04:00 EEST). "Seven days before a 17:00 meeting" stays 17:00
local time on both sides of the change, so the UTC distance is 7 days ± 1 hour.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.actors import Actor
from domain.errors import InvalidValue, PermissionDenied
from domain.events import Aggregate
from domain.meetings import development_task, schedule_meeting
from domain.panels import Panel, Service
from domain.schedule import (
    chase_waiting_idea,
    days_after,
    days_before,
    periods_elapsed,
    prebrief_times,
    progress_note_period,
    summary_reminders_due,
)
from domain.values import Role

HELSINKI = ZoneInfo("Europe/Helsinki")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=HELSINKI)


# --- days_before / days_after ----------------------------------------------------------------


def test_days_before_keeps_the_wall_clock_time_across_the_autumn_change() -> None:
    meeting = utc(2026, 10, 29, 15, 0)  # 17:00 EET
    week_before = days_before(meeting, 7, HELSINKI)
    assert week_before == utc(2026, 10, 22, 14, 0)  # 17:00 EEST
    assert week_before.astimezone(HELSINKI).hour == 17
    assert meeting - week_before == timedelta(days=7, hours=1)


def test_days_before_keeps_the_wall_clock_time_across_the_spring_change() -> None:
    meeting = utc(2026, 4, 2, 14, 0)  # 17:00 EEST
    week_before = days_before(meeting, 7, HELSINKI)
    assert week_before == utc(2026, 3, 26, 15, 0)  # 17:00 EET
    assert week_before.astimezone(HELSINKI).hour == 17
    assert meeting - week_before == timedelta(days=7) - timedelta(hours=1)


def test_days_before_does_not_depend_on_the_offset_the_moment_is_given_in() -> None:
    in_utc = utc(2026, 10, 29, 15, 0)
    in_local = in_utc.astimezone(HELSINKI)
    in_new_york = in_utc.astimezone(ZoneInfo("America/New_York"))
    expected = utc(2026, 10, 22, 14, 0)
    assert {days_before(moment, 7, HELSINKI) for moment in (in_utc, in_local, in_new_york)} == {expected}


def test_days_after_is_days_before_backwards_across_the_change() -> None:
    ended = utc(2026, 10, 24, 16, 0)  # 19:00 EEST, the evening before the change
    day_after = days_after(ended, 1, HELSINKI)
    assert day_after == utc(2026, 10, 25, 17, 0)  # 19:00 EET: a day of 25 hours
    assert days_before(day_after, 1, HELSINKI) == ended


def test_zero_days_before_is_the_same_moment() -> None:
    moment = utc(2026, 3, 29, 2, 30)
    assert days_before(moment, 0, HELSINKI) == moment


# --- prebrief_times and is_late --------------------------------------------------------------


def test_prebrief_times_in_autumn_due_before_the_change_deadline_after_it() -> None:
    starts = local(2026, 10, 29, 17, 0)
    times = prebrief_times(starts, lead_days=7, tz=HELSINKI)
    assert times.due == utc(2026, 10, 22, 14, 0)  # 17:00 EEST on the 22nd
    assert times.alert == utc(2026, 10, 25, 15, 0)  # 17:00 EET on the day of the change
    assert times.deadline == utc(2026, 10, 26, 15, 0)  # 17:00 EET on the 26th
    for moment in (times.due, times.alert, times.deadline):
        assert (moment.astimezone(HELSINKI).hour, moment.astimezone(HELSINKI).minute) == (17, 0)


def test_prebrief_times_in_spring_due_before_the_change_deadline_after_it() -> None:
    starts = local(2026, 4, 2, 17, 0)  # 14:00 UTC
    times = prebrief_times(starts, lead_days=7, tz=HELSINKI)
    assert times.due == utc(2026, 3, 26, 15, 0)  # 17:00 EET
    assert times.alert == utc(2026, 3, 29, 14, 0)  # 17:00 EEST on the day of the change
    assert times.deadline == utc(2026, 3, 30, 14, 0)  # 17:00 EEST


def test_prebrief_times_follow_the_panels_lead_days() -> None:
    starts = utc(2026, 6, 10, 14, 0)
    assert prebrief_times(starts, lead_days=14, tz=HELSINKI).due == utc(2026, 5, 27, 14, 0)
    assert prebrief_times(starts, lead_days=3, tz=HELSINKI).due == utc(2026, 6, 7, 14, 0)


def test_is_late_only_after_the_three_day_line() -> None:
    times = prebrief_times(local(2026, 10, 29, 17, 0), lead_days=7, tz=HELSINKI)
    assert not times.is_late(times.due)
    assert not times.is_late(utc(2026, 10, 26, 14, 59))  # 16:59 EET: still in time
    assert not times.is_late(times.deadline)  # exactly three days ahead is in time
    assert times.is_late(times.deadline + timedelta(seconds=1))
    # 15:00 UTC is the line after the change; with the summer offset it would have been 14:00 UTC.
    assert times.is_late(utc(2026, 10, 26, 15, 1))


# --- summary reminders -----------------------------------------------------------------------


def test_summary_reminders_the_day_after_and_at_the_due_day() -> None:
    ended = utc(2026, 5, 12, 16, 0)  # 19:00 EEST

    def due(now: datetime, due_days: int = 7) -> list[int]:
        return summary_reminders_due(ended, due_days=due_days, now=now, tz=HELSINKI)

    assert due(ended) == []
    assert due(utc(2026, 5, 13, 15, 59)) == []
    assert due(utc(2026, 5, 13, 16, 0)) == [1]
    assert due(utc(2026, 5, 19, 15, 59)) == [1]
    assert due(utc(2026, 5, 19, 16, 0)) == [1, 2]
    assert due(utc(2026, 7, 1)) == [1, 2]
    assert due(utc(2026, 5, 15, 16, 0), due_days=3) == [1, 2]


def test_summary_due_in_one_day_gives_a_single_reminder() -> None:
    ended = utc(2026, 5, 12, 16, 0)
    assert summary_reminders_due(ended, due_days=1, now=utc(2026, 6, 1), tz=HELSINKI) == [1]


def test_summary_reminder_the_day_after_counts_local_days_across_the_change() -> None:
    ended = utc(2026, 10, 24, 16, 0)  # 19:00 EEST
    at_24_hours = ended + timedelta(hours=24)
    assert summary_reminders_due(ended, due_days=7, now=at_24_hours, tz=HELSINKI) == []
    assert summary_reminders_due(ended, due_days=7, now=ended + timedelta(hours=25), tz=HELSINKI) == [1]


# --- chasing ideas ---------------------------------------------------------------------------


def test_waiting_idea_earns_nothing_before_n_days() -> None:
    sent = utc(2026, 2, 2, 9, 0)
    chase = chase_waiting_idea(sent, stale_days=14, now=sent + timedelta(days=14) - timedelta(minutes=1))
    assert (chase.reminder_period, chase.escalation_period) == (0, 0)


def test_waiting_idea_reminder_from_n_days_escalation_from_2n() -> None:
    sent = utc(2026, 2, 2, 9, 0)

    def periods(days: float) -> tuple[int, int]:
        chase = chase_waiting_idea(sent, stale_days=14, now=sent + timedelta(days=days))
        return chase.reminder_period, chase.escalation_period

    assert periods(14) == (1, 0)
    assert periods(27.99) == (1, 0)
    assert periods(28) == (2, 1)
    assert periods(41.99) == (2, 1)
    assert periods(42) == (3, 2)


def test_waiting_idea_periods_follow_the_panels_stale_days() -> None:
    sent = utc(2026, 2, 2, 9, 0)
    chase = chase_waiting_idea(sent, stale_days=5, now=sent + timedelta(days=10))
    assert (chase.reminder_period, chase.escalation_period) == (2, 1)


def test_no_periods_for_a_moment_before_the_start() -> None:
    sent = utc(2026, 2, 2, 9, 0)
    assert periods_elapsed(sent, every_days=14, now=sent - timedelta(days=30)) == 0
    assert periods_elapsed(sent, every_days=14, now=sent) == 0


def test_progress_note_requested_every_m_days_without_a_note() -> None:
    noted = utc(2026, 1, 5, 12, 0)
    assert progress_note_period(noted, note_days=45, now=noted + timedelta(days=44, hours=23)) == 0
    assert progress_note_period(noted, note_days=45, now=noted + timedelta(days=45)) == 1
    assert progress_note_period(noted, note_days=45, now=noted + timedelta(days=89)) == 1
    assert progress_note_period(noted, note_days=45, now=noted + timedelta(days=90)) == 2


# --- scheduling a meeting: the 3-day floor ----------------------------------------------------

PANEL = Panel(id=1, name="Kaaren asiakasraati")
SERVICE = Service(id=2, panel_id=1, name="Suun terveydenhuolto")
NOW = utc(2026, 9, 1, 9, 0)  # 12:00 EEST


def schedule(starts_at: datetime, *, reason: str | None = None, actor: Actor | None = None, at: datetime = NOW):
    return schedule_meeting(
        PANEL,
        starts_at=starts_at,
        leading_service=SERVICE,
        tasks=[development_task("Miten ajanvarausta voisi helpottaa?")],
        place="Kaaren kirjasto",
        actor=actor or Actor.operator(),
        at=at,
        tz=HELSINKI,
        late_reason=reason,
    )


def test_scheduling_less_than_three_days_ahead_without_a_reason_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        schedule(NOW + timedelta(days=2))
    assert refused.value.field == "at"
    assert "3 days" in refused.value.reason


def test_scheduling_a_minute_inside_the_three_day_line_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        schedule(NOW + timedelta(days=3) - timedelta(minutes=1))
    assert refused.value.field == "at"


def test_a_blank_reason_is_no_reason() -> None:
    with pytest.raises(InvalidValue) as refused:
        schedule(NOW + timedelta(days=1), reason="   ")
    assert refused.value.field == "at"


def test_scheduling_exactly_three_days_ahead_is_in_time() -> None:
    meeting, event = schedule(NOW + timedelta(days=3))
    assert meeting.late is False
    assert meeting.late_reason == ""
    assert "late_reason" not in event.data


def test_three_days_ahead_counts_wall_clock_days_across_the_autumn_change() -> None:
    now = utc(2026, 10, 23, 14, 30)  # 17:30 EEST
    in_time = utc(2026, 10, 26, 15, 30)  # 17:30 EET: three local days later, 73 hours in UTC
    meeting, _ = schedule(in_time, at=now)
    assert meeting.late is False
    with pytest.raises(InvalidValue):
        schedule(utc(2026, 10, 26, 15, 29), at=now)  # 72 h 59 min: three UTC days, but not three local ones


def test_scheduling_late_with_a_reason_is_accepted_and_recorded() -> None:
    reason = "Palvelun uusi ajanvaraus avautuu ensi viikolla; palaute tarvitaan ennen sitä."
    meeting, event = schedule(NOW + timedelta(days=2), reason=f"  {reason}  ")
    assert meeting.late is True
    assert meeting.late_reason == reason
    assert event.aggregate is Aggregate.MEETING
    assert event.type == "scheduled"
    assert event.data["late_reason"] == reason


def test_a_reason_given_for_a_meeting_in_time_is_not_recorded() -> None:
    meeting, event = schedule(NOW + timedelta(days=10), reason="varmuuden vuoksi")
    assert meeting.late is False
    assert meeting.late_reason == ""
    assert "late_reason" not in event.data


@pytest.mark.parametrize("offset", [timedelta(0), -timedelta(minutes=1), -timedelta(days=3)])
def test_a_meeting_that_does_not_start_in_the_future_is_refused_even_with_a_reason(offset: timedelta) -> None:
    with pytest.raises(InvalidValue) as refused:
        schedule(NOW + offset, reason="myöhässä")
    assert refused.value.field == "at"
    assert "future" in refused.value.reason


def test_scheduling_needs_a_coordinator_of_the_panel() -> None:
    outsider = Actor(name="coord@elsewhere.fi", role=Role.COORDINATOR, panel_ids=frozenset({99}))
    with pytest.raises(PermissionDenied):
        schedule(NOW + timedelta(days=10), actor=outsider)
    coordinator = Actor(name="coord@kaari.fi", role=Role.COORDINATOR, panel_ids=frozenset({1}))
    meeting, _ = schedule(NOW + timedelta(days=10), actor=coordinator)
    assert meeting.panel_id == 1
