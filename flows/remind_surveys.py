"""``remind-surveys``: close surveys past their closing time; remind members who have not answered (once a week)."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

import wiring
from application.surveys import remind_open_surveys
from flows.dispatch_notifications import dispatch_notifications
from wiring.logs import configure_logging


@task(name="queue-survey-reminders", retries=2, retry_delay_seconds=[5, 30])
def queue_survey_reminders() -> list[dict[str, int]]:
    runs = remind_open_surveys(uow=wiring.uow(), clock=wiring.clock(), base_url=wiring.delivery_settings().base_url)
    return [{"survey_id": r.survey_id, "round": r.round, "reminded": r.mailed, "queued": r.queued} for r in runs]


@flow(name="remind-surveys", log_prints=True)
async def remind_surveys() -> dict[str, Any]:
    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: Raati's own log lines as JSON
    runs = queue_survey_reminders()
    queued = sum(r["queued"] for r in runs)
    print(f"survey reminders: {len(runs)} open surveys, {queued} emails queued")
    if queued:
        await dispatch_notifications(quiet_seconds=0)
    return {"surveys": runs, "queued": queued}
