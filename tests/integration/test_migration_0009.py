"""Migration 0009 adds the outbox's per-panel index as the model declares it, and its downgrade removes it."""

from __future__ import annotations

from sqlalchemy import inspect

from persistence.engine import make_engine
from persistence.migrate import _config, current_revision, upgrade
from persistence.tables import OutboxRow

INDEX = "ix_outbox_panel_status"


def outbox_indexes(engine) -> dict[str, list[str]]:
    return {i["name"]: list(i["column_names"]) for i in inspect(engine).get_indexes("outbox")}


def test_0009_indexes_the_outbox_by_panel_and_status_and_downgrades_cleanly(empty_database_url: str) -> None:
    from alembic import command

    declared = next(i for i in OutboxRow.__table__.indexes if i.name == INDEX)
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0009")
        assert (
            outbox_indexes(engine)[INDEX] == [c.name for c in declared.columns] == ["panel_id", "status", "created_at"]
        )

        command.downgrade(_config(engine), "0008")
        assert current_revision(engine) == "0008"
        assert INDEX not in outbox_indexes(engine)
        assert "ix_outbox_panel_id" in outbox_indexes(engine)  # what was there before stays
    finally:
        engine.dispose()
