"""Aggregate SQL for the dashboard and the queue: a fixed number of queries per page, grouped in the database.

Implements ``application.ports.dashboard_queries.DashboardQueries`` structurally; rows are plain named tuples.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from domain.events import Aggregate, EventType
from domain.ideas import IdeaState
from domain.panels import Member, Panel, Service, StaffUser
from domain.values import Role
from persistence.meeting_room_tables import SpeakingBalanceRow
from persistence.panels import SqlAlchemyMembers, SqlAlchemyPanels, SqlAlchemyServices, SqlAlchemyUsers
from persistence.tables import EventRow, IdeaRow, MeetingRow, MemberRow, PanelRow, ServiceRow, StaffUserRow


class SpeakingFigures(NamedTuple):
    meeting_id: int
    title: str
    starts_at: datetime
    present: int
    spoke: int
    share_spoke: float
    gini: float | None
    longest_seconds: int
    turns: int


class IdeaTiming(NamedTuple):
    idea_id: int
    service_id: int | None
    state: str
    sent_at: datetime | None
    first_response_at: datetime | None
    last_at: datetime


class MeetingDates(NamedTuple):
    id: int
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime | None
    prebrief_sent_at: datetime | None
    summary_sent_at: datetime | None
    panel_id: int = 0


class QueueRow(NamedTuple):
    id: int
    panel_id: int
    service_id: int | None
    title: str
    state: str
    version: int
    last_at: datetime | None
    translations: dict[str, Any] | None = None


class QueueContext(NamedTuple):
    panels: dict[int, Panel]
    services: dict[int, list[Service]]
    members: dict[int, list[Member]]
    owners: dict[int, list[StaffUser]]


# A meeting's dates as the dashboard reads them (``MeetingDates``' fields, in order).
_MEETING_DATES = (
    MeetingRow.id,
    MeetingRow.title,
    MeetingRow.status,
    MeetingRow.starts_at,
    MeetingRow.ends_at,
    MeetingRow.prebrief_sent_at,
    MeetingRow.summary_sent_at,
    MeetingRow.panel_id,
)


class SqlAlchemyDashboardQueries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def ideas_by_state(self, panel_ids: Collection[int] | None) -> dict[str, int]:
        query = select(IdeaRow.state, func.count()).group_by(IdeaRow.state)
        if panel_ids is not None:
            query = query.where(IdeaRow.panel_id.in_(list(panel_ids)))
        return dict(self.session.execute(query).all())

    def idea_timings(self, panel_id: int) -> list[IdeaTiming]:
        """Per idea of the panel: first sent to a service, the first event after that, the last event."""
        sent_event = aliased(EventRow)
        # The panel's ideas as an IN list, not a join: SQLite then looks up each idea's events by the log's unique
        # index; with a join it read every idea event in the log (0.9 s at 1,000,000 events, 25 ms this way).
        panel_ideas = select(IdeaRow.id).where(IdeaRow.panel_id == panel_id)
        sent = (
            select(
                sent_event.aggregate_id.label("idea_id"),
                func.min(sent_event.seq).label("seq"),
                func.min(sent_event.at).label("at"),
            )
            .where(
                sent_event.aggregate_id.in_(panel_ideas),
                sent_event.aggregate == Aggregate.IDEA,
                sent_event.type == EventType.MOVED,
                sent_event.to_state == IdeaState.SENT_TO_SERVICE,
            )
            .group_by(sent_event.aggregate_id)
            .subquery()
        )
        query = (
            select(
                IdeaRow.id,
                IdeaRow.service_id,
                IdeaRow.state,
                func.min(sent.c.at),
                func.min(case((EventRow.seq > sent.c.seq, EventRow.at))),
                func.max(EventRow.at),
            )
            .join(EventRow, and_(EventRow.aggregate == Aggregate.IDEA, EventRow.aggregate_id == IdeaRow.id))
            .outerjoin(sent, sent.c.idea_id == IdeaRow.id)
            .where(IdeaRow.panel_id == panel_id)
            .group_by(IdeaRow.id, IdeaRow.service_id, IdeaRow.state)
        )
        return [IdeaTiming(*row) for row in self.session.execute(query).all()]

    def recent_meetings(self, panel_id: int, *, limit: int) -> list[MeetingDates]:
        query = (
            select(*_MEETING_DATES)
            .where(MeetingRow.panel_id == panel_id)
            .order_by(MeetingRow.starts_at.desc())
            .limit(limit)
        )
        return [MeetingDates(*row) for row in self.session.execute(query).all()]

    def speaking_balances(self, panel_id: int, *, limit: int) -> list[SpeakingFigures]:
        query = (
            select(
                MeetingRow.id,
                MeetingRow.title,
                MeetingRow.starts_at,
                SpeakingBalanceRow.present,
                SpeakingBalanceRow.spoke,
                SpeakingBalanceRow.share_spoke,
                SpeakingBalanceRow.gini,
                SpeakingBalanceRow.longest_seconds,
                SpeakingBalanceRow.turns,
            )
            .join(SpeakingBalanceRow, SpeakingBalanceRow.meeting_id == MeetingRow.id)
            .where(MeetingRow.panel_id == panel_id, SpeakingBalanceRow.turns > 0)
            .order_by(MeetingRow.starts_at.desc(), MeetingRow.id.desc())
            .limit(limit)
        )
        return [SpeakingFigures(*row) for row in reversed(self.session.execute(query).all())]

    def meetings_between(self, panel_ids: Collection[int], *, start: datetime, end: datetime) -> list[MeetingDates]:
        query = (
            select(*_MEETING_DATES)
            .where(
                MeetingRow.panel_id.in_(sorted(panel_ids)), MeetingRow.starts_at >= start, MeetingRow.starts_at < end
            )
            .order_by(MeetingRow.starts_at, MeetingRow.id)
        )
        return [MeetingDates(*row) for row in self.session.execute(query).all()]

    def queue(
        self,
        *,
        panel_ids: Collection[int] | None,
        service_id: int | None,
        states: Sequence[str],
        limit: int,
        offset: int,
        title_contains: str = "",
        overdue_before: Mapping[int, tuple[datetime, datetime]] | None = None,
    ) -> tuple[int, list[QueueRow]]:
        # The last activity: a correlated subquery on the events' unique index. The longest waiting come first, so
        # it is computed for every matching open idea (the open ones only: a bounded set), but the outer query
        # reads the page's rows only.
        last = (
            select(func.max(EventRow.at))
            .where(EventRow.aggregate == Aggregate.IDEA, EventRow.aggregate_id == IdeaRow.id)
            .correlate(IdeaRow)
            .scalar_subquery()
        )
        conditions: list[ColumnElement[bool]] = [IdeaRow.state.in_(list(states))]
        if panel_ids is not None:
            conditions.append(IdeaRow.panel_id.in_(list(panel_ids)))
        if service_id is not None:
            conditions.append(IdeaRow.service_id == service_id)
        if title_contains.strip():
            # Any case (SQLite's lower() folds ASCII letters only: "Ä" and "ä" still differ there).
            conditions.append(func.lower(IdeaRow.title).contains(title_contains.strip().lower(), autoescape=True))
        if overdue_before is not None:
            conditions.append(_overdue(last, overdue_before))
        total = self.session.scalar(select(func.count()).select_from(IdeaRow).where(*conditions)) or 0
        page = (
            select(IdeaRow.id, last.label("last_at"))
            .where(*conditions)
            .order_by(last, IdeaRow.id)
            .limit(limit)
            .offset(offset)
            .subquery()
        )
        query = (
            select(
                IdeaRow.id,
                IdeaRow.panel_id,
                IdeaRow.service_id,
                IdeaRow.title,
                IdeaRow.state,
                IdeaRow.version,
                page.c.last_at,
                IdeaRow.translations,
            )
            .join(page, page.c.id == IdeaRow.id)
            .order_by(page.c.last_at, IdeaRow.id)
        )
        return total, [QueueRow(*row) for row in self.session.execute(query).all()]

    def queue_context(self, panel_ids: Collection[int]) -> QueueContext:
        """Four queries for a whole page of the queue, however many panels and services its rows name."""
        wanted = sorted(panel_ids)
        panels = self.session.scalars(select(PanelRow).where(PanelRow.id.in_(wanted)))
        services: dict[int, list[Service]] = {panel_id: [] for panel_id in wanted}
        service_rows = select(ServiceRow).where(ServiceRow.panel_id.in_(wanted)).order_by(ServiceRow.id)
        for service in self.session.scalars(service_rows):
            services[service.panel_id].append(SqlAlchemyServices._service(service))
        members: dict[int, list[Member]] = {panel_id: [] for panel_id in wanted}
        member_rows = select(MemberRow).where(MemberRow.panel_id.in_(wanted), MemberRow.active).order_by(MemberRow.id)
        for member in self.session.scalars(member_rows):
            members[member.panel_id].append(SqlAlchemyMembers._member(member))
        service_ids = [s.id for found in services.values() for s in found if s.id is not None]
        owners: dict[int, list[StaffUser]] = {service_id: [] for service_id in service_ids}
        owner_rows = (
            select(StaffUserRow)
            .where(StaffUserRow.service_id.in_(service_ids), StaffUserRow.role == Role.SERVICE_OWNER.value)
            .order_by(StaffUserRow.id)
        )
        for user in self.session.scalars(owner_rows):
            # A service owner has no panels of their own (only coordinators do), as SqlAlchemyUsers builds them.
            owner = SqlAlchemyUsers.from_row(user, panel_ids=set())
            owners[user.service_id or 0].append(owner)
        return QueueContext(
            panels={row.id: SqlAlchemyPanels._panel(row) for row in panels},
            services=services,
            members=members,
            owners=owners,
        )


def _overdue(last: Any, overdue_before: Mapping[int, tuple[datetime, datetime]]) -> ColumnElement[bool]:
    """Overdue by each panel's moments (``application.reads.dashboard.overdue_lines``): one small clause per panel."""
    per_panel = [
        and_(
            IdeaRow.panel_id == panel_id,
            or_(
                and_(IdeaRow.state == IdeaState.SENT_TO_SERVICE.value, last <= waiting),
                and_(IdeaRow.state == IdeaState.IN_PROGRESS.value, last <= in_progress),
            ),
        )
        for panel_id, (waiting, in_progress) in sorted(overdue_before.items())
    ]
    return or_(false(), *per_panel)
