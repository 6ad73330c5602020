"""The SQLAlchemy persistence on real databases: a SQLite file and PostgreSQL."""

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from application.commands import MoveIdea, NoteIdea
from application.ideas.changes import move_idea, note_idea
from application.reads.views import show_idea
from domain.actors import Actor
from domain.events import Aggregate
from notifications.outbox import OutboxStatus, RecipientKind, message_id
from persistence.engine import SQLITE_BUSY_TIMEOUT_MS, make_engine, make_session_factory
from persistence.migrate import MIGRATIONS, SchemaOutOfDate, current_revision, ensure_schema, head_revision
from persistence.tables import EventRow, IdeaRow, OutboxRow, PanelRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork

OPERATOR = Actor.operator()  # who the command line reads as

DECLINE_REASON = "Ajanvarausjärjestelmä uusitaan koko alueella ensi vuonna; erillistä muutosta ei tehdä."
NOTE = "Selvitämme takaisinsoittopalvelun hintaa."


def _count(engine: Engine, table: type[Any], *where: Any) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table).where(*where)) or 0


def _idea_events(engine: Engine, idea_id: int) -> int:
    return _count(engine, EventRow, EventRow.aggregate == "idea", EventRow.aggregate_id == idea_id)


# --- Round trip --------------------------------------------------------------------------


def test_idea_round_trip_keeps_timeline_and_queues_one_notification_per_recipient(world, uow_factory, clock, engine):
    raised_at = clock.now()
    idea_id = world.raise_idea(uow_factory, clock, "Takaisinsoitto ajanvaraukseen")

    sent_at = clock.advance(days=1)
    move_idea(
        MoveIdea(idea_id=idea_id, to="sent_to_service", service="Suun terveydenhuolto", expected_version=1),
        uow=uow_factory(),
        clock=clock,
    )
    noted_at = clock.advance(days=2)
    note_idea(NoteIdea(idea_id=idea_id, text=NOTE, expected_version=2), uow=uow_factory(), clock=clock)
    declined_at = clock.advance(days=3)
    move_idea(
        MoveIdea(idea_id=idea_id, to="declined", note=DECLINE_REASON, expected_version=3),
        uow=uow_factory(),
        clock=clock,
    )

    view = show_idea(idea_id, actor=OPERATOR, uow=uow_factory())
    assert (view.state, view.version, view.service, view.service_name) == (
        "declined",
        4,
        world.service_id,
        "Suun terveydenhuolto",
    )
    assert view.allowed_next == []
    assert [(e.seq, e.type, e.from_state, e.to_state, e.text) for e in view.timeline] == [
        (1, "raised", None, "raised", "Ajanvaraus puhelimella on hidas."),
        (2, "moved", "raised", "sent_to_service", None),
        (3, "noted", "sent_to_service", "sent_to_service", NOTE),
        (4, "moved", "sent_to_service", "declined", DECLINE_REASON),
    ]
    assert [e.at for e in view.timeline] == [t.isoformat() for t in (raised_at, sent_at, noted_at, declined_at)]
    assert {e.actor for e in view.timeline} == {"operator"}

    with uow_factory() as uow:
        stored = uow.outbox.list()
    # Three active members hear of each of the three changes; the owner of the service
    # hears once, when the idea is sent there; the retired member hears nothing.
    assert len(stored) == 3 * 3 + 1
    assert len({m.id for m in stored}) == len(stored)
    assert all(m.status is OutboxStatus.PENDING and m.attempts == 0 for m in stored)
    assert all(m.panel_id == world.panel_id for m in stored)
    assert world.inactive_member_id not in {m.recipient_id for m in stored if m.recipient_kind is RecipientKind.MEMBER}

    owner_rows = [m for m in stored if m.recipient_kind is RecipientKind.STAFF]
    assert [(m.kind, m.email, m.recipient_id, m.created_at) for m in owner_rows] == [
        ("idea_sent_to_service", world.owner_email, world.owner_id, sent_at)
    ]
    assert owner_rows[0].id == message_id("idea", idea_id, 2, "idea_sent_to_service", "staff", world.owner_id)

    member_rows = [m for m in stored if m.recipient_kind is RecipientKind.MEMBER]
    for seq, at in ((2, sent_at), (3, noted_at), (4, declined_at)):
        rows = [m for m in member_rows if m.payload["event_seq"] == seq]
        assert {m.email: (m.recipient_id, m.language) for m in rows} == world.members
        for m in rows:
            assert m.kind == "idea_update"
            assert m.created_at == at
            assert m.id == message_id("idea", idea_id, seq, "idea_update", "member", m.recipient_id)
            assert uuid.UUID(m.id).version == 5

    declined = [m for m in member_rows if m.payload["event_seq"] == 4]
    assert {m.payload["text"] for m in declined} == {DECLINE_REASON}
    assert {m.payload["to_state"] for m in declined} == {"declined"}
    assert {m.payload["idea_title"] for m in declined} == {"Takaisinsoitto ajanvaraukseen"}
    assert {m.payload["recipient_name"] for m in declined} == {"Aino Asukas", "Bengt Bybo", "Chris Client"}


def test_stored_times_come_back_as_the_same_utc_instant(world, uow_factory, clock, engine):
    idea_id = world.raise_idea(uow_factory, clock, "Kellonajat")
    moved_at = clock.advance(hours=5, microseconds=123)
    move_idea(MoveIdea(idea_id=idea_id, to="declined", note=DECLINE_REASON), uow=uow_factory(), clock=clock)

    with engine.connect() as connection:
        at = connection.scalar(select(EventRow.at).where(EventRow.aggregate_id == idea_id, EventRow.seq == 2))
        created = connection.scalar(select(func.min(OutboxRow.created_at)))
    assert at == moved_at
    assert created == moved_at
    assert at.utcoffset().total_seconds() == 0


# --- Atomicity ---------------------------------------------------------------------------


class _CrashAfterOutboxWrite(SqlAlchemyUnitOfWork):
    """Writes the outbox rows for real (flushed to the database), then crashes."""

    flushed_outbox_rows = 0
    flushed_idea_events = 0

    def __enter__(self):
        super().__enter__()
        write = self.outbox.add

        def write_then_crash(messages):
            write(messages)
            session = self.session
            self.flushed_outbox_rows = session.scalar(select(func.count()).select_from(OutboxRow))
            self.flushed_idea_events = session.scalar(
                select(func.count()).select_from(EventRow).where(EventRow.aggregate == "idea")
            )
            raise RuntimeError("simulated crash after the outbox write")

        self.outbox.add = write_then_crash
        return self


class _CrashAtCommit(SqlAlchemyUnitOfWork):
    """Everything is flushed; the commit itself fails."""

    flushed_outbox_rows = 0
    flushed_idea_events = 0

    def __enter__(self):
        super().__enter__()

        def crash(session):
            self.flushed_outbox_rows = session.scalar(select(func.count()).select_from(OutboxRow))
            self.flushed_idea_events = session.scalar(
                select(func.count()).select_from(EventRow).where(EventRow.aggregate == "idea")
            )
            raise RuntimeError("simulated crash at commit")

        event.listen(self.session, "before_commit", crash)
        return self


@pytest.mark.parametrize("failing_uow", [_CrashAfterOutboxWrite, _CrashAtCommit], ids=["after-outbox", "at-commit"])
def test_failed_move_leaves_no_trace_of_state_event_or_notification(world, uow_factory, clock, engine, failing_uow):
    idea_id = world.raise_idea(uow_factory, clock, "Pysäköinti")
    events_before = _idea_events(engine, idea_id)
    uow = failing_uow(make_session_factory(engine))

    with pytest.raises(RuntimeError, match="simulated crash"):
        move_idea(
            MoveIdea(idea_id=idea_id, to="sent_to_service", service="Suun terveydenhuolto", expected_version=1),
            uow=uow,
            clock=clock,
        )

    # The crash really came after the change was written inside the transaction ...
    assert uow.flushed_outbox_rows == len(world.members) + 1
    assert uow.flushed_idea_events == events_before + 1
    # ... and none of it survived.
    with uow_factory() as check:
        idea = check.ideas.get(idea_id)
        assert (idea.state.value, idea.version, idea.service_id) == ("raised", 1, None)
        assert [e.seq for e in check.events.for_aggregate(Aggregate.IDEA, idea_id)] == [1]
        assert check.outbox.list() == []
    assert _idea_events(engine, idea_id) == events_before
    assert _count(engine, OutboxRow) == 0


def test_move_after_a_failed_attempt_succeeds_from_the_same_version(world, uow_factory, clock, engine):
    idea_id = world.raise_idea(uow_factory, clock, "Pysäköinti")
    with pytest.raises(RuntimeError):
        move_idea(
            MoveIdea(idea_id=idea_id, to="declined", note=DECLINE_REASON, expected_version=1),
            uow=_CrashAtCommit(make_session_factory(engine)),
            clock=clock,
        )

    view = move_idea(
        MoveIdea(idea_id=idea_id, to="declined", note=DECLINE_REASON, expected_version=1),
        uow=uow_factory(),
        clock=clock,
    )

    assert (view.state, view.version) == ("declined", 2)
    assert _count(engine, OutboxRow) == len(world.members)


# --- The event log is append-only -----------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    ["UPDATE events SET text = 'rewritten history'", "DELETE FROM events"],
    ids=["update", "delete"],
)
def test_database_refuses_to_change_or_remove_events(world, engine, statement):
    before = _count(engine, EventRow)
    assert before > 0

    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))

    assert _count(engine, EventRow) == before
    assert _count(engine, EventRow, EventRow.text == "rewritten history") == 0


def test_database_refuses_to_truncate_the_event_log(world, engine):
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no TRUNCATE; its DELETE guard also stops the truncate optimisation")
    before = _count(engine, EventRow)
    assert before > 0

    for statement in ("TRUNCATE events CASCADE", "TRUNCATE events, event_redactions RESTART IDENTITY"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))

    assert _count(engine, EventRow) == before


def test_event_log_refuses_a_second_event_with_the_same_sequence_number(world, uow_factory, clock, engine):
    idea_id = world.raise_idea(uow_factory, clock, "Kaksoiskirjaus")

    with uow_factory() as uow:
        [first] = uow.events.for_aggregate(Aggregate.IDEA, idea_id)
        with pytest.raises(IntegrityError):
            uow.events.append([first])

    assert _idea_events(engine, idea_id) == 1


def test_idea_state_stays_in_step_with_its_event_count(world, uow_factory, clock, engine):
    idea_id = world.raise_idea(uow_factory, clock, "Versio")
    move_idea(
        MoveIdea(idea_id=idea_id, to="sent_to_service", service="Suun terveydenhuolto"),
        uow=uow_factory(),
        clock=clock,
    )

    with engine.connect() as connection:
        version = connection.scalar(select(IdeaRow.version).where(IdeaRow.id == idea_id))
    assert version == _idea_events(engine, idea_id) == 2


# --- Migrations ----------------------------------------------------------------------------


def test_head_revision_is_the_head_alembic_migrates_to():
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_ensure_schema_creates_every_table_in_an_empty_database(empty_database_url):
    engine = make_engine(empty_database_url)
    try:
        assert inspect(engine).get_table_names() == []

        ensure_schema(engine)

        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert {"panels", "services", "members", "meetings", "ideas", "events", "outbox"} <= tables
    finally:
        engine.dispose()


def test_ensure_schema_at_head_changes_nothing(engine):
    with engine.begin() as connection:
        connection.execute(PanelRow.__table__.insert().values(name="Olemassa oleva raati"))
    tables = sorted(inspect(engine).get_table_names())

    ensure_schema(engine)

    assert current_revision(engine) == head_revision()
    assert sorted(inspect(engine).get_table_names()) == tables
    with engine.connect() as connection:
        assert connection.scalar(select(PanelRow.name)) == "Olemassa oleva raati"


def test_ensure_schema_refuses_a_database_at_another_revision(empty_database_url):
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
            connection.execute(text("INSERT INTO alembic_version VALUES ('0000_older')"))

        with pytest.raises(SchemaOutOfDate, match="raati db upgrade") as raised:
            ensure_schema(engine)

        assert (raised.value.current, raised.value.head) == ("0000_older", head_revision())
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()


def test_ensure_schema_refuses_a_database_that_has_tables_but_no_revision(tmp_path: Path):
    path = tmp_path / "foreign.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE something_else (id INTEGER PRIMARY KEY)")
        connection.commit()
    engine = make_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(SchemaOutOfDate) as raised:
            ensure_schema(engine)
        assert raised.value.current is None
        assert inspect(engine).get_table_names() == ["something_else"]
    finally:
        engine.dispose()


# --- SQLite tuning ---------------------------------------------------------------------------


def test_sqlite_engine_uses_wal_busy_timeout_and_foreign_keys(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'raati.db'}")
    try:
        with engine.connect() as connection:
            journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            busy_timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    finally:
        engine.dispose()
    assert journal_mode == "wal"
    assert busy_timeout == SQLITE_BUSY_TIMEOUT_MS > 0
    assert foreign_keys == 1


def test_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path: Path):
    path = tmp_path / "raati.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as holder:
            holder.exec_driver_sql("SELECT 1")  # only reads, but the transaction has begun
            other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
            with closing(other), pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with closing(sqlite3.connect(path, timeout=0.1, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # free again once the transaction has ended
            other.execute("ROLLBACK")
    finally:
        engine.dispose()
