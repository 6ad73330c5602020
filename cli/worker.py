"""``raati worker --pool POOL``: run the flow runs of a work pool on this machine (flows/worker.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from cli.output import err, say


def worker(
    pool: Annotated[str, typer.Option("--pool", help="The work pool to serve (as given to raati deploy --pool).")],
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many flow runs at once on this machine.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The worker's name in the Prefect UI.")] = None,
    with_healthcheck: Annotated[
        bool,
        typer.Option("--with-healthcheck", help="Answer on http://0.0.0.0:8080/health while polling (for containers)."),
    ] = False,
    run_once: Annotated[bool, typer.Option("--run-once", help="Poll once, run what is due, then stop.")] = False,
) -> None:
    """Run flow runs of a work pool on this machine (needs PREFECT_API_URL; Ctrl-C or SIGTERM stops it).

    A worker machine needs only `pip install raati`, its RAATI_* settings and PREFECT_API_URL; each flow run
    starts as a child process of this one, with this installation's Python.
    """
    from flows.settings import FlowSettings
    from flows.worker import run_process_worker

    problems = [] if pool.strip() else ["--pool: give the work pool's name, e.g. --pool raati"]
    if not FlowSettings().prefect_api_url:
        problems.append(
            "PREFECT_API_URL: not set; the worker takes its flow runs from the Prefect server the deployments were "
            "registered with (e.g. PREFECT_API_URL=http://prefect:4200/api)."
        )
    if problems:
        for problem in problems:
            err.print(f"raati: worker: {problem}", markup=False)
        raise typer.Exit(2)
    os.environ.update(pinned_paths(os.environ, Path.cwd()))
    say(f"Serving the work pool {pool!r}; Ctrl-C stops.")
    run_process_worker(pool, name=name, limit=limit, with_healthcheck=with_healthcheck, run_once=run_once)
    say("Worker stopped.")


def pinned_paths(environ: Mapping[str, str], cwd: Path) -> dict[str, str]:
    """The settings that name a place relative to this folder, made absolute. Each flow run starts in a temporary
    folder of Prefect's, where the default ``./data`` (its SQLite database, keys and mail folder) or a relative
    SQLite URL would be a new, empty one: the worker drains nothing and looks healthy. Production sets both
    absolutely (``RAATI_ENV=production`` refuses a missing database URL); this keeps development honest too."""
    pinned = {"RAATI_DATA_DIR": str((cwd / environ.get("RAATI_DATA_DIR", "data")).resolve())}
    url = environ.get("RAATI_DATABASE_URL", "")
    scheme, separator, path = url.partition(":///")
    if separator and scheme.startswith("sqlite") and path and not path.startswith(("/", ":memory:")):
        pinned["RAATI_DATABASE_URL"] = f"{scheme}:///{(cwd / path).resolve()}"
    return pinned
