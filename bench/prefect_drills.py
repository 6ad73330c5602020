"""Two drills on a real Prefect server with a process worker: a drain killed mid-way, and a burst of idea events.

Run from the repository root (about 4 minutes):

    .venv/bin/python bench/prefect_drills.py              # 200 mails, 100 events
    .venv/bin/python bench/prefect_drills.py --count 100 --events 50 --delay 0.1

Set-up: ``prefect server start`` (SQLite, cli/devtools/prefect_server.py), ``raati deploy --pool drills`` and one
``raati worker --pool drills`` from this checkout's venv; a fresh SQLite database; an aiosmtpd server on
127.0.0.1 that takes ``--delay`` seconds over each message (a relay's pace, so that a drain lasts ~25 s) and
records every Message-ID it accepts. The outbox rows are one declined idea's notifications to ``--count`` members
(bench/smtp_dispatch.py's ``populate``: the real use cases and policy).

(a) Crash drill: a drain is started from the deployment; when a quarter of the mail has arrived, the flow run's
    process (the worker's child) is killed with SIGKILL. Printed: the seconds from the kill until every mail had
    arrived, how many never arrived and how many arrived twice (by Message-ID). Recovery is prefect.yaml's
    ``restart-after-crash`` trigger: the worker marks the run crashed, a new drain starts at once and stays until
    the killed run's claims run out (RAATI_LEASE_SECONDS, 60 s).
(b) Burst: a drain of ``--count`` more mails is started; while it runs, ``--events`` idea events (the ones
    ``raati idea move`` posts, through flows/publisher.py) are posted, spread over ``--spread`` seconds. Printed:
    the dispatch deployment's flow runs created after the burst began, by state (the safety-net schedule's runs
    apart).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.smtp_dispatch import environment, populate  # noqa: E402
from cli.devtools.mailsink import LoopbackController  # noqa: E402
from cli.devtools.prefect_server import LocalPrefectServer  # noqa: E402
from domain.events import Aggregate, Event, EventType  # noqa: E402
from flows.publisher import PrefectEventPublisher, prefect_event  # noqa: E402
from tests.flows.workers import children, command_line, flow_runs, process_worker  # noqa: E402

POOL = "drills"
DEPLOYMENT = "dispatch-notifications"
BIN = Path(sys.executable).parent


class SlowRelay:
    """An aiosmtpd handler that takes ``delay`` seconds over each message and records its Message-ID."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.received: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.received.append(str(message["Message-ID"]))
        return "250 OK"

    def counts(self) -> tuple[int, int]:
        """(distinct Message-IDs, messages) accepted so far."""
        with self.lock:
            return len(set(self.received)), len(self.received)


async def _start_drain(api_url: str) -> Any:
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api=api_url) as client:
        deployment = await client.read_deployment_by_name(f"{DEPLOYMENT}/{DEPLOYMENT}")
        return await client.create_flow_run_from_deployment(deployment.id)


def start_drain(api_url: str) -> Any:
    return asyncio.run(_start_drain(api_url))


def flow_process(worker: int) -> int | None:
    """The pid of the flow run's process: the worker's descendant running ``prefect.engine``."""
    pending, seen = [worker], set()
    while pending:
        pid = pending.pop()
        for child in children(pid):
            if child in seen:
                continue
            seen.add(child)
            with contextlib.suppress(OSError):
                if "prefect.engine" in command_line(child):
                    return child
            pending.append(child)
    return None


def wait_for(what: str, condition: Any, timeout: float, poll: float = 0.1) -> float:
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)
    return time.monotonic()


@dataclass
class Crash:
    at_kill: int  # distinct messages the relay had accepted when the flow process was killed
    seconds: float  # from the kill until every message had arrived
    lost: int
    duplicates: int
    runs: dict[str, int]  # the dispatch deployment's runs by state (the safety-net schedule's apart)


def crash_drill(ready: Drills, count: int, *, timeout: float = 300) -> Crash:
    """Queue ``count`` mails, start a drain, SIGKILL its process at a quarter, wait for every mail."""
    relay = ready.relay
    populate(count, tag=f"crash-{secrets.token_hex(3)}")
    already, _ = relay.counts()
    start_drain(ready.api_url)
    wait_for("a quarter of the mail", lambda: relay.counts()[0] - already >= max(count // 4, 1), 180)
    time.sleep(relay.delay / 2)  # mid-message: a kill just after the relay's "250" sends that one again
    pid = flow_process(ready.worker)
    if pid is None:
        raise RuntimeError("the flow run's process was not found under the worker")
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    at_kill = relay.counts()[0] - already
    done = wait_for("every mail after the kill", lambda: relay.counts()[0] - already >= count, timeout, poll=0.2)
    time.sleep(5)  # anything sent twice after the last new one arrives within a moment
    distinct, total = relay.counts()
    states = collections.Counter(str(r.state_name) for r in flow_runs(ready.api_url, DEPLOYMENT) if not _scheduled(r))
    return Crash(at_kill, done - killed, count - (distinct - already), total - distinct, dict(states))


def _scheduled(run: Any) -> bool:
    return "auto-scheduled" in (run.tags or [])


def idea_event(number: int) -> Event:
    return Event(
        aggregate=Aggregate.IDEA,
        aggregate_id=900_000 + number,
        seq=2,
        type=EventType.MOVED,
        actor="omaolo@raati.example.org",
        at=datetime.now(UTC),
        from_state="sent_to_service",
        to_state="declined",
    )


def burst(ready: Drills, count: int, events: int, spread: float) -> None:
    api_url, relay = ready.api_url, ready.relay

    def running() -> bool:
        return any(r.state_type.value in {"RUNNING", "PENDING"} for r in flow_runs(api_url, DEPLOYMENT))

    wait_for("the drains before to finish", lambda: not running(), 180, poll=1.0)  # the burst meets one drain
    populate(count, tag=f"burst-{secrets.token_hex(3)}")
    already, _ = relay.counts()
    started = start_drain(api_url)
    wait_for("the drain to send", lambda: relay.counts()[0] > already, 120)
    publish = PrefectEventPublisher(api_url)
    began = datetime.now(UTC)
    for number in range(events):
        publish([idea_event(number)])
        time.sleep(spread / events)
    wait_for("every mail of the burst drain", lambda: relay.counts()[0] - already >= count, 300, poll=0.5)

    def settled() -> bool:
        runs = [r for r in flow_runs(api_url, DEPLOYMENT) if not _scheduled(r)]
        return all(r.state_type.value in {"COMPLETED", "CANCELLED", "FAILED", "CRASHED"} for r in runs)

    wait_for("the runs to finish", settled, 180, poll=1.0)
    time.sleep(11)  # the trigger's window (10 s) is over: the lone event afterwards opens a new one
    after = [r for r in flow_runs(api_url, DEPLOYMENT) if r.created >= began and r.id != started.id]
    started_state = next(r.state_name for r in flow_runs(api_url, DEPLOYMENT) if r.id == started.id)
    made = collections.Counter(("auto-scheduled " if _scheduled(r) else "") + str(r.state_name) for r in after)
    woken = [r for r in after if not _scheduled(r)]
    print(f"  {events} idea events over {spread:.0f} s during a drain of {count} mails; the drain: {started_state}")
    print(f"burst: {len(woken)} dispatch runs created after the burst began (besides the running drain): {dict(made)}")


@dataclass
class Drills:
    """A Prefect server with Raati's deployments, one process worker and the slow relay, ready for a drill."""

    api_url: str
    worker: int
    relay: SlowRelay


@contextlib.contextmanager
def drills(work: Path, *, delay: float, **settings: str) -> Iterator[Drills]:
    """Set it all up under ``work`` (``settings``: more ``RAATI_*`` values); this process's environment too."""
    relay = SlowRelay(delay)
    smtp = LoopbackController(relay, hostname="127.0.0.1", port=0)
    smtp.start()
    server = LocalPrefectServer(work / "prefect", port=0)
    values = {
        "RAATI_DATA_DIR": str(work / "data"),
        "RAATI_DATABASE_URL": f"sqlite:///{work / 'raati.db'}",
        "RAATI_SECRET_KEY": secrets.token_hex(32),
        "RAATI_MAIL_DOMAIN": "raati.example.fi",
        "RAATI_COALESCE_SECONDS": "0",
        "RAATI_SMTP_HOST": "127.0.0.1",
        "RAATI_SMTP_PORT": str(smtp.port),
        "RAATI_SMTP_CONNECTIONS": "1",  # one relay connection: the drain lasts count × delay seconds
        "RAATI_DISPATCH_QUIET_SECONDS": "3",
        **settings,
    }
    try:
        api_url = server.start()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("RAATI_", "PREFECT_"))},
            **values,
            "PREFECT_API_URL": api_url,
            "PREFECT_HOME": str(work / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30",
        }
        subprocess.run([str(BIN / "raati"), "db", "upgrade"], env=env, cwd=work, check=True, capture_output=True)
        subprocess.run([str(BIN / "raati"), "deploy", "--pool", POOL], env=env, cwd=work, check=True,
                       capture_output=True)  # fmt: skip
        with process_worker(BIN / "raati", POOL, env, work, work / "worker.log") as worker, environment(values):
            yield Drills(api_url, worker, relay)
    finally:
        server.stop()
        smtp.stop()


def lone_event(ready: Drills, number: int, *, check: bool = True) -> float:
    """Seconds from posting one idea event, with no drain about, until its run has been created.

    ``check=False`` posts without first asking whether a drain is already asked for (the publisher before).
    """
    before = {r.id for r in flow_runs(ready.api_url, DEPLOYMENT)}
    publisher = PrefectEventPublisher(ready.api_url)
    began = time.monotonic()
    if check:
        publisher([idea_event(number)])
    else:
        publisher.post([prefect_event(idea_event(number))])
    created = wait_for("its run", lambda: {r.id for r in flow_runs(ready.api_url, DEPLOYMENT)} - before, 60, 0.05)
    return created - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200, help="mails per drill (default 200)")
    parser.add_argument("--events", type=int, default=100, help="idea events in the burst (default 100)")
    parser.add_argument("--delay", type=float, default=0.12, help="the relay's seconds per message (default 0.12)")
    parser.add_argument("--spread", type=float, default=15.0, help="seconds the burst is spread over (default 15)")
    parser.add_argument("--burst-only", action="store_true", help="skip the crash drill")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="raati-drills-"))
    with drills(work, delay=args.delay) as ready:
        print(f"server {ready.api_url}, relay at {args.delay} s a message, work folder {work}")
        if not args.burst_only:
            crash = crash_drill(ready, args.count)
            print(f"  killed the flow run's process with {crash.at_kill} of {args.count} delivered")
            print(
                f"crash drill: all {args.count} delivered {crash.seconds:.1f} s after the kill, {crash.lost} lost, "
                f"{crash.duplicates} duplicates"
            )
            print(f"  dispatch runs by state: {crash.runs}")
        burst(ready, args.count, args.events, args.spread)
        checked = lone_event(ready, 999)
        wait_for("that run", lambda: not any(r.state_type.value in {"SCHEDULED", "PENDING", "RUNNING"}
                 for r in flow_runs(ready.api_url, DEPLOYMENT) if not _scheduled(r)), 120, 1.0)  # fmt: skip
        time.sleep(11)
        plain = lone_event(ready, 998, check=False)
        print(f"lone event: its run created {checked:.2f} s after it was posted ({plain:.2f} s without the check)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
