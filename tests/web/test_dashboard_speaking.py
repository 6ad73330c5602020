"""The dashboard's trend of speaking balance over meetings (``/dashboard?panel=ID``), on SQLite and PostgreSQL:
the figures stored by the meeting room, per meeting, in words a manager reads, and never a member's name."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.meeting_room import RoomCommand, act_in_room
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, World
from tests.web.conftest import Signed, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL


def run_room(world: World, uow_factory, clock) -> None:  # type: ignore[no-untyped-def]
    """Meeting A: Aino and Bengt present, Aino speaks 90 s, Bengt not at all."""
    clock.advance(timedelta(days=30, minutes=10))
    with uow_factory() as uow:
        members = {m.name: m.stored_id for m in uow.members.for_panel(world.panel_a)}
    taps = [("present", members["Aino Asukas"], 0), ("present", members["Bengt Bybo"], 0),
            ("start", members["Aino Asukas"], 5), ("end", None, 90)]  # fmt: skip
    for n, (kind, member, after) in enumerate(taps):
        clock.advance(seconds=after)
        cmd = RoomCommand(
            meeting_id=world.meeting_a, action_id=f"dashboard-{n}", kind=kind, member_id=member,
            actor=world.emails[COORD],
        )  # fmt: skip
        act_in_room(cmd, uow=uow_factory(), clock=clock)


def test_the_dashboard_shows_each_meetings_speaking_balance_without_names(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    run_room(world, uow_factory, clock)

    page = signed_in(MANAGER, "en").get(f"/dashboard?panel={world.panel_a}")

    assert page.status_code == 200
    text = " ".join(visible(page.text).split())
    section = text.split("Speaking balance over meetings", 1)[1].split("Outgoing email", 1)[0]
    assert "1 of 2 (50%)" in section  # those present who spoke
    assert "0.50" in section  # Gini of 0 and 90 seconds
    assert "1 min 30 s" in section  # the longest turn
    assert "0 when everyone present spoke equally long" in section
    assert f'href="/meetings/{world.meeting_a}"' in page.text
    for name in ("Aino", "Bengt", "Asukas", "Bybo"):
        assert name not in text


def test_the_trend_is_in_finnish_and_says_when_the_room_was_never_used(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    run_room(world, uow_factory, clock)

    finnish = " ".join(visible(signed_in(COORD, "fi").get(f"/dashboard?panel={world.panel_a}").text).split())
    other = " ".join(visible(signed_in(COORD_OTHER, "sv").get(f"/dashboard?panel={world.panel_b}").text).split())

    assert "Puheenvuorojen tasapaino tapaamisittain" in finnish
    assert "0,50" in finnish
    assert "1 min 30 s" in finnish
    assert "Talbalans möte för möte" in other
    assert "Mötesrummet har ännu inte använts vid något möte." in other
