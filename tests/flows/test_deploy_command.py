"""``raati deploy --pool POOL``: every deployment of ``prefect.yaml`` from the installed package, checked before
anything is registered, and registered on a real Prefect server without a pull step or a checkout path.

The installed package is a wheel built from this checkout and installed into a folder of its own; the command
runs from an empty folder with only that folder on the path before site-packages, so neither the checkout nor
its ``prefect.yaml`` can be what it reads.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cli.main import app
from flows import deployment_specs

ROOT = Path(__file__).resolve().parents[2]
DECLARED: dict[str, Any] = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))


def expected() -> list[dict[str, Any]]:
    """``prefect.yaml``'s deployments as ``raati deploy --dry-run --json`` should show them."""
    shown = []
    for declared in DECLARED["deployments"]:
        limit = declared.get("concurrency_limit")
        shown.append(
            {
                "name": declared["name"],
                "flow": declared["name"],
                "entrypoint": declared["entrypoint"],
                "work_pool": "raati",
                "schedules": [{"cron": s["cron"], "timezone": s["timezone"]} for s in declared["schedules"]],
                "triggers": [
                    {"name": t["name"], "expect": sorted(t["expect"]), "enabled": t.get("enabled", True)}
                    for t in declared.get("triggers", [])
                ],
                "concurrency_limit": limit["limit"] if isinstance(limit, dict) else limit,
                "collision_strategy": limit.get("collision_strategy") if isinstance(limit, dict) else None,
                "pull_steps": [],
            }
        )
    return shown


def bare_environment(**extra: str) -> dict[str, str]:
    """No PREFECT_* or RAATI_* of the developer's (or of the test harness): what a fresh worker machine has."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("RAATI_", "PREFECT_"))}
    return {**kept, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}


# --- from the installed wheel -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this checkout installed (without its dependencies, which the venv has) into a folder."""
    folder = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", str(ROOT), "-w", str(folder / "dist")], check=True, timeout=300)
    [wheel] = (folder / "dist").glob("raati-*.whl")
    target = folder / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, timeout=300)
    return target


def run_installed(site: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from cli.main import run; sys.argv[0] = 'raati'; run()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=bare_environment(PYTHONPATH=str(site), **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_the_installed_package_shows_every_deployment_of_prefect_yaml_without_a_checkout(
    installed: Path, tmp_path: Path
) -> None:
    where = subprocess.run(
        [sys.executable, "-c", "import flows.deployment_specs as s; print(s.find_deployment_file())"],
        cwd=tmp_path,
        env=bare_environment(PYTHONPATH=str(installed)),
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == installed / "flows" / "prefect.yaml"  # the wheel's own copy

    done = run_installed(installed, tmp_path, "deploy", "--pool", "raati", "--dry-run", "--json")

    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["deployments"] == expected()
    # Prefect's default heartbeat (180 s) here: three missed ones before a run counts as crashed.
    assert shown["silent_run_automation"] == {"name": "raati-crash-silent-runs-raati", "after_seconds": 540.0}
    assert all("/" not in d["entrypoint"] and ":" not in d["entrypoint"] for d in shown["deployments"])
    assert shown["problems"] == []


@pytest.mark.slow
def test_the_installed_package_refuses_a_broken_prefect_yaml_with_every_problem(
    installed: Path, tmp_path: Path
) -> None:
    shipped = installed / "flows" / "prefect.yaml"
    original = shipped.read_text(encoding="utf-8")
    broken = original.replace("flows.send_digests.send_digests", "flows.send_digests.no_such_flow").replace(
        "pull: []", 'pull:\n  - prefect.deployments.steps.set_working_directory:\n      directory: "{{ $RAATI_HOME }}"'
    )
    shipped.write_text(broken, encoding="utf-8")
    try:
        done = run_installed(installed, tmp_path, "deploy", "--pool", "raati", "--dry-run")
    finally:
        shipped.write_text(original, encoding="utf-8")

    assert done.returncode == 2
    assert "nothing was registered" in done.stderr
    assert "send-digests: flows.send_digests.no_such_flow: no_such_flow in flows.send_digests is missing" in done.stderr
    assert "pull: a pull step makes every worker need" in done.stderr
    assert "pull.0.prefect.deployments.steps.set_working_directory.directory: '{{ $RAATI_HOME }}'" in done.stderr
    assert done.stdout == ""


# --- in this process: each check on its own ---------------------------------------------------------------------


@pytest.fixture
def declare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``declare(old, new)``: the package's prefect.yaml with one change, found where the package's would be."""
    path = tmp_path / "prefect.yaml"
    monkeypatch.setattr(deployment_specs, "SEARCHED", (path,))

    def write(old: str = "", new: str = "") -> Path:
        text = (ROOT / "prefect.yaml").read_text(encoding="utf-8")
        assert old in text
        text = text.replace(old, new) if old else text
        path.write_text(text, encoding="utf-8")
        return path

    return write


def deploy(*args: str, **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["deploy", *args], env={"PREFECT_API_URL": "", **env}, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ("flows.purge_sent_mail.purge_sent_mail", "flows.no_such_module.purge_sent_mail"),
            "purge-sent-mail: flows.no_such_module.purge_sent_mail: module flows.no_such_module does not import",
        ),
        (
            ("flows.purge_sent_mail.purge_sent_mail", "flows.purge_sent_mail.purge"),
            "purge-sent-mail: flows.purge_sent_mail.purge: purge in flows.purge_sent_mail is a function, not a flow",
        ),
        (
            ("name: raati\n    work_queue_name: default", 'name: "{{ $RAATI_POOL }}"\n    work_queue_name: default'),
            "definitions.work_pool.name: '{{ $RAATI_POOL }}' holds a template that nothing fills in",
        ),
        (("pull: []", "pull:\n  - prefect.deployments.steps.git_clone: {repository: x}"), "pull: a pull step"),
        (
            ("entrypoint: flows.send_prebriefs.send_prebriefs", "entrypoint: flows/send_prebriefs.py:send_prebriefs"),
            "entrypoint must be a module path `flows.<module>.<flow>`",
        ),
    ],
)
def test_a_deploy_that_would_store_something_no_worker_can_run_exits_2_naming_it(
    declare: Any, change: tuple[str, str], problem: str
) -> None:
    declare(*change)

    code, out, err = deploy("--pool", "raati", "--dry-run")

    assert code == 2
    assert problem in err
    assert "Would register" not in out


def test_an_event_template_in_a_triggers_parameters_is_filled_when_it_fires_so_it_is_allowed(declare: Any) -> None:
    declare(
        "        posture: Reactive\n", "        posture: Reactive\n        parameters: {woken_by: '{{ event.id }}'}\n"
    )

    code, _, err = deploy("--pool", "raati", "--dry-run")

    assert (code, err) == (0, "")


def test_without_prefect_api_url_nothing_is_registered_and_it_says_why(declare: Any) -> None:
    declare()

    code, out, err = deploy("--pool", "raati")

    assert code == 2
    assert "PREFECT_API_URL: not set" in err
    assert out == ""


@pytest.mark.slow
def test_a_prefect_server_out_of_reach_is_named_without_a_traceback(tmp_path: Path) -> None:
    raati = [str(Path(sys.executable).parent / "raati"), "deploy", "--pool", "raati"]
    env = bare_environment(PREFECT_API_URL="http://127.0.0.1:9/api", PREFECT_HOME=str(tmp_path / "home"))

    done = subprocess.run(raati, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 1
    assert "raati: deploy: the Prefect server at http://127.0.0.1:9/api (ConnectError)" in done.stderr
    assert "Traceback" not in done.stderr


# --- on a real Prefect server -----------------------------------------------------------------------------------


async def stored(api_url: str) -> dict[str, dict[str, Any]]:
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api=api_url) as client:
        found = {}
        for d in await client.read_deployments():
            owned = await client.read_resource_related_automations(f"prefect.deployment.{d.id}")
            found[d.name] = {
                "entrypoint": d.entrypoint,
                "pull_steps": d.pull_steps or [],
                "path": d.path,
                "work_pool": d.work_pool_name,
                "crons": [s.schedule.cron for s in d.schedules],  # type: ignore[union-attr]
                "automations": sorted(a.name for a in owned),
                "limit": d.global_concurrency_limit.limit if d.global_concurrency_limit else None,
            }
        return found


async def silent_run_automations(api_url: str) -> list[tuple[str, float]]:
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api=api_url) as client:
        found = await client.read_automations_by_name("raati-crash-silent-runs-raati")
        return [(a.name, a.trigger.within.total_seconds()) for a in found]  # type: ignore[union-attr]


async def store_the_old_way(api_url: str) -> None:
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api=api_url) as client:
        flow_id = await client.create_flow_from_name("purge-sent-mail")
        await client.create_deployment(
            flow_id=flow_id,
            name="purge-sent-mail",
            entrypoint="flows/purge_sent_mail.py:purge_sent_mail",
            pull_steps=[{"prefect.deployments.steps.set_working_directory": {"directory": "{{ $RAATI_HOME }}"}}],
        )


@pytest.mark.slow
def test_raati_deploy_registers_every_deployment_for_workers_without_a_checkout(
    prefect_server: str, tmp_path: Path
) -> None:
    # What `prefect deploy --all` without RAATI_HOME stored before: a file path and the literal template.
    asyncio.run(store_the_old_way(prefect_server))

    env = bare_environment(
        PREFECT_API_URL=prefect_server, PREFECT_HOME=str(tmp_path / "home"), PREFECT_FLOWS_HEARTBEAT_FREQUENCY="30"
    )
    raati = [str(Path(sys.executable).parent / "raati"), "deploy", "--pool", "raati"]
    first = subprocess.run(raati, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=False)
    again = subprocess.run(raati, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180, check=False)

    assert first.returncode == 0, first.stderr
    assert "Created the work pool raati (process)." in first.stdout
    assert again.returncode == 0, again.stderr
    assert "Created the work pool" not in again.stdout
    found = asyncio.run(stored(prefect_server))
    assert sorted(found) == sorted(d["name"] for d in DECLARED["deployments"])
    for declared in DECLARED["deployments"]:
        registered = found[declared["name"]]
        assert registered["entrypoint"] == declared["entrypoint"]
        assert (registered["pull_steps"], registered["path"]) == ([], None)
        assert registered["work_pool"] == "raati"
        assert registered["crons"] == [s["cron"] for s in declared["schedules"]]
        # Registered twice, each trigger is one automation (the second run replaced the first's).
        assert registered["automations"] == sorted(t["name"] for t in declared.get("triggers", []))
    # A run whose heartbeats stop (its worker gone) is marked crashed: one automation for the pool, 3 heartbeats.
    assert asyncio.run(silent_run_automations(prefect_server)) == [("raati-crash-silent-runs-raati", 3 * 30.0)]
