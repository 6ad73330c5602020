"""After a meeting: mark it held, remind coordinators to approve the summary, send approved summaries.

Reminders go out the day after the meeting and again at the panel's ``summary_due_days`` (only the second when
both are due at once);
an approved summary goes to every member who receives mail. One transaction per meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from application.meetings.jobs import each_unfinished, members_payload, tell_coordinators, with_meeting_texts
from application.ports.unit_of_work import Clock, UnitOfWork
from application.timezone import PANEL_TZ
from domain import meetings as model
from domain.events import Aggregate, Event
from domain.meetings import Meeting, MeetingStatus
from domain.panels import Panel
from domain.schedule import days_after, summary_reminders_due
from notifications import kinds
from notifications.policy import to_members, translated, with_translations


@dataclass
class FollowUpRun:
    held: list[int] = field(default_factory=list)
    summaries_sent: list[int] = field(default_factory=list)
    reminders: list[tuple[int, int]] = field(default_factory=list)
    queued: int = 0


def follow_up_meetings(*, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> FollowUpRun:
    run = FollowUpRun()
    now = clock.now()
    each_unfinished(lambda m: m.end <= now, partial(_handle, run=run), uow_factory=uow_factory, clock=clock)
    return run


def _handle(meeting_id: int, *, uow: UnitOfWork, now: datetime, run: FollowUpRun) -> None:
    with uow:
        meeting = uow.meetings.get(meeting_id)
        if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.SUMMARY_SENT):
            return
        panel = uow.panels.by_id(meeting.panel_id)
        events: list[Event] = []
        seq = uow.events.next_seq(Aggregate.MEETING, meeting_id)
        held = model.held(meeting, seq=seq, at=now)
        if held is not None:
            events.append(held)
            run.held.append(meeting_id)
            seq += 1
        if meeting.summary_approved_at is not None:
            payload = summary_payload(meeting, panel, uow=uow)
            members = uow.members.active_in_panel(panel.stored_id)
            run.queued += uow.outbox.add_new(
                to_members(kinds.SUMMARY, (meeting_id,), members, payload, panel_id=panel.stored_id, now=now)
            )
            events.append(model.summary_sent(meeting, seq=seq, at=now))
            run.summaries_sent.append(meeting_id)
        else:
            due = summary_reminders_due(meeting.end, due_days=panel.summary_due_days, now=now, tz=PANEL_TZ)
            # The latest one only, as chasing does: a run that finds both due at once (the flows were stopped for
            # days, or the meeting was entered afterwards) sends one reminder, not two in the same minute.
            if due:
                run.queued += _remind(uow, meeting, panel, due[-1], now)
                run.reminders.append((meeting_id, due[-1]))
        if events:
            uow.meetings.save(meeting)
            uow.events.append(events)
        uow.commit()


def _remind(uow: UnitOfWork, meeting: Meeting, panel: Panel, number: int, now: datetime) -> int:
    due = days_after(meeting.end, panel.summary_due_days, PANEL_TZ)
    return tell_coordinators(
        uow,
        kinds.REMINDER,
        ("summary", meeting.id, number),
        meeting,
        panel,
        subject="summary",
        due=due,
        now=now,
        extra={"reminders_sent": number - 1},
    )


def summary_payload(meeting: Meeting, panel: Panel, *, uow: UnitOfWork) -> dict[str, Any]:
    services = {s.id: s.name for s in uow.services.for_panel(panel.stored_id)}
    ideas = [i for i in uow.ideas.list(panel_id=panel.id) if i.meeting_id == meeting.id]
    upcoming = [m for m in uow.meetings.for_panel(panel.stored_id) if m.starts_at > meeting.starts_at]
    payload = members_payload(
        meeting,
        panel,
        {
            "held_at": meeting.starts_at.isoformat(),
            "discussion": meeting.summary,
            "ideas": [
                with_translations(
                    {
                        "idea_id": i.id,
                        "title": i.title,
                        "service_name": services.get(i.service_id),
                        "state": i.state.value,
                    },
                    translated(i.translations, {"title": "title"}),
                )
                for i in ideas
            ],
            "next_steps": list(meeting.next_steps),
            "leading_service_name": services.get(meeting.leading_service_id, ""),
        },
    )
    if upcoming:
        payload["next_meeting_at"] = upcoming[0].starts_at.isoformat()
    return with_meeting_texts(payload, meeting, {"summary": "discussion", "next_steps": "next_steps"})
