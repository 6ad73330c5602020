"""A member's own view of their panel (``/m/{member}/panel``, issue 16), over HTTP on SQLite and PostgreSQL: the
panel's ideas with the reasons and outcomes written to the members, in the member's language, filtered by state;
nothing about other members and no staff addresses; a link signed for another member opens nothing."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from application.commands import MoveIdea
from application.ideas.changes import move_idea
from application.participation.topic_wishes import DeclineTopicWish, decline_topic_wish, submit_topic_wish
from application.people.preferences import ChangePreferences, change_preferences
from domain.meetings import Material
from notifications.links import PREFERENCES, LinkSigner
from tests.api.conftest import World
from tests.conftest import FixedClock
from tests.web.conftest import visible

pytestmark = pytest.mark.slow  # drives the whole web app, on both databases

REASON = "Pysäköinti kuuluu kiinteistön omistajalle."
REASON_SV = "Parkeringen sköts av fastighetens ägare."


def member_id(uow_factory, email: str) -> int:
    with uow_factory() as uow:
        return next(
            m.stored_id for p in uow.panels.list() for m in uow.members.for_panel(p.stored_id) if m.email == email
        )


def test_a_member_reads_the_panels_ideas_and_what_became_of_them_in_their_language(
    app, world: World, uow_factory, link_signer: LinkSigner
) -> None:
    aino = member_id(uow_factory, "aino@example.org")
    change_preferences(ChangePreferences(member_id=aino, language="sv"), uow=uow_factory(), clock=FixedClock())
    move_idea(
        MoveIdea(
            world.idea_raised,
            to="declined",
            note=REASON,
            translations={"sv": {"note": REASON_SV}},
            expected_version=1,
        ),
        uow=uow_factory(),
        clock=FixedClock(),
    )
    token = link_signer.sign(PREFERENCES, aino)
    client = TestClient(app, base_url="http://127.0.0.1", headers={"Accept-Language": "fi"})

    page = client.get(f"/m/{aino}/panel", params={"token": token})

    assert page.status_code == 200
    assert re.search(r'<html lang="sv">', page.text)
    text = visible(page.text)
    assert "Ajanvaraus verkossa" in text  # the idea sent to the service
    assert "Pysäköinti" in text  # the declined one, with its reason in Swedish
    assert REASON_SV in text
    assert "Varför den inte går vidare" in text or "går inte vidare" in text
    for private in ("bengt@example.org", "Bengt Bybo", "chris@example.org", "@ita.example", "@lansi.example"):
        assert private not in page.text, private  # no other member, no staff address
    declined = client.get(f"/m/{aino}/panel", params={"token": token, "state": "declined"})
    assert "Pysäköinti" in visible(declined.text)
    assert "Ajanvaraus verkossa" not in visible(declined.text)
    odd = client.get(f"/m/{aino}/panel", params={"token": token, "state": "flying"})
    assert odd.status_code == 200  # an unknown state shows every idea
    assert "Ajanvaraus verkossa" in visible(odd.text)


def test_a_link_signed_for_another_member_opens_nothing(
    app, world: World, uow_factory, link_signer: LinkSigner
) -> None:
    aino, bengt = member_id(uow_factory, "aino@example.org"), member_id(uow_factory, "bengt@example.org")
    client = TestClient(app, base_url="http://127.0.0.1")

    foreign = client.get(f"/m/{aino}/panel", params={"token": link_signer.sign(PREFERENCES, bengt)})

    assert foreign.status_code == 403
    assert "Ajanvaraus" not in foreign.text


def test_a_member_sees_each_ideas_steps_the_pre_brief_and_what_became_of_their_wishes(
    app, world: World, uow_factory, link_signer: LinkSigner
) -> None:
    aino = member_id(uow_factory, "aino@example.org")
    clock = FixedClock()
    move_idea(
        MoveIdea(world.idea_raised, to="declined", note=REASON, expected_version=1), uow=uow_factory(), clock=clock
    )
    with uow_factory() as uow:  # the coming meeting's pre-brief has gone out, with its agenda and a material
        meeting = uow.meetings.get(world.meeting_a)
        meeting.agenda = ["Avaus", "Ajanvarauksen kokemukset"]
        meeting.materials = [Material(title="Ajanvarauksen kysely", url="https://www.hel.fi/kysely")]
        meeting.prebrief_sent_at = clock.now()
        uow.meetings.save(meeting)
        uow.commit()
    wish = submit_topic_wish(aino, "Kirjastojen aukioloajat", uow=uow_factory(), clock=clock)
    decline_topic_wish(
        DeclineTopicWish(wish_id=wish.stored_id, note="Kirjastot eivät kuulu tämän raadin palveluihin."),
        uow=uow_factory(),
        clock=clock,
    )
    client = TestClient(app, base_url="http://127.0.0.1")

    page = client.get(f"/m/{aino}/panel", params={"token": link_signer.sign(PREFERENCES, aino)})

    text = visible(page.text)
    assert "Mitä idealle on tapahtunut" in text  # the declined idea's steps: raised, then declined with its reason
    assert "Kirjattu raadissa" in text
    assert "Tila: ei etene" in text
    assert "Ennakkotiedot (lähetetty" in text
    assert "Ajanvarauksen kokemukset" in text
    assert 'href="https://www.hel.fi/kysely"' in page.text
    assert "Kirjastojen aukioloajat" in text  # the member's own wish, not taken up, with the note to them
    assert "Kirjastot eivät kuulu tämän raadin palveluihin." in text
    # Their own calendar feed: the address to subscribe to and the way to a new one.
    assert re.search(rf'href="webcal://[^"]+/m/{aino}/calendar\.ics\?token=[^"]+"', page.text)
    assert f'action="/m/{aino}/calendar/new?token=' in page.text
