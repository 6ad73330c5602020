"""The panel dashboard as a read model: ideas by state, services' response times, meetings, outbox health.

Pure functions over the unit of work; the few aggregate queries they need sit behind ``DashboardQueries``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from application.access import permissions
from application.ports.dashboard_queries import DashboardUnitOfWork, IdeaTiming, MeetingDates, SpeakingFigures
from application.ports.unit_of_work import Clock
from application.reads.views import OutboxHealth, outbox_health_of
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.errors import NotFound
from domain.ideas import IdeaState
from domain.meetings import MeetingStatus
from domain.panels import Panel
from domain.schedule import days_after, prebrief_times

SERVICE_STATES = (IdeaState.SENT_TO_SERVICE.value, IdeaState.IN_PROGRESS.value)
MEETINGS_SHOWN = 12
SPEAKING_SHOWN = 12  # meetings in the speaking balance's trend


@dataclass(frozen=True)
class ServiceLine:
    service_id: int
    name: str
    open: int
    median_days_to_first_response: float | None
    overdue: int


@dataclass(frozen=True)
class MeetingLine:
    id: int
    title: str
    starts_at: datetime
    status: str
    prebrief: str  # sent_on_time, sent_late, due, late, not_needed
    summary: str  # sent_on_time, sent_late, due, late, not_yet, not_needed


@dataclass(frozen=True)
class SpeakingLine:
    """One meeting in the trend of speaking balance: figures only, never names (a manager reads them too)."""

    meeting_id: int
    title: str
    starts_at: datetime
    present: int
    spoke: int
    share_spoke: float
    gini: float | None  # 0: everyone present spoke equally long
    longest_seconds: int
    turns: int


@dataclass(frozen=True)
class PanelDashboard:
    panel: Panel
    # Every panel the viewer may see (id, name), for the chooser. No per-panel counts: over all panels that is a
    # scan of every idea (160 ms at 100,000 ideas on SQLite), for a list most viewers never open.
    panels: list[tuple[int, str]]
    by_state: dict[str, int]
    services: list[ServiceLine]
    meetings: list[MeetingLine]
    outbox: OutboxHealth
    # The speaking balance of the latest meetings run in the meeting room, oldest first.
    speaking: list[SpeakingLine] = field(default_factory=list)


def panel_dashboard(actor: Actor, panel_id: int | None, *, uow: DashboardUnitOfWork, clock: Clock) -> PanelDashboard:
    now = clock.now()
    allowed = permissions.dashboard_panels(actor)
    with uow:
        panels = [p for p in uow.panels.list() if p.id is not None and (allowed is None or p.id in allowed)]
        if not panels:
            raise NotFound("panel", "any panel you may see")
        chosen = panels[0] if panel_id is None else next((p for p in panels if p.id == panel_id), None)
        if chosen is None or chosen.id is None:
            raise NotFound("panel", panel_id)
        names = {s.id: s.name for s in uow.services.for_panel(chosen.id) if s.id is not None}
        timings = uow.dashboard.idea_timings(chosen.id)
        return PanelDashboard(
            panel=chosen,
            panels=[(p.stored_id, p.name) for p in panels],
            by_state={state.value: 0 for state in IdeaState} | uow.dashboard.ideas_by_state([chosen.id]),
            services=service_lines(timings, names=names, panel=chosen, now=now),
            meetings=[
                meeting_line(m, panel=chosen, now=now)
                for m in uow.dashboard.recent_meetings(chosen.id, limit=MEETINGS_SHOWN)
            ],
            outbox=outbox_health_of(uow, frozenset({chosen.id}), reader=actor, now=now, failed_limit=0),
            speaking=[speaking_line(f) for f in uow.dashboard.speaking_balances(chosen.id, limit=SPEAKING_SHOWN)],
        )


def speaking_line(figures: SpeakingFigures) -> SpeakingLine:
    return SpeakingLine(
        meeting_id=figures.meeting_id,
        title=figures.title,
        starts_at=figures.starts_at,
        present=figures.present,
        spoke=figures.spoke,
        share_spoke=figures.share_spoke,
        gini=figures.gini,
        longest_seconds=figures.longest_seconds,
        turns=figures.turns,
    )


def overdue_lines(panel: Panel, *, now: datetime) -> tuple[datetime, datetime]:
    """The chasing rules' threshold as two moments: an idea waiting on the service, or in progress without a note,
    whose last change is at or before its moment is overdue (the queue's ``overdue`` filter asks the database so)."""
    return now - timedelta(days=panel.stale_days), now - timedelta(days=panel.progress_note_days)


def is_overdue(timing: IdeaTiming, *, panel: Panel, now: datetime) -> bool:
    """The chasing rules' threshold: waiting on the service, or in progress without a note, too long."""
    waiting, in_progress = overdue_lines(panel, now=now)
    if timing.state == IdeaState.SENT_TO_SERVICE.value:
        return timing.last_at <= waiting
    if timing.state == IdeaState.IN_PROGRESS.value:
        return timing.last_at <= in_progress
    return False


def service_lines(
    timings: Sequence[IdeaTiming], *, names: dict[int, str], panel: Panel, now: datetime
) -> list[ServiceLine]:
    lines = []
    for service_id, name in sorted(names.items(), key=lambda item: item[1].casefold()):
        mine = [t for t in timings if t.service_id == service_id]
        waits = days_to_first_response(mine)
        lines.append(
            ServiceLine(
                service_id=service_id,
                name=name,
                open=sum(1 for t in mine if t.state in SERVICE_STATES),
                median_days_to_first_response=round(median(waits), 1) if waits else None,
                overdue=sum(1 for t in mine if is_overdue(t, panel=panel, now=now)),
            )
        )
    return lines


def days_to_first_response(timings: Sequence[IdeaTiming]) -> list[float]:
    """Days from sending each idea to a service to its first answer there (the ideas answered so far)."""
    return [
        (t.first_response_at - t.sent_at) / timedelta(days=1)
        for t in timings
        if t.sent_at is not None and t.first_response_at is not None
    ]


def meeting_line(meeting: MeetingDates, *, panel: Panel, now: datetime) -> MeetingLine:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    times = prebrief_times(meeting.starts_at, lead_days=panel.lead_days, tz=PANEL_TZ)
    if cancelled:
        prebrief = "not_needed"
    elif meeting.prebrief_sent_at is not None:
        prebrief = "sent_on_time" if meeting.prebrief_sent_at <= times.deadline else "sent_late"
    else:
        prebrief = "late" if now > times.deadline else "due"
    end = meeting.ends_at or meeting.starts_at + timedelta(hours=2)
    summary_due = days_after(end, panel.summary_due_days, PANEL_TZ)
    if cancelled:
        summary = "not_needed"
    elif meeting.summary_sent_at is not None:
        summary = "sent_on_time" if meeting.summary_sent_at <= summary_due else "sent_late"
    elif now < end:
        summary = "not_yet"
    else:
        summary = "late" if now > summary_due else "due"
    return MeetingLine(
        id=meeting.id,
        title=meeting.title,
        starts_at=meeting.starts_at,
        status=meeting.status,
        prebrief=prebrief,
        summary=summary,
    )
