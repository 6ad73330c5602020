"""Every deployment is declared once, in ``prefect.yaml``: ``raati serve`` serves it exactly as
``prefect deploy`` would register it, and the season simulator fires its flow when a Prefect
server would.

``prefect.yaml`` is read here with PyYAML and Prefect's own types, not through
``flows.deployment_specs``, so a mistake in that loader shows as a difference.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from prefect.client.schemas.objects import ConcurrencyLimitStrategy
from prefect.events import DeploymentTriggerTypes
from prefect.server.schemas.schedules import CronSchedule as PrefectCron
from pydantic import TypeAdapter

from application.simulation.virtual_time import IDEA_EVENTS, NOT_PLAYED, PLAYED, FlowSchedule, VirtualClock, simulate
from cli.simulate import flow_schedules
from domain.cron import Cron
from flows.deployments import deployments

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

ROOT = Path(__file__).resolve().parents[2]
DECLARED: list[dict[str, Any]] = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
HELSINKI = ZoneInfo("Europe/Helsinki")
# From where the firing times are compared: before the spring and the autumn change of the clocks,
# the simulator's default start, and a moment between two whole seconds.
STARTS = [
    datetime(2026, 3, 28, 22, 0, tzinfo=HELSINKI),
    datetime(2025, 10, 25, 22, 0, tzinfo=HELSINKI),
    datetime(2025, 10, 26, 3, 30, tzinfo=HELSINKI),  # in the hour that repeats
    datetime(2025, 8, 18, 6, 0, tzinfo=UTC),
    datetime(2025, 8, 18, 6, 0, 0, 1, tzinfo=UTC),
]
FIRINGS = 150  # from each start: 12 1/2 hours of a 5-minute schedule, 150 days of a daily one


@pytest.fixture(scope="module")
def served_deployments() -> dict[str, RunnerDeployment]:
    return {deployment.name: deployment for deployment in deployments()}


@pytest.fixture(scope="module")
def simulated() -> dict[str, FlowSchedule]:
    return flow_schedules()


def test_raati_serve_serves_exactly_the_deployments_of_prefect_yaml(
    served_deployments: dict[str, RunnerDeployment],
) -> None:
    assert list(served_deployments) == [declared["name"] for declared in DECLARED]


def test_the_simulator_knows_whether_it_plays_each_deployment() -> None:
    names = {declared["name"] for declared in DECLARED}

    assert set(PLAYED) | set(NOT_PLAYED) == names
    assert not set(PLAYED) & set(NOT_PLAYED)


@pytest.mark.parametrize("declared", DECLARED, ids=lambda declared: declared["name"])
def test_each_deployment_is_served_and_simulated_as_prefect_yaml_declares_it(
    declared: dict[str, Any], served_deployments: dict[str, RunnerDeployment], simulated: dict[str, FlowSchedule]
) -> None:
    name = declared["name"]
    deployment = served_deployments[name]

    assert deployment.flow_name == name  # STYLE.md: a flow and its deployment share the name
    assert deployment.entrypoint == declared["entrypoint"]  # a module path: workers need no checkout
    assert deployment.description == declared.get("description")
    assert deployment.parameters == declared.get("parameters", {})
    assert [
        (s.schedule.cron, s.schedule.timezone, s.schedule.day_or)  # type: ignore[union-attr]
        for s in deployment.schedules or []
    ] == [(s["cron"], s.get("timezone", "UTC"), s.get("day_or", True)) for s in declared.get("schedules", [])]
    assert deployment.triggers == expected_triggers(name, declared.get("triggers", []))
    limit, strategy = expected_concurrency(declared.get("concurrency_limit"))
    assert deployment.concurrency_limit == limit
    options = deployment.concurrency_options
    assert (options.collision_strategy if options else None) == strategy

    schedule = simulated[name]
    assert schedule.crons == tuple(
        Cron(s["cron"], s.get("timezone", "UTC"), s.get("day_or", True)) for s in declared.get("schedules", [])
    )
    assert schedule.wake_events == {
        event
        for t in declared.get("triggers", [])
        for event in t.get("expect", [])
        if not event.startswith("prefect.")  # Prefect's own (a crashed run), which no simulated step emits
    }
    if name in NOT_PLAYED:
        return
    for start in STARTS:
        assert list(firings(schedule, start)) == prefect_firings(declared["schedules"], start), start


def test_the_drain_is_woken_by_idea_moves_and_notes_in_the_simulator_as_on_a_server(
    simulated: dict[str, FlowSchedule],
) -> None:
    woken = [name for name in PLAYED if simulated[name].wake_events & IDEA_EVENTS]

    assert woken == ["dispatch-notifications"]
    assert simulated["dispatch-notifications"].wake_events == IDEA_EVENTS | {"raati.user.sign_in_link_requested"}


def test_the_simulator_will_not_play_a_flow_without_its_schedule(simulated: dict[str, FlowSchedule]) -> None:
    without_digests = {name: schedule for name, schedule in simulated.items() if name != "send-digests"}
    clock = VirtualClock(STARTS[0])

    with pytest.raises(ValueError, match="send-digests"):
        simulate(1, 1, ports=None, clock=clock, schedules=without_digests)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "timezone"),
    [
        ("30 3 * * *", "Europe/Helsinki"),  # skipped in spring: fires at 04:30 summer time
        ("*/20 2-4 * * *", "Europe/Helsinki"),
        ("5,35 3 * 3,10 0", "Europe/Helsinki"),
        ("0 0 13 * 5", "UTC"),  # the 13th or a Friday
        ("0 12 * * 1-5", "America/New_York"),
        ("15 1-23/6 1,15 * *", "Europe/Helsinki"),
    ],
)
def test_a_cron_fires_when_prefect_would_fire_it(expression: str, timezone: str) -> None:
    schedule = FlowSchedule((Cron(expression, timezone),))

    for start in STARTS:
        expected = prefect_firings([{"cron": expression, "timezone": timezone}], start)
        assert list(firings(schedule, start)) == expected, start


def firings(schedule: FlowSchedule, start: datetime) -> Iterator[datetime]:
    moment = start
    for _ in range(FIRINGS):
        moment = schedule.next_at(moment)
        yield moment
        moment += timedelta(microseconds=1)


def prefect_firings(schedules: list[dict[str, Any]], start: datetime) -> list[datetime]:
    """The first firings at or after ``start`` as a Prefect server schedules them."""
    found: set[datetime] = set()
    for declared in schedules:
        cron = PrefectCron(
            cron=declared["cron"], timezone=declared.get("timezone"), day_or=declared.get("day_or", True)
        )
        found.update(date.astimezone(UTC) for date in asyncio.run(cron.get_dates(n=FIRINGS, start=start)))
    return sorted(found)[:FIRINGS]


def expected_triggers(name: str, declared: list[dict[str, Any]]) -> list[DeploymentTriggerTypes]:
    """As ``prefect deploy`` reads them (``prefect.cli.deploy._triggers``)."""
    adapter: TypeAdapter[DeploymentTriggerTypes] = TypeAdapter(DeploymentTriggerTypes)
    return [
        adapter.validate_python({"name": f"{name}__automation_{number}", **trigger})
        for number, trigger in enumerate(declared, start=1)
    ]


def expected_concurrency(declared: int | dict[str, Any] | None) -> tuple[int | None, ConcurrencyLimitStrategy | None]:
    """As ``prefect deploy`` sets it: a number, or a limit with a collision strategy."""
    if isinstance(declared, dict):
        strategy = declared.get("collision_strategy")
        return declared["limit"], ConcurrencyLimitStrategy(strategy) if strategy else None
    return declared, None
