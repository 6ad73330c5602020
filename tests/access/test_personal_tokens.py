"""Personal API tokens and the staff list, the use cases over the fake unit of work: a named token of one's own,
its last day in Helsinki, shown once and audited by name; revoked only by its owner; the staff of a coordinator's
panels with their open sessions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from application.access.personal_tokens import (
    CreateToken,
    RevokeToken,
    create_token,
    end_of,
    last_day,
    list_tokens,
    revoke_token,
)
from application.access.sessions import start_session
from application.access.tokens import add_user_with_token, authenticate
from application.commands import AddService, AddUser, CreatePanel
from application.people.roster import add_service, create_panel
from application.reads.staff_users import staff_of_panels
from domain.actors import Actor
from domain.errors import InvalidValue, NotFound, PermissionDenied
from domain.values import Role
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

COORD, OWNER, OTHER = "koord@ita.example", "suu@ita.example", "koord@lansi.example"
TODAY = date(2025, 3, 3)  # the fixed clock's day in Helsinki


@pytest.fixture
def staff(uow: FakeUnitOfWork, clock: FixedClock) -> dict[str, int]:
    create_panel(CreatePanel(name="Itäinen raati"), uow=uow, clock=clock)
    create_panel(CreatePanel(name="Läntinen raati"), uow=uow, clock=clock)
    add_service(AddService(name="Suu", panel="Itäinen raati"), uow=uow, clock=clock)
    added = (
        AddUser(email=COORD, role=Role.COORDINATOR, panel="Itäinen raati"),
        AddUser(email=OWNER, role=Role.SERVICE_OWNER, service="Suu"),
        AddUser(email=OTHER, role=Role.COORDINATOR, panel="Läntinen raati"),
    )
    return {cmd.email: add_user_with_token(cmd, uow=uow, clock=clock).user.stored_id for cmd in added}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), ("  ", None), ("2025-03-03", TODAY), ("2030-03-03", date(2030, 3, 3))],
)
def test_a_last_day_is_today_or_later(text: str, expected: date | None) -> None:
    assert last_day(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2025-03-02", "3.3.2025", "2025-02-30", "2031-03-04"])
def test_a_last_day_in_the_past_malformed_or_too_far_names_the_field(text: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        last_day(text, today=TODAY)
    assert refused.value.field == "expires"


def test_a_token_works_through_its_last_day_in_helsinki_summer_time_or_not() -> None:
    assert end_of(date(2025, 3, 29)) == datetime(2025, 3, 29, 22, 0, tzinfo=UTC)  # midnight EET
    assert end_of(date(2025, 3, 30)) == datetime(2025, 3, 30, 21, 0, tzinfo=UTC)  # midnight EEST


def test_a_named_token_is_shown_once_works_and_is_audited_by_name(
    uow: FakeUnitOfWork, clock: FixedClock, staff: dict[str, int]
) -> None:
    made = create_token(CreateToken(name="  Raportointi  ", last_day=TODAY, actor=OWNER), uow=uow, clock=clock)

    assert made.token.name == "Raportointi"
    assert made.token.expires_at == datetime(2025, 3, 3, 22, 0, tzinfo=UTC)
    assert authenticate(made.secret, uow=uow, clock=clock) is not None
    listed = list_tokens(Actor(name=OWNER, role=Role.SERVICE_OWNER), uow=uow, clock=clock)
    assert [(line.token.name, line.script, line.expired) for line in listed] == [
        ("Raportointi", False, False),
        (None, True, False),
    ]
    assert made.secret not in repr(listed)
    created = [e for e in uow.data.access.audit if e.event == "token_created" and e.detail]
    assert [(e.user_id, e.detail) for e in created] == [(staff[OWNER], "Raportointi")]

    clock.advance(hours=13)  # past midnight in Helsinki

    assert authenticate(made.secret, uow=uow, clock=clock) is None
    assert list_tokens(Actor(name=OWNER, role=Role.SERVICE_OWNER), uow=uow, clock=clock)[0].expired


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "kaksi\nriviä"])
def test_a_token_needs_a_one_line_name_of_at_most_80_characters(
    uow: FakeUnitOfWork, clock: FixedClock, staff: dict[str, int], name: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        create_token(CreateToken(name=name, actor=OWNER), uow=uow, clock=clock)
    assert refused.value.field == "name"


def test_the_operator_has_no_personal_tokens(uow: FakeUnitOfWork, clock: FixedClock, staff: dict[str, int]) -> None:
    with pytest.raises(InvalidValue):
        create_token(CreateToken(name="Backup"), uow=uow, clock=clock)


def test_only_its_owner_revokes_a_token(uow: FakeUnitOfWork, clock: FixedClock, staff: dict[str, int]) -> None:
    made = create_token(CreateToken(name="Backup", actor=OWNER), uow=uow, clock=clock)

    with pytest.raises(NotFound):
        revoke_token(RevokeToken(token_id=made.token.id, actor=COORD), uow=uow, clock=clock)
    assert authenticate(made.secret, uow=uow, clock=clock) is not None

    revoked = revoke_token(RevokeToken(token_id=made.token.id, actor=OWNER), uow=uow, clock=clock)

    assert revoked.name == "Backup"
    assert authenticate(made.secret, uow=uow, clock=clock) is None
    assert [e.detail for e in uow.data.access.audit if e.event == "token_revoked"] == ["Backup"]
    with pytest.raises(NotFound):
        revoke_token(RevokeToken(token_id=made.token.id, actor=OWNER), uow=uow, clock=clock)


def test_a_coordinator_lists_their_panels_staff_with_open_sessions(
    uow: FakeUnitOfWork, clock: FixedClock, staff: dict[str, int]
) -> None:
    for _ in range(2):
        start_session(user_id=staff[OWNER], method="email_link", client=None, user_agent=None, uow=uow, clock=clock)
    coordinator = Actor(name=COORD, role=Role.COORDINATOR, panel_ids=frozenset({1}))

    lines = staff_of_panels(coordinator, uow=uow, clock=clock)

    assert [(line.user.email, line.open_sessions, line.last_sign_in) for line in lines] == [
        (COORD, 0, None),
        (OWNER, 2, clock.now()),
    ]
    assert lines[1].service is not None
    assert [p.name for p in lines[0].panels] == ["Itäinen raati"]
    clock.advance(hours=2)  # past the idle timeout: no longer signed in anywhere
    assert staff_of_panels(coordinator, uow=uow, clock=clock)[1].open_sessions == 0


@pytest.mark.parametrize("role", [Role.SERVICE_OWNER, Role.MANAGER])
def test_only_coordinators_list_the_staff(uow: FakeUnitOfWork, clock: FixedClock, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        staff_of_panels(Actor(name=OWNER, role=role), uow=uow, clock=clock)
