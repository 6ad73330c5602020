"""Pre-briefs: advance information to members no later than three days before a meeting.

A pre-brief goes out at ``starts_at − lead_days``. One that cannot go out (no task or
agenda, no place or link) alerts the coordinators at ``starts_at − 4 days``; crossing the
3-day line flags the meeting late and alerts them again. Each meeting is handled in its
own transaction, and every row's id carries its dedupe key, so a second run queues nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from application.access.identity import resolve_actor
from application.meetings.jobs import each_unfinished, members_payload, tell_coordinators, with_meeting_texts
from application.ports.unit_of_work import Clock, UnitOfWork
from application.timezone import PANEL_TZ
from domain import meetings as model
from domain.actors import Actor
from domain.errors import InvalidValue
from domain.events import Aggregate, Event
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Panel
from domain.schedule import prebrief_times
from domain.values import Language
from notifications import kinds
from notifications.outbox import OutboxMessage
from notifications.policy import to_members, translated, with_translations

# Why "Send now" sends nothing (``InvalidValue("meeting", …)``), for the page to say in words.
CALLED_OFF = "is called off: no pre-brief goes out"
BEGUN = "has already begun"
NOT_READY = "needs a task or an agenda, and a place or a link, before the pre-brief"


@dataclass
class PrebriefRun:
    sent: list[int] = field(default_factory=list)
    at_risk: list[int] = field(default_factory=list)
    flagged_late: list[int] = field(default_factory=list)
    queued: int = 0


def send_due_prebriefs(*, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> PrebriefRun:
    run = PrebriefRun()
    each_unfinished(
        lambda m: m.prebrief_sent_at is None, partial(_handle, run=run), uow_factory=uow_factory, clock=clock
    )
    return run


def _handle(meeting_id: int, *, uow: UnitOfWork, now: datetime, run: PrebriefRun) -> None:
    with uow:
        meeting = uow.meetings.get(meeting_id)
        if meeting.prebrief_sent_at is not None or meeting.status is MeetingStatus.CANCELLED:
            return
        if meeting.starts_at <= now:
            return  # too late to tell anyone in advance; the late flag and alerts already went out
        panel = uow.panels.by_id(meeting.panel_id)
        times = prebrief_times(meeting.starts_at, lead_days=panel.lead_days, tz=PANEL_TZ)
        if now < min(times.due, times.alert):
            return
        seq = uow.events.next_seq(Aggregate.MEETING, meeting_id)
        event: Event | None = None
        if meeting.prebrief_ready and now >= times.due:
            event = _queue(uow, meeting, panel, seq=seq, now=now, run=run)
        elif now >= times.deadline:
            event = model.flag_late(meeting, seq=seq, at=now)
            if event is not None:
                run.flagged_late.append(meeting_id)
            run.queued += _alert(uow, kinds.ESCALATION, "late", meeting, panel, times.deadline, now)
        elif now >= times.alert and not meeting.prebrief_ready:
            run.at_risk.append(meeting_id)
            run.queued += _alert(uow, kinds.REMINDER, "at_risk", meeting, panel, times.deadline, now)
        else:
            return
        if event is not None:
            uow.meetings.save(meeting)
            uow.events.append([event])
        uow.commit()


def _queue(uow: UnitOfWork, meeting: Meeting, panel: Panel, *, seq: int, now: datetime, run: PrebriefRun) -> Event:
    """Queue the pre-brief to the panel's members (each row's id is its dedupe key) and mark it sent; a late one
    also tells every coordinator of the panel."""
    times = prebrief_times(meeting.starts_at, lead_days=panel.lead_days, tz=PANEL_TZ)
    late = times.is_late(now)
    members = uow.members.active_in_panel(panel.stored_id)
    coordinators = [c.email for c in uow.users.coordinators_of(panel.stored_id)]
    payload = prebrief_payload(meeting, panel, uow=uow, coordinators=coordinators)
    payload["issued_at"] = now.isoformat()
    run.queued += uow.outbox.add_new(
        to_members(kinds.PREBRIEF, (meeting.stored_id,), members, payload, panel_id=panel.stored_id, now=now)
    )
    event = model.prebrief_sent(meeting, late=late, seq=seq, at=now)
    run.sent.append(meeting.stored_id)
    if late:  # also when scheduled late with a reason: every coordinator of the panel hears of it
        run.queued += _alert(uow, kinds.ESCALATION, "late", meeting, panel, times.deadline, now)
    return event


def send_prebrief(meeting_id: int, *, actor: str | None, uow: UnitOfWork, clock: Clock) -> PrebriefRun:
    """Send one meeting's pre-brief now, before its day (the coordinator's "Send now"): the same rows as the flow
    queues, so a second press, or the flow after it, sends nothing again."""
    run = PrebriefRun()
    now = clock.now()
    with uow:
        who = resolve_actor(uow, actor)
        meeting = uow.meetings.get(meeting_id)
        who.require_coordinator(meeting.panel_id)
        if meeting.prebrief_sent_at is not None:
            return run
        if meeting.status is MeetingStatus.CANCELLED:
            raise InvalidValue("meeting", CALLED_OFF)
        if meeting.starts_at <= now:
            raise InvalidValue("meeting", BEGUN)
        if not meeting.prebrief_ready:
            raise InvalidValue("meeting", NOT_READY)
        panel = uow.panels.by_id(meeting.panel_id)
        event = _queue(uow, meeting, panel, seq=uow.events.next_seq(Aggregate.MEETING, meeting_id), now=now, run=run)
        uow.meetings.save(meeting)
        uow.events.append([event])
        uow.commit()
    return run


def _alert(
    uow: UnitOfWork, kind: str, stage: str, meeting: Meeting, panel: Panel, deadline: datetime, now: datetime
) -> int:
    # Keyed by the deadline too: a meeting moved after an alert is alerted again against its new date.
    key = ("prebrief", meeting.id, stage, deadline.date().isoformat())
    return tell_coordinators(uow, kind, key, meeting, panel, subject="prebrief", due=deadline, now=now)


def prebrief_payload(meeting: Meeting, panel: Panel, *, uow: UnitOfWork, coordinators: list[str]) -> dict[str, Any]:
    service = uow.services.by_id(meeting.leading_service_id)
    payload = members_payload(
        meeting,
        panel,
        {
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.end.isoformat(),
            "leading_service_name": service.name,
            "tasks": [
                with_translations(
                    {"title": t.text, "kind": t.kind.value, "category": t.category.value},
                    translated(t.translations, {"text": "title"}),
                )
                for t in meeting.tasks
            ],
            "agenda": list(meeting.agenda),
            "materials": [
                with_translations({"title": m.title, "url": m.url}, translated(m.translations, {"title": "title"}))
                for m in meeting.materials
            ]
            # Files: each member's mail links them with a link signed for that member (notifications.links).
            + [
                {"title": f.title, "url": None, "file_id": f.id}
                for f in uow.meeting_files.of_meeting(meeting.stored_id)
            ],
            "place": meeting.place or None,
            "online_url": meeting.online_url or None,
            # A meeting moved before its pre-brief is already a later version in the members' calendar feeds.
            "sequence": meeting.calendar_sequence,
        },
    )
    if coordinators:
        payload["coordinator_email"] = coordinators[0]
    return with_meeting_texts(payload, meeting, {"place": "place", "agenda": "agenda"})


@dataclass(frozen=True)
class PrebriefPreview:
    """The pre-brief as one member of each language would get it, and when it goes out."""

    meeting: Meeting
    panel: Panel
    goes_out: datetime  # the panel's lead days before the meeting
    deadline: datetime  # the 3-day line
    standing: str  # "sent", "late" (the line is passed), "at_risk" (not ready, the alert is due), "on_time"
    rows: dict[str, OutboxMessage | None]  # fi, sv, en: the row a sample member would be queued, or None


def prebrief_preview(actor: Actor, meeting_id: int, *, uow: UnitOfWork, clock: Clock) -> PrebriefPreview:
    """The rows the flow would queue now for one member of each language (nothing is queued); coordinators only,
    since a sample row carries the member's name."""
    now = clock.now()
    with uow:
        meeting = uow.meetings.get(meeting_id)
        actor.require_coordinator(meeting.panel_id)
        panel = uow.panels.by_id(meeting.panel_id)
        times = prebrief_times(meeting.starts_at, lead_days=panel.lead_days, tz=PANEL_TZ)
        coordinators = [c.email for c in uow.users.coordinators_of(panel.stored_id)]
        payload = prebrief_payload(meeting, panel, uow=uow, coordinators=coordinators)
        payload["issued_at"] = now.isoformat()
        readers = [m for m in uow.members.active_in_panel(panel.stored_id) if m.receives_mail]
    rows: dict[str, OutboxMessage | None] = {}
    for language in Language:
        sample = [m for m in readers if m.language is language][:1]
        found = to_members(kinds.PREBRIEF, (meeting_id,), sample, payload, panel_id=panel.stored_id, now=now)
        rows[language.value] = found[0] if found else None
    if meeting.prebrief_sent_at is not None:
        standing = "sent"
    elif times.is_late(now):
        standing = "late"
    elif now >= times.alert and not meeting.prebrief_ready:
        standing = "at_risk"
    else:
        standing = "on_time"
    return PrebriefPreview(meeting, panel, times.due, times.deadline, standing, rows)
