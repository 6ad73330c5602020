"""Ground rules in the domain and through the use cases, on the in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.participation import ground_rules as use_cases
from application.participation.ground_rules import PublishGroundRules, SendWelcome
from domain import ground_rules as model
from domain.errors import InvalidValue, PermissionDenied
from domain.events import Aggregate
from domain.values import Language
from notifications.kinds import WELCOME
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork
from tests.participation.world import COORDINATOR, World, build

CUSTOM = {"fi": ["Kuuntelemme toisiamme.", "Aloitamme ajallaan."], "sv": ["Vi lyssnar.", "Vi börjar i tid."],
          "en": ["We listen to each other.", "We start on time."]}  # fmt: skip


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def world(uow: FakeUnitOfWork, clock: FixedClock) -> World:
    return build(lambda: uow, clock)


def test_the_models_rules_are_the_default_in_three_languages_one_for_one() -> None:
    counts = {lang: len(model.DEFAULT_RULES[lang]) for lang in Language}

    assert set(counts.values()) == {12}
    assert "myös silloin, kun ideat eivät etene" in model.DEFAULT_RULES[Language.FI][-1]
    assert "yleisellä tasolla" in " ".join(model.DEFAULT_RULES[Language.FI])
    assert any("three days" in rule for rule in model.DEFAULT_RULES[Language.EN])
    assert model.default_rules("xx") == model.DEFAULT_RULES[Language.FI]


def test_a_panel_without_a_published_version_has_the_default_as_version_1(uow: FakeUnitOfWork, world: World) -> None:
    rules = use_cases.current_ground_rules(world.panel_id, uow=uow)

    assert (rules.version, rules.stored) == (1, False)
    assert rules.in_language("sv") == list(model.DEFAULT_RULES[Language.SV])


def test_publishing_gives_the_next_version_and_an_event(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    first = use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki", rules=CUSTOM), uow=uow, clock=clock)
    clock.advance(days=1)
    second = use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki"), uow=uow, clock=clock)

    assert (first.version, second.version) == (1, 2)
    assert use_cases.current_ground_rules(world.panel_id, uow=uow).in_language("en") == list(
        model.DEFAULT_RULES[Language.EN]
    )
    published = [e for e in uow.events.all() if e.type == "ground_rules_published"]
    assert [(e.aggregate, e.data["version"], e.data["default"]) for e in published] == [
        (Aggregate.PANEL, 1, False),
        (Aggregate.PANEL, 2, True),
    ]


@pytest.mark.parametrize(
    ("rules", "field"),
    [
        ({"fi": ["A"], "sv": ["B"]}, "rules_en"),
        ({"fi": ["A"], "sv": ["B"], "en": ["  "]}, "rules_en"),
        ({"fi": ["A", "B"], "sv": ["B"], "en": ["C"]}, "rules"),
        ({"fi": ["A"], "sv": ["B"], "en": ["C"], "de": ["D"]}, "language"),
        ({"fi": ["x" * 501], "sv": ["B"], "en": ["C"]}, "rules_fi"),
    ],
)
def test_bad_rules_name_the_field_and_write_nothing(
    uow: FakeUnitOfWork, clock: FixedClock, world: World, rules: dict[str, list[str]], field: str
) -> None:
    with pytest.raises(InvalidValue) as error:
        use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki", rules=rules), uow=uow, clock=clock)

    assert error.value.field == field
    assert use_cases.current_ground_rules(world.panel_id, uow=uow).stored is False


def test_the_same_rules_again_are_not_a_new_version(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki", rules=CUSTOM), uow=uow, clock=clock)

    with pytest.raises(InvalidValue, match="same as the current version 1"):
        use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki", rules=CUSTOM), uow=uow, clock=clock)


def test_only_the_panels_coordinators_publish(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    use_cases.publish_ground_rules(
        PublishGroundRules(panel="Itä-Helsinki", rules=CUSTOM, actor=COORDINATOR), uow=uow, clock=clock
    )

    with pytest.raises(PermissionDenied):
        use_cases.publish_ground_rules(
            PublishGroundRules(panel="Länsi-Helsinki", actor=COORDINATOR), uow=uow, clock=clock
        )


def test_acknowledging_the_default_stores_it_as_version_1_and_records_the_member(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    ack = use_cases.acknowledge_ground_rules(world.maija, 1, uow=uow, clock=clock)

    assert (ack.version, ack.member_id, ack.at) == (1, world.maija, clock.now())
    assert use_cases.current_ground_rules(world.panel_id, uow=uow).stored is True
    types = [(e.aggregate, e.type, e.actor) for e in uow.events.all()[-2:]]
    assert types == [
        (Aggregate.PANEL, "ground_rules_published", "raati"),
        (Aggregate.MEMBER, "ground_rules_acknowledged", f"member:{world.maija}"),
    ]


def test_acknowledging_again_keeps_the_first_time_and_adds_no_event(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    first = use_cases.acknowledge_ground_rules(world.maija, 1, uow=uow, clock=clock)
    events = len(uow.events.all())
    clock.advance(days=2)

    again = use_cases.acknowledge_ground_rules(world.maija, 1, uow=uow, clock=clock)

    assert again.at == first.at
    assert len(uow.events.all()) == events


def test_an_old_version_cannot_be_acknowledged(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki", rules=CUSTOM), uow=uow, clock=clock)
    use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki"), uow=uow, clock=clock)

    with pytest.raises(InvalidValue) as error:
        use_cases.acknowledge_ground_rules(world.maija, 1, uow=uow, clock=clock)

    assert error.value.field == "version"
    assert "current version of the rules (2)" in str(error.value)


def test_coordinators_see_who_has_acknowledged_the_current_version(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    use_cases.acknowledge_ground_rules(world.sven, 1, uow=uow, clock=clock)
    before = use_cases.ground_rules_acks("Itä-Helsinki", uow=uow)
    use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki", rules=CUSTOM), uow=uow, clock=clock)
    clock.advance(hours=1)
    use_cases.acknowledge_ground_rules(world.emma, 2, uow=uow, clock=clock)

    after = use_cases.ground_rules_acks("Itä-Helsinki", uow=uow)

    assert [s.member_id for s in before.acknowledged] == [world.sven]
    assert after.version == 2
    assert [s.member_id for s in after.acknowledged] == [world.emma]
    assert [s.member_id for s in after.not_acknowledged] == [world.maija, world.sven]


def test_member_page_view_has_the_rules_in_the_members_language(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    use_cases.acknowledge_ground_rules(world.sven, 1, uow=uow, clock=clock)

    view = use_cases.member_ground_rules(world.sven, uow=uow)

    assert (view.language, view.version, view.acknowledged_at) == ("sv", 1, clock.now())
    assert view.rules == list(model.DEFAULT_RULES[Language.SV])


def test_welcome_goes_once_to_each_member_with_the_current_rules_in_their_language(
    uow: FakeUnitOfWork, clock: FixedClock, world: World
) -> None:
    use_cases.publish_ground_rules(PublishGroundRules(panel="Itä-Helsinki", rules=CUSTOM), uow=uow, clock=clock)

    first = use_cases.send_welcome(SendWelcome(panel="Itä-Helsinki"), uow=uow, clock=clock)
    clock.advance(days=1)
    again = use_cases.send_welcome(SendWelcome(panel="Itä-Helsinki", member_ids=(world.sven,)), uow=uow, clock=clock)

    rows = {m.recipient_id: m for m in uow.outbox.list() if m.kind == WELCOME}
    assert (first, again) == (3, 0)
    assert rows[world.sven].payload["ground_rules"] == CUSTOM["sv"]
    assert rows[world.emma].payload["ground_rules_version"] == 1
    assert (
        rows[world.maija].payload["next_meeting_at"]
        == (clock.now() - timedelta(days=1) + timedelta(days=20)).isoformat()
    )


def test_welcome_refuses_members_of_another_panel(uow: FakeUnitOfWork, clock: FixedClock, world: World) -> None:
    with pytest.raises(InvalidValue) as error:
        use_cases.send_welcome(SendWelcome(panel="Itä-Helsinki", member_ids=(world.stranger,)), uow=uow, clock=clock)

    assert error.value.field == "member"
    assert uow.outbox.list() == []
