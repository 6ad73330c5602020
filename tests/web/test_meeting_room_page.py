"""The meeting room page (``/meetings/{id}/room``) over ``act_in_room``, on SQLite and PostgreSQL: the panel's
coordinator runs it with plain forms (room.js is tested in tests/browser/test_meeting_room.py); anyone else is refused
with a page; a form sent twice is recorded once; a bad tap is shown again with an error naming the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape

import pytest

from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World, app  # noqa: F401  (the fixture)
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app; CI runs them on SQLite and PostgreSQL

AINO, BENGT = "Aino Asukas", "Bengt Bybo"


def text_of(html: str) -> str:
    return " ".join(unescape(visible(html)).split())


def member_ids(uow_factory: Callable, world: World) -> dict[str, int]:
    with uow_factory() as uow:
        return {m.name: m.stored_id for m in uow.members.for_panel(world.panel_a)}


def actions(uow_factory: Callable, meeting_id: int) -> list:
    with uow_factory() as uow:
        return list(uow.meeting_room.actions(meeting_id))


def turns(uow_factory: Callable, meeting_id: int) -> list:
    with uow_factory() as uow:
        return list(uow.meeting_room.turns(meeting_id))


def tap(client, world: World, token: str, kind: str, member: int | None = None, *, action_id: str | None = None,
        fragment: bool = False, **extra: str):  # fmt: skip
    form = {"csrf_token": token, "action_id": action_id or f"test-{kind}-{member}-{id(extra)}", "kind": kind}
    if member is not None:
        form["member_id"] = str(member)
    headers = {"X-Raati-Room": "1"} if fragment else {}
    return client.post(f"/meetings/{world.meeting_a}/room", data=form | extra, headers=headers)


def test_the_coordinator_runs_a_turn_with_plain_forms(signed_in: Signed, world: World, uow_factory, clock) -> None:
    client = signed_in(COORD, "en")
    ids = member_ids(uow_factory, world)
    room = client.get(f"/meetings/{world.meeting_a}/room")
    token = csrf(room.text)

    assert room.status_code == 200
    text = text_of(room.text)
    assert "Meeting room" in text
    assert "At the door" in text
    assert AINO in text
    assert BENGT in text
    assert "Nobody is marked present yet" in text
    # Every form carries an action id of its own, made by the server.
    action_ids = re.findall(r'name="action_id" value="([0-9a-f]{32})"', room.text)
    assert len(action_ids) == len(set(action_ids)) >= 3

    assert tap(client, world, token, "present", ids[AINO], action_id="door-aino-1").status_code == 303
    assert tap(client, world, token, "ask", ids[BENGT], action_id="ask-bengt-1").status_code == 303
    assert tap(client, world, token, "ask", ids[AINO], action_id="ask-aino-01").status_code == 303
    queued = text_of(client.get(f"/meetings/{world.meeting_a}/room").text)
    # Both have had no turns: who asked first comes first, and the page says why.
    assert queued.index(f"Start next: {BENGT}") >= 0
    assert "asked first" in queued
    assert "0 of 2 present have spoken" in queued

    started = tap(client, world, token, "start", ids[BENGT], action_id="start-bengt-1")
    clock.advance(timedelta(seconds=95))
    ended = tap(client, world, token, "end", ids[BENGT], action_id="end-bengt-01", fragment=True)

    assert started.status_code == 303
    assert started.headers["location"] == f"/meetings/{world.meeting_a}/room"
    # room.js gets the room's region alone, to swap in place: no page around it.
    assert ended.status_code == 200
    assert "<html" not in ended.text
    assert 'id="room-balance"' in ended.text
    region = text_of(ended.text)
    assert "1 of 2 present have spoken" in region
    assert "Undo: the turn ended" in region
    assert f"Start next: {AINO}" in region
    (turn,) = turns(uow_factory, world.meeting_a)
    assert turn.member_id == ids[BENGT]
    assert (turn.ended_at - turn.started_at).total_seconds() == 95
    assert LEAKS.search(region) is None


def test_a_form_sent_twice_is_recorded_once(signed_in: Signed, world: World, uow_factory, clock) -> None:
    client = signed_in(COORD, "fi")
    ids = member_ids(uow_factory, world)
    token = csrf(client.get(f"/meetings/{world.meeting_a}/room").text)

    first = tap(client, world, token, "start", ids[AINO], action_id="same-tap-0001", fragment=True)
    clock.advance(timedelta(seconds=30))
    # Sent again as a JSON client would ask: the room's region all the same, and nothing recorded twice.
    again = client.post(
        f"/meetings/{world.meeting_a}/room",
        headers={"Accept": "application/json"},
        data={"csrf_token": token, "action_id": "same-tap-0001", "kind": "start", "member_id": str(ids[AINO])},
    )

    assert (first.status_code, again.status_code) == (200, 200)
    assert [a.action_id for a in actions(uow_factory, world.meeting_a)] == ["same-tap-0001"]
    assert len(turns(uow_factory, world.meeting_a)) == 1
    assert again.headers["content-type"].startswith("text/html")
    assert "Puhuu nyt Aino Asukas Puheaika: 0:30" in text_of(again.text)


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"kind": "shout"}, "kind", "“Action”"),
        ({"kind": "ask", "member_id": "999999"}, "member_id", "“Member”"),
        ({"kind": "guide", "seconds": "5"}, "seconds", "“Guide time”"),
    ],
)
def test_a_bad_tap_is_shown_again_naming_the_field_and_nothing_is_recorded(
    signed_in: Signed, world: World, uow_factory, form: dict[str, str], field: str, words: str
) -> None:
    client = signed_in(COORD, "en")
    token = csrf(client.get(f"/meetings/{world.meeting_a}/room").text)

    plain = client.post(f"/meetings/{world.meeting_a}/room",
                        data={"csrf_token": token, "action_id": "bad-tap-0001", **form})  # fmt: skip
    fragment = client.post(f"/meetings/{world.meeting_a}/room", headers={"X-Raati-Room": "1"},
                           data={"csrf_token": token, "action_id": "bad-tap-0002", **form})  # fmt: skip

    assert (plain.status_code, fragment.status_code) == (422, 422)
    assert "<html" in plain.text
    assert "<html" not in fragment.text
    for answer in (plain, fragment):
        assert 'class="error-summary"' in answer.text
        text = text_of(answer.text)
        assert "Not saved" in text
        assert words in text
        assert LEAKS.search(text) is None
        assert "member_id" not in text  # the fields' codes are never shown, their labels are
        assert "action_id" not in text
    if field == "seconds":
        assert 'aria-invalid="true"' in plain.text.split('id="f-seconds"')[1].split(">")[0]
    assert actions(uow_factory, world.meeting_a) == []


def test_a_member_of_another_panel_cannot_be_tapped(signed_in: Signed, world: World, uow_factory) -> None:
    client = signed_in(COORD, "en")
    token = csrf(client.get(f"/meetings/{world.meeting_a}/room").text)
    with uow_factory() as uow:
        (chris,) = [m.stored_id for m in uow.members.for_panel(world.panel_b)]

    refused = tap(client, world, token, "present", chris, action_id="other-panel-1")

    assert refused.status_code == 422
    assert "“Member”" in text_of(refused.text)
    assert actions(uow_factory, world.meeting_a) == []


@pytest.mark.parametrize("who", [COORD_OTHER, OWNER, MANAGER])
def test_only_the_panels_coordinator_may_open_or_use_the_room(
    signed_in: Signed, world: World, uow_factory, who: str
) -> None:
    client = signed_in(who, "fi")
    token = csrf(client.get("/settings").text)
    ids = member_ids(uow_factory, world)

    page = client.get(f"/meetings/{world.meeting_a}/room")
    posted = tap(client, world, token, "ask", ids[AINO], action_id="not-mine-001")
    fragment = tap(client, world, token, "ask", ids[AINO], action_id="not-mine-002", fragment=True)
    meeting = client.get(f"/meetings/{world.meeting_a}")

    assert (page.status_code, posted.status_code, fragment.status_code) == (403, 403, 403)
    assert "<html" in page.text
    assert AINO not in text_of(page.text)
    assert actions(uow_factory, world.meeting_a) == []
    assert f"/meetings/{world.meeting_a}/room" not in meeting.text


def test_the_meeting_page_links_the_room_and_after_it_shows_the_balance(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    coordinator = signed_in(COORD, "en")
    ids = member_ids(uow_factory, world)
    before = coordinator.get(f"/meetings/{world.meeting_a}")
    assert f'href="/meetings/{world.meeting_a}/room"' in before.text
    assert "Speaking balance" not in text_of(before.text)

    with uow_factory() as uow:
        clock.set(uow.meetings.get(world.meeting_a).starts_at + timedelta(minutes=5))
    coordinator = signed_in(COORD, "en")  # a month on: the first session has long timed out
    token = csrf(coordinator.get(f"/meetings/{world.meeting_a}/room").text)
    for step, (kind, who, wait) in enumerate(
        [("present", BENGT, 0), ("start", AINO, 60), ("start", BENGT, 180), ("end", BENGT, 0)]
    ):
        assert tap(coordinator, world, token, kind, ids[who], action_id=f"balance-step-{step}").status_code == 303
        clock.advance(timedelta(seconds=wait))

    mine = text_of(coordinator.get(f"/meetings/{world.meeting_a}").text)
    owners = text_of(signed_in(OWNER, "en").get(f"/meetings/{world.meeting_a}").text)

    assert "Speaking balance" in mine
    assert "100%" in mine  # both present spoke
    assert "3 min" in mine  # Bengt's turn, the longest
    assert "Each member present" in mine
    assert re.search(rf"{BENGT} 1 3 min .*{AINO} 1 1 min", mine)
    # The figures without names for whoever else reads the meeting.
    assert "Each member present" not in owners
    assert BENGT not in owners
    assert AINO not in owners


@pytest.mark.parametrize(
    ("language", "heading", "door"),
    [("fi", "Kokoushuone", "Ovella"), ("sv", "Mötesrummet", "Vid dörren"), ("en", "Meeting room", "At the door")],
)
def test_the_room_is_in_the_readers_language(
    signed_in: Signed, world: World, language: str, heading: str, door: str
) -> None:
    room = signed_in(COORD, language).get(f"/meetings/{world.meeting_a}/room")

    assert room.status_code == 200
    assert f'<html lang="{language}">' in room.text
    text = text_of(room.text)
    assert heading in text
    assert door in text


def test_a_tap_the_room_has_overtaken_is_refused_saying_how_things_stand(
    signed_in: Signed, world: World, uow_factory
) -> None:
    """Two tablets, or a page left open: a tap that no longer fits the room is refused in words, not as an error."""
    client = signed_in(COORD, "en")
    ids = member_ids(uow_factory, world)
    token = csrf(client.get(f"/meetings/{world.meeting_a}/room").text)

    nobody_speaks = tap(client, world, token, "end", action_id="end-nobody-1")
    assert tap(client, world, token, "ask", ids[AINO], action_id="ask-aino-first").status_code == 303
    asked_again = tap(client, world, token, "ask", ids[AINO], action_id="ask-aino-again", fragment=True)

    assert (nobody_speaks.status_code, asked_again.status_code) == (422, 422)
    assert "Nobody is speaking, so there is no turn to end." in text_of(nobody_speaks.text)
    assert "“Member” is in the queue already." in text_of(asked_again.text)
    assert [a.action_id for a in actions(uow_factory, world.meeting_a)] == ["ask-aino-first"]
