"""National scale: 100,000 ideas and 1,000,000 events across 200 panels; the staff pages timed over HTTP.

Run from the repository root:

    .venv/bin/python bench/national_scale.py                 # scale 1 on PostgreSQL, compared with scale 0.1
    .venv/bin/python bench/national_scale.py --scale 0.1 --compare-scale 0   # a quick run
    .venv/bin/python bench/national_scale.py --sqlite        # SQLite in a temporary folder

For each size (``--compare-scale`` first, then ``--scale``) a fresh database is made: a scratch database on the
server of ``--database-url`` (dropped afterwards), or with ``--sqlite`` a file in a temporary folder. The schema
comes from the project's migrations; the rows go straight into the tables (psycopg COPY on PostgreSQL, SQLAlchemy
Core executemany in chunks on SQLite), then ANALYZE. At scale 1: 200 panels, each with 5 services (one owner each),
30 members, one coordinator (the first runs two panels), 25 past and 2 coming meetings with a development task,
7 evaluation surveys (3 statements, every member invited, 60 % answered; the newest may be open); 3 managers;
100,000 ideas (older ones mostly implemented or declined, recent ones open) whose moves and progress notes, with
the panels', members', users', meetings' and surveys' own events, make 1,000,000 events; one idea has a long
timeline (300 notes). Ideas and events are numbered in the order they happened, so panels interleave. The outbox
holds the mail of the latest moves (300,000 rows, about the last two weeks: sent, a few pending and failed); all
the mail the events imply (~30 members per move) would be ~27 million. A smaller scale is smaller both ways:
sqrt(scale) times the panels, and sqrt(scale) times the history of each (ideas, meetings, members, surveys).

The web app runs under uvicorn (``web.asgi:create`` behind a query counter, see ``counting_app``), one worker,
on 127.0.0.1. Three staff users sign in through the sign-in form and the link its mail carries:
a coordinator, the owner of a service and a manager. Each page is requested ``--warmup`` times, then ``--requests``
times in a row, each timed until its body is read: p50 and p95. Every answer carries the number of SQL statements
the app ran for it (header ``x-bench-queries``), which must be the same at both sizes. Target: p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import contextvars
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import Engine, create_engine, event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.web_process import free_port, web_process  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://root@127.0.0.1:5432/test"
TARGET_MS = 300.0
QUERIES_HEADER = "x-bench-queries"
SURVEY_QUERIES_HEADER = "x-bench-survey-queries"  # of those, statements on the survey tables

PANELS, IDEAS, EVENTS, OUTBOX = 200, 100_000, 1_000_000, 300_000
SERVICES_PER_PANEL, MEMBERS_PER_PANEL, MANAGERS, SURVEYS_PER_PANEL, STATEMENTS = 5, 30, 3, 7, 3
IDEAS_PER_MEETING, FUTURE_MEETINGS, LONG_NOTES = 20, 2, 300
HISTORY = timedelta(days=3 * 365)
OPEN = ("raised", "sent_to_service", "in_progress")
FAILURES = ("550 5.1.1 mailbox unavailable", "554 5.7.1 message rejected", "552 5.2.2 mailbox full")


# --- counting the SQL statements of each request --------------------------------------------------------------

_queries: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("bench_queries", default=None)


def counting_app() -> Any:
    """``web.asgi:create`` with every cursor execution counted per request, answered in ``x-bench-queries``.

    For the benchmark only (``uvicorn --factory bench.national_scale:counting_app``): a SQLAlchemy
    ``before_cursor_execute`` listener on the app's engine adds to a counter the request's context holds.
    Sync endpoints run in a thread pool that copies the context, so the same counter is reached there.
    """
    import wiring
    from web.asgi import create

    app = create()

    def count(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        counter = _queries.get()
        # SQLite's BEGIN IMMEDIATE (persistence/engine.py) is transaction control, not a query: PostgreSQL's
        # transactions begin inside the driver, unseen here, so the two databases' counts compare.
        if counter is not None and not statement.startswith("BEGIN"):
            counter[0] += 1
            counter[1] += "survey" in statement

    event.listen(wiring.engine(), "before_cursor_execute", count)

    async def counted(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        counter = [0, 0]
        token = _queries.set(counter)

        async def send_counted(message: Any) -> None:
            if message["type"] == "http.response.start":
                counts = [(QUERIES_HEADER.encode(), str(counter[0]).encode()),
                          (SURVEY_QUERIES_HEADER.encode(), str(counter[1]).encode())]  # fmt: skip
                headers = [*message.get("headers", []), *counts]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await app(scope, receive, send_counted)
        finally:
            _queries.reset(token)

    return counted


# --- the data --------------------------------------------------------------------------------------------------


@dataclass
class Tables:
    """Rows per table in insertion order, each a tuple in the order of ``COLUMNS``."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows.setdefault(table, []).append(row)


COLUMNS = {
    "panels": ("id", "name", "lead_days", "summary_due_days", "stale_days", "progress_note_days"),
    "services": ("id", "panel_id", "name"),
    "members": ("id", "panel_id", "name", "email", "language", "delivery", "active", "unsubscribed"),
    "staff_users": ("id", "email", "role", "service_id"),
    "coordinator_panels": ("user_id", "panel_id"),
    "meetings": (
        "id",
        "panel_id",
        "starts_at",
        "leading_service_id",
        "place",
        "status",
        "title",
        "ends_at",
        "online_url",
        "agenda",
        "materials",
        "late",
        "late_reason",
        "prebrief_sent_at",
        "summary",
        "next_steps",
        "summary_approved_at",
        "summary_approved_by",
        "summary_sent_at",
    ),
    "development_tasks": ("id", "meeting_id", "position", "kind", "category", "text"),
    "ideas": ("id", "panel_id", "meeting_id", "service_id", "title", "text", "state", "version"),
    "events": (
        "id",
        "aggregate",
        "aggregate_id",
        "seq",
        "type",
        "from_state",
        "to_state",
        "actor",
        "text",
        "data",
        "at",
    ),
    "surveys": ("id", "panel_id", "title", "status", "created_at", "opened_at", "closes_at", "closed_at"),
    "survey_statements": ("id", "survey_id", "position", "text"),
    "survey_invitations": ("id", "survey_id", "member_id", "invited_at", "used_at", "reminder_round"),
    "survey_answers": ("id", "survey_id", "agreements", "recommendation", "comment"),
    "outbox": (
        "id",
        "kind",
        "recipient_kind",
        "recipient_id",
        "email",
        "language",
        "payload",
        "panel_id",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ),
}
JSON_COLUMNS = {"agenda", "materials", "next_steps", "data", "payload", "agreements"}


@dataclass(frozen=True)
class World:
    """Who signs in and what they look at."""

    coordinator: str
    owner: str
    manager: str
    panel_id: int
    long_idea_id: int
    last_queue_page: int  # of a manager's queue (every open idea, 50 a page)
    counts: dict[str, int]


def scaled(value: int, scale: float, *, least: int = 1) -> int:
    return max(least, round(value * scale))


def generate(scale: float, *, now: datetime, seed: int) -> tuple[Tables, World]:
    """Every row of the world; ids are given here (sequences are set after the load)."""
    rng = random.Random(seed)
    t = Tables()
    # A smaller size is smaller both ways: fewer panels, and less history in each (ideas, meetings, members and
    # surveys per panel), so a page whose queries grow with either shows it.
    depth = scale**0.5
    panels, ideas_total = scaled(PANELS, depth, least=2), scaled(IDEAS, scale)
    members_per_panel, surveys_per_panel = scaled(MEMBERS_PER_PANEL, depth, least=5), scaled(SURVEYS_PER_PANEL, depth)
    events: list[tuple[Any, ...]] = []  # (at, aggregate, aggregate_id, seq, type, from, to, actor, text, data)
    start = now - HISTORY
    services: dict[int, list[int]] = {}
    members: dict[int, list[tuple[int, str, str]]] = {}
    owners: dict[int, tuple[int, str]] = {}
    coordinators: dict[int, str] = {}
    user_id = 0

    def user(email: str, role: str, service_id: int | None, at: datetime) -> int:
        nonlocal user_id
        user_id += 1
        t.add("staff_users", (user_id, email, role, service_id))
        events.append((at, "user", user_id, 1, "granted", None, None, "operator", None, {"role": role}))
        return user_id

    member_id = service_id = 0
    for p in range(1, panels + 1):
        founded = start - timedelta(days=30)
        t.add("panels", (p, f"Raati {p}", 7, 7, 14, 45))
        events.append((founded, "panel", p, 1, "created", None, None, "operator", None, {"name": f"Raati {p}"}))
        services[p] = []
        for s in range(SERVICES_PER_PANEL):
            service_id += 1
            services[p].append(service_id)
            t.add("services", (service_id, p, f"Palvelu {s + 1} / raati {p}"))
            events.append((founded, "service", service_id, 1, "added", None, None, "operator", None, {"panel_id": p}))
            email = f"owner{service_id}@bench.example"
            owners[service_id] = (user(email, "service_owner", service_id, founded), email)
        coordinators[p] = f"coordinator{p}@bench.example"
        coordinator_id = user(coordinators[p], "coordinator", None, founded)
        t.add("coordinator_panels", (coordinator_id, p))
        if p == 2:  # the first coordinator runs two panels
            t.add("coordinator_panels", (1 + SERVICES_PER_PANEL, p))
        members[p] = []
        for m in range(members_per_panel):
            member_id += 1
            language = rng.choices(("fi", "sv", "en"), weights=(85, 10, 5))[0]
            email = f"member{member_id}@bench.example"
            delivery = "digest" if m % 5 == 0 else "immediate"
            t.add("members", (member_id, p, f"Jäsen {member_id}", email, language, delivery, True, False))
            members[p].append((member_id, email, language))
            events.append((founded, "member", member_id, 1, "added", None, None, coordinators[p], None, {}))
    for m in range(MANAGERS):
        user(f"manager{m + 1}@bench.example", "manager", None, start)
    surveys(t, rng, events=events, members=members, per_panel=surveys_per_panel, now=now)

    # Meetings: evenly over the history, then two coming ones; ideas go to the past ones.
    per_panel = [ideas_total // panels + (1 if p < ideas_total % panels else 0) for p in range(panels)]
    meeting_id = idea_id = 0
    idea_meetings: list[tuple[int, int, datetime]] = []  # (panel, meeting, starts)
    for p in range(1, panels + 1):
        past = max(1, -(-per_panel[p - 1] // IDEAS_PER_MEETING))
        shift = timedelta(days=rng.uniform(0, 20))
        for k in range(past + FUTURE_MEETINGS):
            meeting_id += 1
            future = k >= past
            starts = now + timedelta(days=10 * (k - past + 1)) if future else start + shift + HISTORY * k / past
            starts = starts.replace(minute=0, second=0, microsecond=0)
            leading = services[p][k % SERVICES_PER_PANEL]
            last_past = k == past - 1
            prebrief = None if future else starts - timedelta(days=7)
            summary_sent = None if future or last_past else starts + timedelta(days=rng.uniform(1, 9))
            approved = summary_sent - timedelta(hours=2) if summary_sent else None
            status = "planned" if future else ("held" if last_past else "summary_sent")
            t.add("meetings", (meeting_id, p, starts, leading, "Terveysasema, kokoushuone 2", status,
                               f"Raadin kokous {k + 1}", starts + timedelta(hours=2), "", [], [], False, "",
                               prebrief, "Tiivistelmä." if approved else "", [], approved,
                               coordinators[p] if approved else "", summary_sent))  # fmt: skip
            t.add("development_tasks", (meeting_id, meeting_id, 0, "question", "customer_instructions",
                                        "Miten ajanvarauksen ohjeita voisi selkeyttää?"))  # fmt: skip
            scheduled = min(starts - timedelta(days=30), now - timedelta(days=1))
            actor = coordinators[p]
            meeting_events = [("scheduled", scheduled)]
            if prebrief is not None:  # a past meeting
                meeting_events += [("prebrief_sent", prebrief), ("held", starts + timedelta(hours=2))]
                if approved is not None and summary_sent is not None:
                    meeting_events += [("summary_approved", approved), ("summary_sent", summary_sent)]
            for seq, (kind, at) in enumerate(meeting_events, start=1):
                events.append((at, "meeting", meeting_id, seq, kind, None, None, actor, None, {}))
            if not future:
                idea_meetings.append((p, meeting_id, starts))

    # Ideas: a state by age, the moves that got it there; notes are added below.
    by_panel: dict[int, list[tuple[int, datetime]]] = {}
    for p, meeting, starts in idea_meetings:
        by_panel.setdefault(p, []).append((meeting, starts))
    plans: list[list[Any]] = []  # [idea id, panel, service, path [(state, at)], final state or None, notes]
    for p in range(1, panels + 1):
        meetings = by_panel[p]
        for j in range(per_panel[p - 1]):
            meeting, starts = meetings[min(j // IDEAS_PER_MEETING, len(meetings) - 1)]
            idea_id += 1
            raised = starts + timedelta(minutes=60 + j % IDEAS_PER_MEETING)
            path = idea_path(rng, raised=raised, now=now)
            service: int | None = rng.choice(services[p])
            if path[-1][0] == "raised" and rng.random() < 0.5:
                service = None
            plans.append([idea_id, p, meeting, service, path, 0])
    # Ids in the order the ideas were raised, so the panels' ideas interleave as in the live system.
    plans.sort(key=lambda plan: plan[4][0][1])
    for number, plan in enumerate(plans, start=1):
        plan[0] = number
    idea_events = sum(len(plan[4]) for plan in plans)
    other_events = len(events)
    focus_service = services[1][0]
    focus = next(
        (x for x in plans if x[1] == 1 and x[3] == focus_service and x[4][-1][0] == "in_progress"),
        None,
    )
    if focus is None:  # the sample has none: make one
        focus = next(x for x in plans if x[1] == 1)
        focus[3] = focus_service
        raised_at = focus[4][0][1]
        focus[4] = [("raised", raised_at), ("sent_to_service", raised_at + timedelta(days=2)),
                    ("in_progress", raised_at + timedelta(days=5))]  # fmt: skip
    focus[5] = LONG_NOTES
    # Notes go to ideas that reached a service (a raised or a declined-when-raised idea has none).
    notable = [x for x in plans if len(x[4]) > 1 and not (len(x[4]) == 2 and x[4][-1][0] == "declined")]
    spare = max(0, scaled(EVENTS, scale) - idea_events - other_events - LONG_NOTES)
    for chosen in rng.choices(range(len(notable)), k=spare):
        notable[chosen][5] += 1

    for idea, p, meeting, service, path, notes in plans:
        coordinator, owner = coordinators[p], owners[service][1] if service else coordinators[p]
        seq = 0
        final = path[-1][0] in ("implemented", "declined")
        before_notes = path[:-1] if final and len(path) > 1 else path
        for state, at in before_notes:
            seq += 1
            events.append(idea_event(idea, seq, state, at, previous=path[seq - 2][0] if seq > 1 else None,
                                     actor=coordinator if state in ("raised", "sent_to_service") else owner,
                                     service=service))  # fmt: skip
        if notes:
            window_start = before_notes[-1][1]
            window_end = path[-1][1] if final else now - timedelta(minutes=5)
            state = before_notes[-1][0]
            span = max((window_end - window_start).total_seconds(), 1.0)
            for after in sorted(rng.uniform(0, span) for _ in range(notes)):
                seq += 1
                at = window_start + timedelta(seconds=after)
                events.append((at, "idea", idea, seq, "noted", state, state, owner,
                               "Edistymispäivitys: asiaa on käsitelty tiimissä.", {}))  # fmt: skip
        if final and len(path) > 1:
            seq += 1
            state, at = path[-1]
            events.append(idea_event(idea, seq, state, at, previous=path[-2][0], actor=owner, service=service))
        t.add("ideas", (idea, p, meeting, service, f"Idea {idea}: selkeämmät ohjeet", "Ehdotus raadin kokouksesta.",
                        path[-1][0], seq))  # fmt: skip

    events.sort(key=itemgetter(0))  # ids in the order things happened, as the live system gives them
    for number, (at, *rest) in enumerate(events, start=1):
        aggregate, aggregate_id, seq, kind, from_state, to_state, actor, body, data = rest
        t.add("events", (number, aggregate, aggregate_id, seq, kind, from_state, to_state, actor, body, data, at))

    outbox_rows(t, rng, events=events, members=members, owners=owners, plans=plans, limit=scaled(OUTBOX, scale),
                now=now)  # fmt: skip
    world = World(
        coordinator=coordinators[1],
        owner=owners[focus_service][1],
        manager="manager1@bench.example",
        panel_id=1,
        long_idea_id=focus[0],
        last_queue_page=max(1, -(-sum(1 for x in plans if x[4][-1][0] in OPEN) // 50)),
        counts={table: len(rows) for table, rows in t.rows.items()},
    )
    return t, world


def surveys(
    t: Tables,
    rng: random.Random,
    *,
    events: list[tuple[Any, ...]],
    members: dict[int, list[tuple[int, str, str]]],
    per_panel: int,
    now: datetime,
) -> None:
    """Evaluation surveys spread over the history (the newest still open): statements, invitations, answers."""
    survey_id = statement_id = invitation_id = 0
    for panel, found in members.items():
        for k in range(per_panel):
            survey_id += 1
            opened = now - HISTORY * (per_panel - k) / (per_panel + 1)
            closes = opened + timedelta(days=14)
            open_now = k == per_panel - 1 and closes > now
            status = "open" if open_now else "closed"
            t.add("surveys", (survey_id, panel, f"Arviointi {k + 1}", status, opened - timedelta(days=2), opened,
                              closes, None if open_now else closes))  # fmt: skip
            seq = 0
            for kind, at in (("created", opened - timedelta(days=2)), ("opened", opened), ("closed", closes)):
                if at <= now and not (kind == "closed" and open_now):
                    seq += 1
                    events.append((at, "survey", survey_id, seq, kind, None, None, "operator", None, {}))
            for position in range(STATEMENTS):
                statement_id += 1
                t.add("survey_statements", (statement_id, survey_id, position,
                                            "Koen mielekkääksi osallistua palvelun kehittämiseen."))  # fmt: skip
            for member, _email, _language in found:
                invitation_id += 1
                answered = rng.random() < 0.6
                used = opened + timedelta(days=rng.uniform(0, 10)) if answered else None
                t.add("survey_invitations", (invitation_id, survey_id, member, opened, used, 0))
                if answered:
                    choices = [rng.choice(("agree", "somewhat_agree", "somewhat_disagree", "disagree", None))
                               for _ in range(STATEMENTS)]  # fmt: skip
                    t.add("survey_answers", (str(uuid.UUID(int=rng.getrandbits(128), version=4)), survey_id, choices,
                                             rng.randint(1, 10), ""))  # fmt: skip


def idea_path(rng: random.Random, *, raised: datetime, now: datetime) -> list[tuple[str, datetime]]:
    """The states an idea went through with when; older ideas are mostly closed, recent ones open."""
    age = (now - raised).days
    if age > 365:
        final = rng.choices(("implemented", "declined", "in_progress"), weights=(65, 30, 5))[0]
    elif age > 90:
        final = rng.choices(("implemented", "declined", "in_progress", "sent_to_service"), weights=(40, 20, 30, 10))[0]
    else:
        final = rng.choices(("raised", "sent_to_service", "in_progress", "implemented", "declined"),
                            weights=(15, 35, 35, 10, 5))[0]  # fmt: skip
    route: tuple[str, ...]
    if final == "declined":
        route = rng.choices(((), ("sent_to_service",), ("sent_to_service", "in_progress")), weights=(2, 4, 4))[0]
    else:
        route = {"raised": (), "sent_to_service": ("sent_to_service",)}.get(final, ("sent_to_service", "in_progress"))
        route = route if final not in ("implemented",) else ("sent_to_service", "in_progress")
        route = tuple(s for s in route if s != final)
    steps = [("raised", raised)]
    at = raised
    for state in (*route, final) if final != "raised" else ():
        gap = {"sent_to_service": (0.5, 10), "in_progress": (0.5, 20)}.get(state, (5, 120))
        step = timedelta(days=rng.uniform(*gap))
        # A step that would end in the future happened, at random, since the last one.
        at = at + step if at + step < now else at + (now - at) * rng.random()
        steps.append((state, at))
    return steps


def idea_event(
    idea: int, seq: int, state: str, at: datetime, *, previous: str | None, actor: str, service: int | None
) -> tuple[Any, ...]:
    if state == "raised":
        return (at, "idea", idea, seq, "raised", None, "raised", actor, "Ehdotus raadin kokouksesta.", {})
    data = {"service_id": service} if state == "sent_to_service" else {}
    note = {"implemented": "Toteutettu: ohje on nyt verkossa.", "declined": "Ei etene: resurssit eivät riitä."}
    return (at, "idea", idea, seq, "moved", previous, state, actor, note.get(state), data)


def outbox_rows(
    t: Tables,
    rng: random.Random,
    *,
    events: list[tuple[Any, ...]],
    members: dict[int, list[tuple[int, str, str]]],
    owners: dict[int, tuple[int, str]],
    plans: list[list[Any]],
    limit: int,
    now: datetime,
) -> None:
    """The mail of the latest idea events, newest first, to the panel's members and the idea's owner."""
    where = {plan[0]: (plan[1], plan[3]) for plan in plans}
    written = 0
    for at, aggregate, idea, _seq, kind, _from, to_state, *_ in reversed(events):
        if written >= limit:
            break
        if aggregate != "idea" or kind not in ("moved", "noted"):
            continue
        panel, service = where[idea]
        recipients = [("member", m, email, language) for m, email, language in members[panel]]
        if service is not None:
            recipients.append(("staff", owners[service][0], owners[service][1], "fi"))
        for recipient_kind, recipient, email, language in recipients[: limit - written]:
            written += 1
            pending = now - at < timedelta(hours=2)
            failed = not pending and rng.random() < 0.007
            status = "pending" if pending else ("failed" if failed else "sent")
            t.add("outbox", (str(uuid.UUID(int=rng.getrandbits(128), version=4)), "idea_update", recipient_kind,
                             recipient, email, language, {"idea_id": idea, "to_state": to_state}, panel, status,
                             0 if pending else (5 if failed else 1), at, at, at if status == "sent" else None,
                             rng.choice(FAILURES) if failed else None))  # fmt: skip


# --- loading ---------------------------------------------------------------------------------------------------


def load(engine: Engine, tables: Tables) -> None:
    """Straight into the tables: COPY on PostgreSQL, executemany in chunks elsewhere; then ANALYZE."""
    postgresql = engine.dialect.name == "postgresql"
    with engine.begin() as connection:
        for table, rows in tables.rows.items():
            columns = COLUMNS[table]
            if postgresql:
                json_at = [i for i, c in enumerate(columns) if c in JSON_COLUMNS]
                cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        if json_at:
                            row = tuple(json.dumps(v) if i in json_at else v for i, v in enumerate(row))
                        copy.write_row(row)
            else:
                from persistence.tables import Base

                statement = Base.metadata.tables[table].insert()
                for begin in range(0, len(rows), 20_000):
                    connection.execute(
                        statement, [dict(zip(columns, r, strict=True)) for r in rows[begin : begin + 20_000]]
                    )
        if postgresql:
            for table in tables.rows:
                if "id" in COLUMNS[table] and table not in ("outbox", "survey_answers"):  # their ids are strings
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")


@contextmanager
def fresh_database(args: argparse.Namespace, label: str) -> Iterator[str]:
    if args.sqlite:
        with tempfile.TemporaryDirectory(prefix="raati_national_") as folder:
            yield f"sqlite:///{Path(folder) / 'raati.sqlite3'}"
        return
    url = make_url(args.database_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"raati_bench_national_{label}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# --- the server and the clients --------------------------------------------------------------------------------


def uvicorn_server(database_url: str, *, data_dir: Path) -> AbstractContextManager[tuple[str, int]]:
    """uvicorn with one worker serving ``counting_app``; yields its base URL and its process group's id."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(RAATI_DATABASE_URL=database_url, RAATI_DATA_DIR=str(data_dir))
    command = [sys.executable, "-m", "uvicorn", "--factory", "bench.national_scale:counting_app", "--workers", "1",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    return web_process(command, cwd=ROOT, env=env, port=port)


def signed_in(base: str, email: str, *, database_url: str, data_dir: Path) -> httpx.Client:
    """A client with a staff session, signed in as a person is: the address at /sign-in, then the mailed link (its
    token derived from the sign-in mail's outbox row with the server's link key, as the mail's composer derives it)."""
    from sqlalchemy import select

    from notifications import kinds
    from notifications.links import LinkSigner, load_or_create_key, sign_in_token
    from notifications.settings import DeliverySettings
    from persistence.engine import make_engine
    from persistence.tables import OutboxRow

    client = httpx.Client(base_url=base, timeout=60)
    asked = client.post("/sign-in", data={"email": email, "csrf_token": csrf_of(client.get("/sign-in").text)})
    if asked.status_code != 200:
        raise SystemExit(f"asking for a sign-in link failed: {asked.status_code}")
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            payload = connection.execute(
                select(OutboxRow.payload)
                .where(OutboxRow.kind == kinds.SIGN_IN_LINK, OutboxRow.email == email)
                .order_by(OutboxRow.created_at.desc())
                .limit(1)
            ).scalar_one()
    finally:
        engine.dispose()
    signer = LinkSigner(load_or_create_key(DeliverySettings(data_dir=data_dir)))
    link = f"/sign-in/link/{sign_in_token(signer, int(payload['sign_in_id']), str(payload['nonce']))}"
    answer = client.post(link, data={"csrf_token": csrf_of(client.get(link).text)})
    if answer.status_code != 303:
        raise SystemExit(f"sign-in failed: {answer.status_code}")
    return client


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if found is None:
        raise SystemExit("no CSRF token on the page")
    return found.group(1)


@dataclass(frozen=True)
class Timing:
    page: str
    p50: float
    p95: float
    queries: tuple[int, ...]  # distinct counts seen
    survey_queries: tuple[int, ...]  # of which on the survey tables
    load: float


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def time_page(client: httpx.Client, page: str, path: str, *, warmup: int, requests: int) -> Timing:
    for _ in range(warmup):
        answer = client.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"{page}: {path} answered {answer.status_code}")
    seconds, queries, survey_queries = [], set(), set()
    for _ in range(requests):
        began = time.perf_counter()
        answer = client.get(path)
        answer.read()
        seconds.append((time.perf_counter() - began) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{page}: {path} answered {answer.status_code}")
        queries.add(int(answer.headers[QUERIES_HEADER]))
        survey_queries.add(int(answer.headers[SURVEY_QUERIES_HEADER]))
    p50, p95 = percentile(seconds, 50), percentile(seconds, 95)
    return Timing(page, p50, p95, tuple(sorted(queries)), tuple(sorted(survey_queries)), os.getloadavg()[0])


def shown(timing: Timing) -> str:
    """The query count, and how many of them read the survey tables (when any did)."""
    text = "/".join(map(str, timing.queries))
    surveys = "/".join(map(str, timing.survey_queries))
    return text if timing.survey_queries == (0,) else f"{text} ({surveys} for survey results)"


def measure(args: argparse.Namespace, scale: float, label: str) -> tuple[float, list[Timing], World]:
    now = datetime.now(UTC)
    began = time.perf_counter()
    tables, world = generate(scale, now=now, seed=args.seed)
    generated = time.perf_counter() - began
    print(f"\nscale {scale}: generated {', '.join(f'{n:,} {t}' for t, n in world.counts.items())} in {generated:.1f} s")
    with fresh_database(args, label) as database_url, tempfile.TemporaryDirectory() as data_dir:
        from persistence.engine import make_engine
        from persistence.migrate import upgrade

        engine = make_engine(database_url)
        upgrade(engine)
        began = time.perf_counter()
        load(engine, tables)
        loaded = time.perf_counter() - began
        engine.dispose()
        del tables
        print(f"loaded into {make_url(database_url).get_backend_name()} in {loaded:.1f} s "
              f"(load average {os.getloadavg()[0]:.2f})")  # fmt: skip
        with uvicorn_server(database_url, data_dir=Path(data_dir)) as (base, _):
            staff = {email: signed_in(base, email, database_url=database_url, data_dir=Path(data_dir))
                     for email in (world.coordinator, world.owner, world.manager)}  # fmt: skip
            coordinator, owner, manager = staff[world.coordinator], staff[world.owner], staff[world.manager]
            pages = [
                ("dashboard (coordinator)", coordinator, f"/dashboard?panel={world.panel_id}"),
                ("dashboard (manager)", manager, f"/dashboard?panel={world.panel_id}"),
                ("queue (service owner)", owner, "/queue"),
                ("queue (coordinator)", coordinator, "/queue"),
                ("queue (manager)", manager, "/queue"),
                ("queue (manager, last page)", manager, f"/queue?page={world.last_queue_page}"),
                ("idea page (long timeline)", owner, f"/ideas/{world.long_idea_id}"),
            ]
            timings = [
                time_page(client, page, path, warmup=args.warmup, requests=args.requests)
                for page, client, path in pages
            ]
            for client in (coordinator, owner, manager):
                client.close()
    for timing in timings:
        print(f"  {timing.page:<30} p50 {timing.p50:7.1f} ms  p95 {timing.p95:7.1f} ms  "
              f"queries {shown(timing)}  (load average {timing.load:.2f})")  # fmt: skip
    return loaded, timings, world


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 200 panels, 100,000 ideas, 1,000,000 events.")
    parser.add_argument("--compare-scale", type=float, default=0.1,
                        help="A smaller size whose query counts must equal the main one's (0: skip).")  # fmt: skip
    parser.add_argument("--database-url", default=DEFAULT_SERVER, help="The PostgreSQL server for scratch databases.")
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary folder instead.")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC, {os.cpu_count()} CPUs, load average {os.getloadavg()}")
    sizes = (
        [args.compare_scale, args.scale] if args.compare_scale and args.compare_scale != args.scale else [args.scale]
    )
    results = {scale: measure(args, scale, f"s{i}") for i, scale in enumerate(sizes)}
    _, main_timings, _ = results[args.scale]
    print(f"\nload average after: {os.getloadavg()}")
    checks = {f"{t.page}: p95 < {TARGET_MS:.0f} ms": t.p95 < TARGET_MS for t in main_timings}
    for t in main_timings:
        checks[f"{t.page}: one query count per request"] = len(t.queries) == 1
    if len(sizes) == 2:
        small = {t.page: t for t in results[sizes[0]][1]}
        print(f"queries per page at scale {sizes[0]} vs {args.scale}:")
        for t in main_timings:
            print(f"  {t.page:<30} {shown(small[t.page])} vs {shown(t)}")
            checks[f"{t.page}: same queries at scale {sizes[0]} and {args.scale}"] = small[t.page].queries == t.queries
            if t.survey_queries != (0,):
                rest = [
                    tuple(q - v for q, v in zip(x.queries, x.survey_queries, strict=True)) for x in (small[t.page], t)
                ]
                checks[f"{t.page}: same queries at both sizes apart from survey results"] = rest[0] == rest[1]
    for name, passed in checks.items():
        print(f"  {'PASS' if passed else 'MISS'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
