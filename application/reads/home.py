"""A coordinator's home page as a read model: what needs doing now across their panels.

Each line is counted by the rule that already decides it: pre-briefs by ``domain.schedule.prebrief_times`` (as the
pre-brief flow and the dashboard), summaries by the dashboard's ``meeting_line``, overdue ideas by the dashboard's
``service_lines`` (the chasing rules' threshold), failed mail by the outbox health read. Access: the panels whose
dashboard the actor may read (``permissions.dashboard_panels``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from application.access import permissions
from application.ports.dashboard_queries import DashboardUnitOfWork
from application.ports.unit_of_work import Clock
from application.reads.dashboard import MEETINGS_SHOWN, meeting_line, service_lines
from application.reads.views import outbox_health_of
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.ideas import IdeaState
from domain.meetings import MeetingStatus
from domain.panels import Panel
from domain.schedule import prebrief_times
from domain.topic_wishes import WishStatus


@dataclass(frozen=True)
class PrebriefTodo:
    """A coming meeting whose pre-brief is due and not sent: ``at_risk`` from the alert day (a day before the
    3-day line), ``late`` once the line has passed."""

    meeting_id: int
    title: str
    starts_at: datetime
    deadline: datetime
    at_risk: bool
    late: bool


@dataclass(frozen=True)
class SummaryTodo:
    """A held meeting whose summary has not been sent: ``late`` past the panel's summary due days."""

    meeting_id: int
    title: str
    starts_at: datetime
    late: bool


@dataclass(frozen=True)
class OverdueService:
    service_id: int
    name: str
    overdue: int


@dataclass(frozen=True)
class PanelWork:
    panel: Panel
    prebriefs: list[PrebriefTodo] = field(default_factory=list)
    summaries: list[SummaryTodo] = field(default_factory=list)
    raised: int = 0  # raised ideas not yet sent on to a service
    overdue: list[OverdueService] = field(default_factory=list)
    wishes_waiting: int = 0  # topic wishes not yet on a meeting's agenda
    failed_mail: int = 0

    @property
    def things_to_do(self) -> int:
        return (
            len(self.prebriefs)
            + len(self.summaries)
            + self.raised
            + sum(s.overdue for s in self.overdue)
            + self.wishes_waiting
            + self.failed_mail
        )


@dataclass(frozen=True)
class HomePage:
    panels: list[PanelWork]

    @property
    def things_to_do(self) -> int:
        return sum(p.things_to_do for p in self.panels)


def home_page(actor: Actor, *, uow: DashboardUnitOfWork, clock: Clock) -> HomePage:
    """What needs doing now in each panel whose dashboard the actor may read (a coordinator: their own)."""
    now = clock.now()
    allowed = permissions.dashboard_panels(actor)
    with uow:
        panels = [p for p in uow.panels.list() if p.id is not None and (allowed is None or p.id in allowed)]
        return HomePage(panels=[_panel_work(uow, actor, panel, now) for panel in panels])


def _panel_work(uow: DashboardUnitOfWork, actor: Actor, panel: Panel, now: datetime) -> PanelWork:
    panel_id = panel.stored_id
    prebriefs, summaries = [], []
    for meeting in uow.dashboard.recent_meetings(panel_id, limit=MEETINGS_SHOWN):
        line = meeting_line(meeting, panel=panel, now=now)
        if meeting.status == MeetingStatus.CANCELLED:
            continue
        times = prebrief_times(meeting.starts_at, lead_days=panel.lead_days, tz=PANEL_TZ)
        if meeting.prebrief_sent_at is None and meeting.starts_at > now and now >= times.due:
            prebriefs.append(
                PrebriefTodo(
                    meeting_id=meeting.id,
                    title=meeting.title,
                    starts_at=meeting.starts_at,
                    deadline=times.deadline,
                    at_risk=now >= times.alert,
                    late=times.is_late(now),
                )
            )
        if line.summary in ("due", "late"):
            summaries.append(SummaryTodo(meeting.id, meeting.title, meeting.starts_at, late=line.summary == "late"))
    names = {s.id: s.name for s in uow.services.for_panel(panel_id) if s.id is not None}
    overdue = [
        OverdueService(line.service_id, line.name, line.overdue)
        for line in service_lines(uow.dashboard.idea_timings(panel_id), names=names, panel=panel, now=now)
        if line.overdue
    ]
    wishes = sum(1 for wish in uow.topic_wishes.for_panel(panel_id) if wish.status is WishStatus.OPEN)
    health = outbox_health_of(uow, frozenset({panel_id}), reader=actor, now=now, failed_limit=0)
    return PanelWork(
        panel=panel,
        prebriefs=sorted(prebriefs, key=lambda p: p.starts_at),
        summaries=sorted(summaries, key=lambda s: s.starts_at),
        raised=uow.dashboard.ideas_by_state([panel_id]).get(IdeaState.RAISED.value, 0),
        overdue=overdue,
        wishes_waiting=wishes,
        failed_mail=health.failed_count,
    )
