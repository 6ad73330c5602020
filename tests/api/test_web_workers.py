"""``raati web --workers 2``: connections are dealt to the workers in turn, and Ctrl-C stops every process; each
process runs at most ``RAATI_WEB_THREADS`` requests at once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.smtp.servers import unused_port
from tests.web_server import serving
from web.app import create_app
from web.settings import WebSettings

RAATI = Path(sys.executable).parent / "raati"


def _group(pgrp: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rpartition(")")[2].split()[2]) == pgrp:
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def _connections_by_process(port: int, pids: set[int]) -> dict[int, int]:
    """Established TCP connections to ``port`` each process holds (socket inodes from /proc/net/tcp)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":  # 01: ESTABLISHED
            inodes.add(f"socket:[{fields[9]}]")
    held = {}
    for pid in pids:
        try:
            held[pid] = sum(os.readlink(fd) in inodes for fd in Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
    return held


def _get(connection: socket.socket, path: str) -> bytes:
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return connection.recv(4096)


@contextmanager
def _raati_web(tmp_path: Path, workers: int) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = unused_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAATI_", "PREFECT_API_URL"))}
    env.update(RAATI_DATA_DIR=str(tmp_path / "data"), RAATI_DATABASE_URL=f"sqlite:///{tmp_path / 'raati.db'}")
    web = subprocess.Popen([str(RAATI), "web", "--workers", str(workers), "--port", str(port)], env=env,
                           start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=5) as probe:
                    if _get(probe, "/healthz").startswith(b"HTTP/1.1 200"):
                        break
            except OSError:
                pass
            assert web.poll() is None, "raati web exited"
            assert time.monotonic() < deadline, "raati web did not answer within 60 s"
            time.sleep(0.2)
        yield web, port
    finally:
        if web.poll() is None:
            os.killpg(web.pid, signal.SIGKILL)
            web.wait()


@pytest.mark.slow
def test_keep_alive_connections_are_shared_evenly_between_the_workers(tmp_path: Path) -> None:
    with _raati_web(tmp_path, workers=2) as (web, port), ExitStack() as stack:
        clients = [stack.enter_context(socket.create_connection(("127.0.0.1", port))) for _ in range(8)]
        for client in clients:  # each answered, so each has been taken by a worker
            assert _get(client, "/healthz").startswith(b"HTTP/1.1 200")

        held = _connections_by_process(port, _group(web.pid))

        serving = sorted(n for pid, n in held.items() if n)
        assert serving == [4, 4], held
        assert held[web.pid] == 0  # the parent hands connections on and keeps none


@pytest.mark.slow
def test_ctrl_c_stops_the_parent_and_every_worker(tmp_path: Path) -> None:
    with _raati_web(tmp_path, workers=2) as (web, _port):
        processes = _group(web.pid)
        assert len(processes) >= 3  # the parent and two workers

        os.killpg(web.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends

        assert web.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while _group(web.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _group(web.pid) == set()


@pytest.mark.slow
def test_a_process_runs_at_most_web_threads_requests_at_once(tmp_path: Path) -> None:
    settings = WebSettings(data_dir=tmp_path, session_secret="s", web_threads=2)
    app = create_app(uow_factory=lambda: None, clock=None, signer=lambda: None, web_settings=settings)  # type: ignore[arg-type]
    running, most = 0, 0
    lock = threading.Lock()

    def slow() -> dict[str, int]:  # a synchronous route, like every route of the app
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)
        with lock:
            running -= 1
        return {}

    app.add_api_route("/slow", slow)
    with serving(app, lifespan="on") as base:

        async def six_at_once() -> list[int]:
            async with httpx.AsyncClient(base_url=base) as http:
                answers = await asyncio.gather(*(http.get("/slow") for _ in range(6)))
            return [answer.status_code for answer in answers]

        began = time.monotonic()
        assert asyncio.run(six_at_once()) == [200] * 6
        took = time.monotonic() - began

    assert most == 2
    assert took >= 0.6  # three rounds of two


@pytest.mark.slow
def test_a_port_in_use_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RAATI_", "PREFECT_API_URL"))}
        env.update(RAATI_DATA_DIR=str(tmp_path / "data"))
        done = subprocess.run([str(RAATI), "web", "--workers", "2", "--port", str(port)], env=env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip

    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
