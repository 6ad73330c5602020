"""``follow-up-meetings``: mark meetings held, remind about summaries, send approved ones."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow, task

import wiring
from application.meetings.follow_up import follow_up_meetings as follow_up
from flows.dispatch_notifications import dispatch_notifications
from wiring.logs import configure_logging


@task(name="follow-up", retries=2, retry_delay_seconds=[5, 30])
def queue_follow_ups() -> dict[str, Any]:
    return asdict(follow_up(uow_factory=wiring.uow, clock=wiring.clock()))


@flow(name="follow-up-meetings", log_prints=True)
async def follow_up_meetings() -> dict[str, Any]:
    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: Raati's own log lines as JSON
    run = queue_follow_ups()
    print(f"follow-up: {run}")
    if run["queued"]:
        await dispatch_notifications(quiet_seconds=0)
    return run
