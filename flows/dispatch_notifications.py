"""``dispatch-notifications``: drain the outbox, one task run per batch (never one per email).

Woken by ``raati.idea.*`` events and, as a safety net, by its schedule.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import timedelta
from typing import Any

from prefect import flow, task

import wiring
from application.delivery import dispatch


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


@flow(name="dispatch-notifications", log_prints=True)
async def dispatch_notifications(max_batches: int = 500, include_digests: bool = False) -> dict[str, int]:
    """Send everything due now; ``include_digests`` releases the digest members' updates too."""
    totals = {"batches": 0, "emails": 0, "sent": 0, "retried": 0, "failed": 0}
    for _ in range(max_batches):
        report = await send_batch(include_digests=include_digests)
        if not report["batches"]:
            break
        for key in totals:
            totals[key] += report[key]
    print(f"dispatch: {totals}")
    return totals
