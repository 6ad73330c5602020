"""``raati deploy --pool POOL``: register every deployment of the installed package's ``prefect.yaml``
with the Prefect server (``PREFECT_API_URL``), after checking that a worker could run each one."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from cli.options import JsonOption
from cli.output import err, out, print_json, say


def deploy(
    pool: Annotated[
        str, typer.Option("--pool", help="The work pool the workers serve (created as a process pool if new).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and show what would be registered; register nothing.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Register every deployment (schedules, event triggers, concurrency) from the installed package.

    Entrypoints are module paths and there is no pull step, so a worker needs only `pip install raati`, its
    RAATI_* settings and PREFECT_API_URL. Exit 2, with every problem listed and nothing registered, when a flow
    does not import or prefect.yaml holds a template or a pull step; exit 2 without PREFECT_API_URL (unless
    --dry-run). It also registers an automation that marks a run of the pool crashed when its heartbeats stop
    for three heartbeats (PREFECT_FLOWS_HEARTBEAT_FREQUENCY: give workers the same value). With --json:
    {"pool", "dry_run", "deployments": [{"name", "flow", "entrypoint", "work_pool", "schedules", "triggers",
    "concurrency_limit", "collision_strategy", "pull_steps"}], "silent_run_automation": {"name",
    "after_seconds"}, "problems": []}.
    """
    import httpx

    from flows.registration import RegistrationRefused, describe, plan, register
    from flows.settings import FlowSettings

    if not pool.strip():
        _refuse(["--pool: give the work pool's name, e.g. --pool raati"])
    found = plan()
    if found.problems:
        _refuse([str(problem) for problem in found.problems], source=found.path)
    described = [describe(deployment, pool) for deployment in found.deployments]
    api_url = FlowSettings().prefect_api_url
    if not dry_run and not api_url:
        _refuse(
            [
                "PREFECT_API_URL: not set; raati deploy registers the deployments with a Prefect server "
                "(e.g. PREFECT_API_URL=http://prefect:4200/api). --dry-run shows them without one."
            ]
        )
    if dry_run:
        _show(described, pool=pool, dry_run=True, json_output=json_output)
        return
    try:
        created, registered = asyncio.run(register(found.deployments, pool=pool))
    except (httpx.HTTPError, RegistrationRefused) as error:  # unreachable, refused, or a deployment rejected
        err.print(f"raati: deploy: the Prefect server at {api_url} ({type(error).__name__}): {error}", markup=False)
        raise typer.Exit(1) from error
    ids = dict(registered)
    for entry in described:
        entry["id"] = ids[entry["name"]]
    if created and not json_output:
        say(f"Created the work pool {pool} (process).")
    _show(described, pool=pool, dry_run=False, json_output=json_output, api_url=api_url)


def _show(
    described: list[dict[str, object]], *, pool: str, dry_run: bool, json_output: bool, api_url: str | None = None
) -> None:
    from flows.registration import heartbeat_seconds, silent_run_automation_name

    # Workers must send heartbeats at least this often (PREFECT_FLOWS_HEARTBEAT_FREQUENCY, the same value here).
    silent = {"name": silent_run_automation_name(pool), "after_seconds": 3 * heartbeat_seconds()}
    if json_output:
        print_json(
            {
                "pool": pool,
                "dry_run": dry_run,
                "deployments": described,
                "silent_run_automation": silent,
                "problems": [],
            }
        )
        return
    verb = "Would register" if dry_run else f"Registered with {api_url}"
    say(f"{verb} {len(described)} deployments in the work pool {pool}:")
    for entry in described:
        when = [f"cron {s['cron']} ({s['timezone']})" for s in entry["schedules"]]  # type: ignore[attr-defined]
        when += [f"on {', '.join(t['expect'])}" for t in entry["triggers"]]  # type: ignore[attr-defined]
        limit = entry["concurrency_limit"]
        strategy = entry["collision_strategy"]
        out.print(
            f"  {entry['name']}  {entry['entrypoint']}  {'; '.join(when) or 'run on demand'}"
            + (f"  at most {limit} at a time" if limit else "")
            + (f" ({strategy})" if strategy else ""),
            markup=False,
        )
    say(
        f"A run in {pool} whose heartbeats stop for {silent['after_seconds']:.0f} s is marked crashed "
        f"({silent['name']}); give workers the same PREFECT_FLOWS_HEARTBEAT_FREQUENCY as this command."
    )
    if not dry_run:
        say(f"Start workers with: raati worker --pool {pool}")


def _refuse(problems: list[str], *, source: object = None) -> None:
    where = f" ({source})" if source else ""
    err.print(f"raati: deploy: nothing was registered{where}:", markup=False)
    for problem in problems:
        err.print(f"  {problem}", markup=False)
    raise typer.Exit(2)
