"""Translations, the panel's contact and greeting names survive SQLite and PostgreSQL, and reach the outbox."""

from __future__ import annotations

from application.commands import UpdatePanel
from application.people.roster import update_panel
from application.surveys import CreateSurvey, OpenSurvey, add_statements, create_survey, open_survey
from domain.events import Aggregate
from domain.ideas import event_translations
from domain.translations import from_store
from notifications import kinds
from tests.languages import world as w


def test_everything_translated_comes_back_from_the_database(uow_factory, clock) -> None:
    world = w.build(uow_factory, clock)
    w.decline(uow_factory, clock, world)
    w.summarise(uow_factory, clock, world)

    with uow_factory() as uow:
        panel = uow.panels.by_id(world.panel_id)
        meeting = uow.meetings.get(world.meeting_id)
        idea = uow.ideas.get(world.idea_id)
        events = uow.events.for_aggregate(Aggregate.IDEA, world.idea_id)

    assert panel.translations.as_json() == {"sv": {"name": w.PANEL_SV}, "en": {"name": w.PANEL_EN}}
    assert panel.contact is not None
    assert panel.contact.as_json() == w.CONTACT
    assert meeting.translations.as_json() == {
        "sv": {
            "title": "Tidsbokning",
            "place": "Östra centrums bibliotek",
            "agenda": ["Välkommen", "Kallelsebrevet"],
            "summary": "Rådet gick igenom kallelsebrevet.",
            "next_steps": ["Hälsostationerna rättar brevet."],
        },
        "en": {"title": "Booking appointments", "summary": "The panel went through the letter."},
    }
    assert [t.translations.as_json() for t in meeting.tasks] == [
        {"sv": {"text": "Är kallelsebrevet tydligt?"}, "en": {"text": "Is the invitation letter clear?"}},
        {"sv": {"text": "Vad borde man berätta om tidsbokningen?"}},
    ]
    assert meeting.materials[0].translations == from_store(
        {"sv": {"title": "Kallelsebrevet"}, "en": {"title": "The letter"}}
    )
    assert idea.translations.as_json()["sv"]["title"] == "Kvällsmottagningar"
    assert event_translations(events[-1]).as_json()["en"] == {
        "text": "Evening appointments cannot be arranged this year."
    }


def test_the_outbox_keeps_the_payloads_translations_contact_and_greeting(uow_factory, clock) -> None:
    world = w.build(uow_factory, clock)
    w.decline(uow_factory, clock, world)

    bengt = w.payloads(uow_factory, kinds.IDEA_UPDATE)["bengt@example.org"]

    assert bengt["translations"]["sv"]["text"] == "Kvällsmottagningar kan inte ordnas i år."
    assert bengt["panel_contact"] == w.CONTACT
    assert bengt["greeting_name"] == "Bengan"


def test_a_panel_update_is_stored(uow_factory, clock) -> None:
    world = w.build(uow_factory, clock)
    update_panel(
        UpdatePanel(str(world.panel_id), name="Uusi nimi", translations={"en": {"name": ""}}, contact_phone=""),
        uow=uow_factory(),
        clock=clock,
    )
    with uow_factory() as uow:
        panel = uow.panels.by_id(world.panel_id)
    assert (panel.name, panel.translations.as_json()) == ("Uusi nimi", {"sv": {"name": w.PANEL_SV}})
    assert panel.contact is not None
    assert panel.contact.phone is None


def test_a_surveys_translations_come_back_and_reach_the_invitation(uow_factory, clock) -> None:
    world = w.build(uow_factory, clock)
    survey = create_survey(
        CreateSurvey(
            panel=w.PANEL,
            title="Arviointi",
            statements=("Sain tietoa", "Tapaamiset olivat hyviä"),
            translations={"sv": {"title": "Utvärdering", "statement": ["Jag fick information"]}},
        ),
        uow=uow_factory(),
        clock=clock,
    )
    add_statements(
        survey.stored_id,
        ["Haluan jatkaa"],
        uow=uow_factory(),
        clock=clock,
        translations={"en": {"statement": ["I want to go on"]}},
    )
    with uow_factory() as uow:
        stored = uow.surveys.get(survey.stored_id)
    assert stored.translations.as_json() == {"sv": {"title": "Utvärdering"}}
    assert [stored.statement_in(i, "sv") for i in range(3)] == ["Jag fick information", None, None]
    assert stored.statement_in(2, "en") == "I want to go on"

    open_survey(OpenSurvey(survey.stored_id), uow=uow_factory(), clock=clock, base_url="http://127.0.0.1")

    bengt = w.payloads(uow_factory, kinds.SURVEY_INVITATION)["bengt@example.org"]
    assert bengt["translations"]["sv"] == {"panel_name": w.PANEL_SV, "survey_title": "Utvärdering"}
    assert world.panel_id == bengt["panel_id"]
