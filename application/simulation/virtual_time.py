"""Virtual time: a panel season played through the real use cases and flows on a clock that jumps.

How time moves: the clock jumps from one moment that matters to the next —

- each action of the script (``application.simulation.season``); a move or a note starts at once every
  deployment whose event trigger expects it (the drain), as on a Prefect server;
- each slot of a deployment's schedule at which its flow could act: the flows run
  what the deployments run (``send_due_prebriefs``, ``follow_up_meetings``,
  ``chase_stale_ideas``, ``send_progress_reports`` and the digests, ``dispatch``), but a
  slot where nothing can have become due is skipped. What can become due is read from the
  database with the domain's own rules: a meeting's pre-brief, alert and 3-day times, its end
  and summary reminder days; the next whole period an open idea has waited; the moment a
  pending outbox row's coalescing window, digest week or retry delay runs out. Skipping a
  slot that mattered would show as a broken promise in the checks, never hide one.

The schedules and triggers are the deployments' own, from ``prefect.yaml``: the caller passes them
in (``FlowSchedule``, one per deployment; the command line reads them with
``flows.deployment_specs``), and a cron fires here exactly when Prefect would fire it
(``domain.cron``), also across the changes of daylight-saving time.

Mail goes out through the real dispatcher, composer and transport the caller passes in (the
command line: SMTP into an in-process mail sink). Nothing sleeps; the same seed plays the
same season. At the end the season is read back from the database and judged
(``application.simulation.checks``).
"""

from __future__ import annotations

import asyncio
import heapq
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Sized
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from application.delivery import DispatchRules, dispatch
from application.ideas.chasing import chase_stale_ideas
from application.ideas.progress_reports import send_progress_reports
from application.meetings.follow_up import follow_up_meetings
from application.meetings.prebriefs import send_due_prebriefs
from application.ports.delivery import Composer, DeliveryQueue, Transport
from application.ports.unit_of_work import UnitOfWork
from application.reads.views import idea_view
from application.simulation.checks import CheckResult, CheckRules, check_season
from application.simulation.facts import SeasonFacts, SentEmail, load_facts
from application.simulation.season import IDEA, MEETING, RAISED, Action, Season
from application.timezone import PANEL_TZ
from domain.cron import Cron
from domain.events import EventType
from domain.ideas import IdeaState
from domain.meetings import Meeting
from domain.schedule import days_after, periods_elapsed, prebrief_times
from notifications.outbox import OutboxMessage, OutboxStatus

# The deployments the simulator plays, in the order in which flows due at the same moment run.
PLAYED = ("send-prebriefs", "follow-up-meetings", "chase-stale-ideas", "send-digests", "dispatch-notifications")
# prefect.yaml's other deployments, and why a season does without them.
NOT_PLAYED = {
    "purge-sent-mail": "removes the bodies of old mail; no promise the season checks depends on it",
    "remind-surveys": "the season's script runs no surveys",
    "prune-prefect-history": "tidies the Prefect server's own records, which a simulated season does not make",
}
# What a committed idea move or note publishes (flows/publisher.py): the events that wake the drain.
IDEA_EVENTS = frozenset({"raati.idea.moved", "raati.idea.noted"})


@dataclass(frozen=True)
class FlowSchedule:
    """When a deployment's flow runs: at each time its crons fire, and at once on the events it expects."""

    crons: tuple[Cron, ...]
    wake_events: frozenset[str] = frozenset()

    def next_at(self, moment: datetime) -> datetime:
        """The first slot at or after ``moment``."""
        return min(cron.next_at(moment) for cron in self.crons)


class VirtualClock:
    """The simulation's time: it only moves when told to, and never backwards."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the virtual clock needs an aware start")
        self.current = start

    def now(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        if moment < self.current:
            raise ValueError(f"time does not run backwards: {moment} < {self.current}")
        self.current = moment


@dataclass(frozen=True)
class SimulationPorts:
    uow_factory: Callable[[], UnitOfWork]
    queue: DeliveryQueue
    transport: Transport
    composer: Composer
    rules: DispatchRules
    # The Message-IDs (without brackets) of every message in the mail sink, one per file.
    sink_message_ids: Callable[[], list[str]]


class _RecordingComposer:
    """The caller's composer, remembering which kind each Message-ID went out as (digest or not)."""

    def __init__(self, inner: Composer) -> None:
        self.inner = inner
        self.kinds: dict[str, str] = {}

    def message_id(self, key: str) -> str:
        return self.inner.message_id(key)

    def compose(
        self, kind: str, rows: Sequence[OutboxMessage], *, key: str, date: datetime | None = None
    ) -> EmailMessage:
        self.kinds[self.message_id(key)] = kind
        return self.inner.compose(kind, rows, key=key, date=date)


@dataclass
class SeasonReport:
    seed: int
    days: int
    start: datetime
    end: datetime
    actions: list[Action]
    members: list[dict[str, Any]]
    meetings: list[Meeting]
    ideas: list[dict[str, Any]]
    sent: list[SentEmail]
    checks: dict[str, CheckResult]
    runs: Counter[str] = field(default_factory=Counter)

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks.values())

    def to_dict(self) -> dict[str, Any]:
        def when(moment: datetime | None) -> str | None:
            return moment.astimezone(PANEL_TZ).isoformat() if moment else None

        return {
            "seed": self.seed,
            "days": self.days,
            "start": when(self.start),
            "end": when(self.end),
            "meetings": [
                {
                    "id": m.id,
                    "starts_at": when(m.starts_at),
                    "late": m.late,
                    "late_reason": m.late_reason,
                    "status": m.status.value,
                    "prebrief_sent_at": when(m.prebrief_sent_at),
                    "summary_sent_at": when(m.summary_sent_at),
                }
                for m in self.meetings
            ],
            "members": self.members,
            "ideas": self.ideas,
            "sent": [{**e.to_dict(), "at": when(e.at)} for e in self.sent],
            "checks": {name: check.to_dict() for name, check in self.checks.items()},
            "passed": self.passed,
            "runs": dict(sorted(self.runs.items())),
        }


class _Engine:
    """Runs the flows at the slots of their schedules where they could act, and the script's actions."""

    def __init__(
        self,
        ports: SimulationPorts,
        clock: VirtualClock,
        runner: asyncio.Runner,
        season: Season,
        seed: int,
        schedules: Mapping[str, FlowSchedule],
    ) -> None:
        self.ports, self.clock, self.runner, self.season = ports, clock, runner, season
        self.schedules = schedules
        self.woken_by_ideas = [flow for flow in PLAYED if schedules[flow].wake_events & IDEA_EVENTS]
        self.composer = _RecordingComposer(ports.composer)
        self.jitter = random.Random(f"jitter-{seed}").random
        self.runs: Counter[str] = Counter()
        self._wakes: list[tuple[datetime, int, str]] = []
        self._woken: set[tuple[datetime, str]] = set()

    def wake(self, flow: str, at: datetime) -> None:
        """Run ``flow`` at its first scheduled slot at or after ``at``."""
        slot = self.schedules[flow].next_at(at)
        if (slot, flow) not in self._woken:
            self._woken.add((slot, flow))
            heapq.heappush(self._wakes, (slot, PLAYED.index(flow), flow))

    def run(self, end: datetime) -> None:
        for flow in PLAYED:
            self.wake(flow, self.clock.now())
        while True:
            action_at = self.season.next_at()
            wake_at = self._wakes[0][0] if self._wakes else None
            moment = min(t for t in (action_at, wake_at) if t is not None)
            if moment > end:
                return
            self.clock.set(moment)
            if moment == wake_at:
                slot, _, flow = heapq.heappop(self._wakes)
                self._woken.discard((slot, flow))
                self._run(flow)
                continue
            changed = self.season.run_next()
            if IDEA in changed:  # raati.idea.moved/noted: the deployments' event triggers start them at once
                for flow in self.woken_by_ideas:
                    self._run(flow)
            if IDEA in changed or RAISED in changed:
                self._idea_wakes()
            if MEETING in changed:
                self.wake("send-prebriefs", moment)
                self.wake("follow-up-meetings", moment)
                self._meeting_wakes()

    def _run(self, flow: str) -> None:
        uow, clock = self.ports.uow_factory, self.clock
        # The flows that queue mail: what each found, by name, and which wake-ups follow from what it changed.
        found: dict[str, Sized] | None = None
        wakes = self._meeting_wakes
        queued = 0
        if flow == "send-prebriefs":
            prebriefs = send_due_prebriefs(uow_factory=uow, clock=clock)
            queued = prebriefs.queued
            found = {"sent": prebriefs.sent, "at_risk": prebriefs.at_risk, "flagged_late": prebriefs.flagged_late}
        elif flow == "follow-up-meetings":
            follow_up = follow_up_meetings(uow_factory=uow, clock=clock)
            queued = follow_up.queued
            found = {"held": follow_up.held, "summaries": follow_up.summaries_sent, "reminders": follow_up.reminders}
        elif flow == "chase-stale-ideas":
            chase = chase_stale_ideas(uow_factory=uow, clock=clock)
            queued, wakes = chase.queued, self._idea_wakes
            found = {"reminders": chase.reminders, "escalations": chase.escalations}
            found["note_requests"] = chase.note_requests
        elif flow == "send-digests":
            reports = send_progress_reports(uow_factory=uow, clock=clock)
            self._count(flow, reports.queued, progress_reports=len(reports.panels))
            self.dispatch(include_digests=True)
            self.wake(flow, clock.now() + timedelta(minutes=1))
        else:
            self.dispatch()
        if found is not None:
            self._count(flow, queued, **{name: len(items) for name, items in found.items()})
            wakes()
        if queued:  # as the flows do: what they queued is delivered in the same run
            self.dispatch()

    def dispatch(self, *, include_digests: bool = False) -> None:
        rules = replace(self.ports.rules, digest=timedelta(0)) if include_digests else self.ports.rules
        report = self.runner.run(
            dispatch(
                queue=self.ports.queue,
                transport=self.ports.transport,
                composer=self.composer,
                clock=self.clock,
                rules=rules,
                jitter=self.jitter,
            )
        )
        self._count(
            "dispatch-notifications",
            0,
            emails=report.emails,
            rows=report.sent,
            retried=report.retried,
            failed=report.failed,
        )
        self._dispatch_wakes()

    def _dispatch_wakes(self) -> None:
        """The next moment a pending row may become claimable: coalescing over, digest week over, or a retry."""
        now, rules = self.clock.now(), self.ports.rules
        with self.ports.uow_factory() as uow:
            pending = uow.outbox.list(status=OutboxStatus.PENDING)
        moments = [
            moment
            for row in pending
            for moment in (row.created_at + rules.coalesce, row.created_at + rules.digest, row.next_attempt_at)
            if moment is not None and moment > now
        ]
        if moments:
            self.wake("dispatch-notifications", min(moments))

    def _meeting_wakes(self) -> None:
        """Every moment a meeting's pre-brief or follow-up falls due, by the same rules the flows apply."""
        now = self.clock.now()
        with self.ports.uow_factory() as uow:
            for meeting in uow.meetings.unfinished():
                panel = uow.panels.by_id(meeting.panel_id)
                if meeting.prebrief_sent_at is None:
                    times = prebrief_times(meeting.starts_at, lead_days=panel.lead_days, tz=PANEL_TZ)
                    for moment in (times.due, times.alert, times.deadline):
                        if moment > now:
                            self.wake("send-prebriefs", moment)
                end = meeting.end
                for moment in (end, days_after(end, 1, PANEL_TZ), days_after(end, panel.summary_due_days, PANEL_TZ)):
                    if moment > now:
                        self.wake("follow-up-meetings", moment)

    def _idea_wakes(self) -> None:
        """The next moment an open idea's wait crosses a period: a reminder, escalation or note request is due."""
        now = self.clock.now()
        with self.ports.uow_factory() as uow:
            panels = {p.id: p for p in uow.panels.list()}
            for idea, _entered, last in uow.ideas.open_with_activity():
                panel = panels[idea.panel_id]
                days = panel.progress_note_days if idea.state is IdeaState.IN_PROGRESS else panel.stale_days
                every = timedelta(days=days)
                self.wake("chase-stale-ideas", last + (periods_elapsed(last, every_days=days, now=now) + 1) * every)

    def _count(self, flow: str, queued: int, **numbers: int) -> int:
        self.runs[f"{flow}.runs"] += 1
        self.runs[f"{flow}.queued"] += queued
        for name, value in numbers.items():
            self.runs[f"{flow}.{name}"] += value
        return queued


def simulate(
    days: int, seed: int, *, ports: SimulationPorts, clock: VirtualClock, schedules: Mapping[str, FlowSchedule]
) -> SeasonReport:
    """Play ``days`` of a season from the clock's time, then read it back and check its promises.

    ``schedules``: each deployment's schedule and triggers by name, as ``prefect.yaml`` declares them.
    """
    if days < 1:
        raise ValueError("a season lasts at least one day")
    if missing := [flow for flow in PLAYED if flow not in schedules or not schedules[flow].crons]:
        raise ValueError(f"no schedule for the deployments {missing}: the simulator plays them on their schedules")
    start = clock.now()
    end = start + timedelta(days=days)
    season = Season(seed=seed, uow_factory=ports.uow_factory, clock=clock, start=start, end=end)
    with asyncio.Runner() as runner:
        engine = _Engine(ports, clock, runner, season, seed, schedules)
        engine.run(end)
    clock.set(end)
    facts = load_facts(
        ports.uow_factory, now=end, kinds_by_message_id=engine.composer.kinds, sink_message_ids=ports.sink_message_ids()
    )
    checks = check_season(facts, CheckRules(coalesce=ports.rules.coalesce, digest=ports.rules.digest))
    return SeasonReport(
        seed=seed,
        days=days,
        start=start,
        end=end,
        actions=season.actions,
        members=_members(facts),
        meetings=facts.meetings,
        ideas=_ideas(ports.uow_factory, facts),
        sent=facts.sent,
        checks=checks,
        runs=engine.runs,
    )


def _members(facts: SeasonFacts) -> list[dict[str, Any]]:
    """Who could be told what: each member's choices and when they stopped their mail (no names)."""
    found = []
    for member in facts.members:
        left = [e.at for e in facts.member_events.get(member.stored_id, []) if e.type == EventType.UNSUBSCRIBED]
        found.append(
            {
                "id": member.id,
                "panel": member.panel_id,
                "language": member.language.value,
                "delivery": member.delivery.value,
                "receives_mail": member.receives_mail,
                "unsubscribed_at": max(left).astimezone(PANEL_TZ).isoformat() if left else None,
            }
        )
    return found


def _ideas(uow_factory: Callable[[], UnitOfWork], facts: SeasonFacts) -> list[dict[str, Any]]:
    """Each idea as ``raati idea show --json`` shows it (id, state, timeline, …)."""
    with uow_factory() as uow:
        return [idea_view(uow, idea).to_dict() for idea in facts.ideas]
