"""Fixtures for the command line: run ``raati`` in-process (fast) or as the installed script."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from cli import context
from cli.main import app
from tests.cli.harness import RAATI, Raati, Run


@pytest.fixture
def raati(cli_env: dict[str, str]) -> Iterator[Raati]:
    """``raati(*args)`` runs the command in this process against the test database."""
    runner = CliRunner()
    context.reset()

    def invoke(*args: str) -> Run:
        result = runner.invoke(app, list(args), env=cli_env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    yield invoke
    context.reset()


@pytest.fixture
def raati_script(cli_env: dict[str, str]) -> Raati:
    """``raati_script(*args)`` runs the installed ``raati`` console script in a subprocess."""
    assert RAATI.exists(), f"the raati script is not installed at {RAATI}"

    def invoke(*args: str) -> Run:
        done = subprocess.run(
            [str(RAATI), *args], env=cli_env, capture_output=True, text=True, timeout=120, check=False
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return invoke
