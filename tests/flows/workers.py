"""Process workers for tests and benchmarks: ``raati worker`` as a child in a session of its own, stopped by SIGINT,
and the flow runs of a deployment on a server.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from cli.devtools.processes import stop_group


def _default_signals() -> None:
    # A parent started in the background may ignore SIGINT; the worker must not (README, stopping a worker).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def process_worker(raati: Path, pool: str, env: Mapping[str, str], cwd: Path, log: Path) -> Iterator[int]:
    """``raati worker --pool POOL`` (the given ``raati`` script), polling every second; yields its pid."""
    with log.open("ab") as out:
        worker = subprocess.Popen(
            [str(raati), "worker", "--pool", pool],
            cwd=cwd,
            env={"PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "2", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_default_signals,
        )
    try:
        yield worker.pid
    finally:
        stop_group(worker, signal.SIGINT, grace=30)


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def command_line(pid: int) -> list[str]:
    return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode().split("\0")[:-1]


async def _flow_runs(api_url: str, deployment: str) -> list[Any]:
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    async with PrefectClient(api=api_url) as client:
        return list(
            await client.read_flow_runs(
                deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment])),
                sort=FlowRunSort.EXPECTED_START_TIME_ASC,
                limit=200,
            )
        )


def flow_runs(api_url: str, deployment: str) -> list[Any]:
    """Every flow run of the deployment named ``deployment`` (the server's records)."""
    return asyncio.run(_flow_runs(api_url, deployment))
