"""The quarterly progress report: every member hears where all the panel's ideas stand.

Sent in the first two weeks of a quarter for the quarter that ended; ideas are listed by
state, the declined ones with their reasons. Row ids carry (panel, quarter, member).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from application.ports.unit_of_work import Clock, UnitOfWork
from application.timezone import PANEL_TZ
from domain.events import Aggregate, EventType
from domain.ideas import event_translations
from domain.panels import Panel
from notifications import kinds
from notifications.policy import panel_fields, to_members, translated, with_translations

SEND_WITHIN_DAYS = 14


@dataclass
class ReportRun:
    panels: list[int] = field(default_factory=list)
    queued: int = 0


def previous_quarter(today: date) -> tuple[date, date]:
    """The first and last day of the quarter before the one ``today`` is in."""
    start_month = 3 * ((today.month - 1) // 3) + 1
    this_start = date(today.year, start_month, 1)
    last_day = this_start - timedelta(days=1)
    return date(last_day.year, 3 * ((last_day.month - 1) // 3) + 1, 1), last_day


def send_progress_reports(*, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> ReportRun:
    run = ReportRun()
    now = clock.now()
    today = now.astimezone(PANEL_TZ).date()
    start, end = previous_quarter(today)
    if (today - end).days > SEND_WITHIN_DAYS:
        return run
    with uow_factory() as uow:
        panel_ids = [p.id for p in uow.panels.list() if p.id is not None]
    for panel_id in panel_ids:
        with uow_factory() as uow:
            panel = uow.panels.by_id(panel_id)
            payload = report_payload(panel, uow=uow, start=start, end=end)
            if not payload["ideas"]:
                continue
            members = uow.members.active_in_panel(panel_id)
            key = (panel_id, start.isoformat())
            run.queued += uow.outbox.add_new(
                to_members(kinds.PROGRESS_REPORT, key, members, payload, panel_id=panel_id, now=now)
            )
            run.panels.append(panel_id)
            uow.commit()
    return run


def report_payload(panel: Panel, *, uow: UnitOfWork, start: date, end: date) -> dict[str, Any]:
    services = {s.id: s.name for s in uow.services.for_panel(panel.stored_id)}
    ideas = []
    for idea in uow.ideas.list(panel_id=panel.id):
        events = uow.events.for_aggregate(Aggregate.IDEA, idea.stored_id)
        said = [e for e in events if e.text and e.type != EventType.RAISED]
        updated: datetime = events[-1].at if events else datetime.min
        item: dict[str, Any] = {
            "idea_id": idea.id,
            "title": idea.title,
            "state": idea.state.value,
            "service_name": services.get(idea.service_id),
            "text": said[-1].text if said else None,
            "updated_at": updated.isoformat(),
        }
        ideas.append(
            with_translations(
                item,
                translated(idea.translations, {"title": "title"}),
                translated(event_translations(said[-1]), {"text": "text"}) if said else {},
            )
        )
    return {
        **panel_fields(panel),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "ideas": ideas,
    }
