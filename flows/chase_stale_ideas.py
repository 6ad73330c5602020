"""``chase-stale-ideas``: remind services, escalate to coordinators, ask for progress notes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow, task

import wiring
from application.ideas.chasing import chase_stale_ideas as chase
from flows.dispatch_notifications import dispatch_notifications
from wiring.logs import configure_logging


@task(name="queue-reminders", retries=2, retry_delay_seconds=[5, 30])
def queue_reminders() -> dict[str, Any]:
    return asdict(chase(uow_factory=wiring.uow, clock=wiring.clock()))


@flow(name="chase-stale-ideas", log_prints=True)
async def chase_stale_ideas() -> dict[str, Any]:
    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: Raati's own log lines as JSON
    run = queue_reminders()
    print(f"chasing: {run}")
    if run["queued"]:
        await dispatch_notifications(quiet_seconds=0)
    return run
