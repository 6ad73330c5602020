"""A local Prefect server as a managed child process, for ``raati serve`` on embedded defaults.

Cron schedules do not run on Prefect's in-process ephemeral server, so the embedded
default starts ``prefect server start`` on SQLite under the data folder and stops it
with the rest (its own process group, so no uvicorn child is left behind).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cli.devtools.processes import signal_group, stop_group


def free_port(preferred: int, host: str = "127.0.0.1") -> int:
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError("no free port")


class LocalPrefectServer:
    def __init__(self, home: Path, *, host: str = "127.0.0.1", port: int = 4200) -> None:
        self.home = home
        self.host = host
        self.port = free_port(port, host)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = home / "server.log"

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, *, timeout: float = 120.0) -> str:
        self.home.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "PREFECT_HOME": str(self.home.resolve()),
            "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{(self.home / 'prefect.db').resolve()}",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        }
        env.pop("PREFECT_API_URL", None)
        prefect = Path(sys.executable).parent / "prefect"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(prefect), "server", "start", "--host", self.host, "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                # A parent started in the background may ignore SIGINT; the server must not.
                preexec_fn=_default_signals,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Prefect server exited at start; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self.api_url
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the Prefect server did not answer within {timeout:.0f} s; see {self.log}")

    def stop(self, *, grace: float = 15.0) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        stop_group(process, signal.SIGINT, grace=grace)  # uvicorn stops at once on SIGINT; SIGTERM is slow
        signal_group(process.pid, signal.SIGKILL)  # anything of the group still left behind


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


async def crash_orphaned_runs(deployment_names: list[str]) -> int:
    """Mark runs left Running or Pending by a previous ``raati serve`` as crashed.

    Only for the local server, whose only runner is ``raati serve`` itself: an interrupted run
    would otherwise hold its deployment's concurrency slot (a lease of minutes) and make
    the next event wait.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed

    async with get_client() as client:
        runs = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=deployment_names)),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING]))
            ),
        )
        for run in runs:
            await client.set_flow_run_state(
                run.id, Crashed(message="raati serve was stopped during this run"), force=True
            )
        return len(runs)
