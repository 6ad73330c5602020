"""No idea sits unanswered: reminders to services, escalations to coordinators, requests for notes.

- sent_to_service with no activity for N days (panel ``stale_days``): a reminder to the
  service's owners each period; from 2N on, an escalation to the coordinators too.
- in_progress with no note for M days (``progress_note_days``): a request for a progress note.
- raised and not forwarded for N days: a reminder to the coordinators.
Every row's id carries (idea, stage, start of the wait, period): one reminder per idea per period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from application.ports.unit_of_work import Clock, UnitOfWork
from domain.ideas import Idea, IdeaState
from domain.panels import Panel, StaffUser
from domain.schedule import chase_waiting_idea, periods_elapsed, progress_note_period
from notifications import kinds
from notifications.policy import panel_fields, to_staff, translated, with_translations


@dataclass
class ChaseRun:
    reminders: list[int] = field(default_factory=list)
    escalations: list[int] = field(default_factory=list)
    note_requests: list[int] = field(default_factory=list)
    queued: int = 0


def chase_stale_ideas(*, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> ChaseRun:
    run = ChaseRun()
    now = clock.now()
    with uow_factory() as uow:
        panels: dict[int, Panel] = {}
        services: dict[int, str] = {}
        for idea, _entered, last in uow.ideas.open_with_activity():
            panel = panels.get(idea.panel_id) or panels.setdefault(idea.panel_id, uow.panels.by_id(idea.panel_id))
            if idea.service_id is not None and idea.service_id not in services:
                services[idea.service_id] = uow.services.by_id(idea.service_id).name
            owners = uow.users.owners_of(idea.service_id) if idea.service_id else []
            coordinators = uow.users.coordinators_of(idea.panel_id)
            service = services.get(idea.service_id) if idea.service_id else None
            chase = _Chase(uow=uow, idea=idea, panel=panel, service=service, since=last, now=now, run=run)
            if idea.state is IdeaState.SENT_TO_SERVICE:
                due = chase_waiting_idea(last, stale_days=panel.stale_days, now=now)
                if due.reminder_period:
                    chase.send(kinds.REMINDER, "waiting", due.reminder_period, owners or coordinators, panel.stale_days)
                    run.reminders.append(idea.stored_id)
                if due.escalation_period:
                    chase.send(kinds.ESCALATION, "waiting", due.escalation_period, coordinators, panel.stale_days * 2)
                    run.escalations.append(idea.stored_id)
            elif idea.state is IdeaState.IN_PROGRESS:
                period = progress_note_period(last, note_days=panel.progress_note_days, now=now)
                if period:
                    chase.send(
                        kinds.REMINDER, "progress_note", period, owners or coordinators, panel.progress_note_days
                    )
                    run.note_requests.append(idea.stored_id)
            elif idea.state is IdeaState.RAISED:
                period = periods_elapsed(last, every_days=panel.stale_days, now=now)
                if period:
                    chase.send(kinds.REMINDER, IdeaState.RAISED, period, coordinators, panel.stale_days)
                    run.reminders.append(idea.stored_id)
        uow.commit()
    return run


@dataclass
class _Chase:
    uow: UnitOfWork
    idea: Idea
    panel: Panel
    service: str | None
    since: datetime
    now: datetime
    run: ChaseRun

    def send(self, kind: str, stage: str, period: int, to: list[StaffUser], after_days: int) -> None:
        due = self.since + timedelta(days=after_days)
        item = {
            "subject": "idea",
            "title": self.idea.title,
            "due_at": due.isoformat(),
            "days_overdue": int(max((self.now - due) // timedelta(days=1), 0)),
            "idea_id": self.idea.id,
            "state": self.idea.state.value,
            "reminders_sent": period - 1,
        }
        if self.service:
            item["service_name"] = self.service
        with_translations(item, translated(self.idea.translations, {"title": "title"}))
        payload = {**panel_fields(self.panel, for_members=False), "items": [item]}
        key = ("idea", self.idea.id, stage, self.since.isoformat(), period)
        self.run.queued += self.uow.outbox.add_new(
            to_staff(kind, key, to, payload, panel_id=self.panel.stored_id, now=self.now)
        )
