"""A worker machine without a checkout: the wheel installed into a fresh virtualenv outside the checkout, with its
default dependencies only (prefect-client, not the Prefect server), registers the deployments on a local Prefect
server (``raati deploy --pool``), that venv's ``raati worker`` runs the drain an idea move wakes, and the move's mail
reaches an aiosmtpd sink on 127.0.0.1. The demo data comes from the checkout's ``raati demo`` (the demo, like
``raati serve``, needs ``raati[server]``, which that venv says instead of failing on an import).

Installing the wheel with its dependencies (from this machine's package index) takes about 70 s; the whole test
stays under three minutes.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.devtools.mailsink import MailSink
from tests.flows.conftest import Mailbox
from tests.flows.test_deploy_command import bare_environment
from tests.flows.workers import children, command_line, flow_runs, process_worker

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
POOL = "wheel-pool"


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtualenv (outside the checkout) with this checkout's wheel and its dependencies installed."""
    folder = tmp_path_factory.mktemp("fresh")
    assert not folder.resolve().is_relative_to(ROOT)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", str(ROOT), "-w", str(folder / "dist")], check=True, timeout=300)
    [wheel] = (folder / "dist").glob("raati-*.whl")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = bare_environment()
    env.pop("PYTHONPATH", None)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q", "install", str(wheel)],
        check=True, timeout=600, env=env, capture_output=True,
    )  # fmt: skip
    return venv


async def stored_deployments(api_url: str) -> list[dict[str, object]]:
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api=api_url) as client:
        return [json.loads(d.model_dump_json()) for d in await client.read_deployments()]


def test_the_wheel_in_a_fresh_venv_deploys_and_its_worker_delivers_an_idea_move(
    fresh_venv: Path, prefect_server: str, tmp_path: Path
) -> None:
    server = prefect_server
    bin_ = fresh_venv / "bin"
    work = tmp_path / "machine"
    work.mkdir()
    with MailSink(tmp_path / "mail", port=0) as sink:
        env = bare_environment(
            RAATI_DATABASE_URL=f"sqlite:///{tmp_path / 'raati.db'}",
            RAATI_DATA_DIR=str(tmp_path / "data"),
            RAATI_SMTP_HOST="127.0.0.1",
            RAATI_SMTP_PORT=str(sink.port),
            RAATI_SECRET_KEY="wheel-worker-tests-key-0123456789abcdef",
            RAATI_COALESCE_SECONDS="0",
            RAATI_DISPATCH_QUIET_SECONDS="2",
            PREFECT_HOME=str(tmp_path / "prefect-home"),
            PREFECT_LOGGING_LEVEL="WARNING",
        )
        env.pop("PYTHONPATH", None)

        def raati(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
            done = subprocess.run(
                [str(bin_ / "raati"), *args], cwd=work, env={**env, **extra}, capture_output=True, text=True,
                timeout=180, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            return done

        raati("db", "upgrade")
        refused = subprocess.run(
            [str(bin_ / "raati"), "demo"], cwd=work, env=env, capture_output=True, text=True, timeout=180, check=False
        )
        assert (refused.returncode, refused.stdout) == (1, "")
        assert "The demo panel (its mail goes to a mail sink of its own) needs the optional part raati[server]" in (
            " ".join(refused.stderr.split())
        )
        assert "Traceback" not in refused.stderr
        # The demo panel, loaded by the checkout's own install (no PREFECT_API_URL: nothing woken).
        checkout = subprocess.run(
            [sys.executable, "-m", "cli.main", "demo"], cwd=work, env=env, capture_output=True, text=True,
            timeout=180, check=False,
        )  # fmt: skip
        assert checkout.returncode == 0, checkout.stderr
        raati("deploy", "--pool", POOL, PREFECT_API_URL=server)
        deployments = asyncio.run(stored_deployments(server))
        [drain] = [d for d in deployments if d["name"] == "dispatch-notifications"]
        assert drain["entrypoint"] == "flows.dispatch_notifications.dispatch_notifications"
        assert (drain["path"], drain["pull_steps"]) == (None, [])
        stored = json.dumps(deployments)
        assert str(ROOT) not in stored
        assert "/work/main" not in stored

        mailbox = Mailbox(sink.directory)
        before = len(mailbox.files())
        [idea, *_] = json.loads(raati("idea", "list", "--state", "sent_to_service", "--json").stdout)
        worker_env = {**env, "PREFECT_API_URL": server}
        with process_worker(bin_ / "raati", POOL, worker_env, work, tmp_path / "worker.log") as worker:
            assert command_line(worker)[0] == str(bin_ / "python")  # the fresh venv's interpreter runs the worker
            moved_at = time.monotonic()
            raati("idea", "move", str(idea["id"]), "declined", "--note", "Ei resursseja.", PREFECT_API_URL=server)
            flow_pythons: set[str] = set()
            while not (
                len(mailbox.files()) > before
                and any(r.state_name == "Completed" for r in flow_runs(server, "dispatch-notifications"))
            ):
                flow_pythons.update(command_line(pid)[0] for pid in children(worker) if command_line(pid))
                log = (tmp_path / "worker.log").read_text(errors="replace")
                assert time.monotonic() - moved_at < 90, f"no delivery within 90 s of the move\n{log}"
                time.sleep(0.2)

    runs = flow_runs(server, "dispatch-notifications")
    done = [r for r in runs if r.state_name == "Completed"]
    assert done
    assert all(r.work_pool_name == POOL for r in done)
    assert len(mailbox.files()) > before
    # The flow run's process was the worker's child, started with the fresh venv's interpreter.
    assert flow_pythons == {str(bin_ / "python")}


# Modules that need an optional part, by the part that brings what they import; every other module imports in a
# default install (raati --help, web and worker machines never reach these without the part).
NEEDS_EXTRA = {"cli.devtools.mailsink": "aiosmtpd", "web.oidc": "requests"}
WALK = """
import importlib, json, pkgutil
failed = {}
for top in ("domain", "application", "persistence", "notifications", "flows", "web", "cli", "wiring"):
    for info in pkgutil.walk_packages(importlib.import_module(top).__path__, top + "."):
        if ".migrations" in info.name:
            continue
        try:
            importlib.import_module(info.name)
        except Exception as error:
            failed[info.name] = f"{type(error).__name__}: {error}"
print(json.dumps(failed))
"""


def test_the_default_install_has_no_prefect_server_mail_sink_or_sign_in_library(fresh_venv: Path) -> None:
    python = str(fresh_venv / "bin" / "python")
    listed = subprocess.run(
        [python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    installed = {package["name"].lower() for package in json.loads(listed.stdout)}
    assert "prefect-client" in installed
    assert not installed & {"prefect", "aiosmtpd", "authlib", "requests", "matplotlib", "numpy"}
    assert not (fresh_venv / "bin" / "prefect").exists()

    env = bare_environment()
    env.pop("PYTHONPATH", None)
    walked = subprocess.run(
        [python, "-c", WALK], cwd=fresh_venv, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert walked.returncode == 0, walked.stderr
    failed = json.loads(walked.stdout)
    assert set(failed) == set(NEEDS_EXTRA), failed
    for module, library in NEEDS_EXTRA.items():
        assert failed[module] == f"ModuleNotFoundError: No module named '{library}'"
