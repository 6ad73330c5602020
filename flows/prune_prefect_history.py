"""``prune-prefect-history``: the Prefect server keeps finished flow runs, their task runs and logs for
``RAATI_PREFECT_KEEP_DAYS`` (default 14) days; a drain every few minutes would otherwise fill its database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from prefect import flow, task

from flows.prefect_history import prune_flow_runs
from flows.settings import FlowSettings
from wiring.logs import configure_logging


@task(name="delete-old-flow-runs", retries=2, retry_delay_seconds=[5, 30])
async def delete_old_flow_runs(ended_before: datetime) -> int:
    return await prune_flow_runs(ended_before=ended_before)


@flow(name="prune-prefect-history", log_prints=True)
async def prune_prefect_history(keep_days: float | None = None) -> dict[str, Any]:
    configure_logging(json_only=True)  # RAATI_LOG_FORMAT=json: Raati's own log lines as JSON
    days = FlowSettings().prefect_keep_days if keep_days is None else keep_days
    # The server's own clock: run times are Prefect's, not the panels' (wiring.clock()).
    before = datetime.now(UTC) - timedelta(days=days)
    deleted = await delete_old_flow_runs(before)
    print(f"Prefect flow runs deleted (finished before {before.isoformat(timespec='seconds')}): {deleted}")
    return {"deleted": deleted, "before": before.isoformat()}
