"""Migration 0014 adds the decline columns of topic wishes as the model has them; a wish stored before it reads as
open, and its downgrade removes the columns again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from persistence import participation_tables
from persistence.engine import make_engine
from persistence.migrate import _config, current_revision, upgrade

DECLINE = {"declined_at", "declined_by", "decline_note"}


def test_0014_adds_the_decline_columns_and_keeps_older_wishes_open(empty_database_url: str) -> None:
    from alembic import command

    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0013")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO panels (name, lead_days, summary_due_days, stale_days, progress_note_days) "
                    "VALUES ('Itä-Helsinki', 7, 7, 14, 30)"
                )
            )
            panel_id = connection.execute(text("SELECT id FROM panels")).scalar_one()
            connection.execute(
                text(
                    "INSERT INTO topic_wishes (panel_id, text, submitted_at, submitted_by, scheduled_by) "
                    "VALUES (:panel, 'Aihe', CURRENT_TIMESTAMP, 'liisa@example.fi', '')"
                ),
                {"panel": panel_id},
            )
        upgrade(engine, "0014")

        table = participation_tables.TopicWishRow.__table__
        columns = {c["name"]: c["nullable"] for c in inspect(engine).get_columns("topic_wishes")}
        assert columns == {c.name: c.nullable for c in table.columns}
        with engine.connect() as connection:
            row = connection.execute(text("SELECT declined_at, declined_by, decline_note FROM topic_wishes")).one()
        assert tuple(row) == (None, "", "")

        command.downgrade(_config(engine), "0013")
        assert current_revision(engine) == "0013"
        assert not DECLINE & {c["name"] for c in inspect(engine).get_columns("topic_wishes")}
    finally:
        engine.dispose()
