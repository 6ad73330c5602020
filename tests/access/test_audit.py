"""The audit trail: who may read whose events (the operator everyone's, a coordinator their panels' staff's, anyone
else their own), and its retention (purge-sent-mail deletes events older than RAATI_AUDIT_RETENTION_DAYS)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from application.access.audit import list_audit
from application.access.sessions import EndSessions, end_sessions, start_session
from application.access.tokens import add_user_with_token
from application.commands import AddService, AddUser, CreatePanel
from application.data_rights import purge_sent_mail
from application.people.roster import add_service, add_user, create_panel
from domain.actors import Actor
from domain.errors import NotFound, PermissionDenied
from domain.values import Role
from persistence.data_rights import SqlAlchemyDataRightsUnitOfWork
from persistence.engine import make_session_factory
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

COORD, OWNER, OTHER_COORD, OTHER_OWNER, MANAGER = (
    "k@ita.example",
    "suu@ita.example",
    "k@lansi.example",
    "koti@lansi.example",
    "johto@example.org",
)


def staff(uow_factory, clock: FixedClock) -> dict[str, int]:
    """Two panels, each with a coordinator and a service representative; a manager. Each signs in once."""
    for panel, service in (("Itä", "Suu"), ("Länsi", "Koti")):
        create_panel(CreatePanel(name=panel), uow=uow_factory(), clock=clock)
        add_service(AddService(name=service, panel=panel), uow=uow_factory(), clock=clock)
    ids = {}
    for cmd in (
        AddUser(email=COORD, role=Role.COORDINATOR, panel="Itä"),
        AddUser(email=OWNER, role=Role.SERVICE_OWNER, service="Suu"),
        AddUser(email=OTHER_COORD, role=Role.COORDINATOR, panel="Länsi"),
        AddUser(email=OTHER_OWNER, role=Role.SERVICE_OWNER, service="Koti"),
        AddUser(email=MANAGER, role=Role.MANAGER),
    ):
        user = add_user_with_token(cmd, uow=uow_factory(), clock=clock).user
        ids[cmd.email] = user.stored_id
        start_session(
            user_id=user.stored_id, method="oidc", client=None, user_agent=None, uow=uow_factory(), clock=clock
        )
    return ids


def actor(uow: FakeUnitOfWork, email: str) -> Actor:
    with uow:
        user = uow.users.by_email(email)
        assert user is not None
        return user.as_actor()


def whose(entries) -> set[str | None]:
    return {entry.user_email for entry in entries}


def test_the_operator_reads_every_event_newest_first(uow: FakeUnitOfWork) -> None:
    staff(lambda: uow, FixedClock())

    events = list_audit(Actor.operator(), uow=uow)

    assert whose(events) == {COORD, OWNER, OTHER_COORD, OTHER_OWNER, MANAGER}
    assert [e.id for e in events] == sorted((e.id for e in events), reverse=True)
    assert {e.event for e in events} == {"token_created", "signed_in"}


def test_a_coordinator_reads_the_events_of_their_panels_staff_and_no_one_elses(uow: FakeUnitOfWork) -> None:
    staff(lambda: uow, FixedClock())
    coordinator = actor(uow, COORD)

    assert whose(list_audit(coordinator, uow=uow)) == {COORD, OWNER}
    assert whose(list_audit(coordinator, uow=uow, user_email=OWNER)) == {OWNER}
    for outside in (OTHER_OWNER, MANAGER, "nobody@example.org"):
        with pytest.raises(PermissionDenied):
            list_audit(coordinator, uow=uow, user_email=outside)


def test_what_a_shared_coordinator_did_in_another_panel_stays_out_of_this_panels_trail(uow: FakeUnitOfWork) -> None:
    ids = staff(lambda: uow, FixedClock())
    # The west's coordinator also coordinates the east, and ends the sessions of the west's owner.
    add_user(AddUser(email=OTHER_COORD, role=Role.COORDINATOR, panel="Itä"), uow=uow, clock=FixedClock())
    end_sessions(EndSessions(email=OTHER_OWNER, actor=OTHER_COORD), uow=uow, clock=FixedClock())

    seen = list_audit(actor(uow, COORD), uow=uow, limit=1000)

    assert OTHER_COORD in whose(seen)  # a coordinator of the east: their own sign-in is in reach
    assert all(entry.user_id != ids[OTHER_OWNER] for entry in seen)
    assert OTHER_OWNER not in {entry.actor_email for entry in seen} | whose(seen)


def test_anyone_else_reads_their_own_events_only(uow: FakeUnitOfWork) -> None:
    staff(lambda: uow, FixedClock())

    assert whose(list_audit(actor(uow, OWNER), uow=uow)) == {OWNER}
    assert whose(list_audit(actor(uow, MANAGER), uow=uow)) == {MANAGER}
    with pytest.raises(PermissionDenied):
        list_audit(actor(uow, MANAGER), uow=uow, user_email=COORD)
    with pytest.raises(NotFound):
        list_audit(Actor.operator(), uow=uow, user_email="nobody@example.org")


def test_the_newest_events_come_a_page_at_a_time(uow: FakeUnitOfWork) -> None:
    staff(lambda: uow, FixedClock())
    every = list_audit(Actor.operator(), uow=uow, limit=1000)

    first = list_audit(Actor.operator(), uow=uow, limit=3)
    second = list_audit(Actor.operator(), uow=uow, limit=3, before_id=first[-1].id)

    assert [*first, *second] == every[:6]


def test_purge_sent_mail_deletes_audit_events_older_than_their_retention(engine: Engine) -> None:
    sessions = make_session_factory(engine)

    def rights() -> SqlAlchemyDataRightsUnitOfWork:
        return SqlAlchemyDataRightsUnitOfWork(sessions)

    clock = FixedClock()
    staff(rights, clock)
    clock.advance(days=30)
    start_session(user_id=1, method="email_link", client=None, user_agent=None, uow=rights(), clock=clock)

    clock.advance(days=335, seconds=-1)  # the first events are a second short of 365 days old
    assert (
        purge_sent_mail(uow_factory=rights, clock=clock, retention_days=180, audit_retention_days=365).audit_removed
        == 0
    )
    clock.advance(timedelta(seconds=2))
    done = purge_sent_mail(uow_factory=rights, clock=clock, retention_days=180, audit_retention_days=365)

    assert done.audit_removed == 10  # five token_created and five signed_in
    assert [e.event for e in list_audit(Actor.operator(), uow=rights())] == ["signed_in"]
