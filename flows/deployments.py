"""The deployments ``raati serve`` serves in one process: exactly those of ``prefect.yaml``.

Names, flows, schedules, event triggers, concurrency and parameters all come from
``prefect.yaml`` (read by ``flows.deployment_specs``), the file ``prefect deploy --all`` reads for
a Prefect server with workers; this module only turns them into Prefect's objects, the way
``prefect deploy`` does.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from prefect import Flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.client.schemas.schedules import CronSchedule
from prefect.events import DeploymentTriggerTypes
from prefect.types.entrypoint import EntrypointType
from pydantic import TypeAdapter

from flows.deployment_specs import ConcurrencySpec, DeploymentSpec, load_deployment_specs

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

_TRIGGERS: TypeAdapter[DeploymentTriggerTypes] = TypeAdapter(DeploymentTriggerTypes)


def deployments(specs: Sequence[DeploymentSpec] | None = None) -> list[RunnerDeployment]:
    """Every deployment of ``prefect.yaml`` (or of ``specs``), ready for ``prefect.serve``."""
    return [served(spec) for spec in (load_deployment_specs() if specs is None else specs)]


def served(spec: DeploymentSpec) -> RunnerDeployment:
    deployment = flow_of(spec).to_deployment(
        name=spec.name,
        description=spec.description,
        schedules=[CronSchedule(cron=c.expression, timezone=c.timezone, day_or=c.day_or) for c in spec.schedules],
        triggers=[
            # As `prefect deploy` reads them, with its default name for a trigger without one.
            _TRIGGERS.validate_python({"name": f"{spec.name}__automation_{number}", **trigger.document})
            for number, trigger in enumerate(spec.triggers, start=1)
        ],
        concurrency_limit=_concurrency(spec.concurrency),
        parameters=dict(spec.parameters),
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    # Called outside an event loop, ``to_deployment`` returns the deployment itself.
    if inspect.isawaitable(deployment):
        raise RuntimeError("deployments() must be called outside an event loop")
    return deployment


def flow_of(spec: DeploymentSpec) -> Flow[..., object]:
    """The flow the entrypoint names (``flows/send_prebriefs.py:send_prebriefs``)."""
    flow = getattr(importlib.import_module(spec.flow_module), spec.flow_function, None)
    if not isinstance(flow, Flow):
        raise LookupError(f"deployment {spec.name!r}: {spec.entrypoint} is not a flow")
    return flow


def _concurrency(spec: ConcurrencySpec | None) -> int | ConcurrencyLimitConfig | None:
    if spec is None or (spec.collision_strategy is None and spec.grace_period_seconds is None):
        return spec.limit if spec else None
    return ConcurrencyLimitConfig(
        limit=spec.limit,
        collision_strategy=ConcurrencyLimitStrategy(spec.collision_strategy or ConcurrencyLimitStrategy.ENQUEUE),
        grace_period_seconds=spec.grace_period_seconds,
    )
