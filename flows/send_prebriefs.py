"""``send-prebriefs``: queue due pre-briefs and alert coordinators about late ones, then deliver."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow, task

import wiring
from application.meetings.prebriefs import send_due_prebriefs
from flows.dispatch_notifications import dispatch_notifications
from wiring.logs import configure_logging


@task(name="queue-prebriefs", retries=2, retry_delay_seconds=[5, 30])
def queue_prebriefs() -> dict[str, Any]:
    return asdict(send_due_prebriefs(uow_factory=wiring.uow, clock=wiring.clock()))


@flow(name="send-prebriefs", log_prints=True)
async def send_prebriefs() -> dict[str, Any]:
    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: Raati's own log lines as JSON
    run = queue_prebriefs()
    print(f"pre-briefs: {run}")
    if run["queued"]:
        await dispatch_notifications(quiet_seconds=0)
    return run
