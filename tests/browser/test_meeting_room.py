"""A meeting run in the meeting room, in a real Chromium against the app under uvicorn (issue 16, item 1, its
done-when): the coordinator opens the room from the meeting page, marks five members present at the door, runs eight
turns while the queue puts whoever has had the fewest turns (then the least time) first and says so, undoes a mistaken
tap, uses the keyboard shortcuts, and loses one answer to the network (the request reached the server; room.js sends it
again with the same action id and it is recorded once). axe-core finds nothing at 1280 and 390 px and the room does not
scroll sideways on a phone (``room-*.png`` in build/screenshots/). The stored turns and balance are read back and
checked against the turns made (the Gini computed here from the stored durations), the meeting page and the dashboard
show the figures, and erasing a member leaves no row of the room's tables with their id and their name nowhere."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from sqlalchemy import Engine, Integer, MetaData, select

from application.commands import AddMember
from application.people.roster import add_member
from tests.browser.axe import axe_source
from tests.browser.conftest import SCREENSHOTS, Staff, UowFactory, sign_in
from tests.conftest import FixedClock, fresh_database_url
from tests.integration.conftest import PANEL, World

pytestmark = pytest.mark.slow

# The five present, as the room lists them (by name) and numbers them for the keys 1–5. Fredrik wants to be called
# Fredi: the room says so.
AINO, BENGT, CHRIS, EEVA, FREDI = "Aino Asukas", "Bengt Bybo", "Chris Client", "Eeva Esimerkki", "Fredi"
KEYS = {AINO: "1", BENGT: "2", CHRIS: "3", EEVA: "4", FREDI: "5"}


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite: the room in the browser; tests/web/test_meeting_room_page.py runs the page on both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def look(page: Page, name: str) -> None:
    """axe-core finds nothing at 1280 and at 390 px, no sideways scroll on a phone; a screenshot of each width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"room-{name}-{width}.png"), full_page=True)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=axe_source())
        results: dict[str, Any] = page.evaluate("async () => await window.axe.run(document)")
        found = [f"{v['impact']}: {v['id']} at {[n['target'] for n in v['nodes']][:3]}" for v in results["violations"]]
        assert not found, f"axe-core on {name} at {width} px ({page.url}):\n" + "\n".join(found)
        if width == 390:
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll <= 390, f"{name} scrolls sideways at 390 px ({scroll} px wide)"
    page.set_viewport_size({"width": 1280, "height": 900})


def saved(page: Page, action: Callable[[], object]) -> None:
    """Do one tap (a click or a key) and wait until room.js has the server's answer in place and says so."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/room")):
        action()
    expect(page.locator("#room-region")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#room-status")).to_have_text("Saved.")


def key(page: Page, pressed: str) -> None:
    saved(page, lambda: page.keyboard.press(pressed))


def tile(page: Page, name: str) -> None:
    saved(page, lambda: page.locator(".room-tile", has_text=name).click())


def queue(page: Page) -> list[str]:
    return page.locator(".room-queue-list .room-entry-name").all_inner_texts()


def reasons(page: Page) -> list[str]:
    return page.locator(".room-queue-list .room-entry-why").all_inner_texts()


def gini(values: list[float]) -> float:
    """The Gini coefficient by its definition: the mean absolute difference over twice the mean."""
    n, mean = len(values), sum(values) / len(values)
    return sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)


def room_rows_with(engine: Engine, member_id: int) -> list[tuple[str, dict]]:
    """Every row of the room's tables (turns, taps, balances) that holds ``member_id`` in a member column."""
    found = []
    database = MetaData()
    database.reflect(engine)  # the tables as the migrations made them
    with engine.connect() as connection:
        for table in database.sorted_tables:
            if not re.search(r"room|turn|speak", table.name):
                continue
            for column in table.columns:
                if "member" in column.name and isinstance(column.type, Integer):
                    rows = connection.execute(select(table).where(column == member_id)).mappings().all()
                    found += [(table.name, dict(row)) for row in rows]
    return found


def test_a_meeting_in_the_room(
    page: Page,
    web_url: str,
    world: World,
    coordinator: Staff,
    uow_factory: UowFactory,
    clock: FixedClock,
    engine: Engine,
) -> None:
    for name, email, called in (("Eeva Esimerkki", "eeva@example.org", None), ("Fredrik Fors", "fredrik@example.org",
                                                                                 "Fredi")):  # fmt: skip
        add_member(AddMember(panel=PANEL, name=name, email=email, greeting_name=called), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        meeting = uow.meetings.get(world.meeting_id)
        ids = {m.greeting_name or m.name: m.stored_id for m in uow.members.for_panel(world.panel_id) if m.active}
    clock.set(meeting.starts_at + timedelta(minutes=2))
    sign_in(page, web_url, coordinator)

    page.goto(f"{web_url}/meetings/{world.meeting_id}")
    page.get_by_role("link", name="Meeting room").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting room")
    expect(page.locator("#room-balance")).to_contain_text("Nobody is marked present yet.")
    look(page, "door")

    # Five members arrive: each marked present at the door.
    for name in (AINO, BENGT, CHRIS, EEVA, FREDI):
        saved(page, lambda name=name: page.get_by_role("button", name=f"{name} is present").click())
    expect(page.locator(".room-tile-name")).to_have_text([AINO, BENGT, CHRIS, EEVA, FREDI])
    expect(page.locator(".room-not-spoken")).to_have_count(5)
    expect(page.locator(".room-tile", has_text=AINO)).to_contain_text("Not spoken yet")
    expect(page.locator("#room-balance")).to_contain_text("0 of 5 present have spoken.")

    # The keys do nothing while a field has the focus (here the guide time's list).
    page.locator("#f-seconds").focus()
    page.keyboard.press("1")
    expect(page.locator(".room-queue-list")).to_have_count(0)
    page.locator("h1").click()

    # Turn 1: three ask (two by their keys, one tapped); nobody has spoken, so whoever asked first comes first.
    key(page, KEYS[AINO])
    tile(page, BENGT)
    key(page, KEYS[CHRIS])
    assert queue(page) == [AINO, BENGT, CHRIS]
    assert "asked first" in reasons(page)[0]
    key(page, "n")
    expect(page.locator(".room-speaker")).to_have_text(AINO)
    clock.advance(timedelta(seconds=120))

    # Turn 2: Eeva asks; Bengt is next.
    key(page, KEYS[EEVA])
    key(page, "n")
    expect(page.locator(".room-speaker")).to_have_text(BENGT)
    clock.advance(timedelta(seconds=60))
    # Aino asks again before Fredi does, but has had a turn already: Fredi goes before her, and the page says why.
    key(page, KEYS[AINO])
    assert queue(page) == [CHRIS, EEVA, AINO]
    tile(page, FREDI)
    assert queue(page) == [CHRIS, EEVA, FREDI, AINO]
    assert "fewest turns so far" in reasons(page)[2]
    look(page, "queue")
    key(page, "e")
    expect(page.locator(".room-idle")).to_have_text("Nobody is speaking.")

    # Turns 3–5: Chris, Eeva and Fredi, by the start-next button (one lost answer on the way).
    saved(page, lambda: page.get_by_role("button", name=f"Start next: {CHRIS}").click())
    clock.advance(timedelta(seconds=30))
    posted: list[dict[str, list[str]]] = []

    def lose_the_first_answer(route: Route) -> None:
        posted.append(parse_qs(route.request.post_data or ""))
        if len(posted) == 1:
            route.fetch()  # the server records the tap …
            route.abort("connectionreset")  # … and its answer never reaches the browser
        else:
            route.continue_()

    page.route(re.compile(r".*/room$"), lose_the_first_answer)
    key(page, "n")
    page.unroute(re.compile(r".*/room$"))
    expect(page.locator(".room-speaker")).to_have_text(EEVA)
    assert len(posted) == 2, posted
    assert posted[0] == posted[1]
    lost_id = posted[0]["action_id"][0]
    with uow_factory() as uow:
        assert [a.action_id for a in uow.meeting_room.actions(world.meeting_id)].count(lost_id) == 1
    clock.advance(timedelta(seconds=90))
    key(page, "n")
    expect(page.locator(".room-speaker")).to_have_text(FREDI)
    clock.advance(timedelta(seconds=45))

    # Bengt (one turn, 60 s) asks after Aino (one turn, 120 s): same turns, less time, so he goes first.
    key(page, KEYS[BENGT])
    assert queue(page) == [BENGT, AINO]
    assert "less time" in reasons(page)[0]
    # A mistaken tap on Chris, undone: the undo button says what it undoes.
    key(page, KEYS[CHRIS])
    assert queue(page) == [CHRIS, BENGT, AINO]
    expect(page.locator(".room-undo")).to_contain_text(f"Undo: {CHRIS} asked to speak")
    key(page, "u")
    assert queue(page) == [BENGT, AINO]

    # Turns 6–8: Bengt, Aino (past a 30-second guide time: a hint, no alarm), Chris.
    key(page, "n")
    clock.advance(timedelta(seconds=50))
    page.locator("#f-seconds").select_option("30")
    saved(page, lambda: page.get_by_role("button", name="Set the guide time").click())
    key(page, "n")
    expect(page.locator(".room-speaker")).to_have_text(AINO)
    clock.advance(timedelta(seconds=40))
    page.reload()
    expect(page.locator("[data-room-hint]")).to_be_visible()
    expect(page.locator(".room-clock")).to_contain_text("0:4")
    look(page, "speaking")
    key(page, KEYS[CHRIS])
    key(page, "n")
    clock.advance(timedelta(seconds=25))
    key(page, "e")
    expect(page.locator(".room-not-spoken")).to_have_count(0)
    expect(page.locator("#room-balance")).to_contain_text("5 of 5 present have spoken")
    look(page, "after")

    # What was stored is what happened: eight turns of these lengths, and the balance from them.
    lengths = {AINO: [120, 40], BENGT: [60, 50], CHRIS: [30, 25], EEVA: [90], FREDI: [45]}
    with uow_factory() as uow:
        turns = list(uow.meeting_room.turns(world.meeting_id))
        figures = uow.meeting_room.balance(world.meeting_id)
    stored: dict[int, list[int]] = {}
    for turn in sorted(turns, key=lambda t: t.started_at):
        assert turn.ended_at is not None
        stored.setdefault(turn.member_id, []).append(int((turn.ended_at - turn.started_at).total_seconds()))
    assert stored == {ids[name]: seconds for name, seconds in lengths.items()}
    assert figures is not None
    totals = [float(sum(seconds)) for seconds in stored.values()]
    assert (figures.turns, figures.present, figures.spoke) == (8, 5, 5)
    assert figures.share_spoke == pytest.approx(1.0)
    assert figures.longest_seconds == 120
    assert figures.total_seconds == sum(totals) == 460
    assert figures.gini == pytest.approx(gini(totals), abs=1e-6)

    # The meeting page: the figures, and each member's for the coordinator; the dashboard: the figures.
    page.goto(f"{web_url}/meetings/{world.meeting_id}")
    balance = page.locator("section", has=page.get_by_role("heading", name="Speaking balance"))
    expect(balance).to_contain_text("100%")
    expect(balance).to_contain_text(f"{gini(totals):.2f}")
    expect(balance).to_contain_text("2 min")
    expect(balance.locator("tbody tr").first).to_contain_text(AINO)
    expect(balance.locator("tbody tr")).to_have_count(5)
    look(page, "meeting-balance")
    page.goto(f"{web_url}/dashboard")
    speaking = page.locator("#speaking-table")
    expect(speaking).to_contain_text(f"{gini(totals):.2f}")
    expect(speaking).to_contain_text("100%")
    expect(speaking).to_contain_text("2 min")
    look(page, "dashboard")

    # Eeva is erased: no row of the room's tables holds her id, and her name is on neither page.
    assert room_rows_with(engine, ids[EEVA]), "the room's tables hold no row of Eeva's before the erasure"
    page.goto(f"{web_url}/panels/{world.panel_id}/members/{ids[EEVA]}/erase")
    page.get_by_role("button", name=f"Yes, erase {EEVA} for good").click()
    expect(page.get_by_role("status")).to_contain_text("The member is erased")
    assert room_rows_with(engine, ids[EEVA]) == []
    for where in (f"/meetings/{world.meeting_id}", f"/meetings/{world.meeting_id}/room"):
        page.goto(f"{web_url}{where}")
        expect(page.locator("main")).not_to_contain_text("Eeva")
        expect(page.locator("main")).not_to_contain_text("Esimerkki")
