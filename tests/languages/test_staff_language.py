"""A staff user's saved UI language and greeting name: given when added, saved by the user, read with the identity."""

from __future__ import annotations

import pytest

from application.access.identity import resolve_actor, set_language
from application.access.sessions import session_actor, start_session
from application.access.tokens import add_user_with_token, authenticate
from application.commands import AddMember, AddUser, CreatePanel
from application.people.roster import add_member, create_panel
from domain.actors import Actor
from domain.errors import InvalidValue
from domain.events import Aggregate, EventType
from domain.values import Language, Role
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

PANEL = "Raati"
COORDINATOR = "k@example.org"


def _coordinator(uow_factory, clock, **given: str) -> str:
    create_panel(CreatePanel(name=PANEL), uow=uow_factory(), clock=clock)
    issued = add_user_with_token(
        AddUser(COORDINATOR, Role.COORDINATOR, panel=PANEL, **given), uow=uow_factory(), clock=clock
    )
    assert issued.token is not None
    return issued.token


def signed_in_user(uow_factory) -> int:
    with uow_factory() as uow:
        user = uow.users.by_email(COORDINATOR)
        assert user is not None
        return user.stored_id


def _actor(uow_factory, who: str) -> Actor:
    with uow_factory() as uow:
        return resolve_actor(uow, who)


def _fake_factory():
    uow = FakeUnitOfWork()
    return lambda: uow


def test_a_user_added_with_a_language_reads_it_with_their_identity() -> None:
    uow_factory, clock = _fake_factory(), FixedClock()
    token = _coordinator(uow_factory, clock, language="sv", greeting_name="Kaisa")
    actor = authenticate(token, uow=uow_factory(), clock=clock)
    assert actor is not None
    assert actor.language is Language.SV
    user = uow_factory().users.by_email(COORDINATOR)
    assert user is not None
    assert (user.language, user.greeting_name) == (Language.SV, "Kaisa")


def test_set_language_saves_the_users_own_choice_and_logs_it() -> None:
    uow_factory, clock = _fake_factory(), FixedClock()
    _coordinator(uow_factory, clock)
    actor = _actor(uow_factory, COORDINATOR)
    assert actor.language is None

    user = set_language(uow_factory(), actor=actor, language="en", clock=clock)

    assert user.language is Language.EN
    assert _actor(uow_factory, COORDINATOR).language is Language.EN
    events = uow_factory().events.for_aggregate(Aggregate.USER, user.stored_id)
    assert events[-1].type == EventType.PREFERENCES_CHANGED
    assert events[-1].data["language"] == "en"
    set_language(uow_factory(), actor=actor, language="", clock=clock)
    assert _actor(uow_factory, COORDINATOR).language is None


@pytest.mark.parametrize("bad", ["de", "finnish", "s v"])
def test_set_language_refuses_a_language_raati_does_not_speak(bad: str) -> None:
    uow_factory, clock = _fake_factory(), FixedClock()
    _coordinator(uow_factory, clock)
    actor = _actor(uow_factory, COORDINATOR)
    with pytest.raises(InvalidValue) as refused:
        set_language(uow_factory(), actor=actor, language=bad, clock=clock)
    assert refused.value.field == "language"


def test_the_operator_has_no_saved_language() -> None:
    uow_factory, clock = _fake_factory(), FixedClock()
    with pytest.raises(InvalidValue):
        set_language(uow_factory(), actor=Actor.operator(), language="sv", clock=clock)


def test_a_user_added_with_an_unknown_language_is_refused() -> None:
    uow_factory, clock = _fake_factory(), FixedClock()
    with pytest.raises(InvalidValue) as refused:
        _coordinator(uow_factory, clock, language="de")
    assert refused.value.field == "language"


def test_staff_language_and_greeting_names_survive_the_database(uow_factory, clock) -> None:
    token = _coordinator(uow_factory, clock, language="sv", greeting_name="Kaisa")
    actor = authenticate(token, uow=uow_factory(), clock=clock)
    assert actor is not None
    assert actor.language is Language.SV
    signed_in = start_session(
        user_id=signed_in_user(uow_factory),
        method="email_link",
        client=None,
        user_agent=None,
        uow=uow_factory(),
        clock=clock,
    )
    from_session = session_actor(signed_in.session_id, uow=uow_factory(), clock=clock)
    assert from_session is not None
    assert from_session.language is Language.SV

    set_language(uow_factory(), actor=actor, language="fi", clock=clock)

    assert _actor(uow_factory, COORDINATOR).language is Language.FI
    with uow_factory() as uow:
        user = uow.users.by_email(COORDINATOR)
        assert user is not None
        assert user.greeting_name == "Kaisa"
    member = add_member(
        AddMember(panel=PANEL, name="Aino Asukas", email="aino@example.org", greeting_name="Ainoliina"),
        uow=uow_factory(),
        clock=clock,
    )
    plain = add_member(AddMember(panel=PANEL, name="Bengt Bybo", email="b@example.org"), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        assert uow.members.get(member.stored_id).greeting == "Ainoliina"
        assert (uow.members.get(plain.stored_id).greeting_name, uow.members.get(plain.stored_id).greeting) == (
            None,
            "Bengt",
        )
