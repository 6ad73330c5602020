"""Every deployment as ``prefect.yaml`` declares it, read into plain data (PyYAML only, no Prefect).

``prefect.yaml`` is the one place where a deployment's name, flow, schedules, event triggers,
concurrency and parameters are written. ``raati deploy --pool POOL`` (``flows/registration.py``)
registers it with a Prefect server for workers (as ``prefect deploy --all`` would in a checkout);
``raati serve`` builds its served deployments from this reading (``flows/deployments.py``);
``raati simulate`` fires the flows at the same schedules and on the same events
(``cli/simulate.py`` hands them to ``application.simulation.virtual_time``).

Where the file is found: the project's root, next to the packages (``Path(__file__).parents[1]``),
in a checkout and in an editable install; then the copy inside the ``flows`` package — in the
checkout ``flows/prefect.yaml`` is a link to the root file, and a built wheel carries it as package
data, so an installed ``raati`` reads the same declarations. A key that ``raati serve`` would not
apply is refused rather than ignored, so that what is served never differs quietly from what
``prefect deploy`` registers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.cron import Cron

FILE_NAME = "prefect.yaml"
Refuse = Callable[[str], "DeploymentFileError"]
SEARCHED = (Path(__file__).resolve().parents[1] / FILE_NAME, Path(__file__).resolve().parent / FILE_NAME)
# What a deployment may declare; `work_pool` only matters to `prefect deploy` (served runs need none).
DEPLOYMENT_KEYS = frozenset(
    {"name", "description", "entrypoint", "work_pool", "schedules", "triggers", "concurrency_limit", "parameters"}
)
SCHEDULE_KEYS = frozenset({"cron", "timezone", "day_or"})
CONCURRENCY_KEYS = frozenset({"limit", "collision_strategy", "grace_period_seconds"})
ENTRYPOINT = re.compile(r"flows(\.[A-Za-z_][A-Za-z0-9_]*){2}")


class DeploymentFileError(Exception):
    """``prefect.yaml`` is missing or declares something Raati cannot serve: names the file and the reason."""

    def __init__(self, path: Path | Sequence[Path], reason: str) -> None:
        self.paths = (path,) if isinstance(path, Path) else tuple(path)
        self.reason = reason
        super().__init__(f"{' or '.join(map(str, self.paths))}: {reason}")


@dataclass(frozen=True)
class TriggerSpec:
    """An event trigger: its name, the events it expects, and the whole mapping for Prefect to read."""

    name: str | None
    expect: frozenset[str]
    enabled: bool
    document: Mapping[str, Any] = field(compare=False, repr=False)


@dataclass(frozen=True)
class ConcurrencySpec:
    limit: int
    collision_strategy: str | None = None
    grace_period_seconds: int | None = None


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str  # ``flows.send_prebriefs.send_prebriefs``: a module path, imported from the installed package
    description: str | None = None
    schedules: tuple[Cron, ...] = ()
    triggers: tuple[TriggerSpec, ...] = ()
    concurrency: ConcurrencySpec | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)

    @property
    def flow_module(self) -> str:
        """The entrypoint's module as an import name: ``flows.send_prebriefs``."""
        return self.entrypoint.rpartition(".")[0]

    @property
    def flow_function(self) -> str:
        return self.entrypoint.rpartition(".")[2]

    @property
    def wake_events(self) -> frozenset[str]:
        """Raati's events that start a run at once (through an enabled trigger).

        Prefect's own events (``prefect.flow-run.Crashed``, which starts a new drain after a crashed one) are left
        out: they say what became of a run, and nothing Raati does emits them.
        """
        expected = frozenset().union(*(trigger.expect for trigger in self.triggers if trigger.enabled))
        return frozenset(event for event in expected if not event.startswith("prefect."))


def find_deployment_file() -> Path:
    for path in SEARCHED:
        if path.is_file():
            return path
    raise DeploymentFileError(
        SEARCHED,
        f"no {FILE_NAME}. `raati serve` and `raati simulate` read every deployment's schedule from the "
        f"project's {FILE_NAME} (the root of a checkout or an editable install, or the flows package of "
        "an installed wheel); restore it there.",
    )


def load_deployment_specs(path: Path | None = None) -> list[DeploymentSpec]:
    """Every deployment in ``prefect.yaml`` (found as above unless ``path`` is given), in file order."""
    import yaml  # here, not at the top: every `raati` command imports this module's error

    path = path or find_deployment_file()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DeploymentFileError(path, f"cannot be read: {error}") from error
    declared = document.get("deployments") if isinstance(document, dict) else None
    if not isinstance(declared, list) or not declared:
        raise DeploymentFileError(path, "declares no `deployments:` list")
    specs = [_deployment(path, entry) for entry in declared]
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise DeploymentFileError(path, f"a deployment name appears twice: {names}")
    return specs


def _deployment(path: Path, entry: object) -> DeploymentSpec:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise DeploymentFileError(path, f"a deployment without a name: {entry!r}")
    name = entry["name"]

    def refuse(reason: str) -> DeploymentFileError:
        return DeploymentFileError(path, f"deployment {name!r}: {reason}")

    if unknown := sorted(set(entry) - DEPLOYMENT_KEYS):
        raise refuse(f"`raati serve` does not apply {unknown}; add them to flows/deployment_specs.py first")
    entrypoint = entry.get("entrypoint")
    # A module path, not a file path: workers import the flow from the installed package, wherever it is.
    if not isinstance(entrypoint, str) or not ENTRYPOINT.fullmatch(entrypoint):
        raise refuse(f"entrypoint must be a module path `flows.<module>.<flow>`, not {entrypoint!r}")
    return DeploymentSpec(
        name=name,
        entrypoint=entrypoint,
        description=entry.get("description"),
        schedules=tuple(_cron(refuse, schedule) for schedule in entry.get("schedules") or ()),
        triggers=tuple(_trigger(refuse, trigger) for trigger in entry.get("triggers") or ()),
        concurrency=_concurrency(refuse, entry.get("concurrency_limit")),
        parameters=dict(entry.get("parameters") or {}),
    )


def _cron(refuse: Refuse, schedule: object) -> Cron:
    if not isinstance(schedule, dict) or "cron" not in schedule or set(schedule) - SCHEDULE_KEYS:
        raise refuse(f"a schedule must be a cron with keys among {sorted(SCHEDULE_KEYS)}, not {schedule!r}")
    try:
        return Cron(str(schedule["cron"]), schedule.get("timezone") or "UTC", bool(schedule.get("day_or", True)))
    except ValueError as error:
        raise refuse(str(error)) from error


def _trigger(refuse: Refuse, trigger: object) -> TriggerSpec:
    if not isinstance(trigger, dict) or trigger.get("type", "event") != "event":
        raise refuse(f"only event triggers are served and simulated, not {trigger!r}")
    expect = trigger.get("expect") or []
    return TriggerSpec(
        name=trigger.get("name"),
        expect=frozenset([expect] if isinstance(expect, str) else expect),
        enabled=bool(trigger.get("enabled", True)),
        document=dict(trigger),
    )


def _concurrency(refuse: Refuse, declared: object) -> ConcurrencySpec | None:
    if declared is None:
        return None
    if isinstance(declared, int):
        return ConcurrencySpec(limit=declared)
    if not isinstance(declared, dict) or "limit" not in declared or set(declared) - CONCURRENCY_KEYS:
        raise refuse(f"concurrency_limit must be a number or a mapping of {sorted(CONCURRENCY_KEYS)}")
    return ConcurrencySpec(
        limit=int(declared["limit"]),
        collision_strategy=declared.get("collision_strategy"),
        grace_period_seconds=declared.get("grace_period_seconds"),
    )
