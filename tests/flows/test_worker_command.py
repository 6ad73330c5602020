"""``raati worker``: Prefect's process worker run from Raati's own command line. It stops within seconds on one
SIGTERM or SIGINT, also when started the way a shell script's ``cmd &`` starts it (SIGINT ignored), and refuses to
start without the pool or the server's address, saying which."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.flows.test_deploy_command import bare_environment

pytestmark = pytest.mark.slow

RAATI = Path(sys.executable).parent / "raati"


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # what `cmd &` in a non-interactive shell does


def _start(
    server: str, tmp_path: Path, pool: str, *, background: bool, options: tuple[str, ...] = (), **extra: str
) -> subprocess.Popen[str]:
    env = bare_environment(
        PREFECT_API_URL=server,
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_WORKER_QUERY_SECONDS="1",
        RAATI_DATA_DIR=str(tmp_path / "data"),
        **extra,
    )
    return subprocess.Popen(
        [str(RAATI), "worker", "--pool", pool, "--name", f"{pool}-worker", *options],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=_ignore_sigint if background else None,
    )  # fmt: skip


def _wait_until_polling(worker: subprocess.Popen[str], server: str, pool: str) -> None:
    """Until the server knows the worker (its first heartbeat): it is past its start-up and polling."""
    import asyncio

    from prefect.client.orchestration import PrefectClient

    async def names() -> list[str]:
        async with PrefectClient(api=server) as client:
            return [w.name for w in await client.read_workers_for_work_pool(pool)]

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
        try:
            if f"{pool}-worker" in asyncio.run(names()):
                return
        except Exception:  # the pool is not there until the worker has made it
            pass
        time.sleep(0.5)
    raise AssertionError("the worker never reported to the server")


@pytest.mark.parametrize(
    ("stop", "background"),
    [(signal.SIGTERM, True), (signal.SIGTERM, False), (signal.SIGINT, False)],
    ids=["sigterm-started-in-background", "sigterm", "sigint"],
)
def test_the_worker_stops_within_seconds_of_one_signal(
    prefect_server: str, tmp_path: Path, stop: signal.Signals, background: bool
) -> None:
    server = prefect_server
    pool = f"stop-{stop.name.lower()}-{'bg' if background else 'fg'}"
    worker = _start(server, tmp_path, pool, background=background)
    try:
        _wait_until_polling(worker, server, pool)
        sent = time.monotonic()
        worker.send_signal(stop)
        output, _ = worker.communicate(timeout=20)
        took = time.monotonic() - sent
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, output
    assert took < 10, f"{took:.1f} s"
    assert f"Serving the work pool {pool!r}" in output
    assert "Worker stopped." in output  # Prefect's event client may log its last flush after it
    assert "Traceback" not in output


def test_with_healthcheck_the_worker_answers_on_its_health_address_while_it_polls(
    prefect_server: str, tmp_path: Path
) -> None:
    # What compose.yaml's worker health check asks (there on 0.0.0.0:8080, Prefect's default; here a free port).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pool = "health"
    worker = _start(
        prefect_server, tmp_path, pool, background=False, options=("--with-healthcheck",),
        PREFECT_WORKER_WEBSERVER_HOST="127.0.0.1", PREFECT_WORKER_WEBSERVER_PORT=str(port),
    )  # fmt: skip
    try:
        _wait_until_polling(worker, prefect_server, pool)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as answer:
            assert answer.status == 200
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=20)
    assert worker.returncode == 0, output
    assert "Traceback" not in output


def test_the_worker_refuses_to_start_without_its_pool_or_server(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(RAATI), "worker", "--pool", " "], env=bare_environment(RAATI_DATA_DIR=str(tmp_path / "data")),
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].startswith("raati: worker: --pool: give the work pool's name")
    assert lines[1].startswith("raati: worker: PREFECT_API_URL: not set;")
    assert "Traceback" not in done.stderr
