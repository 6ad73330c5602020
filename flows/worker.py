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
from contextlib import suppress


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
    from prefect.utilities.processutils import setup_signal_handlers_worker
    from prefect.workers.process import ProcessWorker

    # A worker started from a shell script in the background (`cmd &`) inherits SIGINT ignored; it must still stop.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    setup_signal_handlers_worker(os.getpid(), "the process worker", printer)
    worker = ProcessWorker(
        name=name,
        work_pool_name=pool,
        limit=limit,
        prefetch_seconds=PREFECT_WORKER_PREFETCH_SECONDS.value(),
        heartbeat_interval_seconds=int(PREFECT_WORKER_HEARTBEAT_SECONDS.value()),
    )
    with suppress(KeyboardInterrupt, asyncio.CancelledError):
        asyncio.run(worker.start(run_once=run_once, with_healthcheck=with_healthcheck, printer=printer))
