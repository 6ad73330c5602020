"""The managers' cross-panel overview as a read model: per panel its open and overdue ideas, pre-briefs and summaries
on time, the median days to a first answer and the latest survey's recommendation, over a date range.

Every figure comes from the dashboard's queries and rules (``dashboard.service_lines``, ``meeting_line``,
``days_to_first_response``; ``domain.survey_scoring.score``): the overview never counts a thing a second way.
Access: the panels whose dashboard the actor may read (``permissions.dashboard_panels``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from application.access import permissions
from application.ports.dashboard_queries import DashboardUnitOfWork
from application.ports.unit_of_work import Clock
from application.reads.dashboard import days_to_first_response, meeting_line, service_lines
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.errors import InvalidValue
from domain.ideas import OPEN_STATES
from domain.panels import Panel
from domain.survey_scoring import score

DEFAULT_DAYS = 365  # the range when none is given: the last twelve months, today included


@dataclass(frozen=True)
class OnTime:
    """How many of the range's meetings had their mail out on time, of those whose mail was due by now."""

    on_time: int
    due: int

    @property
    def share(self) -> int | None:
        """Whole per cent on time, None when nothing was due."""
        return round(100 * self.on_time / self.due) if self.due else None


@dataclass(frozen=True)
class Recommendation:
    survey_id: int
    title: str
    nps: int | None  # None: too few answers to show (small groups are suppressed, as on the report)
    respondents: int


@dataclass(frozen=True)
class PanelLine:
    panel: Panel
    open_ideas: int
    overdue: int
    prebriefs: OnTime
    summaries: OnTime
    median_days_to_first_response: float | None
    recommendation: Recommendation | None


@dataclass(frozen=True)
class Overview:
    start: date
    end: date  # the last day of the range, included
    panels: list[PanelLine]


def date_range(start: str, end: str, *, today: date) -> tuple[date, date]:
    """The range from the address (``YYYY-MM-DD``; empty: the last twelve months to today); a bad or reversed date
    is refused naming its field (``from`` or ``to``)."""
    last = _day("to", end) if end.strip() else today
    first = _day("from", start) if start.strip() else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidValue("from", f"{first.isoformat()} is after the end of the range {last.isoformat()}")
    return first, last


def overview(actor: Actor, *, start: date, end: date, uow: DashboardUnitOfWork, clock: Clock) -> Overview:
    now = clock.now()
    allowed = permissions.dashboard_panels(actor)
    since = datetime.combine(start, time(), tzinfo=PANEL_TZ)
    until = datetime.combine(end + timedelta(days=1), time(), tzinfo=PANEL_TZ)
    with uow:
        panels = [p for p in uow.panels.list() if p.id is not None and (allowed is None or p.id in allowed)]
        ids = [p.stored_id for p in panels]
        meetings = uow.dashboard.meetings_between(ids, start=since, end=until) if ids else []
        lines = []
        for panel in panels:
            panel_id = panel.stored_id
            timings = uow.dashboard.idea_timings(panel_id)
            names = {s.id: s.name for s in uow.services.for_panel(panel_id) if s.id is not None}
            mine = [meeting_line(m, panel=panel, now=now) for m in meetings if m.panel_id == panel_id]
            sent_in_range = [t for t in timings if t.sent_at is not None and since <= t.sent_at < until]
            waits = days_to_first_response(sent_in_range)
            by_state = uow.dashboard.ideas_by_state([panel_id])
            lines.append(
                PanelLine(
                    panel=panel,
                    open_ideas=sum(by_state.get(state, 0) for state in OPEN_STATES),
                    overdue=sum(s.overdue for s in service_lines(timings, names=names, panel=panel, now=now)),
                    prebriefs=_on_time([m.prebrief for m in mine]),
                    summaries=_on_time([m.summary for m in mine]),
                    median_days_to_first_response=round(median(waits), 1) if waits else None,
                    recommendation=_latest_recommendation(uow, panel_id),
                )
            )
        return Overview(start=start, end=end, panels=lines)


def _on_time(statuses: list[str]) -> OnTime:
    """Of ``meeting_line``'s statuses: sent on time, of those sent or late (a coming or not-needed one is not due)."""
    due = [s for s in statuses if s in ("sent_on_time", "sent_late", "late")]
    return OnTime(on_time=sum(1 for s in due if s == "sent_on_time"), due=len(due))


def _latest_recommendation(uow: DashboardUnitOfWork, panel_id: int) -> Recommendation | None:
    """The newest opened survey's recommendation, scored as its report scores it."""
    for survey, answers, invited in uow.surveys.latest_opened(panel_id, limit=1):
        report = score(survey, answers, invited=invited)
        return Recommendation(report.survey_id, report.title, report.nps, report.respondents)
    return None


def _day(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(name, f"{text!r} is not a date written as YYYY-MM-DD") from None
