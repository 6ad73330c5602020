"""The cross-panel overview (``/overview``) on SQLite and PostgreSQL: a manager's figures per panel over a date range,
each a link to the list behind it; coordinators see their own panels, service owners a page saying no; a bad date
is named in the form."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from application.commands import MoveIdea, NoteIdea
from application.ideas.changes import move_idea, note_idea
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.web.conftest import LEAKS, Signed, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL


def row_of(page: str, panel_id: int) -> str:
    found = re.search(rf'<tr>\s*<th scope="row"><a href="/dashboard\?panel={panel_id}".*?</tr>', page, re.S)
    assert found, page
    return found.group(0)


def test_a_manager_sees_every_panel_with_figures_that_lead_to_their_lists(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    # The idea sent to A1 is answered two days later; forty days on, panel B's idea sent on is overdue.
    clock.advance(timedelta(days=2))
    note_idea(NoteIdea(world.idea_sent, text="Selvitetään."), uow=uow_factory(), clock=clock)
    move_idea(MoveIdea(world.idea_b, to="sent_to_service", service="Kotihoito"), uow=uow_factory(), clock=clock)
    clock.advance(timedelta(days=40))
    manager = signed_in(MANAGER, "en")

    page = manager.get("/overview")

    assert page.status_code == 200
    text = unescape(visible(page.text))
    assert "Itäinen raati" in text
    assert "Läntinen raati" in text
    assert not LEAKS.search(text)
    a, b = row_of(page.text, world.panel_a), row_of(page.text, world.panel_b)
    assert f'href="/queue?panel={world.panel_a}"' in a
    assert re.search(r"Open ideas: </span>2</a>", a)  # the sent idea and the raised one
    assert re.search(r"Overdue: </span>1</a>", b)
    assert ">2</a>" in a  # the median days to the first answer, to the dashboard
    assert f"/dashboard?panel={world.panel_a}#services-heading" in a
    listed = manager.get(f"/queue?panel={world.panel_b}&overdue=1")
    assert listed.status_code == 200
    assert len(re.findall(r'<h2 id="idea-\d+-title">', listed.text)) == 1
    assert manager.get(f"/queue?panel={world.panel_a}").text.count('<h2 id="idea-') == 2


def test_pre_briefs_on_time_count_the_meetings_in_the_range(signed_in: Signed, world: World, clock) -> None:
    clock.advance(timedelta(days=31))  # both meetings held, their pre-briefs never sent: late
    manager = signed_in(MANAGER, "en")

    this_year = manager.get("/overview").text
    before = manager.get("/overview", params={"from": "2000-01-01", "to": "2000-12-31"}).text

    assert "0 %" in row_of(this_year, world.panel_a)
    assert "(0 of 1)" in row_of(this_year, world.panel_a)
    assert "0 %" not in row_of(before, world.panel_a)


def test_a_coordinator_sees_only_their_panels_and_an_owner_is_refused(signed_in: Signed, world: World) -> None:
    mine = signed_in(COORD_OTHER, "en").get("/overview")
    assert mine.status_code == 200
    assert "Läntinen raati" in mine.text
    assert "Itäinen raati" not in mine.text
    refused = signed_in(OWNER, "en").get("/overview")
    assert refused.status_code == 403
    assert "<html" in refused.text


def test_a_bad_date_is_named_in_the_form(signed_in: Signed, world: World) -> None:
    client = signed_in(COORD, "fi")

    bad = client.get("/overview", params={"from": "2026-13-01"})
    reversed_ = client.get("/overview", params={"from": "2026-05-01", "to": "2026-04-01"})

    assert bad.status_code == 422
    assert "Tarkista kenttä ”Alkaen”" in unescape(bad.text)
    assert 'id="range-from" name="from" type="date" value="2026-13-01" aria-invalid="true"' in bad.text
    assert reversed_.status_code == 422
    assert "Itäinen raati" not in visible(bad.text)  # no figures of another range than asked
