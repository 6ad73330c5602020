"""The process worker a worker machine runs (``raati worker --pool POOL``): Prefect's ``ProcessWorker``, from the
``prefect-client`` Raati installs, polling a work pool and running each flow run in a child process.

It is what ``prefect worker start --type process`` runs, without the full ``prefect`` distribution (its server and
command line: about a hundred megabytes a worker does not use).
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from typing import Any


def run_process_worker(
    pool: str,
    *,
    name: str | None = None,
    limit: int | None = None,
    with_healthcheck: bool = False,
    run_once: bool = False,
    printer: Callable[[str], None] = print,
) -> None:
    """Poll ``pool`` until stopped. The first SIGINT or SIGTERM stops taking new runs and ends the worker; a second
    one kills it. A flow run left unfinished is marked crashed by the heartbeat automation (``raati deploy``)."""
    from prefect.settings import PREFECT_WORKER_HEARTBEAT_SECONDS, PREFECT_WORKER_PREFETCH_SECONDS
    from prefect.workers.process import ProcessWorker

    worker = ProcessWorker(
        name=name,
        work_pool_name=pool,
        limit=limit,
        prefetch_seconds=PREFECT_WORKER_PREFETCH_SECONDS.value(),
        heartbeat_interval_seconds=int(PREFECT_WORKER_HEARTBEAT_SECONDS.value()),
    )
    asyncio.run(_until_stopped(worker.start(run_once=run_once, with_healthcheck=with_healthcheck, printer=printer)))


async def _until_stopped(work: Any) -> None:
    """Run ``work`` until it ends or a signal comes. The signals are taken by the event loop, not as a
    KeyboardInterrupt wherever the code happens to be (which Prefect's task groups would print as a traceback),
    and also when the process was started with SIGINT ignored (``cmd &`` in a shell script)."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    stopping = False

    def stop() -> None:
        nonlocal stopping
        if stopping:  # the second signal: no more waiting
            os.kill(os.getpid(), signal.SIGKILL)
        stopping = True
        task.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)
    try:
        await task
    except asyncio.CancelledError:
        if not stopping:
            raise
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
