"""``raati worker`` pins the places its settings name relative to the folder it was started in: Prefect starts each
flow run in a temporary folder of its own, where ``./data`` would be a new, empty database."""

from __future__ import annotations

from pathlib import Path

from cli.worker import pinned_paths


def test_the_default_data_folder_is_the_one_beside_the_worker(tmp_path: Path) -> None:
    assert pinned_paths({}, tmp_path) == {"RAATI_DATA_DIR": str(tmp_path / "data")}


def test_a_relative_data_folder_and_sqlite_file_are_made_absolute(tmp_path: Path) -> None:
    environ = {"RAATI_DATA_DIR": "state/raati", "RAATI_DATABASE_URL": "sqlite:///state/raati.db"}
    assert pinned_paths(environ, tmp_path) == {
        "RAATI_DATA_DIR": str(tmp_path / "state" / "raati"),
        "RAATI_DATABASE_URL": f"sqlite:///{tmp_path / 'state' / 'raati.db'}",
    }


def test_absolute_places_and_other_databases_are_left_as_they_are(tmp_path: Path) -> None:
    for url in ("sqlite:////var/lib/raati/raati.db", "postgresql+psycopg://raati@db/raati", "sqlite:///:memory:"):
        pinned = pinned_paths({"RAATI_DATA_DIR": "/var/lib/raati", "RAATI_DATABASE_URL": url}, tmp_path)
        assert pinned == {"RAATI_DATA_DIR": "/var/lib/raati"}
