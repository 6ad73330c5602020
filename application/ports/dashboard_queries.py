"""What the dashboard and the queue ask of persistence: a few aggregate queries, rows as plain records.

A fixed number of queries per page, whatever the size of the data; persistence/dashboard_queries.py implements them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from application.ports.unit_of_work import UnitOfWork
from domain.panels import Member, Panel, Service, StaffUser


class IdeaTiming(Protocol):
    """One idea's times, from its events: when it was sent on, first answered, last touched."""

    @property
    def idea_id(self) -> int: ...
    @property
    def service_id(self) -> int | None: ...
    @property
    def state(self) -> str: ...
    @property
    def sent_at(self) -> datetime | None: ...
    @property
    def first_response_at(self) -> datetime | None: ...
    @property
    def last_at(self) -> datetime: ...


class MeetingDates(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime | None: ...
    @property
    def prebrief_sent_at(self) -> datetime | None: ...
    @property
    def summary_sent_at(self) -> datetime | None: ...


class PanelMeetingDates(MeetingDates, Protocol):
    """A meeting's dates with its panel (the overview reads several panels' meetings at once)."""

    @property
    def panel_id(self) -> int: ...


class SpeakingFigures(Protocol):
    """A meeting's stored speaking balance (figures only, no names) with the meeting's date and title."""

    @property
    def meeting_id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def present(self) -> int: ...
    @property
    def spoke(self) -> int: ...
    @property
    def share_spoke(self) -> float: ...
    @property
    def gini(self) -> float | None: ...
    @property
    def longest_seconds(self) -> int: ...
    @property
    def turns(self) -> int: ...


class QueueRow(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def panel_id(self) -> int: ...
    @property
    def service_id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def last_at(self) -> datetime | None: ...
    @property
    def translations(self) -> Mapping[str, Any] | None:
        """The idea's title in Swedish and English, ``{"sv": {"title": "…"}}`` (None when it has none)."""


class QueueContext(Protocol):
    """What a page of the queue needs to say who a move would tell: its panels, their services, active members
    and the services' owners (keyed by panel or service id)."""

    @property
    def panels(self) -> Mapping[int, Panel]: ...
    @property
    def services(self) -> Mapping[int, Sequence[Service]]: ...
    @property
    def members(self) -> Mapping[int, Sequence[Member]]: ...
    @property
    def owners(self) -> Mapping[int, Sequence[StaffUser]]: ...


class DashboardQueries(Protocol):
    """Aggregate queries: a fixed number per page, whatever the size of the data."""

    def ideas_by_state(self, panel_ids: Collection[int] | None) -> dict[str, int]: ...
    def idea_timings(self, panel_id: int) -> Sequence[IdeaTiming]: ...
    def recent_meetings(self, panel_id: int, *, limit: int) -> Sequence[MeetingDates]: ...
    def speaking_balances(self, panel_id: int, *, limit: int) -> Sequence[SpeakingFigures]:
        """The speaking balance of the panel's latest ``limit`` meetings that had turns, oldest first."""
        ...

    def meetings_between(
        self, panel_ids: Collection[int], *, start: datetime, end: datetime
    ) -> Sequence[PanelMeetingDates]:
        """The panels' meetings starting at or after ``start`` and before ``end``, by start; ``panel_id`` on each."""
        ...

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
    ) -> tuple[int, Sequence[QueueRow]]:
        """How many open ideas match, and one page of them with their last activity: the longest waiting first
        (the oldest last activity), then by id. ``title_contains`` narrows to titles with that text (any case);
        ``overdue_before`` to overdue ideas: per panel, the moments (``dashboard.overdue_lines``) at or before which
        a last change makes an idea waiting on its service, or one in progress, overdue (panels not in it: none)."""
        ...

    def queue_context(self, panel_ids: Collection[int]) -> QueueContext:
        """The panels with their services, active members and owners, in a fixed number of queries."""
        ...


class DashboardUnitOfWork(UnitOfWork, Protocol):
    @property
    def dashboard(self) -> DashboardQueries: ...
