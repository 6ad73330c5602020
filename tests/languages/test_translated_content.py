"""domain.translations: Swedish and English beside the Finnish, checked per field as the Finnish is; the entities
that carry them; the privacy guard reads every translation."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from application.commands import MoveIdea, RaiseIdea
from application.ideas.changes import move_idea, raise_idea
from domain.actors import Actor
from domain.errors import HealthDetailsNeedAcknowledgement, InvalidValue, PrivacyBlocked
from domain.events import EventType
from domain.ideas import IDEA_TEXTS, Idea, IdeaState, event_translations
from domain.meetings import MEETING_TEXTS, SUMMARY_NAMES
from domain.panels import PANEL_TEXTS, contact, create_panel, phone
from domain.translations import NONE, TextRule, cleared, from_store, given, translations
from domain.values import MAX_TITLE, Language
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork
from tests.languages import world as w

AT = datetime(2027, 1, 15, 15, tzinfo=UTC)
OPERATOR = Actor.operator()


def test_translations_keep_sv_and_en_texts_trimmed_and_leave_out_empty_ones() -> None:
    found = translations({"sv": {"title": "  Kvällar  ", "text": ""}, "en": {"title": "   "}}, rules=IDEA_TEXTS)

    assert found.as_json() == {"sv": {"title": "Kvällar"}}
    assert found.get("sv", "title") == "Kvällar"
    assert found.get(Language.EN, "title") is None
    assert found.get("de", "title") is None
    assert bool(found)
    assert not translations(None, rules=IDEA_TEXTS)
    assert not translations({"sv": {}, "en": None}, rules=IDEA_TEXTS)


@pytest.mark.parametrize(
    ("given_texts", "field"),
    [
        ({"fi": {"title": "x"}}, "translations.fi"),
        ({"de": {"title": "x"}}, "translations.de"),
        ({"sv": {"note": "x"}}, "translations.sv.note"),
        ({"sv": {"title": "x" * (MAX_TITLE + 1)}}, "translations.sv.title"),
        ({"en": {"title": "two\nlines"}}, "translations.en.title"),
        ({"sv": {"text": "nul\x00"}}, "translations.sv.text"),
        ({"sv": {"title": 3}}, "translations.sv.title"),
        ({"sv": "Kvällar"}, "translations.sv"),
        (["sv"], "translations"),
    ],
)
def test_a_bad_translation_is_refused_naming_its_field(given_texts: object, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        translations(given_texts, rules=IDEA_TEXTS)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_list_field_is_translated_as_a_list_and_its_items_are_checked() -> None:
    found = translations({"sv": {"next_steps": ["Ett", " ", "Två"]}}, rules=MEETING_TEXTS)
    assert found.as_json() == {"sv": {"next_steps": ["Ett", "Två"]}}
    with pytest.raises(InvalidValue) as refused:
        translations({"sv": {"next_steps": ["ok", "x" * 501]}}, rules=MEETING_TEXTS)
    assert refused.value.field == "translations.sv.next_steps[1]"


def test_names_rename_a_bodys_fields_to_the_entitys_and_errors_name_the_bodys() -> None:
    found = translations({"sv": {"text": "Sammanfattning"}}, rules=MEETING_TEXTS, names=SUMMARY_NAMES)
    assert found.as_json() == {"sv": {"summary": "Sammanfattning"}}
    with pytest.raises(InvalidValue) as refused:
        translations({"sv": {"summary": "x"}}, rules=MEETING_TEXTS, names=SUMMARY_NAMES)
    assert refused.value.field == "translations.sv.summary"


def test_merging_replaces_given_fields_and_removes_cleared_ones() -> None:
    before = translations({"sv": {"name": "Rådet"}, "en": {"name": "The panel"}}, rules=PANEL_TEXTS)
    change = {"sv": {"name": "Kundrådet"}, "en": {"name": ""}}

    after = before.merged(translations(change, rules=PANEL_TEXTS), cleared=cleared(change))

    assert after.as_json() == {"sv": {"name": "Kundrådet"}}
    assert before.merged(NONE, cleared=frozenset({("*", "name")})).as_json() == {}


def test_translations_are_values_that_copy_and_compare_and_come_back_from_the_store() -> None:
    found = translations({"sv": {"title": "Kvällar"}}, rules=IDEA_TEXTS)
    assert copy.deepcopy(found) == found == from_store({"sv": {"title": "Kvällar"}, "xx": {"title": "?"}})
    assert hash(found) == hash(from_store(found.as_json()))
    assert found.renamed({"title": "idea_title"}) == {"sv": {"idea_title": "Kvällar"}}
    assert found.to_screen() == {"translations.sv.title": "Kvällar"}
    assert given(note=("sv", None), text=(None, "en")) == {"sv": {"note": "sv"}, "en": {"text": "en"}}


def test_a_panel_has_translated_names_and_a_contact() -> None:
    panel, _ = create_panel(
        "Raati",
        texts={"sv": {"name": "Rådet"}},
        contact=contact("Kaisa Koordinaattori", "Kaisa@HEL.example", " +358 40 123 4567 "),
        actor=OPERATOR,
        at=AT,
    )
    assert panel.translations.get("sv", "name") == "Rådet"
    assert panel.contact is not None
    assert panel.contact.as_json() == {
        "name": "Kaisa Koordinaattori",
        "email": "Kaisa@hel.example",
        "phone": "+358 40 123 4567",
    }
    assert contact(None, "", None) is None
    assert contact("K", "k@hel.example").phone is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("parts", "field"),
    [
        (("", "k@hel.example", None), "contact.name"),
        (("K", "", "040 1234567"), "contact.email"),
        (("K", "not an address", None), "contact.email"),
        (("Two\nlines", "k@hel.example", None), "contact.name"),
        (("K", "k@hel.example", "call me"), "contact.phone"),
        (("K", "k@hel.example", "12345"), "contact.phone"),
        (("K", "k@hel.example", "1" * 16), "contact.phone"),
    ],
)
def test_a_bad_contact_is_refused_naming_the_part(parts: tuple[str, str, str | None], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        contact(*parts)
    assert refused.value.field == field


def test_phone_numbers_as_people_write_them() -> None:
    assert phone("09 310 1234") == "09 310 1234"
    assert phone("+358-40-1234567") == "+358-40-1234567"


def test_a_move_keeps_its_translated_note_in_its_event_and_needs_the_finnish() -> None:
    idea = Idea.raise_new(
        panel_id=1, meeting_id=1, title="T", text=None, service_id=None, actor=OPERATOR, at=AT,
        texts={"en": {"title": "Title"}},
    )  # fmt: skip
    event = idea.move(
        IdeaState.DECLINED,
        actor=OPERATOR,
        at=AT,
        note="Ei.",
        texts={"sv": {"note": "Nej."}},
    )
    assert event_translations(event).as_json() == {"sv": {"text": "Nej."}}
    with pytest.raises(InvalidValue) as refused:
        Idea.raise_new(
            panel_id=1, meeting_id=1, title="T", text=None, service_id=None, actor=OPERATOR, at=AT,
            texts={"sv": {"text": "Text utan finsk text"}},
        )  # fmt: skip
    assert refused.value.field == "text"


def test_a_translated_note_without_a_finnish_note_is_refused() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    world = w.build(lambda: uow, clock)
    with pytest.raises(InvalidValue) as refused:
        move_idea(
            MoveIdea(world.idea_id, "sent_to_service", service=w.SERVICE, translations={"sv": {"note": "Skickad"}}),
            uow=uow,
            clock=clock,
        )
    assert refused.value.field == "translations.sv.note"


def test_the_privacy_guard_refuses_a_health_detail_in_a_swedish_translation() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    world = w.build(lambda: uow, clock)
    with pytest.raises(HealthDetailsNeedAcknowledgement) as refused:
        raise_idea(
            RaiseIdea(
                world.meeting_id,
                "Pitkät jonot",
                translations={"sv": {"title": "Min diabetes gör att jag inte orkar köa"}},
            ),
            uow=uow,
            clock=clock,
        )
    assert refused.value.field == "translations.sv.title"
    with pytest.raises(PrivacyBlocked) as blocked:
        move_idea(
            MoveIdea(
                world.idea_id, "declined", note="Ei nyt.", translations={"en": {"note": "Call 040 123 4567 for more"}}
            ),
            uow=uow,
            clock=clock,
        )
    assert blocked.value.field == "translations.en.note"
    with uow:
        assert uow.ideas.get(world.idea_id).state is IdeaState.RAISED


def test_a_coordinator_may_acknowledge_health_details_in_a_translation() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    world = w.build(lambda: uow, clock)
    view = raise_idea(
        RaiseIdea(
            world.meeting_id,
            "Pitkät jonot",
            translations={"sv": {"title": "Min diabetes gör att jag inte orkar köa"}},
            acknowledge_health=True,
        ),
        uow=uow,
        clock=clock,
    )
    assert view.timeline[-1].type == EventType.PRIVACY_ACKNOWLEDGED


def test_a_text_rule_checks_one_line_and_lists() -> None:
    assert TextRule(10, one_line=True).check(" a ", field="f") == "a"
    assert TextRule(10, listed=True).check("a", field="f") == ("a",)
    with pytest.raises(InvalidValue):
        TextRule(10, listed=True).check(3, field="f")


def test_a_meeting_says_what_members_would_read_only_in_finnish() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    world = w.build(lambda: uow, clock)
    with uow:
        meeting = uow.meetings.get(world.meeting_id)

    assert meeting.missing_translations() == {"sv": [], "en": ["place", "agenda", "tasks[1]"]}
