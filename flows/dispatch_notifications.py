"""``dispatch-notifications``: drain the outbox, one task run per batch (never one per email).

Woken by ``raati.idea.*`` events and ``raati.user.sign_in_link_requested`` and, as a safety net, by its schedule.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import asdict, replace
from datetime import timedelta
from typing import Any

from prefect import flow, task

import wiring
from application.delivery import dispatch
from flows.prefect_history import leave_one_waiting_run
from flows.settings import FlowSettings
from wiring.logs import configure_logging

log = logging.getLogger(__name__)
# How often a running drain cancels the surplus runs waiting for its slot (a query to the Prefect server).
TIDY_SECONDS = 2.0


@task(name="send-batch", retries=2, retry_delay_seconds=[5, 30])
async def send_batch(*, include_digests: bool = False) -> dict[str, Any]:
    rules = wiring.dispatch_rules()
    if include_digests:
        rules = replace(rules, digest=timedelta(0))
    report = await dispatch(
        queue=wiring.queue(),
        transport=wiring.transport(),
        composer=wiring.composer(),
        clock=wiring.clock(),
        rules=rules,
        jitter=wiring.jitter,
        max_batches=1,
    )
    return asdict(report)


def seconds_until_next_due() -> float | None:
    """A plain query, not a task: an idle drain looks every second and should record nothing for it."""
    clock, rules = wiring.clock(), wiring.dispatch_rules()
    due = wiring.queue().next_due(now=clock.now(), coalesce=rules.coalesce)
    return None if due is None else max((due - clock.now()).total_seconds(), 0.0)


@flow(name="dispatch-notifications", log_prints=True)
async def dispatch_notifications(
    max_batches: int = 500, include_digests: bool = False, quiet_seconds: float | None = None, after_crash: bool = False
) -> dict[str, int]:
    """Send everything due now; ``include_digests`` releases the digest members' updates too.

    Woken by an event the moment an idea changes, this drain waits out a short coalescing
    window for rows about to become due, and it stays until the outbox has been quiet for
    ``RAATI_DISPATCH_QUIET_SECONDS`` — longer than the trigger's window, so a change whose
    event fell inside the window (and so woke nobody) is still picked up by this run.
    Started ``after_crash`` (prefect.yaml's trigger on a crashed drain), it stays until the crashed run's
    claims have run out (``RAATI_LEASE_SECONDS``) and sends what that run had claimed.
    """
    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: Raati's own log lines as JSON
    settings = FlowSettings()
    quiet = settings.dispatch_quiet_seconds if quiet_seconds is None else quiet_seconds
    if after_crash:
        quiet = max(quiet, wiring.dispatch_rules().lease.total_seconds() + 5)
    totals = {"batches": 0, "emails": 0, "sent": 0, "retried": 0, "failed": 0}
    quiet_until = time.monotonic() + quiet
    sweep = include_digests  # digest members' updates are not "due" to next_due: one batch call looks for them
    tidied = 0.0
    for _ in range(max_batches):
        if time.monotonic() - tidied >= TIDY_SECONDS:
            await leave_one_waiting_run()
            tidied = time.monotonic()
        wait = seconds_until_next_due()
        if wait == 0 or sweep:
            report = await send_batch(include_digests=include_digests)
            for key in totals:
                totals[key] += report[key]
            if report["batches"]:
                quiet_until = time.monotonic() + quiet
                continue
            sweep = False
        elif wait is not None and wait <= settings.dispatch_linger_seconds:
            await asyncio.sleep(wait + 0.2)
            continue
        if time.monotonic() >= quiet_until:
            break
        await asyncio.sleep(1.0)
    print(f"dispatch: {totals}")
    log.info("dispatch finished", extra=totals)  # counts only: an SMTP reply may quote an address
    return totals
