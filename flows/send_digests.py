"""``send-digests``: the weekly digest for members who chose it; each quarter, the progress report."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect import flow, task

import wiring
from application.ideas.progress_reports import send_progress_reports
from flows.dispatch_notifications import dispatch_notifications
from wiring.logs import configure_logging


@task(name="queue-progress-reports", retries=2, retry_delay_seconds=[5, 30])
def queue_progress_reports() -> dict[str, Any]:
    return asdict(send_progress_reports(uow_factory=wiring.uow, clock=wiring.clock()))


@flow(name="send-digests", log_prints=True)
async def send_digests() -> dict[str, Any]:
    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: Raati's own log lines as JSON
    reports = queue_progress_reports()
    delivered = await dispatch_notifications(include_digests=True, quiet_seconds=0)
    print(f"digests: {delivered}; progress reports: {reports}")
    return {"reports": reports, "delivered": delivered}
