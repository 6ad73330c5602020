"""The cadence use cases on real databases (a SQLite file and PostgreSQL) with the test clock.

Pre-briefs, their late alerts, meeting follow-up, chasing stale ideas and the progress report:
each queues its outbox rows exactly when due, and running it again — at the same moment or
later within the same period — queues nothing more (row ids carry the dedupe key).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from application.commands import (
    AddUser,
    ApproveSummary,
    DraftSummary,
    MoveIdea,
    NoteIdea,
    RaiseIdea,
    ScheduleMeeting,
    UpdateMeeting,
)
from application.ideas.changes import move_idea, note_idea, raise_idea
from application.ideas.chasing import chase_stale_ideas
from application.ideas.progress_reports import send_progress_reports
from application.meetings.changes import approve_summary, draft_summary, schedule_meeting, update_meeting
from application.meetings.follow_up import follow_up_meetings
from application.meetings.prebriefs import send_due_prebriefs
from application.people.roster import add_user
from domain.errors import InvalidValue
from domain.events import Aggregate, Event
from domain.meetings import Meeting, MeetingStatus
from domain.values import Role
from notifications import kinds
from notifications.calendar import prebrief_ics
from notifications.catalogs import catalog_for
from notifications.outbox import OutboxMessage, RecipientKind
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from tests.integration.conftest import OWNER, PANEL, SERVICE, World

UowFactory = Callable[[], SqlAlchemyUnitOfWork]
COORDINATORS = ("koordinaattori@kaari.example", "varakoordinaattori@kaari.example")
DECLINE_REASON = "Ajanvarausjärjestelmä uusitaan koko alueella ensi vuonna."


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass
class Cadence:
    """The integration ``world`` (clock at 2025-03-03 09:00 UTC) plus two coordinators of its panel."""

    world: World
    uow_factory: UowFactory
    clock: FixedClock

    @property
    def member_emails(self) -> set[str]:
        return set(self.world.members)

    # --- making things happen through the use cases ---

    def schedule(
        self,
        starts_at: datetime,
        *,
        ends_at: datetime | None = None,
        place: str = "Kaaren kirjasto",
        late_reason: str | None = None,
    ) -> int:
        meeting = schedule_meeting(
            ScheduleMeeting(
                panel=PANEL,
                starts_at=starts_at,
                service=SERVICE,
                tasks=("Miten ajanvarausta voisi helpottaa?",),
                place=place,
                title="Ajanvaraus",
                agenda=("Tervetuloa", "Ajanvarauksen kokemukset"),
                late_reason=late_reason,
            ),
            uow=self.uow_factory(),
            clock=self.clock,
        )
        assert meeting.id is not None
        if ends_at is not None:
            update_meeting(
                UpdateMeeting(meeting_id=meeting.id, ends_at=ends_at), uow=self.uow_factory(), clock=self.clock
            )
        return meeting.id

    def raise_idea(self, title: str, *, meeting_id: int | None = None, service: str | None = None) -> int:
        view = raise_idea(
            RaiseIdea(meeting_id=meeting_id or self.world.meeting_id, title=title, service=service),
            uow=self.uow_factory(),
            clock=self.clock,
        )
        return view.id

    def move(self, idea_id: int, to: str, *, note: str | None = None) -> None:
        service = SERVICE if to == "sent_to_service" else None
        move_idea(
            MoveIdea(idea_id=idea_id, to=to, note=note, service=service), uow=self.uow_factory(), clock=self.clock
        )

    def note(self, idea_id: int, text: str, *, actor: str | None = None) -> None:
        note_idea(NoteIdea(idea_id=idea_id, text=text, actor=actor), uow=self.uow_factory(), clock=self.clock)

    # --- running the cadence use cases at a moment ---

    def prebriefs(self, at: datetime | None = None) -> Any:
        if at is not None:
            self.clock.set(at)
        return send_due_prebriefs(uow_factory=self.uow_factory, clock=self.clock)

    def follow_up(self, at: datetime | None = None) -> Any:
        if at is not None:
            self.clock.set(at)
        return follow_up_meetings(uow_factory=self.uow_factory, clock=self.clock)

    def chase(self, at: datetime | None = None) -> Any:
        if at is not None:
            self.clock.set(at)
        return chase_stale_ideas(uow_factory=self.uow_factory, clock=self.clock)

    def reports(self, at: datetime | None = None) -> Any:
        if at is not None:
            self.clock.set(at)
        return send_progress_reports(uow_factory=self.uow_factory, clock=self.clock)

    # --- reading what happened ---

    def meeting(self, meeting_id: int) -> Meeting:
        with self.uow_factory() as uow:
            return uow.meetings.get(meeting_id)

    def events(self, aggregate: Aggregate, aggregate_id: int, type_: str) -> list[Event]:
        with self.uow_factory() as uow:
            return [e for e in uow.events.for_aggregate(aggregate, aggregate_id) if e.type == type_]

    def rows(self, kind: str, *, meeting: int | None = None, idea: int | None = None) -> list[OutboxMessage]:
        with self.uow_factory() as uow:
            found = [m for m in uow.outbox.list() if m.kind == kind]
        if meeting is not None:
            found = [m for m in found if _subject(m, "meeting_id") == meeting]
        if idea is not None:
            found = [m for m in found if _subject(m, "idea_id") == idea]
        return found


def _subject(row: OutboxMessage, key: str) -> Any:
    """The meeting or idea a row is about: on the payload, or on its single overdue item."""
    if key in row.payload:
        return row.payload[key]
    items = row.payload.get("items") or [{}]
    return items[0].get(key)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def emails(rows: list[OutboxMessage]) -> list[str]:
    return sorted(r.email for r in rows)


def assert_contract(rows: list[OutboxMessage]) -> None:
    """Every payload carries the keys its kind's template requires."""
    for row in rows:
        required = kinds.PAYLOAD_TYPES[row.kind].__required_keys__
        assert required <= row.payload.keys(), (row.kind, required - row.payload.keys())


@pytest.fixture
def cadence(world: World, uow_factory: UowFactory, clock: FixedClock) -> Cadence:
    for address in COORDINATORS:
        add_user(AddUser(email=address, role=Role.COORDINATOR, panel=PANEL), uow=uow_factory(), clock=clock)
    return Cadence(world=world, uow_factory=uow_factory, clock=clock)


# --- Pre-briefs --------------------------------------------------------------------------------

STARTS = utc(2025, 3, 20, 15, 0)  # 17:00 EET, a Thursday; summer time starts only on 2025-03-30
ENDS = utc(2025, 3, 20, 17, 0)
DUE = utc(2025, 3, 13, 15, 0)  # starts − 7 days (the panel's lead_days)
ALERT = utc(2025, 3, 16, 15, 0)  # starts − 4 days
DEADLINE = utc(2025, 3, 17, 15, 0)  # starts − 3 days
MINUTE = timedelta(minutes=1)


def test_prebrief_is_queued_to_every_member_who_receives_mail_exactly_at_the_lead_time(cadence: Cadence) -> None:
    meeting_id = cadence.schedule(STARTS, ends_at=ENDS)

    early = cadence.prebriefs(DUE - MINUTE)
    assert meeting_id not in early.sent
    assert cadence.rows(kinds.PREBRIEF, meeting=meeting_id) == []
    assert cadence.meeting(meeting_id).prebrief_sent_at is None

    run = cadence.prebriefs(DUE)
    assert run.sent == [meeting_id]
    rows = cadence.rows(kinds.PREBRIEF, meeting=meeting_id)
    assert emails(rows) == sorted(cadence.member_emails)  # the retired member is not among them
    assert run.queued == len(rows) == 3
    assert {r.recipient_kind for r in rows} == {RecipientKind.MEMBER}
    assert {r.email: r.language for r in rows} == {e: lang for e, (_, lang) in cadence.world.members.items()}
    assert_contract(rows)
    for row in rows:
        assert instant(row.payload["starts_at"]) == STARTS
        assert instant(row.payload["ends_at"]) == ENDS
        assert row.payload["place"] == "Kaaren kirjasto"
        assert row.payload["leading_service_name"] == SERVICE
        assert row.payload["agenda"] == ["Tervetuloa", "Ajanvarauksen kokemukset"]
        assert row.payload["coordinator_email"] == COORDINATORS[0]
        ics = prebrief_ics(row.payload, catalog_for(row.language), mail_domain="raati.test")
        assert "DTSTART:20250320T150000Z" in ics
        assert "DTEND:20250320T170000Z" in ics
        assert "LOCATION:Kaaren kirjasto" in ics
        assert f"UID:meeting-{meeting_id}@raati.test" in ics

    meeting = cadence.meeting(meeting_id)
    assert meeting.prebrief_sent_at == DUE
    assert meeting.status is MeetingStatus.PREBRIEF_SENT
    assert meeting.late is False
    assert cadence.rows(kinds.REMINDER) == cadence.rows(kinds.ESCALATION) == []


def test_running_prebriefs_again_at_the_same_or_a_later_moment_queues_nothing(cadence: Cadence) -> None:
    meeting_id = cadence.schedule(STARTS, ends_at=ENDS)
    assert cadence.prebriefs(DUE).queued == 3
    ids = sorted(r.id for r in cadence.rows(kinds.PREBRIEF, meeting=meeting_id))

    for moment in (DUE, DUE, DUE + timedelta(hours=1), ALERT, DEADLINE + timedelta(hours=1)):
        again = cadence.prebriefs(moment)
        assert (again.queued, again.sent) == (0, [])

    assert sorted(r.id for r in cadence.rows(kinds.PREBRIEF, meeting=meeting_id)) == ids
    assert cadence.meeting(meeting_id).prebrief_sent_at == DUE
    assert len(cadence.events(Aggregate.MEETING, meeting_id, "prebrief_sent")) == 1


def test_prebrief_due_time_follows_the_helsinki_clock_across_the_spring_change(cadence: Cadence) -> None:
    # The world's meeting starts 2025-04-02 09:00 UTC = 12:00 EEST; a week earlier it is 12:00 EET = 10:00 UTC.
    meeting_id = cadence.world.meeting_id
    assert cadence.meeting(meeting_id).starts_at == utc(2025, 4, 2, 9, 0)

    cadence.prebriefs(utc(2025, 3, 26, 9, 0))  # exactly 7 × 24 hours before: an hour early in Helsinki
    assert cadence.rows(kinds.PREBRIEF, meeting=meeting_id) == []

    cadence.prebriefs(utc(2025, 3, 26, 10, 0))
    assert emails(cadence.rows(kinds.PREBRIEF, meeting=meeting_id)) == sorted(cadence.member_emails)


def test_meeting_without_a_place_alerts_coordinators_at_four_days_and_is_flagged_late_at_three(
    cadence: Cadence,
) -> None:
    meeting_id = cadence.schedule(STARTS, ends_at=ENDS, place="")

    for moment in (DUE, DUE + timedelta(days=1), ALERT - MINUTE):
        cadence.prebriefs(moment)
    assert cadence.rows(kinds.REMINDER, meeting=meeting_id) == []

    run = cadence.prebriefs(ALERT)
    assert run.at_risk == [meeting_id]
    reminders = cadence.rows(kinds.REMINDER, meeting=meeting_id)
    assert emails(reminders) == sorted(COORDINATORS)
    assert {r.recipient_kind for r in reminders} == {RecipientKind.STAFF}
    assert_contract(reminders)
    item = reminders[0].payload["items"][0]
    assert (item["subject"], instant(item["due_at"]), item["days_overdue"]) == ("prebrief", DEADLINE, 0)
    assert cadence.meeting(meeting_id).late is False

    for moment in (ALERT, ALERT + timedelta(hours=1), DEADLINE - MINUTE):
        assert cadence.prebriefs(moment).queued == 0
    assert len(cadence.rows(kinds.REMINDER, meeting=meeting_id)) == 2
    assert cadence.rows(kinds.ESCALATION, meeting=meeting_id) == []
    assert cadence.meeting(meeting_id).late is False

    run = cadence.prebriefs(DEADLINE)
    assert run.flagged_late == [meeting_id]
    escalations = cadence.rows(kinds.ESCALATION, meeting=meeting_id)
    assert emails(escalations) == sorted(COORDINATORS)
    assert_contract(escalations)
    assert cadence.meeting(meeting_id).late is True

    for moment in (DEADLINE, DEADLINE + timedelta(hours=1), DEADLINE + timedelta(days=2), STARTS + MINUTE):
        again = cadence.prebriefs(moment)
        assert (again.queued, again.flagged_late) == (0, [])
    assert len(cadence.rows(kinds.REMINDER, meeting=meeting_id)) == 2
    assert len(cadence.rows(kinds.ESCALATION, meeting=meeting_id)) == 2
    assert len(cadence.events(Aggregate.MEETING, meeting_id, "flagged_late")) == 1
    assert cadence.rows(kinds.PREBRIEF, meeting=meeting_id) == []  # members heard nothing: nothing to tell
    assert cadence.meeting(meeting_id).prebrief_sent_at is None


def test_a_late_meeting_sends_its_prebrief_as_soon_as_it_has_a_place_and_stays_flagged(cadence: Cadence) -> None:
    meeting_id = cadence.schedule(STARTS, ends_at=ENDS, place="")
    cadence.prebriefs(ALERT)
    cadence.prebriefs(DEADLINE)

    cadence.clock.set(DEADLINE + timedelta(days=1))
    update_meeting(
        UpdateMeeting(meeting_id=meeting_id, place="Kaaren kirjasto, kokoushuone 2"),
        uow=cadence.uow_factory(),
        clock=cadence.clock,
    )
    run = cadence.prebriefs()
    assert run.sent == [meeting_id]
    assert emails(cadence.rows(kinds.PREBRIEF, meeting=meeting_id)) == sorted(cadence.member_emails)
    (sent,) = cadence.events(Aggregate.MEETING, meeting_id, "prebrief_sent")
    assert sent.data["late"] is True
    meeting = cadence.meeting(meeting_id)
    assert (meeting.late, meeting.prebrief_sent_at) == (True, DEADLINE + timedelta(days=1))
    # The coordinators already heard that it is late: no second escalation for the same meeting.
    assert len(cadence.rows(kinds.ESCALATION, meeting=meeting_id)) == 2
    assert cadence.prebriefs().queued == 0


def test_scheduling_two_days_ahead_without_a_reason_is_refused_and_stores_nothing(cadence: Cadence) -> None:
    with pytest.raises(InvalidValue) as refused:
        cadence.schedule(cadence.clock.now() + timedelta(days=2))
    assert refused.value.field == "at"
    with cadence.uow_factory() as uow:
        assert [m.id for m in uow.meetings.for_panel(cadence.world.panel_id)] == [cadence.world.meeting_id]


def test_meeting_scheduled_two_days_ahead_with_a_reason_is_late_from_the_start_and_briefed_at_once(
    cadence: Cadence,
) -> None:
    now = cadence.clock.now()
    reason = "Palvelun uusi ajanvaraus avautuu ensi viikolla."
    meeting_id = cadence.schedule(now + timedelta(days=2), late_reason=reason)
    stored = cadence.meeting(meeting_id)
    assert (stored.late, stored.late_reason) == (True, reason)
    (scheduled,) = cadence.events(Aggregate.MEETING, meeting_id, "scheduled")
    assert scheduled.data["late_reason"] == reason

    run = cadence.prebriefs(now)
    assert run.sent == [meeting_id]
    assert emails(cadence.rows(kinds.PREBRIEF, meeting=meeting_id)) == sorted(cadence.member_emails)
    (sent,) = cadence.events(Aggregate.MEETING, meeting_id, "prebrief_sent")
    assert sent.data["late"] is True
    assert cadence.meeting(meeting_id).prebrief_sent_at == now
    assert cadence.rows(kinds.REMINDER, meeting=meeting_id) == []  # no "at risk" alert: it went out
    staff_rows = len(cadence.rows(kinds.ESCALATION, meeting=meeting_id))

    for moment in (now, now + timedelta(hours=6), now + timedelta(days=1)):
        assert cadence.prebriefs(moment).queued == 0
    assert len(cadence.rows(kinds.PREBRIEF, meeting=meeting_id)) == 3
    assert len(cadence.rows(kinds.ESCALATION, meeting=meeting_id)) == staff_rows


# --- Follow-up after the meeting -----------------------------------------------------------------

HELD_STARTS = utc(2025, 3, 10, 15, 0)  # 17:00 EET
HELD_ENDS = utc(2025, 3, 10, 17, 0)
DAY_AFTER = utc(2025, 3, 11, 17, 0)
SUMMARY_DUE = utc(2025, 3, 17, 17, 0)  # ends + summary_due_days (7)


def test_meeting_is_marked_held_once_it_has_ended(cadence: Cadence) -> None:
    meeting_id = cadence.schedule(HELD_STARTS, ends_at=HELD_ENDS)

    assert meeting_id not in cadence.follow_up(HELD_ENDS - MINUTE).held
    assert cadence.meeting(meeting_id).status is MeetingStatus.PLANNED

    assert cadence.follow_up(HELD_ENDS).held == [meeting_id]
    assert cadence.meeting(meeting_id).status is MeetingStatus.HELD
    assert cadence.follow_up(HELD_ENDS + timedelta(hours=1)).held == []
    assert len(cadence.events(Aggregate.MEETING, meeting_id, "held")) == 1


def test_summary_reminders_go_to_coordinators_the_day_after_and_at_the_due_day_once_each(cadence: Cadence) -> None:
    meeting_id = cadence.schedule(HELD_STARTS, ends_at=HELD_ENDS)

    for moment in (HELD_ENDS, HELD_ENDS + timedelta(hours=12), DAY_AFTER - MINUTE):
        cadence.follow_up(moment)
    assert cadence.rows(kinds.REMINDER, meeting=meeting_id) == []

    cadence.follow_up(DAY_AFTER)
    first = cadence.rows(kinds.REMINDER, meeting=meeting_id)
    assert emails(first) == sorted(COORDINATORS)
    assert_contract(first)
    assert {r.payload["items"][0]["reminders_sent"] for r in first} == {0}
    assert {instant(r.payload["items"][0]["due_at"]) for r in first} == {SUMMARY_DUE}

    for moment in (DAY_AFTER, DAY_AFTER + timedelta(days=2), SUMMARY_DUE - MINUTE):
        assert cadence.follow_up(moment).queued == 0
    assert len(cadence.rows(kinds.REMINDER, meeting=meeting_id)) == 2

    cadence.follow_up(SUMMARY_DUE)
    rows = cadence.rows(kinds.REMINDER, meeting=meeting_id)
    second = [r for r in rows if r.id not in {f.id for f in first}]
    assert emails(second) == sorted(COORDINATORS)
    assert {r.payload["items"][0]["reminders_sent"] for r in second} == {1}

    for moment in (SUMMARY_DUE, SUMMARY_DUE + timedelta(days=1), SUMMARY_DUE + timedelta(days=14)):
        assert cadence.follow_up(moment).queued == 0
    assert len(cadence.rows(kinds.REMINDER, meeting=meeting_id)) == 4
    assert cadence.rows(kinds.SUMMARY, meeting=meeting_id) == []


def test_a_follow_up_that_first_runs_after_the_due_day_sends_one_reminder_not_both(cadence: Cadence) -> None:
    meeting_id = cadence.schedule(HELD_STARTS, ends_at=HELD_ENDS)

    run = cadence.follow_up(SUMMARY_DUE + timedelta(days=3))  # the flows were stopped until now

    rows = cadence.rows(kinds.REMINDER, meeting=meeting_id)
    assert emails(rows) == sorted(COORDINATORS)  # one each
    assert run.reminders == [(meeting_id, 2)]
    assert {r.payload["items"][0]["days_overdue"] for r in rows} == {3}
    assert cadence.follow_up(SUMMARY_DUE + timedelta(days=4)).queued == 0


def test_an_approved_summary_goes_to_members_once_with_the_ideas_raised_at_that_meeting(cadence: Cadence) -> None:
    meeting_id = cadence.schedule(HELD_STARTS, ends_at=HELD_ENDS)
    cadence.clock.set(HELD_ENDS + timedelta(minutes=30))
    with_service = cadence.raise_idea("Takaisinsoitto ajanvaraukseen", meeting_id=meeting_id, service=SERVICE)
    without_service = cadence.raise_idea("Selkeämmät opasteet", meeting_id=meeting_id)
    elsewhere = cadence.raise_idea("Toisen kokouksen idea")  # raised at the world's meeting

    cadence.clock.set(utc(2025, 3, 11, 10, 0))
    draft_summary(
        DraftSummary(meeting_id=meeting_id, text="Keskustelimme ajanvarauksesta.", next_steps=("Palvelu vastaa.",)),
        uow=cadence.uow_factory(),
        clock=cadence.clock,
    )
    approve_summary(ApproveSummary(meeting_id=meeting_id), uow=cadence.uow_factory(), clock=cadence.clock)

    run = cadence.follow_up()
    assert run.summaries_sent == [meeting_id]
    rows = cadence.rows(kinds.SUMMARY, meeting=meeting_id)
    assert emails(rows) == sorted(cadence.member_emails)
    assert_contract(rows)
    payload = rows[0].payload
    ideas = {i["idea_id"]: i["service_name"] for i in payload["ideas"]}
    assert ideas == {with_service: SERVICE, without_service: None}
    assert elsewhere not in ideas
    assert payload["discussion"] == "Keskustelimme ajanvarauksesta."
    assert payload["next_steps"] == ["Palvelu vastaa."]
    assert instant(payload["next_meeting_at"]) == utc(2025, 4, 2, 9, 0)
    meeting = cadence.meeting(meeting_id)
    assert meeting.status is MeetingStatus.SUMMARY_SENT
    assert meeting.summary_sent_at == cadence.clock.now()

    for moment in (cadence.clock.now(), DAY_AFTER, SUMMARY_DUE, SUMMARY_DUE + timedelta(days=7)):
        again = cadence.follow_up(moment)
        assert (again.queued, again.summaries_sent) == (0, [])
    assert len(cadence.rows(kinds.SUMMARY, meeting=meeting_id)) == 3
    assert cadence.rows(kinds.REMINDER, meeting=meeting_id) == []  # approved before the first reminder
    assert len(cadence.events(Aggregate.MEETING, meeting_id, "summary_sent")) == 1


# --- Chasing stale ideas ----------------------------------------------------------------------------

SENT = utc(2025, 3, 4, 9, 0)
N = timedelta(days=14)  # the panel's stale_days
M = timedelta(days=45)  # the panel's progress_note_days


def _forwarded_idea(cadence: Cadence, title: str = "Takaisinsoitto ajanvaraukseen") -> int:
    idea_id = cadence.raise_idea(title)
    cadence.clock.set(SENT)
    cadence.move(idea_id, "sent_to_service")
    return idea_id


def test_idea_left_with_its_service_gets_a_reminder_at_n_days_then_reminder_and_escalation_at_2n(
    cadence: Cadence,
) -> None:
    idea_id = _forwarded_idea(cadence)

    cadence.chase(SENT + N - MINUTE)
    assert cadence.rows(kinds.REMINDER, idea=idea_id) == []

    run = cadence.chase(SENT + N)
    assert run.reminders == [idea_id]
    (reminder,) = cadence.rows(kinds.REMINDER, idea=idea_id)
    assert reminder.email == OWNER
    assert_contract([reminder])
    item = reminder.payload["items"][0]
    assert (item["state"], item["service_name"], item["reminders_sent"]) == ("sent_to_service", SERVICE, 0)
    assert instant(item["due_at"]) == SENT + N

    for moment in (SENT + N, SENT + N + timedelta(days=6), SENT + 2 * N - MINUTE):
        assert cadence.chase(moment).queued == 0
    assert len(cadence.rows(kinds.REMINDER, idea=idea_id)) == 1
    assert cadence.rows(kinds.ESCALATION, idea=idea_id) == []

    run = cadence.chase(SENT + 2 * N)
    assert (run.reminders, run.escalations) == ([idea_id], [idea_id])
    assert emails(cadence.rows(kinds.REMINDER, idea=idea_id)) == [OWNER, OWNER]
    escalations = cadence.rows(kinds.ESCALATION, idea=idea_id)
    assert emails(escalations) == sorted(COORDINATORS)
    assert_contract(escalations)

    for moment in (SENT + 2 * N, SENT + 2 * N + timedelta(days=1), SENT + 3 * N - MINUTE):
        assert cadence.chase(moment).queued == 0
    assert len(cadence.rows(kinds.REMINDER, idea=idea_id)) == 2
    assert len(cadence.rows(kinds.ESCALATION, idea=idea_id)) == 2


def test_a_progress_note_restarts_the_wait(cadence: Cadence) -> None:
    idea_id = _forwarded_idea(cadence)
    cadence.chase(SENT + N)
    assert len(cadence.rows(kinds.REMINDER, idea=idea_id)) == 1

    noted = SENT + N + timedelta(days=1)
    cadence.clock.set(noted)
    cadence.note(idea_id, "Selvitämme takaisinsoittopalvelun hintaa.", actor=OWNER)

    for moment in (SENT + 2 * N, noted + N - MINUTE):
        run = cadence.chase(moment)
        assert (run.queued, run.escalations) == (0, [])
    assert cadence.rows(kinds.ESCALATION, idea=idea_id) == []

    cadence.chase(noted + N)
    reminders = cadence.rows(kinds.REMINDER, idea=idea_id)
    assert len(reminders) == 2
    assert {instant(r.payload["items"][0]["due_at"]) for r in reminders} == {SENT + N, noted + N}
    assert cadence.rows(kinds.ESCALATION, idea=idea_id) == []


def test_an_idea_in_progress_without_a_note_for_m_days_gets_one_request_for_a_progress_note(
    cadence: Cadence,
) -> None:
    idea_id = _forwarded_idea(cadence)
    cadence.move(idea_id, "in_progress")

    cadence.chase(SENT + M - MINUTE)
    assert cadence.rows(kinds.REMINDER, idea=idea_id) == []

    run = cadence.chase(SENT + M)
    assert run.note_requests == [idea_id]
    (request,) = cadence.rows(kinds.REMINDER, idea=idea_id)
    assert request.email == OWNER
    assert request.payload["items"][0]["state"] == "in_progress"

    for moment in (SENT + M, SENT + M + timedelta(days=1), SENT + 2 * M - MINUTE):
        assert cadence.chase(moment).queued == 0
    assert len(cadence.rows(kinds.REMINDER, idea=idea_id)) == 1
    assert cadence.rows(kinds.ESCALATION, idea=idea_id) == []


def test_a_raised_idea_not_forwarded_for_n_days_reminds_the_coordinators(cadence: Cadence) -> None:
    raised = cadence.clock.now()
    idea_id = cadence.raise_idea("Pysäköinti terveysaseman edessä")

    cadence.chase(raised + N - MINUTE)
    assert cadence.rows(kinds.REMINDER, idea=idea_id) == []

    cadence.chase(raised + N)
    reminders = cadence.rows(kinds.REMINDER, idea=idea_id)
    assert emails(reminders) == sorted(COORDINATORS)
    assert {r.payload["items"][0]["state"] for r in reminders} == {"raised"}

    for moment in (raised + N, raised + 2 * N - MINUTE):
        assert cadence.chase(moment).queued == 0
    assert len(cadence.rows(kinds.REMINDER, idea=idea_id)) == 2
    assert cadence.rows(kinds.ESCALATION, idea=idea_id) == []


def test_finished_ideas_are_not_chased(cadence: Cadence) -> None:
    idea_id = _forwarded_idea(cadence)
    cadence.move(idea_id, "declined", note=DECLINE_REASON)
    cadence.chase(SENT + 3 * N)
    assert cadence.rows(kinds.REMINDER, idea=idea_id) == cadence.rows(kinds.ESCALATION, idea=idea_id) == []


# --- The quarterly progress report ------------------------------------------------------------------


def test_progress_report_goes_to_every_member_once_in_the_first_two_weeks_of_a_quarter(cadence: Cadence) -> None:
    waiting = cadence.raise_idea("Takaisinsoitto ajanvaraukseen")
    declined = cadence.raise_idea("Ilmainen pysäköinti")
    cadence.move(declined, "declined", note=DECLINE_REASON)

    # 23:59 on 31 March in Helsinki: the quarter has not ended there yet.
    assert cadence.reports(utc(2025, 3, 31, 20, 59)).panels == []
    assert cadence.rows(kinds.PROGRESS_REPORT) == []

    run = cadence.reports(utc(2025, 3, 31, 21, 0))  # 00:00 EEST on 1 April
    assert run.panels == [cadence.world.panel_id]
    rows = cadence.rows(kinds.PROGRESS_REPORT)
    assert emails(rows) == sorted(cadence.member_emails)
    assert run.queued == 3
    assert_contract(rows)
    payload = rows[0].payload
    assert (payload["period_start"], payload["period_end"]) == ("2025-01-01", "2025-03-31")
    listed = {i["idea_id"]: (i["state"], i["text"]) for i in payload["ideas"]}
    assert listed[waiting][0] == "raised"
    assert listed[declined] == ("declined", DECLINE_REASON)

    for moment in (utc(2025, 4, 1, 8, 0), utc(2025, 4, 7, 8, 0), utc(2025, 4, 14, 20, 59)):
        assert cadence.reports(moment).queued == 0
    assert len(cadence.rows(kinds.PROGRESS_REPORT)) == 3

    assert cadence.reports(utc(2025, 4, 14, 21, 0)).panels == []  # 15 April in Helsinki: outside the window
    assert len(cadence.rows(kinds.PROGRESS_REPORT)) == 3
