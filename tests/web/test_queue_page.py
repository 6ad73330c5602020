"""The queue page and the move form's safe defaults, over TestClient on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.api.conftest import COORD, COORD_OTHER, OWNER, OWNER_OTHER, World
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app (1–2 s), on SQLite and PostgreSQL


def select_of(page: str, name: str, idea_id: int) -> str:
    found = re.search(rf'<select id="{name}-{idea_id}".*?</select>', page, flags=re.S)
    assert found, page
    return found.group(0)


def selected(select: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select)


def test_no_move_is_preselected_and_a_form_without_one_names_the_action(signed_in: Signed, world: World) -> None:
    client = signed_in(COORD, "en")
    page = client.get(f"/ideas/{world.idea_sent}").text
    assert selected(select_of(page, "to", world.idea_sent)) == [""]
    assert "Choose an action to see who will be told." in visible(page)
    sent = client.post(
        f"/ideas/{world.idea_sent}/move",
        data={"csrf_token": csrf(page), "expected_version": "2", "to": "", "note": ""},
    )
    assert sent.status_code == 422, sent.text
    assert "Choose an action from the list." in visible(sent.text)
    assert 'aria-invalid="true" aria-describedby="error-' in select_of(sent.text, "to", world.idea_sent)
    assert not LEAKS.search(visible(sent.text))


def test_the_service_field_is_only_for_a_raised_idea_and_starts_from_the_suggested_one(
    signed_in: Signed, world: World
) -> None:
    client = signed_in(COORD, "en")
    # Sent on already: no service to choose.
    assert 'name="service"' not in client.get(f"/ideas/{world.idea_sent}").text
    # Raised without a suggestion: no service is preselected (not the alphabetically first).
    page = client.get(f"/ideas/{world.idea_raised}").text
    assert selected(select_of(page, "service", world.idea_raised)) == [""]
    refused = client.post(
        f"/ideas/{world.idea_raised}/move",
        data={"csrf_token": csrf(page), "expected_version": "1", "to": "sent_to_service", "service": ""},
    )
    assert refused.status_code == 422, refused.text
    assert "Choose the service the idea is sent to." in visible(refused.text)


def test_a_raised_idea_with_a_suggested_service_starts_from_it(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    from application.commands import RaiseIdea
    from application.ideas.changes import raise_idea

    suggested = raise_idea(
        RaiseIdea(meeting_id=world.meeting_a, title="Perheiden neuvonta", service="Perhekeskus"),
        uow=uow_factory(),
        clock=clock,
    )
    page = signed_in(COORD, "en").get(f"/ideas/{suggested.id}").text
    service = select_of(page, "service", suggested.id)
    assert selected(service) != [""]
    chosen = re.search(r'<option value="(\d+)"[^>]*\bselected\b[^>]*>([^<]*)<', service)
    assert chosen is not None
    assert chosen.group(2).startswith("Perhekeskus")
    assert "(suggested)" in chosen.group(2)


def titles(page: str) -> list[str]:
    return re.findall(r'<h2 id="idea-\d+-title"><a href="/ideas/\d+">#\d+ <span[^>]*>([^<]*)</span>', page)


def test_the_queue_filters_by_state_panel_service_and_title_in_the_address(signed_in: Signed, world: World) -> None:
    client = signed_in(COORD, "en")
    everything = client.get("/queue")
    assert everything.status_code == 200
    assert sorted(titles(everything.text)) == ["Ajanvaraus verkossa", "Pysäköinti"]
    assert 'role="search"' in everything.text  # a plain GET form: works without JavaScript
    raised = client.get("/queue", params={"state": "raised"})
    assert titles(raised.text) == ["Pysäköinti"]
    assert "Raised ideas waiting to be sent on" in visible(raised.text)
    assert titles(client.get("/queue", params={"service": str(world.service_a1)}).text) == ["Ajanvaraus verkossa"]
    assert titles(client.get("/queue", params={"q": "AJANVARAUS"}).text) == ["Ajanvaraus verkossa"]
    assert titles(client.get("/queue", params={"panel": str(world.panel_a), "q": "x"}).text) == []
    assert "No open ideas match." in visible(client.get("/queue", params={"q": "nothing like this"}).text)
    # Bad filters are refused by name, on a page (not JSON).
    wrong = client.get("/queue", params={"state": "flying"})
    assert wrong.status_code == 422
    assert wrong.headers["content-type"].startswith("text/html")
    assert client.get("/queue", params={"panel": "abc"}).status_code == 422


def test_a_coordinator_of_another_panel_and_an_owner_see_only_their_own(signed_in: Signed, world: World) -> None:
    other = signed_in(COORD_OTHER, "en")
    assert titles(other.get("/queue").text) == ["Kotihoidon aikataulut"]
    refused = other.get("/queue", params={"panel": str(world.panel_a)})
    assert refused.status_code == 403
    assert "Ajanvaraus" not in refused.text
    assert other.get("/queue", params={"service": str(world.service_a1)}).status_code == 403
    owner = signed_in(OWNER, "en")
    mine = owner.get("/queue")
    assert titles(mine.text) == ["Ajanvaraus verkossa"]  # not the raised idea, not panel B's
    assert 'value="raised"' not in mine.text.split('id="filter-state"')[1].split("</select>")[0]
    assert owner.get("/queue", params={"state": "raised"}).status_code == 422
    other_service = signed_in(OWNER_OTHER, "en")
    assert titles(other_service.get("/queue").text) == []
    assert other_service.get("/queue", params={"service": str(world.service_a1)}).status_code == 403


def test_the_longest_waiting_idea_comes_first_with_its_age_and_overdue_flag(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    from application.commands import NoteIdea
    from application.ideas.changes import note_idea

    # The raised idea waited from the start; the sent one is noted a month later and flagged when stale.
    clock.advance(timedelta(days=40))
    note_idea(NoteIdea(world.idea_raised, text="Selvitetään."), uow=uow_factory(), clock=clock)
    clock.advance(timedelta(days=2))
    page = signed_in(COORD, "en").get("/queue").text
    assert titles(page) == ["Ajanvaraus verkossa", "Pysäköinti"]
    text = " ".join(visible(page).split())
    assert "waiting 42 days overdue" in text  # sent to the service 42 days ago: past the panel's stale days
    assert "waiting 2 days" in text
    assert page.count('class="badge overdue-badge"') == 1  # a raised idea waits for its coordinator: no chasing line


def test_a_refused_form_on_a_narrowed_queue_shows_the_same_narrowed_queue(signed_in: Signed, world: World) -> None:
    client = signed_in(COORD, "en")
    page = client.get("/queue", params={"state": "raised"}).text
    assert 'name="filter_state" value="raised"' in page
    refused = client.post(
        f"/ideas/{world.idea_raised}/move",
        data={
            "csrf_token": csrf(page),
            "expected_version": "1",
            "to": "declined",
            "note": "",
            "from": "queue",
            "filter_state": "raised",
        },
    )
    assert refused.status_code == 422
    assert "Write the members why the idea is not going ahead." in visible(refused.text)
    assert titles(refused.text) == ["Pysäköinti"]
    assert "Raised ideas waiting to be sent on" in visible(refused.text)
