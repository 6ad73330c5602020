"""A web server process for the benchmarks: started in a process group of its own, waited for on ``/healthz``,
and stopped with everything it started."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from cli.devtools.processes import stop_group


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def web_process(command: list[str], *, cwd: Path, env: dict[str, str], port: int) -> Iterator[tuple[str, int]]:
    """Runs ``command`` (serving on ``port``); yields its base URL and its process group's id."""
    process = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with suppress(httpx.HTTPError):
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{command[0]} did not start")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        stop_group(process, signal.SIGTERM, grace=20)  # our own process group: the server and its workers
