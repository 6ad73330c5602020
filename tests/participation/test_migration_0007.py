"""Migration 0007 creates exactly the participation tables of the models, and its downgrade removes them."""

from __future__ import annotations

from sqlalchemy import inspect

from persistence import participation_tables
from persistence.engine import make_engine
from persistence.migrate import _config, current_revision, upgrade

TABLES = {
    participation_tables.GroundRulesRow.__table__,
    participation_tables.GroundRulesAckRow.__table__,
    participation_tables.TopicWishRow.__table__,
    participation_tables.AttendanceRow.__table__,
}
# Columns later revisions add to these tables (0014: a topic wish declined with a note).
LATER = {"topic_wishes": {"declined_at", "declined_by", "decline_note"}}


def test_0007_matches_the_models_and_downgrades_cleanly(empty_database_url: str) -> None:
    from alembic import command

    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0007")
        schema = inspect(engine)
        for table in TABLES:
            columns = {c["name"]: c["nullable"] for c in schema.get_columns(table.name)}
            modelled = {c.name: c.nullable for c in table.columns if c.name not in LATER.get(table.name, ())}
            assert columns == modelled, table.name
            primary = set(schema.get_pk_constraint(table.name)["constrained_columns"])
            assert primary == {c.name for c in table.primary_key.columns}, table.name
            foreign = {
                (fk["referred_table"], tuple(fk["constrained_columns"])) for fk in schema.get_foreign_keys(table.name)
            }
            assert foreign == {(fk.column.table.name, (fk.parent.name,)) for fk in table.foreign_keys}, table.name

        command.downgrade(_config(engine), "0006")
        assert current_revision(engine) == "0006"
        assert not {t.name for t in TABLES} & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert {t.name for t in TABLES} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
