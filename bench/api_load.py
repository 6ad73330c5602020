"""API load: idea transitions from 20 concurrent clients against uvicorn (2 workers) on PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/api_load.py
    .venv/bin/python bench/api_load.py --rate 300 --clients 10 --server-url postgresql+psycopg://root@127.0.0.1:5432/test

A scratch database is created on the server of ``--server-url`` (dropped at the end) and loaded through the real
use cases: ``--panels`` panels, each with one service, its owner (an API token from ``add_user_with_token``),
``--members`` members and a meeting; twice ``--ideas`` ideas raised and sent to their panel's service. ``raati web
--workers 2`` serves the app as production would (uvicorn workers on uvloop and httptools, the connections dealt
to them in turn; its own process group). Each of the ``--clients`` clients (a small keep-alive HTTP/1.1 client on
asyncio streams, ``Connection``) owns a share of the ideas and moves each twice, as its service owner, over the
transition contract: sent_to_service -> in_progress -> implemented (with a note). A 200 counts only if its JSON
body shows the idea in the new state at the next version. Two runs of 2 x ``--ideas`` transitions each, on ideas
of their own:

1. **at a set rate** (the targets): together the clients offer ``--rate`` transitions a second, each client
   sending on a fixed schedule (client c's i-th request at (c + i x clients) / rate seconds). A request is timed
   from when it was due, not from when it was sent, so a server that falls behind shows in the latencies
   instead of slowing the clients down (no coordinated omission).
2. **as fast as it goes** (the ceiling): every client sends its next request as soon as the last is answered.
   With 20 clients always waiting, latency is 20 / throughput on average (Little's law).

Afterwards the `moved` events in the database are counted: they must equal the successful answers. Prints, per
run, p50, p95, p99, max, throughput, the statuses (5xx separately), the CPU each part used per transition
(uvicorn's workers, the database's backends, the clients; from /proc), the connections each worker holds and the
load average. Targets on this machine: p95 < 50 ms while sustaining >= 200 transitions/s, no 5xx.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol, TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import uvloop  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from application.access.tokens import add_user_with_token  # noqa: E402
from application.clock import SystemClock  # noqa: E402
from application.commands import (  # noqa: E402
    AddMember,
    AddService,
    AddUser,
    CreatePanel,
    MoveIdea,
    RaiseIdea,
    ScheduleMeeting,
)
from application.ideas.changes import move_idea, raise_idea  # noqa: E402
from application.meetings.changes import schedule_meeting  # noqa: E402
from application.people.roster import add_member, add_service, create_panel  # noqa: E402
from application.ports.unit_of_work import Clock, UnitOfWork  # noqa: E402
from bench.web_process import free_port, web_process  # noqa: E402
from domain.values import Role  # noqa: E402
from persistence.engine import make_engine, make_session_factory  # noqa: E402
from persistence.migrate import upgrade  # noqa: E402
from persistence.tables import EventRow, OutboxRow  # noqa: E402
from persistence.unit_of_work import SqlAlchemyUnitOfWork  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://root@127.0.0.1:5432/test"
P95_TARGET_MS = 50.0
THROUGHPUT_TARGET = 200.0
# Offered a little above the target: a run offering exactly 200/s completes at 199.9/s (the last answer's time).
DEFAULT_RATE = 220.0
WARM_UP_IDEAS = 200
MOVES = (("in_progress", None), ("implemented", "Toteutettu: ohje on nyt verkossa."))

Command = TypeVar("Command")
Result = TypeVar("Result")
CommandIn = TypeVar("CommandIn", contravariant=True)
ResultOut = TypeVar("ResultOut", covariant=True)


class UseCase(Protocol[CommandIn, ResultOut]):
    """A use case as the application layer writes them: the command, then its unit of work and clock."""

    def __call__(self, cmd: CommandIn, /, *, uow: UnitOfWork, clock: Clock) -> ResultOut: ...


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    url = make_url(server_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"raati_bench_api_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def load(database_url: str, *, panels: int, members: int, ideas: int) -> list[tuple[int, str]]:
    """The world, through the use cases; returns (idea id, its owner's token) for every idea."""
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    clock = SystemClock()

    def run(use_case: UseCase[Command, Result], cmd: Command) -> Result:
        return use_case(cmd, uow=SqlAlchemyUnitOfWork(sessions), clock=clock)

    owners: list[str] = []
    meetings: list[int] = []
    for p in range(panels):
        name = f"Raati {p + 1}"
        run(create_panel, CreatePanel(name=name))
        run(add_service, AddService(name=f"Palvelu {p + 1}", panel=name))
        issued = run(add_user_with_token, AddUser(f"owner{p + 1}@bench.example", Role.SERVICE_OWNER,
                                                  service=f"Palvelu {p + 1}"))  # fmt: skip
        assert issued.token is not None  # a new service owner always gets one
        owners.append(issued.token)
        for m in range(members):
            run(add_member, AddMember(panel=name, name=f"Jäsen {m + 1}", email=f"m{m + 1}.p{p + 1}@bench.example"))
        starts = clock.now() + timedelta(days=30)
        meeting = run(schedule_meeting, ScheduleMeeting(panel=name, starts_at=starts, service=f"Palvelu {p + 1}",
                                                        tasks=("Miten ajanvarausta voisi helpottaa?",)))  # fmt: skip
        assert meeting.id is not None  # saved: the repository gave it its id
        meetings.append(meeting.id)

    def one(i: int) -> tuple[int, str]:
        p = i % panels
        view = run(raise_idea, RaiseIdea(meeting_id=meetings[p], title=f"Idea {i + 1}", service=f"Palvelu {p + 1}"))
        run(move_idea, MoveIdea(idea_id=view.id, to="sent_to_service"))
        return view.id, owners[p]

    # Loading is waiting on the database: a few threads make it shorter (it is not what is measured).
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(one, range(ideas)))
    engine.dispose()
    return found


def web_server(database_url: str, *, workers: int, data_dir: Path) -> AbstractContextManager[tuple[str, int]]:
    """``raati web --workers N``; yields its base URL and its process group's id."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "RAATI_"))}
    env.update(RAATI_DATABASE_URL=database_url, RAATI_DATA_DIR=str(data_dir))
    raati = Path(sys.executable).parent / "raati"
    command = [str(raati), "web", "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    return web_process(command, cwd=ROOT, env=env, port=port)


class Connection:
    """A minimal HTTP/1.1 keep-alive client over asyncio streams: the clients share the server's two cores, and
    ``httpx.AsyncClient`` spent about 1.3 ms of CPU per request. Real HTTP on 127.0.0.1 with real JSON bodies;
    it reads answers framed by Content-Length (which is what uvicorn sends for JSON) and refuses anything else."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, base: str) -> Connection:
        host, _, port = base.removeprefix("http://").partition(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer, f"{host}:{port}")

    async def request(self, method: str, path: str, *, token: str, body: object = None) -> tuple[int, object]:
        payload = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n")  # fmt: skip
        self.writer.write(head.encode("ascii") + payload)
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.split(":", 1) for line in lines if line)
        lengths = [v for k, v in headers.items() if k.lower() == "content-length"]
        if not status_line.startswith("HTTP/1.1 ") or len(lengths) != 1:
            raise RuntimeError(f"unexpected answer: {status_line!r} {headers}")
        answer = await self.reader.readexactly(int(lengths[0]))
        return int(status_line.split()[1]), json.loads(answer) if answer else None

    async def close(self) -> None:
        self.writer.close()
        with suppress(OSError):
            await self.writer.wait_closed()


class Run:
    """One run's clients: who is ready, when they start, what they measured."""

    def __init__(self, clients: int, rate: float | None) -> None:
        self.clients, self.rate = clients, rate
        self.ready = 0
        self.all_ready = asyncio.Event()
        self.start = asyncio.Event()
        self.began = 0.0
        self.results: list[tuple[float, int]] = []

    def due(self, client: int, i: int) -> float:
        """When the client's i-th request is due: now (as fast as it goes) or on the run's schedule."""
        if self.rate is None:
            return time.perf_counter()
        return self.began + (client + i * self.clients) / self.rate


async def client(base: str, share: list[tuple[int, str]], run: Run, index: int) -> None:
    http = await Connection.open(base)
    try:
        # Warm the connection (and the worker it was dealt to) before anything is timed.
        await http.request("GET", "/api/v1/me", token=share[0][1])
        run.ready += 1
        if run.ready == run.clients:
            run.all_ready.set()
        await run.start.wait()
        i = 0
        for version, (to, note) in enumerate(MOVES, start=2):
            for idea, token in share:
                due = run.due(index, i)
                i += 1
                if (wait := due - time.perf_counter()) > 0:
                    await asyncio.sleep(wait)
                body = {"to": to, "note": note, "expected_version": version}
                code, answer = await http.request("POST", f"/api/v1/ideas/{idea}/transitions", token=token, body=body)
                elapsed = time.perf_counter() - due
                # A 200 counts only with the idea as moved: its id, the new state and the next version.
                if code == 200 and not (
                    isinstance(answer, dict)
                    and (answer.get("id"), answer.get("state"), answer.get("version")) == (idea, to, version + 1)
                ):
                    code = -200
                run.results.append((elapsed, code))
    finally:
        await http.close()


async def drive(
    base: str, ideas: list[tuple[int, str]], clients: int, rate: float | None, on_ready: Callable[[], None]
) -> tuple[list[tuple[float, int]], float]:
    run = Run(clients, rate)
    tasks = [asyncio.create_task(client(base, ideas[c::clients], run, c)) for c in range(clients)]
    await asyncio.wait_for(run.all_ready.wait(), timeout=60)  # every client connected and answered once
    on_ready()
    run.began = time.perf_counter() + 0.01
    run.start.set()
    await asyncio.gather(*tasks)
    return run.results, time.perf_counter() - run.began


def moved_events(database_url: str) -> tuple[int, int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            moved = connection.scalar(
                select(func.count()).where(EventRow.type == "moved", EventRow.to_state.in_([m for m, _ in MOVES]))
            )
            outbox = connection.scalar(select(func.count()).select_from(OutboxRow))
        return int(moved or 0), int(outbox or 0)
    finally:
        engine.dispose()


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def group_cpu(pgrp: int) -> float:
    """CPU of every live process in a process group (uvicorn's supervisor and its workers)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rpartition(")")[2].split()[2]) == pgrp:
                    total += cpu_seconds(int(entry.name))
    return total


class BackendCpu:
    """CPU of the PostgreSQL backends serving the scratch database, polled twice a second while the load runs
    (a backend that closes between polls loses its last half second; one that lives through the run is exact)."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url)
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _sample(self) -> dict[int, float]:
        with self.engine.connect() as connection:
            pids = connection.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).scalars()
            return {pid: cpu_seconds(pid) for pid in pids}

    def _poll(self) -> None:
        while not self.stop.wait(0.5):
            for pid, seconds in self._sample().items():
                self.last[pid] = max(seconds, self.last.get(pid, 0.0))

    def __enter__(self) -> BackendCpu:
        self.start = self._sample()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        for pid, seconds in self._sample().items():
            self.last[pid] = max(seconds, self.last.get(pid, 0.0))
        self.engine.dispose()

    @property
    def seconds(self) -> float:
        return sum(seconds - self.start.get(pid, 0.0) for pid, seconds in self.last.items())


def connections_per_worker(port: int, pgrp: int) -> list[int]:
    """Established connections to ``port`` each process of the group holds (from /proc), busiest first."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # 01: ESTABLISHED
            inodes.add(f"socket:[{fields[9]}]")
    held = []
    for entry in Path("/proc").iterdir():
        with suppress(OSError, IndexError, ValueError):
            if entry.name.isdigit() and int((entry / "stat").read_text().rpartition(")")[2].split()[2]) == pgrp:
                held.append(sum(os.readlink(fd) in inodes for fd in (entry / "fd").iterdir()))
    return sorted((n for n in held if n), reverse=True)


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def measure(
    name: str, database_url: str, base: str, pgrp: int, ideas: list[tuple[int, str]], *, clients: int,
    rate: float | None,
) -> dict[str, float]:  # fmt: skip
    """One run; prints what it measured and returns the figures the targets are checked against."""
    port = int(base.rsplit(":", 1)[1])
    moved_before, outbox_before = moved_events(database_url)
    held: list[int] = []
    cpu_before: list[float] = []

    def on_ready() -> None:  # every client connected: see where the connections went, start the clocks
        held.extend(connections_per_worker(port, pgrp))
        cpu_before.extend((group_cpu(pgrp), time.process_time()))

    with BackendCpu(database_url) as backends:
        results, wall = uvloop.run(drive(base, ideas, clients, rate, on_ready))
    server_cpu, clients_cpu = group_cpu(pgrp) - cpu_before[0], time.process_time() - cpu_before[1]
    moved_after, outbox_after = moved_events(database_url)

    latencies = sorted(seconds * 1000 for seconds, _ in results)
    statuses = Counter(code for _, code in results)
    ok = statuses.get(200, 0)
    p50, p95, p99 = percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99)
    offered = f" ({rate:.0f}/s offered)" if rate else ""
    print(f"\n{name}{offered}: {len(results)} transitions from {clients} clients in {wall:.2f} s: "
          f"{ok / wall:.0f} transitions/s")  # fmt: skip
    print(f"  connections per worker: {held}")
    print(f"  latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {latencies[-1]:.1f}")
    print(f"  statuses: {dict(sorted(statuses.items()))}; 5xx: {sum(n for c, n in statuses.items() if c >= 500)}")
    print(f"  moved events written: {moved_after - moved_before}; successful answers: {ok}; "
          f"outbox rows written: {outbox_after - outbox_before}")  # fmt: skip
    per = 1000 / max(len(results), 1)
    print(f"  CPU per transition: uvicorn workers {server_cpu * per:.1f} ms, PostgreSQL backends "
          f"{backends.seconds * per:.1f} ms, the clients {clients_cpu * per:.1f} ms")  # fmt: skip
    print(f"  load average after: {os.getloadavg()}")
    return {
        "p95": p95,
        "throughput": ok / wall,
        "5xx": sum(n for c, n in statuses.items() if c >= 500),
        "ok": ok,
        "all": len(results),
        "events": moved_after - moved_before,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default=DEFAULT_SERVER, help="A PostgreSQL server (its `test` database).")
    parser.add_argument("--ideas", type=int, default=1000, help="Ideas per run; each is moved twice.")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, help="Transitions a second the clients offer.")
    parser.add_argument("--panels", type=int, default=10)
    parser.add_argument("--members", type=int, default=15, help="Members per panel (outbox rows per move).")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC, {os.cpu_count()} CPUs, load average {os.getloadavg()}")
    with scratch_database(args.server_url) as database_url, tempfile.TemporaryDirectory() as data_dir:
        began = time.perf_counter()
        ideas = load(database_url, panels=args.panels, members=args.members, ideas=2 * args.ideas + WARM_UP_IDEAS)
        print(f"loaded {args.panels} panels x {args.members} members, {len(ideas)} ideas in sent_to_service "
              f"through the use cases in {time.perf_counter() - began:.1f} s")  # fmt: skip
        with web_server(database_url, workers=args.workers, data_dir=Path(data_dir)) as (base, pgrp):
            print(f"raati web --workers {args.workers} at {base}; load average {os.getloadavg()}")
            # Not measured: fills each worker's connection pool, statement caches and prepared statements.
            uvloop.run(drive(base, ideas[2 * args.ideas :], args.clients, None, lambda: None))
            paced = measure("at a set rate", database_url, base, pgrp, ideas[: args.ideas], clients=args.clients,
                            rate=args.rate)  # fmt: skip
            ceiling = measure("as fast as it goes", database_url, base, pgrp, ideas[args.ideas : 2 * args.ideas],
                              clients=args.clients, rate=None)  # fmt: skip

    print(f"\nceiling: {ceiling['throughput']:.0f} transitions/s with p95 {ceiling['p95']:.0f} ms "
          f"({args.clients} clients always waiting)")  # fmt: skip
    checks = {
        "no 5xx": paced["5xx"] == ceiling["5xx"] == 0,
        "events == successful answers": paced["events"] == paced["ok"] and ceiling["events"] == ceiling["ok"],
        "every transition succeeded": paced["ok"] == paced["all"] == ceiling["ok"] == ceiling["all"] == 2 * args.ideas,
        f"p95 < {P95_TARGET_MS:.0f} ms at {args.rate:.0f}/s offered": paced["p95"] < P95_TARGET_MS,
        f">= {THROUGHPUT_TARGET:.0f} transitions/s sustained": paced["throughput"] >= THROUGHPUT_TARGET,
    }
    for name, passed in checks.items():
        print(f"  {'PASS' if passed else 'MISS'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
