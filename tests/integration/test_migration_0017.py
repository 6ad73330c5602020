"""Migration 0017 creates exactly the meeting room's tables of the models (alembic finds no difference), on SQLite
and PostgreSQL, and its downgrade removes them."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from persistence.engine import make_engine
from persistence.meeting_room_tables import RoomActionRow, SpeakingBalanceRow, TurnRow
from persistence.migrate import _config, current_revision, upgrade
from persistence.tables import Base

TABLES = {RoomActionRow.__tablename__, TurnRow.__tablename__, SpeakingBalanceRow.__tablename__}


def _differences(engine) -> list[str]:  # type: ignore[no-untyped-def]
    """What alembic would change in the meeting room's tables to make them the models'."""
    with engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    return [str(d) for d in found if any(name in str(d) for name in TABLES)]


def test_0017_matches_the_models_and_downgrades_cleanly(empty_database_url: str) -> None:
    from alembic import command

    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0017")
        assert set(inspect(engine).get_table_names()) >= TABLES
        assert _differences(engine) == []
        unique = inspect(engine).get_unique_constraints("meeting_room_actions")
        assert [set(u["column_names"]) for u in unique] == [{"meeting_id", "action_id"}]

        command.downgrade(_config(engine), "0016")
        assert current_revision(engine) == "0016"
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()
