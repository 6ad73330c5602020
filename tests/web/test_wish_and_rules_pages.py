"""The topic wishes (``/panels/{id}/wishes``) and ground rules (``/panels/{id}/rules``) pages over HTTP on the API
tests' two panels, on SQLite and PostgreSQL: who sees what, and each form by the use case its command calls."""

from __future__ import annotations

from html import unescape

import pytest

from application.commands import AddMember
from application.participation.ground_rules import acknowledge_ground_rules, ground_rules_acks, show_ground_rules
from application.participation.topic_wishes import list_topic_wishes, submit_topic_wish
from application.people.roster import add_member
from domain.events import Aggregate
from domain.topic_wishes import WishStatus
from notifications.kinds import TOPIC_WISH_DECLINED, TOPIC_WISH_SCHEDULED
from notifications.links import PREFERENCES
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL

NOTE = "Pysäköinti ei kuulu terveysasemalle, joten raati ei voi vaikuttaa siihen. Kiitos ajatuksesta!"


@pytest.fixture
def sven(world: World, uow_factory, clock) -> int:
    """A Swedish-speaking member of panel A."""
    member = add_member(
        AddMember(panel="Itäinen raati", name="Sven Svensson", email="sven@example.org", language="sv"),
        uow=uow_factory(),
        clock=clock,
    )
    return int(member.id)


def wishes_of(uow_factory, panel: int) -> list:
    return list_topic_wishes(str(panel), uow=uow_factory())


def mails(uow_factory, kind: str) -> list:
    with uow_factory() as uow:
        return [m for m in uow.outbox.list() if m.kind == kind]


def test_a_coordinator_sees_the_wishes_newest_first_with_who_sent_them(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    submit_topic_wish(sven, "Parkering vid hälsostationen", uow=uow_factory(), clock=clock)
    clock.advance(days=1)
    submit_topic_wish(sven, "Ajanvaraus puhelimella", uow=uow_factory(), clock=clock)
    coordinator = signed_in(COORD, "en")

    page = coordinator.get(f"/panels/{world.panel_a}/wishes")

    assert page.status_code == 200
    text = visible(page.text)
    assert text.index("Ajanvaraus puhelimella") < text.index("Parkering vid hälsostationen")
    assert "Sven Svensson" in text
    assert "open" in text
    assert "Put it on the agenda" in text
    assert "Decline the wish" in text
    assert not LEAKS.search(text)
    panel_page = coordinator.get(f"/panels/{world.panel_a}").text
    assert f"/panels/{world.panel_a}/wishes" in panel_page
    assert f"/panels/{world.panel_a}/rules" in panel_page


def test_scheduling_a_wish_names_the_meeting_and_tells_the_member(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    wish = submit_topic_wish(sven, "Parkering", uow=uow_factory(), clock=clock)
    coordinator = signed_in(COORD, "fi")
    page = coordinator.get(f"/panels/{world.panel_a}/wishes").text
    assert f'<option value="{world.meeting_a}">' in page

    done = coordinator.post(
        f"/panels/{world.panel_a}/wishes/{wish.id}/schedule",
        data={"csrf_token": csrf(page), "meeting": str(world.meeting_a)},
    )

    assert done.status_code == 303
    after = coordinator.get(done.headers["location"]).text
    assert f'href="/meetings/{world.meeting_a}"' in after
    assert "Miten ajanvaraus?" in visible(after)  # the meeting named by its date and task
    (stored,) = wishes_of(uow_factory, world.panel_a)
    assert (stored.status, stored.meeting_id) == (WishStatus.SCHEDULED, world.meeting_a)
    assert [m.language for m in mails(uow_factory, TOPIC_WISH_SCHEDULED)] == ["sv"]
    other = coordinator.post(
        f"/panels/{world.panel_a}/wishes/{wish.id}/schedule",
        data={"csrf_token": csrf(page), "meeting": str(world.meeting_b)},
    )
    assert other.status_code == 422  # another panel's meeting is refused in the form
    assert 'aria-invalid="true"' in other.text


def test_a_decline_without_a_note_names_the_field_and_writes_nothing(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    wish = submit_topic_wish(sven, "Parkering", uow=uow_factory(), clock=clock)
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/wishes").text)

    refused = coordinator.post(
        f"/panels/{world.panel_a}/wishes/{wish.id}/decline", data={"csrf_token": token, "note": "  "}
    )

    assert refused.status_code == 422
    assert "“Note to the member” is empty: fill it in." in unescape(refused.text)
    assert f'id="decline-{wish.id}-note"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert not LEAKS.search(visible(refused.text))
    assert wishes_of(uow_factory, world.panel_a)[0].status is WishStatus.OPEN
    assert mails(uow_factory, TOPIC_WISH_DECLINED) == []


def test_a_phone_number_in_the_note_is_marked_and_nothing_is_sent(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    wish = submit_topic_wish(sven, "Parkering", uow=uow_factory(), clock=clock)
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/wishes").text)

    refused = coordinator.post(
        f"/panels/{world.panel_a}/wishes/{wish.id}/decline",
        data={"csrf_token": token, "note": "Soita minulle 040 123 4567"},
    )

    assert refused.status_code == 422
    assert "<mark>" in refused.text
    assert "a phone number" in refused.text
    assert 'value="Soita' not in refused.text
    assert "Soita minulle 040 123 4567</textarea>" in refused.text
    assert wishes_of(uow_factory, world.panel_a)[0].status is WishStatus.OPEN
    assert mails(uow_factory, TOPIC_WISH_DECLINED) == []


def test_a_declined_wish_mails_its_member_in_their_language_and_shows_the_note(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    wish = submit_topic_wish(sven, "Parkering", uow=uow_factory(), clock=clock)
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/wishes").text)

    done = coordinator.post(
        f"/panels/{world.panel_a}/wishes/{wish.id}/decline", data={"csrf_token": token, "note": NOTE}
    )

    assert done.status_code == 303
    after = visible(coordinator.get(done.headers["location"]).text)
    assert "The wish is declined. Its member will be told why by email." in unescape(after)
    assert "declined" in after
    assert NOTE in unescape(after)
    (mail,) = mails(uow_factory, TOPIC_WISH_DECLINED)
    assert (mail.recipient_id, mail.language, mail.payload["note"]) == (sven, "sv", NOTE)
    again = coordinator.post(
        f"/panels/{world.panel_a}/wishes/{wish.id}/decline", data={"csrf_token": token, "note": NOTE}
    )
    assert again.status_code == 422  # only an open wish is declined
    assert len(mails(uow_factory, TOPIC_WISH_DECLINED)) == 1


def test_a_coordinator_records_a_wish_on_a_members_behalf(
    signed_in: Signed, world: World, uow_factory, sven: int
) -> None:
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/wishes").text)

    empty = coordinator.post(
        f"/panels/{world.panel_a}/wishes", data={"csrf_token": token, "member": str(sven), "text": " "}
    )
    done = coordinator.post(
        f"/panels/{world.panel_a}/wishes", data={"csrf_token": token, "member": str(sven), "text": "Esteettömyys"}
    )

    assert empty.status_code == 422
    assert 'id="add-text"' in empty.text
    assert done.status_code == 303
    (stored,) = wishes_of(uow_factory, world.panel_a)
    assert (stored.member_id, stored.text, stored.submitted_by) == (sven, "Esteettömyys", "koordinaattori@ita.example")


def test_the_role_matrix_of_the_wish_and_rules_pages(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    wish = submit_topic_wish(sven, "Parkering", uow=uow_factory(), clock=clock)

    other = signed_in(COORD_OTHER, "en")
    token = csrf(other.get(f"/panels/{world.panel_b}/wishes").text)
    assert other.get(f"/panels/{world.panel_a}/wishes").status_code == 403
    assert other.get(f"/panels/{world.panel_a}/rules").status_code == 403
    refused = other.post(f"/panels/{world.panel_a}/wishes/{wish.id}/decline", data={"csrf_token": token, "note": NOTE})
    assert refused.status_code == 403
    assert "Not allowed" in refused.text
    misplaced = other.post(
        f"/panels/{world.panel_b}/wishes/{wish.id}/decline", data={"csrf_token": token, "note": NOTE}
    )
    assert misplaced.status_code == 404  # another panel's wish is not found through one's own panel
    rules = other.post(
        f"/panels/{world.panel_a}/rules", data={"csrf_token": token, "rules_fi": "A", "rules_sv": "A", "rules_en": "A"}
    )
    assert rules.status_code == 403

    owner = signed_in(OWNER, "en")
    assert owner.get(f"/panels/{world.panel_a}/wishes").status_code == 403
    assert owner.get(f"/panels/{world.panel_a}/rules").status_code == 403

    manager = signed_in(MANAGER, "en")
    read = manager.get(f"/panels/{world.panel_a}/wishes")
    assert read.status_code == 200
    assert "Parkering" in read.text
    assert "Sven Svensson" not in read.text
    assert "Put it on the agenda" not in read.text
    assert "Decline the wish" not in read.text
    refused = manager.post(
        f"/panels/{world.panel_a}/wishes/{wish.id}/decline", data={"csrf_token": csrf(read.text), "note": NOTE}
    )
    assert refused.status_code == 403
    rules_page = manager.get(f"/panels/{world.panel_a}/rules").text
    assert "Publish the new version" not in rules_page
    assert "Aino Asukas" not in rules_page
    assert wishes_of(uow_factory, world.panel_a)[0].status is WishStatus.OPEN
    assert mails(uow_factory, TOPIC_WISH_DECLINED) == []


def test_the_rules_page_shows_the_current_version_and_who_has_acknowledged_it(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    acknowledge_ground_rules(sven, 1, uow=uow_factory(), clock=clock)
    coordinator = signed_in(COORD, "en")

    page = coordinator.get(f"/panels/{world.panel_a}/rules")

    assert page.status_code == 200
    text = unescape(visible(page.text))
    assert "Version 1 in use" in text
    assert "Sven Svensson" in text
    assert "Aino Asukas" in text
    assert "1 of the active members has acknowledged it." in text
    assert "We keep our turns brief." in text
    assert "Vi håller våra inlägg korta." in text
    assert "Pidämme puheenvuorot lyhyinä." in page.text  # prefilled in the Finnish textarea too
    assert not LEAKS.search(text)


def test_publishing_a_version_by_the_form_and_its_refusals(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/rules").text)
    good = {"rules_fi": "Kuuntelemme.\n\nAloitamme ajallaan.", "rules_sv": "Vi lyssnar.\nVi börjar i tid.",
            "rules_en": "We listen.\nWe start on time."}  # fmt: skip

    empty = coordinator.post(f"/panels/{world.panel_a}/rules", data={"csrf_token": token, **good, "rules_sv": " "})
    uneven = coordinator.post(
        f"/panels/{world.panel_a}/rules", data={"csrf_token": token, **good, "rules_en": "We listen."}
    )

    assert empty.status_code == 422
    assert "“Rules in Swedish” is empty: fill it in." in unescape(empty.text)
    assert 'id="publish-rules_sv"' in empty.text
    assert 'aria-invalid="true"' in empty.text
    assert "Kuuntelemme." in empty.text  # what was sent stays in the form
    assert uneven.status_code == 422
    assert "now the Finnish has 2, the Swedish 2 and the English 1" in unescape(uneven.text)
    assert show_ground_rules(str(world.panel_a), uow=uow_factory())[1].stored is False  # nothing written

    done = coordinator.post(f"/panels/{world.panel_a}/rules", data={"csrf_token": token, **good})

    assert done.status_code == 303
    _, rules = show_ground_rules(str(world.panel_a), uow=uow_factory())
    assert (rules.version, rules.in_language("sv")) == (1, ["Vi lyssnar.", "Vi börjar i tid."])
    after = unescape(visible(coordinator.get(done.headers["location"]).text))
    assert "Version 1 of the ground rules is published." in after
    assert "koordinaattori@ita.example" in after
    same = coordinator.post(f"/panels/{world.panel_a}/rules", data={"csrf_token": token, **good})
    assert same.status_code == 422
    assert "there is nothing new to publish" in unescape(same.text)
    report = ground_rules_acks(str(world.panel_a), uow=uow_factory())
    assert sven in [s.member_id for s in report.not_acknowledged]


def test_the_members_own_page_shows_their_declined_wish_with_the_note(
    signed_in: Signed, world: World, uow_factory, clock, sven: int, link_signer
) -> None:
    declined = submit_topic_wish(sven, "Parkering", uow=uow_factory(), clock=clock)
    submit_topic_wish(sven, "Tolkning", uow=uow_factory(), clock=clock)
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/wishes").text)
    coordinator.post(f"/panels/{world.panel_a}/wishes/{declined.id}/decline", data={"csrf_token": token, "note": NOTE})

    page = coordinator.get(f"/m/{sven}/topics?token={link_signer.sign(PREFERENCES, sven)}")

    assert page.status_code == 200
    text = unescape(visible(page.text))
    assert "Dina ämnesönskemål" in text  # in the member's language
    assert "Kundrådet tar inte upp detta ämne." in text
    assert NOTE in text
    assert "Tolkning" in text
    assert text.count("De ansvarigas motivering till dig:") == 1  # only the declined one has a note


def test_health_details_in_a_note_go_only_once_the_coordinator_confirms_them(
    signed_in: Signed, world: World, uow_factory, clock, sven: int
) -> None:
    note = "Diabeteksen hoito käsitellään diabeteshoitajan kanssa, ei raadissa."
    wish = submit_topic_wish(sven, "Diabetes", uow=uow_factory(), clock=clock)
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/wishes").text)
    address = f"/panels/{world.panel_a}/wishes/{wish.id}/decline"

    asked = coordinator.post(address, data={"csrf_token": token, "note": note})

    assert asked.status_code == 422
    assert "I have checked the health details" in asked.text
    assert "<mark>" in asked.text
    assert mails(uow_factory, TOPIC_WISH_DECLINED) == []
    done = coordinator.post(address, data={"csrf_token": token, "note": note, "acknowledge_health": "yes"})
    assert done.status_code == 303
    with uow_factory() as uow:
        types = [e.type for e in uow.events.for_aggregate(Aggregate.TOPIC_WISH, wish.stored_id)]
    assert types == ["submitted", "declined", "privacy_acknowledged"]
    assert len(mails(uow_factory, TOPIC_WISH_DECLINED)) == 1


def test_the_models_own_rules_are_published_again_by_their_own_form(
    signed_in: Signed, world: World, uow_factory
) -> None:
    coordinator = signed_in(COORD, "en")
    page = coordinator.get(f"/panels/{world.panel_a}/rules").text
    token = csrf(page)
    assert "Publish the model's rules" not in page  # nothing published yet: the model's rules are in use
    own = {"rules_fi": "Kuuntelemme.", "rules_sv": "Vi lyssnar.", "rules_en": "We listen."}
    assert coordinator.post(f"/panels/{world.panel_a}/rules", data={"csrf_token": token, **own}).status_code == 303

    done = coordinator.post(f"/panels/{world.panel_a}/rules/default", data={"csrf_token": token})
    again = coordinator.post(f"/panels/{world.panel_a}/rules/default", data={"csrf_token": token})

    assert done.status_code == 303
    _, rules = show_ground_rules(str(world.panel_a), uow=uow_factory())
    assert rules.version == 2
    assert "We keep our turns brief." in rules.in_language("en")
    assert again.status_code == 422
    assert "there is nothing new to publish" in unescape(again.text)
    assert 'id="default-error"' in again.text
    assert show_ground_rules(str(world.panel_a), uow=uow_factory())[1].version == 2
