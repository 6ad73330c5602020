"""The Prefect server's records stay small, checked on a real ``prefect server start`` (SQLite, task-run
recorder on): an idle drain records no task runs, the running drain leaves one run waiting for its slot, and
prune-prefect-history deletes finished runs (with their task runs) older than the kept days and nothing else.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from prefect import State, flow, task

from cli.devtools.mailsink import MailSink
from flows.prefect_history import AWAITING_SLOT, cancel_surplus_waiting_runs, prune_flow_runs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from cli.devtools.prefect_server import LocalPrefectServer

    server = LocalPrefectServer(tmp_path_factory.mktemp("prefect"), port=0)
    # The session's harness turns the task-run recorder off in this process's environment (tests/flows/conftest.py);
    # this server must record task runs, as a real one does.
    recorder = "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED"
    saved = os.environ.get(recorder)
    os.environ[recorder] = "true"
    try:
        url = server.start()
    finally:
        if saved is None:
            os.environ.pop(recorder, None)
        else:
            os.environ[recorder] = saved
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        server.stop()


def run_in_a_process(api_url: str, database_url: str, mail_port: int, code: str) -> Any:
    """Run ``code`` (which prints JSON) as a flow process would: its own interpreter, this server."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("RAATI_", "PREFECT_"))},
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "RAATI_DATABASE_URL": database_url,
        "RAATI_SMTP_HOST": "127.0.0.1",
        "RAATI_SMTP_PORT": str(mail_port),
        "RAATI_SECRET_KEY": "prefect-history-tests-key-0123456789abcdef",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


async def task_runs_of(flow_run_id: UUID) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async with get_client() as client:
        found = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
        return sorted(run.name for run in found)


DRAINS = """
import asyncio, json
from flows.dispatch_notifications import dispatch_notifications
idle = asyncio.run(dispatch_notifications(quiet_seconds=3, return_state=True))
sweep = asyncio.run(dispatch_notifications(include_digests=True, quiet_seconds=0, return_state=True))
print(json.dumps({"idle": str(idle.state_details.flow_run_id), "sweep": str(sweep.state_details.flow_run_id)}))
"""


def test_an_idle_drain_records_no_task_runs(api_url: str, database_url: str, tmp_path: Path) -> None:
    with MailSink(tmp_path / "mail", port=0) as sink:
        runs = run_in_a_process(api_url, database_url, sink.port, DRAINS)
    deadline = time.monotonic() + 20  # the server records task runs from their events, a moment later
    while not asyncio.run(task_runs_of(UUID(runs["sweep"]))) and time.monotonic() < deadline:
        time.sleep(0.5)

    assert asyncio.run(task_runs_of(UUID(runs["idle"]))) == []  # three seconds of looking, nothing recorded
    # The same server records a drain's task run when there is one: a digest sweep looks with one batch.
    assert [name.rsplit("-", 1)[0] for name in asyncio.run(task_runs_of(UUID(runs["sweep"])))] == ["send-batch"]


async def waiting_runs(parameters: list[dict[str, Any]]) -> tuple[UUID, list[UUID]]:
    """A deployment with runs sent back to wait for its slot, oldest first."""
    from prefect.client.orchestration import get_client
    from prefect.states import Scheduled

    async with get_client() as client:
        flow_id = await client.create_flow_from_name("dispatch-notifications")
        deployment_id = await client.create_deployment(flow_id=flow_id, name=f"drain-{time.monotonic_ns()}")
        ids = []
        for number, params in enumerate(parameters):
            run = await client.create_flow_run_from_deployment(deployment_id, parameters=params)
            waiting: State[Any] = Scheduled(
                scheduled_time=datetime.now(UTC) + timedelta(seconds=number), name=AWAITING_SLOT
            )
            await client.set_flow_run_state(run.id, waiting, force=True)
            ids.append(run.id)
        return deployment_id, ids


async def states_of(ids: list[UUID]) -> list[str]:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return [str(getattr((await client.read_flow_run(i)).state, "name", None)) for i in ids]


def test_a_running_drain_leaves_one_run_waiting_for_its_slot(api_url: str) -> None:
    deployment_id, ids = asyncio.run(waiting_runs([{}, {}, {"after_crash": True}, {}, {}]))

    cancelled = asyncio.run(cancel_surplus_waiting_runs(deployment_id))

    assert cancelled == 3
    # The oldest plain run waits on, and so does the restart after a crash (other parameters).
    assert asyncio.run(states_of(ids)) == [AWAITING_SLOT, "Cancelled", AWAITING_SLOT, "Cancelled", "Cancelled"]
    assert asyncio.run(cancel_surplus_waiting_runs(deployment_id)) == 0


@flow(name="history-probe")
def history_probe() -> None:
    """Only its runs are made here (through the API): the flow is never called."""


@task(name="probe-step")
def probe_step() -> None:
    """As above."""


async def finished_and_running() -> tuple[list[UUID], UUID, UUID]:
    """Three finished runs (the first with a task run) and one still running; and the task run's id."""
    from prefect.client.orchestration import get_client
    from prefect.states import Completed, Crashed, Failed, Running

    async with get_client() as client:
        finished = []
        ends: list[State[Any]] = [Completed(), Failed(), Crashed()]
        for end in ends:
            run = await client.create_flow_run(history_probe)
            await client.set_flow_run_state(run.id, Running(), force=True)
            await client.set_flow_run_state(run.id, end, force=True)
            finished.append(run.id)
        step = await client.create_task_run(probe_step, flow_run_id=finished[0], dynamic_key="0")
        running = await client.create_flow_run(history_probe)
        await client.set_flow_run_state(running.id, Running(), force=True)
        return finished, running.id, step.id


async def exists(flow_runs: list[UUID], task_run: UUID) -> tuple[list[bool], bool]:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    async with get_client() as client:
        found = []
        for run_id in flow_runs:
            try:
                await client.read_flow_run(run_id)
                found.append(True)
            except ObjectNotFound:
                found.append(False)
        try:
            await client.read_task_run(task_run)
            step = True
        except ObjectNotFound:
            step = False
        return found, step


def test_prune_deletes_finished_runs_older_than_the_kept_days_with_their_task_runs(api_url: str) -> None:
    finished, running, step = asyncio.run(finished_and_running())
    time.sleep(1.1)

    kept_days = asyncio.run(prune_flow_runs(ended_before=datetime.now(UTC) - timedelta(days=14)))
    assert kept_days == 0
    assert asyncio.run(exists([*finished, running], step)) == ([True] * 4, True)

    deleted = asyncio.run(prune_flow_runs(ended_before=datetime.now(UTC)))

    assert deleted >= 3  # these three, and any finished run the other tests left on this server
    assert asyncio.run(exists([*finished, running], step)) == ([False, False, False, True], False)


PRUNE = """
import asyncio, json
from flows.prune_prefect_history import prune_prefect_history
print(json.dumps(asyncio.run(prune_prefect_history(keep_days=0))))
"""


def test_the_prune_flow_keeps_runs_for_the_setting_and_runs_as_a_flow(
    api_url: str, database_url: str, tmp_path: Path
) -> None:
    finished, running, step = asyncio.run(finished_and_running())
    time.sleep(1.1)

    done = run_in_a_process(api_url, database_url, 0, PRUNE)

    assert done["deleted"] >= 3
    assert asyncio.run(exists([*finished, running], step)) == ([False, False, False, True], False)
