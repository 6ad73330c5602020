"""A panel season as a script: who does what, and when, drawn from ``random.Random(seed)``.

Everything happens through the use cases, as the people would do it on the command line or
the web: a coordinator schedules meetings (sometimes too late: refused, then allowed with a
reason; once without a place), records and forwards ideas, writes and approves summaries;
service owners answer quickly, slowly or never; members choose digests or unsubscribe.
The script only acts; what the flows do on their own is driven by ``application.simulation.virtual_time``.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from functools import partial

from application.commands import (
    AddService,
    AddUser,
    ApproveSummary,
    CreatePanel,
    DraftSummary,
    ImportMembers,
    MemberRow,
    MoveIdea,
    NoteIdea,
    RaiseIdea,
    ScheduleMeeting,
    UpdateMeeting,
)
from application.ideas.changes import move_idea, note_idea, raise_idea
from application.meetings.changes import approve_summary, draft_summary, schedule_meeting, update_meeting
from application.people import preferences
from application.people.roster import add_service, add_user, create_panel, import_members
from application.ports.unit_of_work import Clock, UnitOfWork
from application.simulation.cast import (
    COORDINATORS,
    DECLINE_REASONS,
    IDEAS,
    LATE_REASONS,
    MEMBER_NAMES,
    NOTES,
    OUTCOMES,
    PLACE,
    SERVICES,
    TOPICS,
    member_email,
)
from application.timezone import PANEL_TZ
from domain.errors import DomainError
from domain.ideas import IdeaState
from domain.values import Role

# How a service's owners answer an idea: the chances of quickly, slowly and never.
IDEA, RAISED, MEETING = "idea", "raised", "meeting"
Changed = frozenset[str]
NOTHING: Changed = frozenset()

PROFILES: dict[str, tuple[float, float, float]] = {
    "quick": (0.75, 0.2, 0.05),
    "slow": (0.25, 0.55, 0.2),
    "silent": (0.1, 0.3, 0.6),
}


@dataclass(frozen=True)
class Action:
    """One thing a person did, for the timeline."""

    at: datetime
    actor: str
    text: str


@dataclass(order=True)
class _Due:
    at: datetime
    order: int
    run: Callable[[], Changed] = field(compare=False)


@dataclass
class _Service:
    name: str
    owner: str | None
    profile: str


class Season:
    """The agenda of a season; ``run_next`` performs the earliest action at the clock's time.

    An action returns what it changed (``IDEA``: a move or a note, which wakes the dispatcher;
    ``RAISED``: a new idea, now waiting; ``MEETING``: what the pre-brief and follow-up flows read).
    """

    def __init__(
        self, *, seed: int, uow_factory: Callable[[], UnitOfWork], clock: Clock, start: datetime, end: datetime
    ) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.uow = uow_factory
        self.clock = clock
        self.start = start
        self.end = end
        self.actions: list[Action] = []
        self.panel = ""
        self.services: list[_Service] = []
        self._agenda: list[_Due] = []
        self._order = 0
        self._member_ids: list[int] = []
        self._deck: list[tuple[str, str]] = []
        self.at(start, self._set_up)

    # --- the agenda -------------------------------------------------------------------

    def at(self, moment: datetime, run: Callable[[], Changed]) -> None:
        if moment <= self.end:
            self._order += 1
            heapq.heappush(self._agenda, _Due(moment, self._order, run))

    def next_at(self) -> datetime | None:
        return self._agenda[0].at if self._agenda else None

    def run_next(self) -> Changed:
        return heapq.heappop(self._agenda).run()

    def _log(self, actor: str, text: str) -> None:
        self.actions.append(Action(self.clock.now(), actor, text))

    def _office(self, moment: datetime) -> datetime:
        """The next office hour (Mon–Fri 8–16, Helsinki) at or after ``moment``."""
        local = moment.astimezone(PANEL_TZ)
        if local.hour >= 16:
            local = datetime.combine(local.date() + timedelta(days=1), time(8), PANEL_TZ)
        elif local.hour < 8:
            local = datetime.combine(local.date(), time(8), PANEL_TZ)
        while local.weekday() >= 5:
            local = datetime.combine(local.date() + timedelta(days=1), time(8), PANEL_TZ)
        return local + timedelta(minutes=self.rng.randrange(0, 60 * 7)) if local.hour == 8 else local

    def _later(self, base: datetime, low: float, high: float) -> datetime:
        return self._office(base + timedelta(days=self.rng.uniform(low, high)))

    # --- the panel and its people ---------------------------------------------------------

    def _set_up(self) -> Changed:
        coordinator = COORDINATORS[0]
        panel = create_panel(CreatePanel(name=f"Simuloitu asiakasraati {self.seed}"), uow=self.uow(), clock=self.clock)
        self.panel = str(panel.id)
        for address in COORDINATORS:
            add_user(AddUser(address, Role.COORDINATOR, panel=self.panel), uow=self.uow(), clock=self.clock)
        profiles = ["quick", "quick", "slow", "silent"]
        self.rng.shuffle(profiles)
        for (name, owners), profile in zip(SERVICES, profiles, strict=True):
            cmd = AddService(name=name, panel=self.panel, owners=owners, actor=coordinator)
            add_service(cmd, uow=self.uow(), clock=self.clock)
            self.services.append(_Service(name, owners[0] if owners else None, profile))
        chosen = [(n, "fi") for n in self.rng.sample(MEMBER_NAMES["fi"], 9)]
        chosen += [(n, "sv") for n in self.rng.sample(MEMBER_NAMES["sv"], 3)]
        chosen += [(n, "en") for n in self.rng.sample(MEMBER_NAMES["en"], 3)]
        self.rng.shuffle(chosen)
        rows = tuple(MemberRow(i + 2, n, member_email(n), lang) for i, (n, lang) in enumerate(chosen))
        result = import_members(ImportMembers(self.panel, rows, actor=coordinator), uow=self.uow(), clock=self.clock)
        self._member_ids = [m.id for m in result.imported if m.id is not None]
        self._log(
            coordinator,
            f"sets up panel {self.panel}: {len(COORDINATORS)} coordinators, "
            f"{len(SERVICES)} services ({', '.join(f'{s.name}: {s.profile}' for s in self.services)}), "
            f"{len(rows)} members",
        )
        digest = self.rng.sample(self._member_ids, 3)
        for member_id in digest:
            self.at(self.start + timedelta(hours=2), partial(self._choose_digest, member_id))
        leaving = self.rng.choice([m for m in self._member_ids if m not in digest])
        self.at(self._later(self.start, 0.4 * self._days, 0.55 * self._days), lambda: self._unsubscribe(leaving))
        self._plan_meetings()
        return NOTHING

    @property
    def _days(self) -> float:
        return (self.end - self.start) / timedelta(days=1)

    def _choose_digest(self, member_id: int) -> Changed:
        cmd = preferences.ChangePreferences(member_id, delivery="digest")
        preferences.change_preferences(cmd, uow=self.uow(), clock=self.clock)
        self._log(f"member:{member_id}", "chooses the weekly digest")
        return NOTHING

    def _unsubscribe(self, member_id: int) -> Changed:
        _, cancelled = preferences.unsubscribe(
            preferences.Unsubscribe(member_id, via="link"), uow=self.uow(), clock=self.clock
        )
        self._log(f"member:{member_id}", f"unsubscribes ({cancelled} pending notification(s) cancelled)")
        return NOTHING

    # --- meetings ---------------------------------------------------------------------------

    def _plan_meetings(self) -> None:
        """A meeting about every three weeks at 17:00; the second has no place, the third is set up late."""
        day, index = 12.0, 0
        while True:
            local = (self.start + timedelta(days=day)).astimezone(PANEL_TZ)
            starts = datetime.combine(local.date(), time(17), PANEL_TZ)
            while starts.weekday() >= 4:
                starts += timedelta(days=1)
            if starts > self.end + timedelta(days=10):
                return
            kind = (
                ["normal", "unready", "late"][index]
                if index < 3
                else ("late" if self.rng.random() < 0.25 else "normal")
            )
            if kind == "late":  # an office hour two days before: past the 3-day line
                when = self._office(starts - timedelta(days=2, hours=self.rng.uniform(0, 8)))
            else:
                when = max(self._later(starts, -24, -14), self.start + timedelta(hours=1))
            self.at(when, partial(self._schedule, starts, kind, index))
            day += 21 + self.rng.randint(-3, 3)
            index += 1

    def _schedule(self, starts: datetime, kind: str, index: int) -> Changed:
        coordinator = self.rng.choice(COORDINATORS)
        title, task, task_kind, category, service = TOPICS[index % len(TOPICS)]
        cmd = ScheduleMeeting(
            panel=self.panel,
            starts_at=starts,
            service=SERVICES[service][0],
            tasks=(task,),
            task_kind=task_kind,
            category=category,
            place="" if kind == "unready" else PLACE,
            actor=coordinator,
            title=title,
            agenda=("Tervetuloa ja pelisäännöt", task, "Ideat ja seuraavat askeleet"),
        )
        when = starts.astimezone(PANEL_TZ).strftime("%Y-%m-%d %H:%M")
        try:
            meeting = schedule_meeting(cmd, uow=self.uow(), clock=self.clock)
        except DomainError as refused:
            self._log(coordinator, f"tries to schedule '{title}' for {when}: refused ({refused})")
            reason = self.rng.choice(LATE_REASONS)
            cmd = replace(cmd, late_reason=reason)
            meeting = schedule_meeting(cmd, uow=self.uow(), clock=self.clock)
            self._log(coordinator, f"schedules meeting {meeting.id} '{title}' for {when} with --allow-late: {reason}")
        else:
            where = "no place yet" if kind == "unready" else PLACE
            self._log(coordinator, f"schedules meeting {meeting.id} '{title}' for {when} ({where})")
        meeting_id = meeting.stored_id
        if kind == "unready":  # the place is settled only after the 3-day line
            self.at(starts - timedelta(days=2, hours=5), lambda: self._give_place(meeting_id, coordinator))
        self.at(meeting.end + timedelta(minutes=15), lambda: self._raise_ideas(meeting_id, coordinator, service))
        self._plan_summary(meeting_id, meeting.end)
        return frozenset({MEETING})

    def _give_place(self, meeting_id: int, coordinator: str) -> Changed:
        cmd = UpdateMeeting(meeting_id, place=PLACE, actor=coordinator)
        update_meeting(cmd, uow=self.uow(), clock=self.clock)
        self._log(coordinator, f"finally sets the place of meeting {meeting_id}")
        return frozenset({MEETING})

    def _plan_summary(self, meeting_id: int, ended: datetime) -> None:
        late = self.rng.random() < 0.3
        approve = self._later(ended, 8, 11) if late else self._later(ended, 0.6, 4)
        draft = max(approve - timedelta(minutes=self.rng.uniform(20, 120)), ended + timedelta(hours=1))
        coordinator = self.rng.choice(COORDINATORS)
        self.at(draft, lambda: self._draft(meeting_id, coordinator))
        self.at(max(approve, draft + timedelta(minutes=30)), lambda: self._approve(meeting_id, coordinator))

    def _draft(self, meeting_id: int, coordinator: str) -> Changed:
        with self.uow() as uow:
            titles = [i.title for i in uow.ideas.list(panel_id=int(self.panel)) if i.meeting_id == meeting_id]
        text = (
            "Raati keskusteli palvelun kehittämistehtävästä ja antoi palautetta. "
            f"Kokouksessa nousi {len(titles)} ideaa: " + "; ".join(titles) + "."
        )
        steps = ("Ideat välitetään palveluille.", "Palvelut kertovat raadille, mitä ideoille tapahtuu.")
        draft_summary(DraftSummary(meeting_id, text, steps, actor=coordinator), uow=self.uow(), clock=self.clock)
        self._log(coordinator, f"drafts the summary of meeting {meeting_id}")
        return frozenset({MEETING})

    def _approve(self, meeting_id: int, coordinator: str) -> Changed:
        approve_summary(ApproveSummary(meeting_id, actor=coordinator), uow=self.uow(), clock=self.clock)
        self._log(coordinator, f"approves the summary of meeting {meeting_id}")
        return frozenset({MEETING})

    # --- ideas ----------------------------------------------------------------------------

    def _raise_ideas(self, meeting_id: int, coordinator: str, leading: int) -> Changed:
        for title, text in self._deal(self.rng.randint(2, 4)):
            view = raise_idea(RaiseIdea(meeting_id, title, text, actor=coordinator), uow=self.uow(), clock=self.clock)
            self._log(coordinator, f"records idea {view.id} '{title}' (meeting {meeting_id})")
            ended = self.clock.now()
            when = self._later(ended, 14.5, 17) if self.rng.random() < 0.1 else self._later(ended, 0.5, 3)
            self.at(when, partial(self._forward, view.id, coordinator, leading))
        return frozenset({RAISED})

    def _deal(self, count: int) -> list[tuple[str, str]]:
        """The next ideas from a shuffled deck, so a season repeats an idea only once the deck runs out."""
        if len(self._deck) < count:
            self._deck += self.rng.sample(IDEAS, len(IDEAS))
        dealt, self._deck = self._deck[:count], self._deck[count:]
        return dealt

    def _state(self, idea_id: int) -> IdeaState:
        with self.uow() as uow:
            return uow.ideas.get(idea_id).state

    def _move(
        self, idea_id: int, to: IdeaState, actor: str, note: str | None = None, service: str | None = None
    ) -> None:
        cmd = MoveIdea(idea_id, to.value, note=note, service=service, actor=actor)
        move_idea(cmd, uow=self.uow(), clock=self.clock)
        said = f": {note}" if note else ""
        self._log(actor, f"moves idea {idea_id} to {to.value}" + (f" ({service})" if service else "") + said)

    def _forward(self, idea_id: int, coordinator: str, leading: int) -> Changed:
        if self._state(idea_id) is not IdeaState.RAISED:
            return NOTHING
        if self.rng.random() < 0.12:
            self._move(idea_id, IdeaState.DECLINED, coordinator, note=self.rng.choice(DECLINE_REASONS))
            return frozenset({IDEA})
        service = self.services[leading] if self.rng.random() < 0.6 else self.rng.choice(self.services)
        self._move(idea_id, IdeaState.SENT_TO_SERVICE, coordinator, service=service.name)
        responder = service.owner or coordinator
        speed = self.rng.choices(["quick", "slow", "never"], weights=PROFILES[service.profile])[0]
        sent = self.clock.now()
        if speed == "never":
            return frozenset({IDEA})
        when = self._later(sent, 1, 6) if speed == "quick" else self._later(sent, 16, 40)
        if self.rng.random() < 0.2:
            half = self._office(sent + (when - sent) / 2)
            self.at(half, lambda: self._note(idea_id, responder, IdeaState.SENT_TO_SERVICE))
        self.at(when, lambda: self._respond(idea_id, responder))
        return frozenset({IDEA})

    def _note(self, idea_id: int, actor: str, expected: IdeaState) -> Changed:
        if self._state(idea_id) is not expected:
            return NOTHING
        text = self.rng.choice(NOTES)
        note_idea(NoteIdea(idea_id, text, actor=actor), uow=self.uow(), clock=self.clock)
        self._log(actor, f"adds a progress note to idea {idea_id}: {text}")
        return frozenset({IDEA})

    def _respond(self, idea_id: int, actor: str) -> Changed:
        if self._state(idea_id) is not IdeaState.SENT_TO_SERVICE:
            return NOTHING
        if self.rng.random() < 0.3:
            self._move(idea_id, IdeaState.DECLINED, actor, note=self.rng.choice(DECLINE_REASONS))
            return frozenset({IDEA})
        self._move(idea_id, IdeaState.IN_PROGRESS, actor)
        started = self.clock.now()
        if self.rng.random() < 0.5:
            self.at(self._later(started, 10, 35), lambda: self._note(idea_id, actor, IdeaState.IN_PROGRESS))
        self.at(self._later(started, 20, 80), lambda: self._finish(idea_id, actor))
        return frozenset({IDEA})

    def _finish(self, idea_id: int, actor: str) -> Changed:
        if self._state(idea_id) is not IdeaState.IN_PROGRESS:
            return NOTHING
        if self.rng.random() < 0.75:
            self._move(idea_id, IdeaState.IMPLEMENTED, actor, note=self.rng.choice(OUTCOMES))
        else:
            self._move(idea_id, IdeaState.DECLINED, actor, note=self.rng.choice(DECLINE_REASONS))
        return frozenset({IDEA})
