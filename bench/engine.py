"""The engine's overhead: `raati idea move` → email in the sink under `raati serve`, and a 10,000-email drain.

Run from the repository root:

    .venv/bin/python bench/engine.py                    # both parts: 50 moves twice (two settings), 10,000 drained
    .venv/bin/python bench/engine.py --moves 20 --skip-drain --variants serve
    .venv/bin/python bench/engine.py --skip-latency --database-url postgresql+psycopg://root@127.0.0.1:5432/test
    .venv/bin/python bench/engine.py --wait-quiet 600   # first wait (up to 600 s) for a quiet machine

(1) Latency. `raati serve` runs as a subprocess on a temporary data folder (the demo panel loads, the mail sink
and a local Prefect server start). A panel of its own is set up through the command line (members, a service with
an owner, a meeting, ideas). Then each move is `raati idea move …` run as a subprocess, as a user would in another
terminal, and timed from just before the subprocess starts until the first (and the last) of its emails appears in
the sink folder (matched by the idea's title in the Subject). The next move waits for the previous one's mail and
for its flow run to end. Moves cycle sent_to_service → in_progress → implemented, so one in three also mails the
service's owner at once (not coalesced). One warm-up move is not counted. The breakdown comes from Prefect's API:
commit → flow run created (the CLI's event), created → pending (the runner's poll), pending → running (a new
process), running → first email, and the run's duration. Variants: `serve` (raati serve's own defaults: on the
embedded sink a 5 s coalescing window) and `fast` (RAATI_COALESCE_SECONDS=0, PREFECT_RUNNER_POLL_FREQUENCY=1).
Target: p95 < 10 s.

(2) Drain. A fresh database (SQLite in a temporary folder, or a scratch database created on the `--database-url`
server and dropped afterwards) gets a panel with `--drain` members and, per measurement, one idea update for each
(`--drain` due outbox rows, one email each; coalescing 0). An aiosmtpd server that accepts and discards runs in a
separate process; a local Prefect server (SQLite, as `raati serve` starts it) runs as a child. First the plain
dispatcher (`application.delivery.dispatch`, no Prefect) drains one set, for reference; then one run of the
`dispatch-notifications` flow (in this process, PREFECT_API_URL set; quiet_seconds=0, so it returns once the
outbox is empty instead of staying for more events) drains the other, timed from the call to its return, with every
row checked as sent. Target: < 60 s.

Every process started here is stopped at the end, and the script says whether any was left behind.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import multiprocessing
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email import policy as email_policy
from email.parser import BytesHeaderParser
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RAATI = Path(sys.executable).parent / "raati"
LATENCY_TARGET = 10.0
DRAIN_TARGET = 60.0
QUIET_LOAD = 1.5
MEMBERS = 3  # members of the benchmark panel: each member-facing move mails each of them
CHAIN = (("sent_to_service", None), ("in_progress", None), ("implemented", "Valmis: ohje on nyt samalla sivulla."))
VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "serve": ("raati serve's defaults", {}),
    "fast": ("RAATI_COALESCE_SECONDS=0, PREFECT_RUNNER_POLL_FREQUENCY=1",
             {"RAATI_COALESCE_SECONDS": "0", "PREFECT_RUNNER_POLL_FREQUENCY": "1"}),
}  # fmt: skip
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED", "CRASHED"}
PREFECT_CLIENT = {"PREFECT_API_URL", "PREFECT_API_KEY", "PREFECT_API_AUTH_STRING", "PREFECT_PROFILE"}  # not inherited


# --- processes and the machine --------------------------------------------------------------------------------


def process_table() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command line), read from /proc."""
    table: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError, ValueError):
            continue
        table[int(entry.name)] = (parent, command)
    return table


def descendants(pid: int, table: dict[int, tuple[int, str]] | None = None) -> set[int]:
    table = table if table is not None else process_table()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = {child for child, (parent, _) in table.items() if parent in frontier} - found
        found |= children
        frontier = children
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        with suppress(OSError):
            if ") Z" not in Path(f"/proc/{pid}/stat").read_text()[:300]:
                living.add(pid)
    return living


def other_benchmarks() -> list[str]:
    """Heavy processes of other sessions: SMTP benchmarks and Prefect servers not started by this script."""
    table = process_table()
    ours = descendants(os.getpid(), table) | {os.getpid()}
    return [
        f"{pid} {command[:90]}"
        for pid, (_, command) in sorted(table.items())
        if pid not in ours and ("smtp_dispatch.py" in command or "prefect server start" in command)
    ]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def wait_quiet(limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        others = other_benchmarks()
        if os.getloadavg()[0] < QUIET_LOAD and not others:
            print(f"The machine is quiet: {load()}.", flush=True)
            return
        time.sleep(15)
    print(f"Still busy after {limit:.0f} s; measuring anyway: {load()}; others: {other_benchmarks() or 'none'}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def parse_time(value: str | None) -> float | None:
    return None if value is None else dt.datetime.fromisoformat(value).timestamp()


# --- Prefect's REST API, without importing prefect ----------------------------------------------------------


class PrefectApi:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, headers={"Content-Type": "application/json"}, method="GET" if body is None
            else "POST"
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"null")

    def deployment_id(self, name: str) -> str | None:
        found = self.call("/deployments/filter", {"deployments": {"name": {"any_": [name]}}, "limit": 1})
        return found[0]["id"] if found else None

    def runs_since(self, deployment: str, since: float) -> list[dict[str, Any]]:
        """Runs created since ``since`` that were due by now (not the schedule's runs made ahead of time)."""
        after = dt.datetime.fromtimestamp(since - 60, dt.UTC).isoformat()
        body = {
            "flow_runs": {"deployment_id": {"any_": [deployment]}, "expected_start_time": {"after_": after}},
            "sort": "EXPECTED_START_TIME_DESC",
            "limit": 200,
        }
        now = time.time()
        runs = [
            r
            for r in self.call("/flow_runs/filter", body)
            if (parse_time(r["created"]) or 0) >= since and (parse_time(r["expected_start_time"]) or 0) <= now
        ]
        return sorted(runs, key=lambda r: r["created"])

    def state_times(self, run_id: str) -> dict[str, float]:
        """The first time the run entered each state type."""
        times: dict[str, float] = {}
        for state in self.call(f"/flow_run_states/?flow_run_id={run_id}"):
            at = parse_time(state["timestamp"])
            if at is not None and state["type"] not in times:
                times[state["type"]] = at
        return times


# --- (1) latency under raati serve ----------------------------------------------------------------------------


class SinkWatcher:
    """New .eml files in the sink folder, with the time each was first seen and its headers."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: set[str] = set()
        self.parser = BytesHeaderParser(policy=email_policy.default)

    def skip_existing(self) -> None:
        self.seen |= set(self._names())

    def _names(self) -> list[str]:
        try:
            return [e.name for e in os.scandir(self.folder) if e.name.endswith(".eml")]
        except FileNotFoundError:
            return []

    def new(self) -> list[tuple[str, str]]:
        """(subject, recipient) of each file that appeared since the last call."""
        found = []
        for name in sorted(set(self._names()) - self.seen):
            self.seen.add(name)
            with (self.folder / name).open("rb") as file:
                headers = self.parser.parse(file)
            found.append((str(headers.get("Subject", "")), str(headers.get("To", ""))))
        return found


@dataclass
class Move:
    idea: int
    to: str
    cli: float = math.nan  # seconds from the start of the subprocess
    commit: float = math.nan
    first: float = math.nan
    last: float = math.nan
    emails: int = 0
    expected: int = 0
    created: float = math.nan  # the flow run's timestamps, relative to the start of the subprocess
    pending: float = math.nan
    running: float = math.nan
    ended: float = math.nan
    runs: int = 0
    note: str = ""


@dataclass
class Variant:
    key: str
    title: str
    coalesce: str
    poll: str
    moves: list[Move] = field(default_factory=list)
    warmup: Move | None = None
    run_states: dict[str, int] = field(default_factory=dict)
    startup: float = 0.0
    load_before: str = ""
    load_after: str = ""
    left_behind: set[int] = field(default_factory=set)


class Serve:
    """`raati serve` as a subprocess on its own data folder, and the command line pointed at the same folder."""

    def __init__(self, work: Path, extra: dict[str, str]) -> None:
        self.work = work
        self.data = work / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAATI_") and k not in PREFECT_CLIENT}
        env.update(
            RAATI_DATA_DIR=str(self.data),
            RAATI_SMTP_PORT=str(free_port()),
            PREFECT_HOME=str(work / "prefect-home"),  # no profile of the user's points anywhere else
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            PREFECT_LOGGING_LEVEL="WARNING",
        )
        env.update(extra)
        self.env = env
        self.log_path = work / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.children: set[int] = set()

    def start(self, timeout: float = 300) -> PrefectApi:
        web, prefect = free_port(), free_port()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(RAATI), "serve", "--port", str(web), "--prefect-port", str(prefect)],
                env=self.env, cwd=self.work, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while "Ctrl-C stops everything" not in self.log_path.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"raati serve did not start:\n{self.log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.25)
        api = PrefectApi((self.data / "prefect" / "api-url").read_text().strip())
        while api.deployment_id("dispatch-notifications") is None:  # registered by Prefect's serve, just after
            if time.monotonic() > deadline:
                raise RuntimeError("the dispatch-notifications deployment was not registered")
            time.sleep(0.25)
        return api

    def raati(self, *args: str) -> Any:
        done = subprocess.run(
            [str(RAATI), *args, "--json"], env=self.env, cwd=self.work, capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"raati {' '.join(args)} failed: {done.stderr or done.stdout}")
        return json.loads(done.stdout)

    def stop(self) -> set[int]:
        """SIGINT, as Ctrl-C; returns the processes left behind (then killed)."""
        if self.process is None:
            return set()
        self.children = descendants(self.process.pid)
        with suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.children.add(self.process.pid)
        time.sleep(1)
        left = alive(self.children)
        for pid in left:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # anything of its session still there
        self.process.wait(timeout=10)
        self.process = None
        return left


def set_up_panel(serve: Serve, ideas: int, tag: str) -> list[tuple[int, str]]:
    """A panel, members, a service with an owner, a meeting and ``ideas`` raised ideas, via the command line."""
    panel = serve.raati("panel", "create", f"Benchmark panel {tag}")["id"]
    members = serve.work / "members.csv"
    members.write_text(
        "name,email,language\n"
        + "".join(f"Bench Member {i},member{i}.{tag}@bench.example.org,en\n" for i in range(MEMBERS)),
        encoding="utf-8",
    )
    serve.raati("member", "import", str(members), "--panel", str(panel))
    service = serve.raati(
        "service", "add", f"Benchmark service {tag}", "--panel", str(panel), "--owner", f"owner.{tag}@bench.example.org"
    )["id"]
    starts = (dt.datetime.now() + dt.timedelta(days=60)).strftime("%Y-%m-%dT17:00")
    meeting = serve.raati(
        "meeting", "schedule", "--panel", str(panel), "--at", starts, "--service", str(service),
        "--task", "Benchmark task", "--place", "Kalasataman terveysasema",
    )["id"]  # fmt: skip
    raised = []
    for number in range(ideas):
        title = f"Benchmark idea {number:03d} {tag}"
        idea = serve.raati("idea", "raise", "--meeting", str(meeting), "--title", title, "--service", str(service))
        raised.append((int(idea["id"]), title))
    return raised


def one_move(serve: Serve, api: PrefectApi, deployment: str, sink: SinkWatcher, move: Move, title: str,
             note: str | None, timeout: float) -> None:  # fmt: skip
    sink.skip_existing()
    command = [str(RAATI), "idea", "move", str(move.idea), move.to, "--json"] + (["--note", note] if note else [])
    out, err = serve.work / "move.json", serve.work / "move.err"
    arrivals: list[float] = []
    with out.open("wb") as stdout, err.open("wb") as stderr:
        wall0, t0 = time.time(), time.monotonic()
        cli = subprocess.Popen(command, env=serve.env, cwd=serve.work, stdout=stdout, stderr=stderr)
        while True:
            now = time.monotonic() - t0
            if math.isnan(move.cli) and cli.poll() is not None:
                move.cli = now
            arrivals += [now for subject, _ in sink.new() if title in subject]
            if not math.isnan(move.cli) and len(arrivals) >= move.expected:
                break
            if now > timeout:
                move.note = f"timeout: {len(arrivals)} of {move.expected} emails after {timeout:.0f} s"
                if cli.poll() is None:
                    cli.kill()
                    cli.wait()
                break
            time.sleep(0.01)
    if cli.returncode:
        raise RuntimeError(f"raati idea move failed: {err.read_text(errors='replace')}")
    if warning := err.read_text(errors="replace").strip():
        move.note = f"stderr: {warning[-200:]}"
    view = json.loads(out.read_text())
    move.commit = (parse_time(view["timeline"][-1]["at"]) or wall0) - wall0
    move.emails = len(arrivals)
    if arrivals:
        move.first, move.last = arrivals[0], arrivals[-1]
    # Wait for the run(s) since the commit to end, so the next move is measured on its own.
    deadline = time.monotonic() + 90
    runs = api.runs_since(deployment, wall0)
    while any(r["state_type"] not in TERMINAL for r in runs) and time.monotonic() < deadline:
        time.sleep(0.25)
        runs = api.runs_since(deployment, wall0)
    move.runs = len(runs)
    delivered = [r for r in runs if r["state_type"] == "COMPLETED" and not r.get("auto_scheduled")]
    if delivered:
        times = api.state_times(delivered[0]["id"])
        move.created = (parse_time(delivered[0]["created"]) or math.nan) - wall0
        move.pending = times.get("PENDING", math.nan) - wall0
        move.running = times.get("RUNNING", math.nan) - wall0
        move.ended = times.get("COMPLETED", math.nan) - wall0
    if any(r.get("auto_scheduled") for r in runs):
        move.note = "a scheduled run started too"
    if not delivered and not move.note:
        move.note = "no completed event-triggered run since the move"


def run_variant(key: str, moves: int, work: Path, timeout: float) -> Variant:
    title, extra = VARIANTS[key]
    from flows.settings import FlowSettings

    poll = extra.get("PREFECT_RUNNER_POLL_FREQUENCY", os.environ.get("PREFECT_RUNNER_POLL_FREQUENCY"))
    poll = poll or f"{FlowSettings().runner_poll_seconds:g}"
    coalesce = extra.get("RAATI_COALESCE_SECONDS", "5")  # what raati serve sets on the embedded sink
    variant = Variant(key, title, coalesce, poll, load_before=load())
    folder = work / f"serve-{key}"
    folder.mkdir()
    serve = Serve(folder, extra)
    print(f"\n[{key}] {title}: coalescing window {coalesce} s, runner poll {poll} s; {variant.load_before}")
    try:
        started = time.monotonic()
        print("  starting raati serve (local Prefect server, demo panel, deployments) …", flush=True)
        api = serve.start()
        variant.startup = time.monotonic() - started
        deployment = api.deployment_id("dispatch-notifications") or ""
        print(f"  up in {variant.startup:.1f} s; setting up a panel through the command line …", flush=True)
        tag = secrets.token_hex(3)
        ideas = set_up_panel(serve, math.ceil((moves + 1) / len(CHAIN)), tag)
        sink = SinkWatcher(serve.data / "mail")
        plan = [(idea, title, step) for idea, title in ideas for step in CHAIN][: moves + 1]
        since = time.time()
        for number, (idea, idea_title, (to, note)) in enumerate(plan):
            move = Move(idea, to, expected=MEMBERS + (1 if to == "sent_to_service" else 0))
            one_move(serve, api, deployment, sink, move, idea_title, note, timeout)
            if number == 0:
                variant.warmup = move
            else:
                variant.moves.append(move)
            note = f"  {move.note}" if move.note else ""
            print(f"  move {number:>2}{' (warm-up)' if number == 0 else ''}: idea {idea} → {to:<15} "
                  f"cli {move.cli:5.2f} s, first email {move.first:5.2f} s, all {move.last:5.2f} s; run: created "
                  f"{move.created:5.2f}, pending {move.pending:5.2f}, running {move.running:5.2f}, ended "
                  f"{move.ended:5.2f} ({move.runs} run(s)){note}", flush=True)  # fmt: skip
            time.sleep(0.5)
        for run in api.runs_since(deployment, since):
            variant.run_states[run["state_type"]] = variant.run_states.get(run["state_type"], 0) + 1
    finally:
        variant.load_after = load()
        variant.left_behind = serve.stop()
    return variant


def report_variant(variant: Variant) -> bool:
    moves = variant.moves
    first = [m.first for m in moves if not math.isnan(m.first)]
    last = [m.last for m in moves if m.emails >= m.expected]
    missing = len(moves) - len(first)
    print(f"\n(1) idea move → email under raati serve [{variant.key}: {variant.title}]")
    print(f"    coalescing window {variant.coalesce} s, runner poll {variant.poll} s; {len(moves)} moves "
          f"(+1 warm-up); raati serve up in {variant.startup:.0f} s")  # fmt: skip
    print(f"    {variant.load_before} before, {variant.load_after} after")
    if not first:
        print("    no email arrived")
        return False
    for name, values in (("first email", first), ("all its emails", last)):
        if values:
            print(f"    {name:<15} p50 {percentile(values, 50):5.2f} s   p95 {percentile(values, 95):5.2f} s   "
                  f"max {max(values):5.2f} s")  # fmt: skip
    parts = {
        "CLI process (start → exit)": [m.cli for m in moves],
        "CLI start → commit": [m.commit for m in moves],
        "commit → flow run created (event)": [m.created - m.commit for m in moves],
        "created → pending (runner poll)": [m.pending - m.created for m in moves],
        "pending → running (new process)": [m.running - m.pending for m in moves],
        "running → first email": [m.first - m.running for m in moves],
        "flow run (running → completed)": [m.ended - m.running for m in moves],  # includes its quiet wait
    }
    print("    breakdown (median / p95):")
    for name, values in parts.items():
        values = [v for v in values if not math.isnan(v)]
        if values:
            print(f"      {name:<36} {statistics.median(values):5.2f} s / {percentile(values, 95):5.2f} s")
    print(f"    flow runs of dispatch-notifications since the first move: {variant.run_states}")
    notes = [m.note for m in moves if m.note]
    if notes:
        print(f"    {len(notes)} move(s) with notes: {sorted(set(notes))}")
    if variant.left_behind:
        print(f"    processes left behind by raati serve (killed): {sorted(variant.left_behind)}")
    p95 = percentile(first, 95)
    passed = p95 < LATENCY_TARGET and not missing
    print(f"    p95 {p95:.2f} s, target < {LATENCY_TARGET:g} s: {'PASS' if passed else 'FAIL'}"
          f"{f' ({missing} move(s) without email)' if missing else ''}")  # fmt: skip
    return passed


# --- (2) the drain ---------------------------------------------------------------------------------------------


def _smtp_server(conn: Connection) -> None:
    """Child process: an aiosmtpd server on 127.0.0.1 that discards mail; answers "count" and "stop"."""
    from aiosmtpd.smtp import SMTP

    class Discard:
        received = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.received += 1
            return "250 2.0.0 OK discarded"

    async def main() -> None:
        handler = Discard()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SMTP(handler, hostname="bench.localhost"), host="127.0.0.1", port=0, backlog=256
        )
        conn.send(server.sockets[0].getsockname()[1])
        while await asyncio.to_thread(conn.recv) == "count":
            conn.send(handler.received)
        server.close()

    asyncio.run(main())


class SmtpProcess:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(target=_smtp_server, args=(child,), daemon=True)
        self.process.start()
        if not self._conn.poll(30):
            raise RuntimeError("the SMTP server process did not start")
        self.port: int = self._conn.recv()

    def received(self) -> int:
        self._conn.send("count")
        return int(self._conn.recv())

    def stop(self) -> None:
        with suppress(OSError):
            self._conn.send("stop")
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    import wiring

    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    wiring.reset()
    try:
        yield
    finally:
        wiring.reset()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def scratch_database(url: str | None, folder: Path) -> Iterator[str]:
    """SQLite in ``folder``, or a database of its own on the server of ``url`` (dropped afterwards)."""
    if url is None:
        yield f"sqlite:///{(folder / 'raati.sqlite3').as_posix()}"
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    server = make_url(url)
    if server.drivername == "postgresql":
        server = server.set(drivername="postgresql+psycopg")
    if server.get_backend_name() != "postgresql":
        raise SystemExit("--database-url must be a PostgreSQL URL")
    name = f"raati_bench_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        import wiring

        wiring.reset()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


class StepClock:
    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current


def populate_members(count: int) -> tuple[Any, Any]:
    """A panel with a service and ``count`` members, through the real use cases (a month ago)."""
    import wiring
    from application.commands import AddService, AddUser, CreatePanel, ImportMembers, MemberRow
    from application.people.roster import add_service, add_user, create_panel, import_members
    from domain.values import Role

    clock = StepClock(dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
    coordinator, owner = "koordinaattori@bench.example.org", "omistaja@bench.example.org"
    panel = create_panel(CreatePanel(name="Drain benchmark panel"), uow=wiring.uow(), clock=clock)
    ref = str(panel.id)
    add_user(AddUser(email=coordinator, role=Role.COORDINATOR, panel=ref), uow=wiring.uow(), clock=clock)
    service, _ = add_service(
        AddService(name="Omaolo-verkkopalvelu", panel=ref, owners=(owner,), actor=coordinator),
        uow=wiring.uow(),
        clock=clock,
    )
    languages = ("fi", "fi", "fi", "fi", "sv", "sv", "en")
    rows = tuple(
        MemberRow(line=i + 2, name=f"Jäsen {i:05d}", email=f"jasen{i:05d}@asukas.example.org",
                  language=languages[i % len(languages)])
        for i in range(count)
    )  # fmt: skip
    import_members(ImportMembers(panel=ref, rows=rows, actor=coordinator), uow=wiring.uow(), clock=clock)
    return panel, service


def queue_updates(panel: Any, service: Any, seq: int) -> int:
    """One idea update per active member, due now (the real policy; the event ``seq`` makes the rows distinct)."""
    import wiring
    from domain.events import Aggregate, Event
    from domain.ideas import Idea, IdeaState
    from notifications import policy

    at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    idea = Idea(id=1, panel_id=panel.id, meeting_id=1, title="Ohjeet samalle sivulle kolmella kielellä",
                text="Ruotsin- ja englanninkielinen ohje samaan näkymään.", service_id=service.id,
                state=IdeaState.IN_PROGRESS, version=seq)  # fmt: skip
    event = Event(aggregate=Aggregate.IDEA, aggregate_id=1, seq=seq, type="noted", actor="omistaja@bench.example.org",
                  at=at, from_state="in_progress", to_state="in_progress",
                  text="Kieliversiot ovat nyt testissä; kerromme, kun ne ovat kaikkien käytössä.")  # fmt: skip
    with wiring.uow() as uow:
        members = uow.members.active_in_panel(panel.id)
        messages = policy.for_idea_event(idea, event, panel=panel, service=service, members=members, owners=[], now=at)
        uow.outbox.add(messages)
        uow.commit()
    return len(messages)


def outbox_counts() -> dict[str, int]:
    import wiring

    return wiring.queue().counts()


@dataclass
class Drain:
    database: str
    count: int
    populate: float = 0.0
    plain: float = 0.0
    flow: float = 0.0
    flow_import: float = 0.0
    prefect_start: float = 0.0
    totals: dict[str, int] = field(default_factory=dict)
    load_before: str = ""
    load_after: str = ""


def run_drain(count: int, database_url: str | None, work: Path) -> Drain:
    import wiring
    from cli.devtools.prefect_server import LocalPrefectServer

    folder = work / "drain"
    folder.mkdir()
    result = Drain("PostgreSQL (scratch database)" if database_url else "SQLite", count, load_before=load())
    print(f"\n[drain] {count} notifications, {result.database}; {result.load_before}", flush=True)
    smtp = SmtpProcess()
    prefect = LocalPrefectServer(folder / "prefect", port=0)
    try:
        with scratch_database(database_url, folder) as url:
            values = {
                "RAATI_DATA_DIR": str(folder),
                "RAATI_DATABASE_URL": url,
                "RAATI_SECRET_KEY": secrets.token_hex(32),
                "RAATI_COALESCE_SECONDS": "0",
                "RAATI_SMTP_HOST": "127.0.0.1",
                "RAATI_SMTP_PORT": str(smtp.port),
                "RAATI_SMTP_TLS": "none",
            }
            with environment(values):
                started = time.perf_counter()
                panel, service = populate_members(count)
                result.populate = time.perf_counter() - started
                print(f"  {count} members in {result.populate:.1f} s; plain dispatcher (no Prefect) …", flush=True)
                if queue_updates(panel, service, seq=3) != count:
                    raise RuntimeError("the policy did not queue one row per member")
                result.plain = asyncio.run(plain_dispatch())
                check_drained(count, smtp, count)
                print(f"  plain: {result.plain:.1f} s; starting a local Prefect server …", flush=True)
                started = time.perf_counter()
                api_url = prefect.start()
                result.prefect_start = time.perf_counter() - started
                queue_updates(panel, service, seq=4)
                os.environ.update(
                    PREFECT_API_URL=api_url,
                    PREFECT_HOME=str(folder / "prefect-home"),
                    PREFECT_SERVER_ANALYTICS_ENABLED="false",
                    PREFECT_LOGGING_LEVEL=os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
                )
                started = time.perf_counter()
                from flows.dispatch_notifications import dispatch_notifications

                result.flow_import = time.perf_counter() - started
                print("  one dispatch-notifications flow run …", flush=True)
                started = time.perf_counter()
                # quiet_seconds=0: return once the outbox is drained; woken by an event, a run stays until the
                # outbox has been quiet for RAATI_DISPATCH_QUIET_SECONDS, which is waiting, not draining.
                result.totals = asyncio.run(dispatch_notifications(quiet_seconds=0))
                result.flow = time.perf_counter() - started
                check_drained(2 * count, smtp, count)
    finally:
        prefect.stop()
        smtp.stop()
        wiring.reset()
        result.load_after = load()
    return result


async def plain_dispatch() -> float:
    import wiring
    from application.delivery import dispatch

    started = time.perf_counter()
    report = await dispatch(
        queue=wiring.queue(), transport=wiring.transport(), composer=wiring.composer(), clock=wiring.clock(),
        rules=wiring.dispatch_rules(), jitter=wiring.jitter,
    )  # fmt: skip
    if report.errors:
        raise RuntimeError(f"the dispatcher reported errors: {report.errors}")
    return time.perf_counter() - started


def check_drained(sent: int, smtp: SmtpProcess, count: int) -> None:
    counts = outbox_counts()
    if counts.get("sent", 0) != sent or counts.get("pending", 0) or smtp.received() != sent:
        raise RuntimeError(f"expected {sent} sent ({count} this time): outbox {counts}, server got {smtp.received()}")


def report_drain(result: Drain) -> bool:
    rate = result.count / result.flow if result.flow else math.inf
    print(f"\n(2) drain {result.count} pending notifications through dispatch-notifications [{result.database}]")
    print(f"    {result.load_before} before, {result.load_after} after")
    print(f"    plain dispatcher, no Prefect        {result.plain:6.1f} s  ({result.count / result.plain:.0f} msg/s)")
    print(f"    one flow run (call → return)        {result.flow:6.1f} s  ({rate:.0f} msg/s), "
          f"{result.totals.get('batches', 0)} batches (a task each)")  # fmt: skip
    print(f"    Prefect's share: {result.flow - result.plain:+.1f} s; not counted: import of the flow "
          f"{result.flow_import:.1f} s, Prefect server start {result.prefect_start:.1f} s")  # fmt: skip
    passed = result.flow < DRAIN_TARGET and result.totals.get("sent") == result.count
    print(f"    all {result.count} marked sent; target < {DRAIN_TARGET:g} s: {'PASS' if passed else 'FAIL'}")
    return passed


# --- main ------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=50, help="measured idea moves per variant; default 50")
    parser.add_argument("--variants", default="serve,fast", help="latency variants: serve, fast or both (default)")
    parser.add_argument("--drain", type=int, default=10_000, help="notifications to drain; default 10000")
    parser.add_argument("--skip-latency", action="store_true", help="skip part (1)")
    parser.add_argument("--skip-drain", action="store_true", help="skip part (2)")
    parser.add_argument("--database-url", help="drain on PostgreSQL: a scratch database is made on this server")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for one move's mail")
    parser.add_argument("--wait-quiet", type=float, default=0, help=f"first wait up to this long for load < "
                        f"{QUIET_LOAD} and no other benchmark")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, databases)")
    args = parser.parse_args()
    keys = [k.strip() for k in args.variants.split(",") if k.strip()]
    if unknown := set(keys) - set(VARIANTS):
        parser.error(f"unknown variant(s): {', '.join(sorted(unknown))}")
    if args.wait_quiet:
        wait_quiet(args.wait_quiet)
    others = other_benchmarks()
    print(f"Raati engine benchmark. Machine: {os.cpu_count()} CPU cores, {platform.python_implementation()} "
          f"{platform.python_version()}; {load()}; other benchmarks running: {len(others)}")  # fmt: skip
    for line in others:
        print(f"  {line}")
    passed = True
    work = tempfile.mkdtemp(prefix="raati-engine-")
    try:
        variants = [] if args.skip_latency else [run_variant(k, args.moves, Path(work), args.timeout) for k in keys]
        drained = None if args.skip_drain else run_drain(args.drain, args.database_url, Path(work))
    finally:
        table = process_table()
        left = {p for p in alive(descendants(os.getpid(), table)) if "resource_tracker" not in table[p][1]}
        if args.keep:
            print(f"\nKept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for variant in variants:
        passed = report_variant(variant) and passed
    if drained is not None:
        passed = report_drain(drained) and passed
    print(f"\nProcesses of this benchmark still running: {sorted(left) or 'none'}")
    print("Overall:", "PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
