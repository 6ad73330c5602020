"""Keeping the Prefect server's records small: no pile of drains waiting for one slot, no runs kept for ever.

Both talk to the server of ``PREFECT_API_URL`` through Prefect's client and touch only runs that have not
started (a surplus waiting drain) or have finished (history older than the kept days).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import FlowRunFilter

log = logging.getLogger(__name__)
# The name Prefect gives a run that the deployment's concurrency limit sent back to wait (ENQUEUE).
AWAITING_SLOT = "AwaitingConcurrencySlot"
# Finished runs; a run in any other state (scheduled, pending, running, paused) is never deleted.
FINISHED = ("COMPLETED", "FAILED", "CANCELLED", "CRASHED")
# The server deletes at most this many runs a request (its BULK_OPERATION_LIMIT).
PER_REQUEST = 50


async def leave_one_waiting_run() -> None:
    """Called by a running drain: of the runs its wake-up events asked for, waiting for its slot, keep one."""
    from prefect.runtime import deployment, flow_run

    if deployment.id is None:  # a subflow, or called outside a deployment: nothing waits for its slot
        return
    try:
        await cancel_surplus_waiting_runs(UUID(deployment.id), running=UUID(flow_run.id))
    except Exception as error:  # the server out of reach: the surplus runs only cost time
        log.warning("could not cancel surplus waiting drains: %s", type(error).__name__)


async def cancel_surplus_waiting_runs(deployment_id: UUID, *, running: UUID | None = None) -> int:
    """Cancel the runs of a deployment waiting for its concurrency slot, but one per set of parameters.

    While a drain runs, every wake-up event asks for another run; each one waits for the slot, and all of them
    would then start one after another to find the outbox empty. One waiting run is enough to pick up what
    comes after this drain's last look (the oldest is kept: it will start first); a waiting run with other
    parameters (a restart after a crash) is kept too. Returns how many were cancelled.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateName,
    )
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.states import Cancelled

    async with get_client() as client:
        waiting = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(name=FlowRunFilterStateName(any_=[AWAITING_SLOT]))),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC,
        )
        kept: set[str] = set()
        cancelled = 0
        for run in waiting:
            key = repr(sorted(run.parameters.items()))
            if run.id == running or key not in kept:
                kept.add(key)
                continue
            message = "another run of this deployment is already waiting to drain the outbox"
            await client.set_flow_run_state(run.id, Cancelled(message=message), force=True)
            cancelled += 1
        return cancelled


async def prune_flow_runs(*, ended_before: datetime, max_requests: int = 1000) -> int:
    """Delete the finished flow runs that ended before ``ended_before``, with their task runs and logs.

    Returns how many flow runs were deleted. Task runs go with their flow run (the server's foreign key
    cascades); the server's bulk delete also queues the removal of their logs.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterEndTime,
        FlowRunFilterExpectedStartTime,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    finished = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType(s) for s in FINISHED]))
    filters = [
        FlowRunFilter(state=finished, end_time=FlowRunFilterEndTime(before_=ended_before)),
        # A run cancelled before it started has no end time: its expected start tells its age.
        FlowRunFilter(
            state=finished,
            end_time=FlowRunFilterEndTime(is_null_=True),
            expected_start_time=FlowRunFilterExpectedStartTime(before_=ended_before),
        ),
    ]
    deleted = 0
    async with get_client() as client:
        for flow_run_filter in filters:
            for _ in range(max_requests):
                done = await _delete_some(client, flow_run_filter)
                deleted += done
                if done < PER_REQUEST:
                    break
    return deleted


async def _delete_some(client: PrefectClient, flow_run_filter: FlowRunFilter) -> int:
    body = {"flow_runs": flow_run_filter.model_dump(mode="json", exclude_unset=True), "limit": PER_REQUEST}
    answer = await client.request("POST", "/flow_runs/bulk_delete", json=body)  # type: ignore[arg-type]
    answer.raise_for_status()
    return len(answer.json().get("deleted", []))
