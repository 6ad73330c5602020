"""The dashboard's drill-down (``/dashboard?panel=ID``), on SQLite and PostgreSQL: every number is a link, and the
list it leads to answers 200 and lists exactly that many ideas or failed messages; each chart bar leads where its
table row leads; idea states are badges with their word."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import Engine

from application.commands import MoveIdea, RaiseIdea
from application.ideas.changes import move_idea, raise_idea
from tests.api.conftest import COORD, MANAGER, World
from tests.web.conftest import Signed
from tests.web.test_outbox_page import fail_everything

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL

# A number in a table cell or a fact, as a link: <a href="…">[hidden words]N</a>.
NUMBER_LINK = re.compile(r'<a href="([^"]+)"[^>]*>(?:<span class="visually-hidden">.*?</span>)?(\d+)</a>')


def ideas_listed(page: str) -> int:
    return len(re.findall(r'<h2 id="idea-\d+-title">', page))


def busy_panel(world: World, uow_factory, clock) -> None:
    """Panel A with ideas in every state: two more sent to A1 (one of them then overdue), one declined."""
    for title in ("Odotustila", "Puhelinpalvelu", "Esitteet"):
        raise_idea(RaiseIdea(meeting_id=world.meeting_a, title=title), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        ideas = {i.title: i.id for i in uow.ideas.list(panel_id=world.panel_a)}
    move = lambda idea, to, **kw: move_idea(MoveIdea(idea, to=to, **kw), uow=uow_factory(), clock=clock)  # noqa: E731
    move(ideas["Odotustila"], "sent_to_service", service="Suun terveydenhuolto")
    move(ideas["Esitteet"], "declined", note="Ei kuulu raadille.")
    clock.advance(timedelta(days=40))  # the two sent ideas pass the panel's stale days
    move(ideas["Puhelinpalvelu"], "sent_to_service", service="Perhekeskus")
    move(ideas["Odotustila"], "in_progress", note="Selvitetään.")


def test_every_number_on_the_dashboard_leads_to_a_list_of_exactly_that_many(
    signed_in: Signed, world: World, uow_factory, clock, engine: Engine
) -> None:
    busy_panel(world, uow_factory, clock)
    fail_everything(engine, clock, world, uow_factory)
    coordinator = signed_in(COORD, "en")

    board = coordinator.get(f"/dashboard?panel={world.panel_a}")

    assert board.status_code == 200
    numbers = [(unescape(href), int(n)) for href, n in NUMBER_LINK.findall(board.text)]
    targets = {href.split("?")[0] for href, _ in numbers}
    assert targets == {"/queue", "/outbox"}
    assert len(numbers) >= 5 + 2 * 2 + 2  # five states, open and overdue per service, the outbox's two
    assert any(n > 0 for href, n in numbers if "overdue=1" in href)
    for href, count in numbers:
        listed = coordinator.get(href)
        assert listed.status_code == 200, href
        if href.startswith("/queue"):
            assert ideas_listed(listed.text) == count, href
        elif "status=failed" in href:
            assert listed.text.count('name="id"') == count, href
        else:  # the mail waiting: the outbox page's own count of it
            assert f"<dt>Waiting to be sent</dt><dd>{count}</dd>" in listed.text, href


def test_each_chart_bar_leads_where_its_table_row_leads(signed_in: Signed, world: World, uow_factory, clock) -> None:
    busy_panel(world, uow_factory, clock)
    board = signed_in(COORD, "en").get(f"/dashboard?panel={world.panel_a}").text

    charts = {
        name: json.loads(unescape(spec))
        for name, spec in re.findall(r'id="chart-(\w+)"[^>]*data-chart=\'([^\']*)\'', board, re.S)
    }

    states = charts["states"]
    assert len(states["links"]) == len(states["values"]) == 5
    table_links = {unescape(href) for href, _ in NUMBER_LINK.findall(board)}
    assert set(states["links"]) <= table_links
    assert f"/queue?state=raised&panel={world.panel_a}" in states["links"]
    assert all(f"panel={world.panel_a}" in link for link in charts["services"]["links"])


def test_idea_states_are_badges_with_their_word_on_the_dashboard_queue_and_idea_page(
    signed_in: Signed, world: World
) -> None:
    client = signed_in(MANAGER, "en")
    pages = [
        client.get(f"/dashboard?panel={world.panel_a}").text,
        client.get("/queue").text,
        client.get(f"/ideas/{world.idea_sent}").text,
    ]
    for page in pages:
        badges = re.findall(r'<span class="state state-badge state-(\w+)">([^<]+)</span>', page)
        assert badges
        assert all(word.strip() for _, word in badges)  # never the colour alone
    assert ("sent_to_service", "sent to the service") in re.findall(
        r'<span class="state state-badge state-(\w+)">([^<]+)</span>', pages[2]
    )


def test_the_queue_lists_handled_ideas_by_state_and_refuses_a_flag_it_does_not_know(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    busy_panel(world, uow_factory, clock)
    client = signed_in(COORD, "en")
    declined = client.get("/queue", params={"state": "declined", "panel": world.panel_a})
    assert declined.status_code == 200
    assert "Esitteet" in declined.text
    assert 'name="expected_version"' not in declined.text  # a handled idea takes no move
    assert client.get("/queue", params={"overdue": "maybe"}).status_code == 422
