"""``raati deploy``'s work: check ``prefect.yaml`` as a worker would run it, then register every deployment.

The deployments are the ones ``raati serve`` serves (``flows.deployments``): module-path entrypoints, the
schedules, triggers and concurrency of ``prefect.yaml``, and no pull step, so a worker with ``pip install
raati`` runs them without a checkout. Everything that would make every run crash is found before anything is
registered: a module or flow that does not import, a ``{{ ... }}`` template nobody resolves, a pull step.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.deployment_specs import DeploymentFileError, DeploymentSpec, find_deployment_file, load_deployment_specs

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment
    from prefect.events.schemas.automations import AutomationCore

# A Jinja placeholder: `prefect deploy` fills `{{ $VAR }}` from its own environment (an empty string or the
# literal text when unset); Raati fills none, so one left in the file would reach every run unresolved.
TEMPLATE = re.compile(r"\{\{.*?\}\}")
# Event templates in a trigger's parameters (`{{ event.resource.id }}`) are filled when the trigger fires.
EVENT_TEMPLATE = re.compile(r"\{\{\s*event\.")


@dataclass(frozen=True)
class Problem:
    where: str  # the deployment's name, or the file's key
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class Plan:
    """What ``raati deploy`` would register, or why it will not."""

    path: Path | None
    specs: tuple[DeploymentSpec, ...]
    deployments: tuple[RunnerDeployment, ...]
    problems: tuple[Problem, ...]


def plan(path: Path | None = None) -> Plan:
    """Read and check ``prefect.yaml`` (the package's, unless ``path``) and build its deployments."""
    import yaml

    try:
        path = path or find_deployment_file()
        specs = load_deployment_specs(path)
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except DeploymentFileError as error:
        return Plan(path=path, specs=(), deployments=(), problems=(Problem("prefect.yaml", str(error)),))
    problems = [*_file_problems(document)]
    built: list[RunnerDeployment] = []
    for spec in specs:
        found = _spec_problems(spec)
        problems += found
        if not found and (deployment := _build(spec, problems)) is not None:
            built.append(deployment)
    return Plan(path=path, specs=tuple(specs), deployments=tuple(built), problems=tuple(problems))


def _file_problems(document: dict[str, Any]) -> Iterator[Problem]:
    for key in ("pull", "build", "push"):
        if document.get(key):
            yield Problem(
                key,
                f"a {key} step makes every worker need what it names (a folder, a repository); the flows are "
                f"imported from the installed package, so declare `{key}: []`",
            )
    for where, text in _strings(document, ()):
        if TEMPLATE.search(text) and not (_in_trigger_parameters(where) and not _env_template(text)):
            yield Problem(
                ".".join(map(str, where)),
                f"{text!r} holds a template that nothing fills in; every run would get it literally",
            )


def _env_template(text: str) -> bool:
    return any(not EVENT_TEMPLATE.match(found) for found in TEMPLATE.findall(text))


def _in_trigger_parameters(where: tuple[object, ...]) -> bool:
    return "triggers" in where and "parameters" in where


def _strings(value: object, where: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*where, key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _strings(item, (*where, number))


def _spec_problems(spec: DeploymentSpec) -> list[Problem]:
    from prefect import Flow

    try:
        module = importlib.import_module(spec.flow_module)
    except Exception as error:  # any import error: the worker would crash on the same line
        return [Problem(spec.name, f"{spec.entrypoint}: module {spec.flow_module} does not import: {error}")]
    flow = getattr(module, spec.flow_function, None)
    if not isinstance(flow, Flow):
        what = "missing" if flow is None else f"a {type(flow).__name__}, not a flow"
        return [Problem(spec.name, f"{spec.entrypoint}: {spec.flow_function} in {spec.flow_module} is {what}")]
    return []


def _build(spec: DeploymentSpec, problems: list[Problem]) -> RunnerDeployment | None:
    from flows.deployments import served

    try:
        return served(spec)
    except Exception as error:  # a trigger or schedule Prefect will not take
        problems.append(Problem(spec.name, f"Prefect refuses it: {error}"))
        return None


def describe(deployment: RunnerDeployment, pool: str) -> dict[str, Any]:
    """A deployment as ``raati deploy --dry-run --json`` shows it."""
    options = deployment.concurrency_options
    return {
        "name": deployment.name,
        "flow": deployment.flow_name,
        "entrypoint": deployment.entrypoint,
        "work_pool": pool,
        "schedules": [
            {"cron": s.schedule.cron, "timezone": s.schedule.timezone}  # type: ignore[union-attr]
            for s in deployment.schedules or []
        ],
        "triggers": [
            {
                "name": getattr(t, "name", None),
                "expect": sorted(getattr(t, "expect", ()) or ()),
                "enabled": getattr(t, "enabled", True),
            }
            for t in deployment.triggers  # the deployment's own triggers (Deployment*Trigger), read alike
        ],
        "concurrency_limit": deployment.concurrency_limit,
        "collision_strategy": options.collision_strategy.value if options else None,
        "pull_steps": [],
    }


class RegistrationRefused(Exception):
    """The Prefect server refused a deployment (Prefect's DeploymentApplyError, in words for the command line)."""


async def register(deployments: Sequence[RunnerDeployment], *, pool: str) -> tuple[bool, list[tuple[str, str]]]:
    """Register the deployments with the server of ``PREFECT_API_URL`` in ``pool``.

    Returns whether the pool was created here, and each deployment's name and id. A pool that does not exist is
    created as a process pool (what ``raati worker --pool`` serves); a pool of another kind is used as it is.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.deployments.runner import DeploymentApplyError
    from prefect.exceptions import ObjectNotFound

    created = False
    async with get_client() as client:
        try:
            await client.read_work_pool(pool)
        except ObjectNotFound:
            await client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
            created = True
    registered = []
    for deployment in deployments:
        try:
            deployment_id = await deployment.aapply(work_pool_name=pool)
        except DeploymentApplyError as refused:
            raise RegistrationRefused(f"{deployment.name}: {refused}") from refused
        registered.append((deployment.name, str(deployment_id)))
    async with get_client() as client:
        for old in await client.read_automations_by_name(silent_run_automation_name(pool)):
            await client.delete_automation(old.id)
        await client.create_automation(silent_run_automation(pool, heartbeat_seconds=heartbeat_seconds()))
    return created, registered


def silent_run_automation_name(pool: str) -> str:
    return f"raati-crash-silent-runs-{pool}"


def silent_run_automation(pool: str, *, heartbeat_seconds: float) -> AutomationCore:
    """Mark a run of the pool crashed when its heartbeats stop without an end (a worker stopped or lost).

    Such a run stays Running for ever and holds its deployment's concurrency slot; once it is marked crashed, the
    slot is free and prefect.yaml's restart trigger starts a new drain. Three missed heartbeats count as silence.
    """
    from datetime import timedelta

    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

    ended = {f"prefect.flow-run.{state}" for state in ("Completed", "Failed", "Cancelled", "Crashed")}
    return AutomationCore(
        name=silent_run_automation_name(pool),
        description=f"Raati: a run in the work pool {pool} whose heartbeats stopped before it ended is crashed.",
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related={"prefect.resource.role": "work-pool", "prefect.resource.name": pool},
            after={"prefect.flow-run.heartbeat"},
            expect={"prefect.flow-run.heartbeat", *ended},
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=3 * heartbeat_seconds),
        ),
        actions=[ChangeFlowRunState(state=StateType.CRASHED, message="its heartbeats stopped: the worker is gone")],
    )


def heartbeat_seconds() -> float:
    """How often flow runs send a heartbeat (PREFECT_FLOWS_HEARTBEAT_FREQUENCY; give workers the same value)."""
    from prefect.settings import get_current_settings

    return float(get_current_settings().flows.heartbeat_frequency or 180)
