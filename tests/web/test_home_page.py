"""The home page per role (``/``): a coordinator's "what needs doing now", over TestClient on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from application.participation.topic_wishes import AddTopicWish, add_topic_wish
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.web.conftest import LEAKS, Signed, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app (1–2 s), on SQLite and PostgreSQL


def words(html: str) -> str:
    return " ".join(visible(html).split())


def links(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in re.findall(r'<a href="(/[^"]*)"', html)}


def test_a_coordinator_lands_on_what_needs_doing_in_their_own_panels(signed_in: Signed, world: World) -> None:
    client = signed_in(COORD, "en")
    home = client.get("/")
    assert home.status_code == 200
    text = words(home.text)
    assert "What needs doing now" in text
    assert "Itäinen raati" in text
    assert "Läntinen raati" not in text  # another panel's work is not theirs
    assert "1 raised idea to send on" in text
    assert f"/queue?state=raised&panel={world.panel_a}" in links(home.text)
    assert f"/dashboard?panel={world.panel_a}" in links(home.text)
    assert not LEAKS.search(text)
    other = words(signed_in(COORD_OTHER, "en").get("/").text)
    assert "Läntinen raati" in other
    assert "Itäinen raati" not in other


def test_pre_briefs_due_and_at_risk_summaries_overdue_ideas_and_wishes_are_listed_with_links(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    add_topic_wish(AddTopicWish(panel="Itäinen raati", text="Esteettömyys"), uow=uow_factory(), clock=clock)
    client = signed_in(COORD, "en")
    assert "1 topic wish waiting" in words(client.get("/").text)
    # The meeting is in 30 days: nothing to send yet. Four days before it the pre-brief is at risk of the line.
    assert "pre-brief" not in words(client.get("/").text)
    clock.advance(timedelta(days=26, hours=1))
    client = signed_in(COORD, "en")  # a session lasts hours, not days: signed in again after each jump
    home = client.get("/")
    text = words(home.text)
    assert "1 pre-brief to send" in text
    assert "at risk of the 3-day line" in text
    assert " , " not in text  # a meeting without a title is named by its time alone, not ", time"
    assert f"/meetings/{world.meeting_a}" in links(home.text)
    clock.advance(timedelta(days=1))
    assert "past the 3-day line" in words(signed_in(COORD, "en").get("/").text)
    # After the meeting: its summary is due; the idea sent to the service a month ago is overdue.
    clock.advance(timedelta(days=4))
    home = signed_in(COORD, "en").get("/")
    text = words(home.text)
    assert "pre-brief" not in text
    assert "1 summary to write" in text
    assert " , " not in text
    assert "1 overdue idea" in text
    assert re.search(r"Suun terveydenhuolto ?: 1 overdue", text)
    overdue = f"/queue?panel={world.panel_a}&service={world.service_a1}&overdue=1"
    assert overdue in links(home.text)
    listed = signed_in(COORD, "en").get(overdue)
    assert listed.status_code == 200
    assert re.findall(r'<h2 id="idea-(\d+)-title">', listed.text) == [str(world.idea_sent)]


def test_an_owner_lands_on_their_queue_and_a_manager_on_the_overview(signed_in: Signed, world: World) -> None:
    owner = signed_in(OWNER, "en").get("/")
    assert owner.status_code == 303
    assert owner.headers["location"] == "/queue"
    manager = signed_in(MANAGER, "en").get("/")
    assert manager.status_code == 303
    assert manager.headers["location"] == "/overview"


def test_the_home_page_speaks_finnish_and_swedish(signed_in: Signed, world: World) -> None:
    assert "Mitä nyt pitää tehdä" in words(signed_in(COORD, "fi").get("/").text)
    assert "Vad som behöver göras nu" in words(signed_in(COORD, "sv").get("/").text)
