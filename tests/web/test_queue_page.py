"""The queue page and the move form's safe defaults, over TestClient on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from tests.api.conftest import COORD, World
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
