"""After an erasure on SQLite, the member's address is in no byte of the database file or its write-ahead log.

Not in free space of a page, not in an old page image in the log: read raw, while the engine that erased still
holds its connections open (as a running web process does).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from application.commands import AddMember, MoveIdea, NoteIdea
from application.data_rights import MemberRequest, erase_member
from application.ideas.changes import move_idea, note_idea
from application.people.roster import add_member
from persistence.data_rights import SqlAlchemyDataRightsUnitOfWork
from persistence.engine import make_session_factory
from tests.integration.conftest import PANEL, SERVICE

NAME = "Quentin Zephyrine-Oksanen"
ADDRESS = "quentin.zephyrine-oksanen.probe@example.org"


def as_built_without_secure_delete(engine: Engine) -> None:
    """Every new connection starts with secure_delete off before Raati's own settings run: SQLite's default
    depends on how the library was built (Debian's turns it on), and erasure must not depend on that."""
    engine.dispose()

    @event.listens_for(engine, "connect", insert=True)
    def off(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA secure_delete=OFF")


def files_of(database_url: str) -> dict[str, bytes]:
    """The database file and its companions (-wal, -shm, -journal), as bytes."""
    path = Path(make_url(database_url).database or "")
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


def holding(files: dict[str, bytes], text: str) -> list[str]:
    return [name for name, content in files.items() if text.encode() in content]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_erased_members_address_is_in_no_byte_of_the_sqlite_file_or_its_log(
    database_url: str, world, uow_factory, engine: Engine, clock
) -> None:
    as_built_without_secure_delete(engine)
    member = add_member(AddMember(panel=PANEL, name=NAME, email=ADDRESS), uow=uow_factory(), clock=clock)
    assert member.id is not None
    idea_id = world.raise_idea(uow_factory, clock, "Takaisinsoitto")
    move_idea(MoveIdea(idea_id=idea_id, to="sent_to_service", service=SERVICE), uow=uow_factory(), clock=clock)
    note_idea(NoteIdea(idea_id=idea_id, text=f"{NAME} ehdotti tätä."), uow=uow_factory(), clock=clock)
    before = files_of(database_url)
    assert "raati.db-wal" in before
    assert holding(before, ADDRESS)  # the member row, its unique index, the queued mail
    assert holding(before, NAME)

    sessions = make_session_factory(engine)
    done = erase_member(MemberRequest(member_id=member.id), uow=SqlAlchemyDataRightsUnitOfWork(sessions), clock=clock)

    assert done.old_copies_cleared
    after = files_of(database_url)
    assert holding(after, ADDRESS) == []
    assert holding(after, NAME) == []
    assert len(after.get("raati.db-wal", b"")) == 0  # the log was folded in and cut
    engine.dispose()  # and nothing comes back when the last connection closes
    assert holding(files_of(database_url), ADDRESS) == []
