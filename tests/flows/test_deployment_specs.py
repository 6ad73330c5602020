"""Reading ``prefect.yaml``: found from the package wherever Raati runs, and refused with the reason
when it declares something ``raati serve`` and ``raati simulate`` would not honour."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.cron import Cron
from flows import deployment_specs
from flows.deployment_specs import DeploymentFileError, find_deployment_file, load_deployment_specs

ROOT = Path(__file__).resolve().parents[2]
GOOD = """
deployments:
  - name: send-prebriefs
    entrypoint: flows.send_prebriefs.send_prebriefs
    schedules:
      - cron: "*/15 * * * *"
        timezone: Europe/Helsinki
    concurrency_limit: 1
"""


def declare(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prefect.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_projects_prefect_yaml_is_found_from_the_package_not_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert find_deployment_file() == ROOT / "prefect.yaml"
    assert (ROOT / "flows" / "prefect.yaml").read_bytes() == (ROOT / "prefect.yaml").read_bytes()  # the wheel's copy


def test_without_prefect_yaml_the_error_says_where_it_was_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nowhere = (tmp_path / "a" / "prefect.yaml", tmp_path / "b" / "prefect.yaml")
    monkeypatch.setattr(deployment_specs, "SEARCHED", nowhere)

    with pytest.raises(DeploymentFileError, match=r"a/prefect\.yaml or .*b/prefect\.yaml: no prefect\.yaml"):
        find_deployment_file()


def test_a_deployment_is_read_into_plain_data(tmp_path: Path) -> None:
    [spec] = load_deployment_specs(declare(tmp_path, GOOD))

    assert spec.name == "send-prebriefs"
    assert (spec.flow_module, spec.flow_function) == ("flows.send_prebriefs", "send_prebriefs")
    assert spec.schedules == (Cron("*/15 * * * *", "Europe/Helsinki"),)
    assert spec.triggers == ()
    assert spec.wake_events == frozenset()
    assert spec.concurrency is not None
    assert spec.concurrency.limit == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("concurrency_limit: 1", "tags: [mail]"), r"does not apply \['tags'\]"),
        (('"*/15 * * * *"', '"*/15 * * MON *"'), "deployment 'send-prebriefs': cron"),
        (("timezone: Europe/Helsinki", "interval: 900"), "a schedule must be a cron"),
        (("flows.send_prebriefs.send_prebriefs", "flows/send_prebriefs.py:send_prebriefs"), "entrypoint must be"),
        (("flows.send_prebriefs.send_prebriefs", "send_prebriefs.send_prebriefs"), "entrypoint must be"),
        (("concurrency_limit: 1", "triggers: [{type: compound, triggers: []}]"), "only event triggers"),
    ],
)
def test_what_raati_would_not_honour_is_refused_with_the_deployment_named(
    tmp_path: Path, change: tuple[str, str], reason: str
) -> None:
    with pytest.raises(DeploymentFileError, match=reason):
        load_deployment_specs(declare(tmp_path, GOOD.replace(*change)))


def test_the_same_name_twice_is_refused(tmp_path: Path) -> None:
    twice = GOOD + GOOD.removeprefix("\ndeployments:\n")

    with pytest.raises(DeploymentFileError, match="appears twice"):
        load_deployment_specs(declare(tmp_path, twice))
