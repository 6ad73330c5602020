"""API load: 2,000 idea transitions from 20 concurrent clients against uvicorn (2 workers) on PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/api_load.py
    .venv/bin/python bench/api_load.py --ideas 500 --clients 10 --server-url postgresql+psycopg://root@127.0.0.1:5432/test

A scratch database is created on the server of ``--server-url`` (dropped at the end) and loaded through the real
use cases: ``--panels`` panels, each with one service, its owner (an API token from ``add_user_with_token``),
``--members`` members and a meeting; ``--ideas`` ideas raised and sent to their panel's service. ``uvicorn
--factory web.asgi:create --workers 2`` (uvloop, httptools) serves the app as production would (its own process
group). Each of the ``--clients`` clients (a small keep-alive HTTP/1.1 client on asyncio streams, ``Connection``)
owns a share of the ideas and moves each twice, as its service owner, over the transition contract:
sent_to_service → in_progress → implemented (with a note). Every request is timed from just before it is sent
until its answer is read; a 200 counts only if its JSON body shows the idea in the new state at the next version.
Afterwards the `moved` events in the database are counted: they must equal the successful answers. Prints p50,
p95, p99, max, throughput, the statuses (5xx separately), the CPU each part used per transition (uvicorn's
workers, the database's backends, the clients; from /proc) and the load average. Targets on this machine:
p95 < 50 ms, >= 200 transitions/s, no 5xx.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvloop  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from application.access import add_user_with_token  # noqa: E402
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
from application.ideas import move_idea, raise_idea  # noqa: E402
from application.meetings import schedule_meeting  # noqa: E402
from application.people import add_member, add_service, create_panel  # noqa: E402
from domain.values import Role  # noqa: E402
from persistence.engine import make_engine, make_session_factory  # noqa: E402
from persistence.migrate import upgrade  # noqa: E402
from persistence.tables import EventRow, OutboxRow  # noqa: E402
from persistence.unit_of_work import SqlAlchemyUnitOfWork  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://root@127.0.0.1:5432/test"
P95_TARGET_MS = 50.0
THROUGHPUT_TARGET = 200.0
MOVES = (("in_progress", None), ("implemented", "Toteutettu: ohje on nyt verkossa."))


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

    def run(use_case, cmd):
        return use_case(cmd, uow=SqlAlchemyUnitOfWork(sessions), clock=clock)

    owners: list[str] = []
    meetings: list[int] = []
    for p in range(panels):
        name = f"Raati {p + 1}"
        run(create_panel, CreatePanel(name=name))
        run(add_service, AddService(name=f"Palvelu {p + 1}", panel=name))
        issued = run(add_user_with_token, AddUser(f"owner{p + 1}@bench.example", Role.SERVICE_OWNER,
                                                  service=f"Palvelu {p + 1}"))  # fmt: skip
        owners.append(issued.token)
        for m in range(members):
            run(add_member, AddMember(panel=name, name=f"Jäsen {m + 1}", email=f"m{m + 1}.p{p + 1}@bench.example"))
        starts = clock.now() + timedelta(days=30)
        meeting = run(schedule_meeting, ScheduleMeeting(panel=name, starts_at=starts, service=f"Palvelu {p + 1}",
                                                        tasks=("Miten ajanvarausta voisi helpottaa?",)))  # fmt: skip
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def uvicorn_server(database_url: str, *, workers: int, data_dir: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(RAATI_DATABASE_URL=database_url, RAATI_DATA_DIR=str(data_dir))
    command = [sys.executable, "-m", "uvicorn", "--factory", "web.asgi:create", "--workers", str(workers),
               "--http", "web.asgi:NoDelayHttpToolsProtocol", "--loop", "uvloop",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("uvicorn did not start")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # our own process group: uvicorn and its workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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


async def client(base: str, share: list[tuple[int, str]], results: list[tuple[float, int]]) -> None:
    http = await Connection.open(base)
    try:
        # Warm the connection (and both workers) before anything is timed.
        await http.request("GET", "/api/v1/me", token=share[0][1])
        await start.wait()
        for version, (to, note) in enumerate(MOVES, start=2):
            for idea, token in share:
                body = {"to": to, "note": note, "expected_version": version}
                began = time.perf_counter()
                code, answer = await http.request("POST", f"/api/v1/ideas/{idea}/transitions", token=token, body=body)
                elapsed = time.perf_counter() - began
                # A 200 counts only with the idea as moved: its id, the new state and the next version.
                if code == 200 and not (
                    isinstance(answer, dict)
                    and (answer.get("id"), answer.get("state"), answer.get("version")) == (idea, to, version + 1)
                ):
                    code = -200
                results.append((elapsed, code))
    finally:
        await http.close()


start: asyncio.Event


async def drive(base: str, ideas: list[tuple[int, str]], clients: int) -> tuple[list[tuple[float, int]], float]:
    global start
    start = asyncio.Event()
    results: list[tuple[float, int]] = []
    shares = [ideas[c::clients] for c in range(clients)]
    tasks = [asyncio.create_task(client(base, share, results)) for share in shares]
    await asyncio.sleep(1.0)  # every client connected and warmed
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    return results, time.perf_counter() - began


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


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default=DEFAULT_SERVER, help="A PostgreSQL server (its `test` database).")
    parser.add_argument("--ideas", type=int, default=1000, help="Ideas; each is moved twice.")
    parser.add_argument("--panels", type=int, default=10)
    parser.add_argument("--members", type=int, default=15, help="Members per panel (outbox rows per move).")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC, {os.cpu_count()} CPUs, load average {os.getloadavg()}")
    with scratch_database(args.server_url) as database_url, tempfile.TemporaryDirectory() as data_dir:
        began = time.perf_counter()
        ideas = load(database_url, panels=args.panels, members=args.members, ideas=args.ideas)
        print(f"loaded {args.panels} panels x {args.members} members, {len(ideas)} ideas in sent_to_service "
              f"through the use cases in {time.perf_counter() - began:.1f} s")  # fmt: skip
        moved_before, outbox_before = moved_events(database_url)
        with uvicorn_server(database_url, workers=args.workers, data_dir=Path(data_dir)) as (base, pgrp):
            print(f"uvicorn --workers {args.workers} at {base}; load average {os.getloadavg()}")
            server_before, clients_before = group_cpu(pgrp), time.process_time()
            with BackendCpu(database_url) as backends:
                results, wall = uvloop.run(drive(base, ideas, args.clients))
            server_cpu, clients_cpu = group_cpu(pgrp) - server_before, time.process_time() - clients_before
            database_cpu = backends.seconds
        moved_after, outbox_after = moved_events(database_url)

    latencies = sorted(seconds * 1000 for seconds, _ in results)
    statuses = Counter(code for _, code in results)
    ok = statuses.get(200, 0)
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    events = moved_after - moved_before
    p50, p95, p99 = percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99)
    throughput = ok / wall
    print(f"{len(results)} transitions from {args.clients} clients in {wall:.2f} s: {throughput:.0f} transitions/s")
    print(f"latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {latencies[-1]:.1f}")
    print(f"statuses: {dict(sorted(statuses.items()))}; 5xx: {server_errors}")
    print(f"moved events written: {events}; successful answers: {ok}; "
          f"outbox rows written: {outbox_after - outbox_before}")  # fmt: skip
    per = 1000 / max(len(results), 1)
    print(f"CPU per transition: uvicorn workers {server_cpu * per:.1f} ms, PostgreSQL backends "
          f"{database_cpu * per:.1f} ms, the clients {clients_cpu * per:.1f} ms")  # fmt: skip
    print(f"load average after: {os.getloadavg()}")
    checks = {
        "no 5xx": server_errors == 0,
        "events == successful answers": events == ok,
        "every transition succeeded": ok == len(results) == 2 * len(ideas),
        f"p95 < {P95_TARGET_MS:.0f} ms": p95 < P95_TARGET_MS,
        f">= {THROUGHPUT_TARGET:.0f} transitions/s": throughput >= THROUGHPUT_TARGET,
    }
    for name, passed in checks.items():
        print(f"  {'PASS' if passed else 'MISS'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
