"""The meeting page: a meeting as its staff read it, where its pre-brief and summary stand, the ideas raised in
it, and what the coordinator does next.

The pre-brief's and the summary's standing are the dashboard's (``dashboard.meeting_line``), so the page and the
panel's overview never disagree; who may read the meeting and which of its ideas is ``permissions``' answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from application.access import permissions
from application.ports.unit_of_work import Clock, UnitOfWork
from application.reads.dashboard import meeting_line
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.ideas import Idea
from domain.meetings import DEFAULT_LENGTH, Meeting, MeetingStatus
from domain.panels import Member, Panel
from domain.schedule import days_after, prebrief_times
from notifications import kinds


class NextStep(StrEnum):
    """What the meeting waits for, from the coordinator (the page says it in words, never these codes)."""

    CANCELLED = "cancelled"
    ADD_PLACE = "add_place"  # the pre-brief cannot go out: no place or online link (or nothing to tell)
    PREBRIEF_LATE = "prebrief_late"  # … and its deadline has passed
    PREBRIEF_COMING = "prebrief_coming"  # ready: it goes out on its own at its time
    PREBRIEF_SENT = "prebrief_sent"  # nothing before the meeting
    UNDER_WAY = "under_way"
    WRITE_SUMMARY = "write_summary"
    APPROVE_SUMMARY = "approve_summary"
    SUMMARY_GOING = "summary_going"  # approved: the follow-up sends it
    DONE = "done"


@dataclass(frozen=True)
class MeetingIdea:
    idea: Idea
    service_name: str | None


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    panel: Panel
    leading_service: str
    prebrief: str  # the dashboard's words: sent_on_time, sent_late, due, late, not_needed
    prebrief_goes_out: datetime  # when it is sent on its own (starts − lead days)
    prebrief_deadline: datetime  # the 3-day floor
    summary: str  # sent_on_time, sent_late, due, late, not_yet, not_needed
    summary_due: datetime
    next_step: NextStep
    ideas: list[MeetingIdea]  # those the reader may open
    other_ideas: int  # raised in the meeting but outside the reader's reach
    coordinates: bool  # the reader is the panel's coordinator (or the operator): the next step is theirs
    services: list[tuple[int, str]] = field(default_factory=list)  # the panel's services, for a raised idea
    members: list[Member] = field(default_factory=list)  # for the attendance form: only a coordinator's read
    present: frozenset[int] = frozenset()  # the members recorded as present
    summary_recipients: int | None = None  # how many members the sent summary went to (None: not sent)

    @property
    def summary_written(self) -> bool:
        return bool(self.meeting.summary.strip())

    @property
    def summary_approved(self) -> bool:
        return self.meeting.summary_approved_at is not None


@dataclass(frozen=True)
class _Dates:
    """The meeting's dates as the dashboard's line reads them."""

    id: int
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    prebrief_sent_at: datetime | None
    summary_sent_at: datetime | None


def meeting_page(actor: Actor, meeting_id: int, *, uow: UnitOfWork, clock: Clock) -> MeetingPage:
    """The meeting, if the actor may read it (``NotFound``, ``PermissionDenied`` otherwise)."""
    now = clock.now()
    with uow:
        meeting = uow.meetings.get(meeting_id)
        permissions.require_may_read_meeting(actor, meeting, uow=uow)
        panel = uow.panels.by_id(meeting.panel_id)
        services = {s.stored_id: s.name for s in uow.services.for_panel(panel.stored_id)}
        raised = [i for i in uow.ideas.list(panel_id=panel.stored_id) if i.meeting_id == meeting.id]
        reach = permissions.idea_reach(actor)
        readable = [i for i in raised if _within(reach, i)]
        coordinates = actor.coordinates(panel.stored_id)
        # Members' names are personal data: the attendance form is for the panel's coordinators only.
        members = uow.members.for_panel(panel.stored_id) if coordinates and _reads_members(actor) else []
        present = uow.attendance.present(meeting.stored_id) if members else frozenset()
        recipients = _summary_recipients(uow, meeting) if meeting.summary_sent_at is not None else None
    line = meeting_line(_dates(meeting), panel=panel, now=now)
    times = prebrief_times(meeting.starts_at, lead_days=panel.lead_days, tz=PANEL_TZ)
    return MeetingPage(
        meeting=meeting,
        panel=panel,
        leading_service=services.get(meeting.leading_service_id, ""),
        prebrief=line.prebrief,
        prebrief_goes_out=times.due,
        prebrief_deadline=times.deadline,
        summary=line.summary,
        summary_due=days_after(meeting.end, panel.summary_due_days, PANEL_TZ),
        next_step=next_step(meeting, now=now, prebrief_deadline=times.deadline),
        ideas=[MeetingIdea(i, services.get(i.service_id) if i.service_id else None) for i in readable],
        other_ideas=len(raised) - len(readable),
        coordinates=coordinates,
        services=sorted(services.items(), key=lambda item: item[1].casefold()),
        members=sorted(members, key=lambda m: (not m.active, m.name.casefold())),
        present=frozenset(present),
        summary_recipients=recipients,
    )


def _summary_recipients(uow: UnitOfWork, meeting: Meeting) -> int:
    """The members the follow-up queued the summary for: its outbox rows (one per member)."""
    return sum(
        1
        for row in uow.outbox.list()
        if row.kind == kinds.SUMMARY and row.payload.get("meeting_id") == meeting.stored_id
    )


@dataclass(frozen=True)
class MeetingRow:
    """A meeting on the panel's list, with its pre-brief's and summary's standing (the dashboard's words)."""

    meeting: Meeting
    prebrief: str
    summary: str


@dataclass(frozen=True)
class PanelMeetings:
    panel: Panel
    upcoming: list[MeetingRow]  # soonest first
    past: list[MeetingRow]  # latest first
    services: list[tuple[int, str]]  # the panel's services: who may lead a meeting
    coordinates: bool  # the reader may schedule and change the panel's meetings


def panel_meetings(actor: Actor, panel_id: int, *, uow: UnitOfWork, clock: Clock) -> PanelMeetings:
    """A panel's meetings, upcoming first, if the actor may read them (``NotFound``, ``PermissionDenied``)."""
    now = clock.now()
    with uow:
        panel = uow.panels.by_id(panel_id)
        permissions.meeting_panels(actor, str(panel.stored_id), uow=uow)
        meetings = uow.meetings.for_panel(panel.stored_id)
        services = {s.stored_id: s.name for s in uow.services.for_panel(panel.stored_id)}
    rows = []
    for meeting in sorted(meetings, key=lambda m: (m.starts_at, m.stored_id)):
        line = meeting_line(_dates(meeting), panel=panel, now=now)
        rows.append(MeetingRow(meeting, line.prebrief, line.summary))
    return PanelMeetings(
        panel=panel,
        upcoming=[r for r in rows if r.meeting.end > now],
        past=[r for r in reversed(rows) if r.meeting.end <= now],
        services=sorted(services.items(), key=lambda item: item[1].casefold()),
        coordinates=actor.coordinates(panel.stored_id),
    )


def _reads_members(actor: Actor) -> bool:
    return permissions.may_read_personal_data(actor)


def next_step(meeting: Meeting, *, now: datetime, prebrief_deadline: datetime) -> NextStep:
    """What the meeting waits for now, in the order a meeting lives: pre-brief, the meeting, its summary."""
    if meeting.status is MeetingStatus.CANCELLED:
        return NextStep.CANCELLED
    if meeting.summary_sent_at is not None:
        return NextStep.DONE
    if now < meeting.starts_at:
        if meeting.prebrief_sent_at is not None:
            return NextStep.PREBRIEF_SENT
        if meeting.prebrief_ready:
            return NextStep.PREBRIEF_COMING
        return NextStep.PREBRIEF_LATE if now > prebrief_deadline else NextStep.ADD_PLACE
    if now < meeting.end:
        return NextStep.UNDER_WAY
    if meeting.summary_approved_at is not None:
        return NextStep.SUMMARY_GOING
    return NextStep.APPROVE_SUMMARY if meeting.summary.strip() else NextStep.WRITE_SUMMARY


def _within(reach: permissions.IdeaReach | None, idea: Idea) -> bool:
    if reach is None:
        return False
    in_panels = reach.panel_ids is None or idea.panel_id in reach.panel_ids
    return in_panels and (reach.service_id is None or idea.service_id == reach.service_id)


def _dates(meeting: Meeting) -> _Dates:
    return _Dates(
        id=meeting.id or 0,
        title=meeting.display_title,
        status=meeting.status.value,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH,
        prebrief_sent_at=meeting.prebrief_sent_at,
        summary_sent_at=meeting.summary_sent_at,
    )
