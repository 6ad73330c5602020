"""Upgrading a database that already holds data, from the first revision to the newest."""

from datetime import UTC, datetime

from sqlalchemy import text

from persistence.engine import make_engine
from persistence.migrate import current_revision, head_revision, upgrade

AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC).replace(tzinfo=None)


def test_a_database_with_data_at_the_first_revision_upgrades_to_head_keeping_it(empty_database_url):
    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as db:
            db.execute(
                text(
                    "INSERT INTO panels (id, name, lead_days, summary_due_days, stale_days, progress_note_days)"
                    " VALUES (1, 'Raati', 7, 7, 14, 45)"
                )
            )
            db.execute(text("INSERT INTO services (id, panel_id, name) VALUES (1, 1, 'Omaolo')"))
            db.execute(
                text(
                    "INSERT INTO members (id, panel_id, name, email, language, delivery, active)"
                    " VALUES (1, 1, 'Aino', 'aino@example.org', 'fi', 'immediate', true)"
                )
            )
            db.execute(
                text(
                    "INSERT INTO meetings (id, panel_id, starts_at, leading_service_id, place, status)"
                    " VALUES (1, 1, :at, 1, 'Sali', 'planned')"
                ),
                {"at": AT},
            )
            db.execute(
                text(
                    "INSERT INTO ideas (id, panel_id, meeting_id, service_id, title, text, state, version)"
                    " VALUES (1, 1, 1, 1, 'Kuvat', '', 'raised', 1)"
                )
            )
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as db:
            meeting = db.execute(text("SELECT place, title, late, summary FROM meetings WHERE id = 1")).one()
            assert (meeting.place, meeting.title, bool(meeting.late), meeting.summary) == ("Sali", "", False, "")
            assert db.execute(text("SELECT unsubscribed FROM members WHERE id = 1")).scalar_one() in (False, 0)
            assert db.execute(text("SELECT title FROM ideas WHERE meeting_id = 1")).scalar_one() == "Kuvat"
            if engine.dialect.name == "sqlite":
                assert db.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                assert db.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    finally:
        engine.dispose()
