"""A whole panel season in the browser, as a coordinator and a service representative (issue 15): create a panel,
import members (a bad CSV first), schedule a meeting with a material file, preview and send the pre-brief, record
attendance, enter three ideas, send two on and decline one, the representative moves one to implemented, write and
approve the summary, move the next meeting, run a survey and read its report.

Every page it passes is checked with axe-core (no violation at all) and photographed at 1280 and 390 px wide
(``season-*.png`` in build/screenshots/); at 390 px no page scrolls sideways. The mails the season caused are
delivered through the real dispatcher to an aiosmtpd server on 127.0.0.1 and read back: who got what, in which
language, and every link in them opens a page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from application.commands import IdeaFilter
from application.meetings.follow_up import follow_up_meetings
from application.reads.views import list_ideas
from domain.actors import Actor
from domain.values import Role
from notifications.links import LinkSigner
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_session_factory
from tests.browser.axe import axe_source
from tests.browser.conftest import SCREENSHOTS, Staff, UowFactory, sign_in
from tests.conftest import FixedClock, fresh_database_url
from tests.delivery.conftest import Inbox, Postman
from tests.integration.conftest import World
from tests.smtp.servers import smtp_server
from tests.web_server import serving, unused_port
from web.app import create_app
from web.settings import WebSettings

pytestmark = pytest.mark.slow

OPERATOR = Actor(name="operator", role=Role.OPERATOR)
OWNER_EMAIL = "terveysasemat@kaakko.example"
MEMBERS_BAD = "name,email,language\nAino Aalto,aino@example.org,fi\nBertil Berg,not-an-address,sv\n,x@example.org,en\n"
MEMBERS_GOOD = (
    "name,email,language\nAino Aalto,aino@example.org,fi\nBertil Berg,bertil@example.org,sv\n"
    "Chris Carter,chris@example.org,en\n"
)
# The smallest file a PDF reader opens: what a coordinator uploads as the meeting's material.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite: the season's pages and mails; tests/web covers each page on both databases."""
    return fresh_database_url(request, "sqlite", tmp_path)


@pytest.fixture
def web_url(uow_factory: UowFactory, clock: FixedClock, signer: LinkSigner, tmp_path: Path) -> Iterator[str]:
    """The app on a port known beforehand, so that its RAATI_BASE_URL is its own address: the links it writes
    when a survey opens lead back to it, as with ``raati web``."""
    port = unused_port()
    settings = WebSettings(
        data_dir=tmp_path / "data", session_secret="season-session-secret", base_url=f"http://127.0.0.1:{port}"
    )
    app = create_app(uow_factory=uow_factory, clock=clock, signer=lambda: signer, web_settings=settings)
    with serving(app, port=port) as url:
        yield url


def new_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


@pytest.fixture
def coordinator_page(browser: Browser) -> Iterator[Page]:
    yield from new_page(browser)


@pytest.fixture
def owner_page(browser: Browser) -> Iterator[Page]:
    yield from new_page(browser)


def look(page: Page, name: str) -> None:
    """The page has a short title of its own, axe-core finds nothing on it at 1280 and at 390 px, it does not
    scroll sideways on a phone, and a screenshot of each width is kept."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    title = page.title()
    assert title.endswith(" – Raati"), title
    assert len(title) < 120, f"{name}: the tab's title is {len(title)} characters: {title[:200]}"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"season-{name}-{width}.png"), full_page=True)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=axe_source())
        results: dict[str, Any] = page.evaluate("async () => await window.axe.run(document)")
        found = [f"{v['impact']}: {v['id']} at {[n['target'] for n in v['nodes']][:3]}" for v in results["violations"]]
        assert not found, f"axe-core on {name} at {width} px ({page.url}):\n" + "\n".join(found)
        if width == 390:
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            assert scroll <= 390, f"{name} scrolls sideways at 390 px ({scroll} px wide)"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_whole_season_in_the_browser(
    coordinator_page: Page,
    owner_page: Page,
    web_url: str,
    world: World,
    coordinator: Staff,
    uow_factory: UowFactory,
    clock: FixedClock,
    signer: LinkSigner,
    engine: Engine,
    tmp_path: Path,
) -> None:
    page = coordinator_page
    sign_in(page, web_url, coordinator)
    look(page, "home")

    # A new panel, its service and the service's representative (welcomed by mail).
    page.goto(f"{web_url}/panels")
    page.get_by_label("Name in Finnish").fill("Kaakkoinen asiakasraati")
    page.get_by_label("Name in Swedish (optional)").fill("Sydöstra kundrådet")
    page.get_by_label("Name in English (optional)").fill("South-east customer panel")
    page.get_by_label("Contact person's name (optional)").fill("Kaisa Koordinaattori")
    page.get_by_label("Contact person's email (optional)").fill("kaisa@kaakko.example")
    look(page, "panels")
    page.get_by_role("button", name="Create a panel").click()
    expect(page.get_by_role("status")).to_contain_text("The panel “Kaakkoinen asiakasraati” is created.")
    panel_url = page.url
    panel_id = int(panel_url.rstrip("/").rsplit("/", 1)[1])
    page.get_by_label("Service name").fill("Terveysasemat")
    page.get_by_role("button", name="Add the service").click()
    expect(page.get_by_role("status")).to_contain_text("Terveysasemat")
    page.get_by_text("Add a representative").click()
    page.get_by_label("Email address").fill(OWNER_EMAIL)
    page.get_by_label("Their language in Raati").select_option("fi")
    page.get_by_role("button", name="Add the representative").click()
    expect(page.get_by_role("status")).to_contain_text("A welcome mail tells them how to sign in.")
    look(page, "panel")

    # Members: a bad CSV is refused line by line and nothing is imported; the good one is.
    page.get_by_role("link", name="Members", exact=True).click()
    bad, good = tmp_path / "bad.csv", tmp_path / "members.csv"
    bad.write_text(MEMBERS_BAD, encoding="utf-8")
    good.write_text(MEMBERS_GOOD, encoding="utf-8")
    page.locator("#import-file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("#preview-error")).to_be_focused()
    expect(page.locator(".bad-rows")).to_contain_text("Line 3:")
    expect(page.locator(".bad-rows")).to_contain_text("Line 4:")
    look(page, "members-import-refused")
    page.locator("#import-file").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("status")).to_contain_text("3 members imported.")
    page.get_by_role("button", name=re.compile("welcome", re.I)).first.click()
    look(page, "members")

    # A meeting three weeks ahead.
    page.goto(f"{web_url}/panels/{panel_id}/meetings/new")
    meeting_day = (clock.now() + timedelta(days=21)).date()
    page.locator("#f-date").fill(meeting_day.isoformat())
    page.locator("#f-time").fill("17:00")
    page.get_by_label("Leading service").select_option(label="Terveysasemat")
    page.get_by_label("Development tasks").fill("Omaolon ohjeet asiakkaan silmin")
    page.get_by_label("Place").fill("Itäkeskuksen terveysasema")
    look(page, "meeting-schedule")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Omaolon ohjeet asiakkaan silmin")
    meeting_url = page.url
    look(page, "meeting")

    # The material file, then the pre-brief as each member will read it, sent now.
    page.get_by_role("link", name="Links and files for the members").click()
    material = tmp_path / "omaolo-ohje.pdf"
    material.write_bytes(PDF)
    page.get_by_label("File", exact=True).set_input_files(str(material))
    page.get_by_label("Title of the file").fill("Omaolon ohje")
    page.get_by_role("button", name="Upload the file").click()
    expect(page.get_by_role("status")).to_contain_text("The file is saved.")
    look(page, "materials")
    page.goto(meeting_url)
    page.get_by_role("link", name="Preview the pre-brief").click()
    expect(page.locator("#prebrief-sv")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Omaolon ohje")
    look(page, "prebrief-preview")
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_role("status")).to_contain_text("The pre-brief is on its way to the members.")

    # After the meeting (a new session: three weeks are longer than a session lives).
    clock.advance(days=22)
    sign_in(page, web_url, coordinator)
    page.goto(meeting_url)
    boxes = page.locator("#attendance input[type=checkbox]")
    expect(boxes).to_have_count(3)
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status")).to_contain_text("2")
    titles = ("Selkeämmät ohjeet Omaoloon", "Chat auki myös iltaisin", "Pysäköinti terveysaseman pihalla")
    for number, title in enumerate(titles, start=1):
        page.locator(f"#f-title-{number}").fill(title)
    page.locator("#f-text-2").fill("Chat-palvelu voisi olla auki myös iltaisin.")
    page.get_by_role("button", name="Save the ideas").click()
    expect(page.get_by_role("status")).to_contain_text("3")
    look(page, "meeting-after")

    # Two ideas on to the service, one declined with the reason; what members are told is said beforehand.
    page.goto(f"{web_url}/queue?state=raised&panel={panel_id}")
    look(page, "queue-raised")
    for title, action in zip(titles, ("sent_to_service", "sent_to_service", "declined"), strict=True):
        card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))
        card.get_by_text("Move or add a note").click()
        card.get_by_label("Action").select_option(action)
        if action == "sent_to_service":
            card.get_by_label("Service", exact=True).select_option(label="Terveysasemat")
        else:
            card.get_by_label("Note for the members").fill(
                "Pysäköinti kuuluu kiinteistön omistajalle, joten raati ei voi viedä ideaa eteenpäin."
            )
        card.get_by_role("button", name="Save and notify").click()
        expect(page.get_by_role("status")).to_contain_text("Saved.")
        page.goto(f"{web_url}/queue?state=raised&panel={panel_id}")
    expect(page.get_by_role("heading", level=2)).to_have_count(0)

    # The representative signs in (their welcome mail named the sign-in page) and takes one idea to implemented.
    owner = Staff(email=OWNER_EMAIL, token="", uow_factory=uow_factory, signer=signer)
    sign_in(owner_page, web_url, owner)  # the sign-in page in the browser's language; then Raati in theirs
    owner_page.goto(f"{web_url}/queue")
    look(owner_page, "owner-queue")
    for to, note in (("in_progress", "Ohjeita selkeytetään."), ("implemented", "Ohjeet on kirjoitettu uudelleen.")):
        card = owner_page.get_by_role("listitem").filter(has=owner_page.get_by_role("heading", name=titles[0]))
        card.locator("summary").first.click()
        card.locator("select[name=to]").select_option(to)
        card.locator("textarea[name=note]").fill(note)
        card.locator("button[type=submit]").click()
        expect(owner_page.get_by_role("status")).to_be_visible()
        owner_page.goto(f"{web_url}/queue?panel={panel_id}&state=")
    look(owner_page, "owner-queue-after")

    # The summary, drafted and approved.
    page.goto(meeting_url)
    page.get_by_role("textbox", name="Summary for the members").fill(
        "Keskustelimme Omaolon ohjeista ja chatin aukioloajoista. Kolme ideaa kirjattiin."
    )
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Approve the summary").click()
    expect(page.get_by_role("status")).to_contain_text("The summary is approved.")
    look(page, "summary-approved")

    # The next meeting, scheduled and then moved a week later.
    page.goto(f"{web_url}/panels/{panel_id}/meetings/new")
    page.locator("#f-date").fill((clock.now() + timedelta(days=30)).strftime("%Y-%m-%d"))
    page.locator("#f-time").fill("17:00")
    page.get_by_label("Leading service").select_option(label="Terveysasemat")
    page.get_by_label("Development tasks").fill("Chatin aukioloajat")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chatin aukioloajat")
    page.get_by_role("link", name="Move the meeting").click()
    page.locator("#f-date").fill((clock.now() + timedelta(days=37)).strftime("%Y-%m-%d"))
    look(page, "meeting-reschedule")
    page.get_by_role("button", name="Move the meeting").click()
    expect(page.get_by_role("status")).to_be_visible()
    page.goto(f"{web_url}/panels/{panel_id}/meetings")
    look(page, "meetings")

    # A survey of the season: created as a draft, then opened (each member gets a link of their own).
    page.goto(f"{web_url}/panels/{panel_id}")
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.get_by_label("Title in Finnish").fill("Syksyn arviointi")
    page.get_by_label("Statements in Finnish").fill("Tapaamiset olivat hyödyllisiä\nSain tietää, mitä ideoista tuli")
    page.get_by_text("Swedish and English versions (optional)").click()
    page.get_by_label("Title in Swedish").fill("Höstens utvärdering")
    page.get_by_label("Statements in Swedish").fill("Mötena var till nytta\nJag fick veta vad som hände med idéerna")
    page.get_by_label("Title in English").fill("Autumn evaluation")
    page.get_by_label("Statements in English").fill("The meetings were useful\nI heard what became of the ideas")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("status")).to_contain_text("saved as a draft")
    survey_url = page.url
    look(page, "survey-draft")
    page.get_by_role("button", name="Open the survey and send the links").click()
    expect(page.get_by_role("status")).to_contain_text("3 members get a link of their own by email")

    # The meeting has ended: the follow-up flow's use case sends the approved summary to the members.
    assert follow_up_meetings(uow_factory=uow_factory, clock=clock).summaries_sent

    # The mails the season caused, delivered to a real SMTP server and read back.
    postman = Postman(
        queue=SqlAlchemyDeliveryQueue(make_session_factory(engine)), signer=signer, clock=clock, base_url=web_url
    )
    inbox = Inbox()
    clock.advance(hours=1)  # past the coalescing window
    with smtp_server(inbox) as server, ThreadPoolExecutor(1) as thread:
        # A thread of its own: Playwright's sync API holds an asyncio loop on this one.
        report = thread.submit(postman.deliver, server.port).result()
    assert report.failed == 0
    received = inbox.by_recipient()
    subjects = {who: sorted(m.subject for m in mails) for who, mails in received.items()}
    assert subjects[OWNER_EMAIL] == [
        "Kirjautumislinkkisi Raatiin",
        "Tervetuloa Raatiin",
        "Uusi idea palvelullenne: Chat auki myös iltaisin",
        "Uusi idea palvelullenne: Selkeämmät ohjeet Omaoloon",
    ]
    assert subjects["aino@example.org"] == [
        "Ennakkotiedot: asiakasraadin tapaaminen " + meeting_day.strftime("%-d.%-m.%Y"),
        "Kerro mielipiteesi: Syksyn arviointi",
        "Tervetuloa asiakasraatiin!",
        "Uutta tietoa raadin 3 ideasta",
        "Yhteenveto asiakasraadin tapaamisesta " + meeting_day.strftime("%-d.%-m.%Y"),
    ]
    assert subjects["bertil@example.org"] == [
        "Berätta vad du tycker: Höstens utvärdering",
        "Förhandsinformation: kundrådets möte " + meeting_day.strftime("%-d.%-m.%Y"),
        "Nytt om 3 av kundrådets idéer",
        "Sammanfattning av kundrådets möte " + meeting_day.strftime("%-d.%-m.%Y"),
        "Välkommen till kundrådet!",
    ]
    assert subjects["chris@example.org"] == [
        "Before the meeting: customer panel on " + meeting_day.strftime("%-d %B %Y"),
        "News about 3 of the panel's ideas",
        "Summary of the customer panel meeting on " + meeting_day.strftime("%-d %B %Y"),
        "Tell us what you think: Autumn evaluation",
        "Welcome to the customer panel!",
    ]
    # The pre-brief carries the material as a link only the member can open: the very file comes back.
    (prebrief,) = [m for m in received["bertil@example.org"] if m.subject.startswith("Förhandsinformation")]
    (material_link,) = [link for link in hrefs(prebrief.html) if "/materials/" in link]
    assert page.request.get(material_link).body() == PDF

    # Every link in every mail opens a page for its reader: members' signed links as they are (no sign-in), the
    # representative's after signing in (their browser is signed in); used sign-in links are left out.
    member_browser = page.context.browser
    assert member_browser is not None
    anonymous = member_browser.new_context(locale="fi-FI").request
    opened = 0
    for who, mails in received.items():
        for mail in mails:
            if "/sign-in/link/" in mail.text:
                continue
            for link in hrefs(mail.html):
                assert link.startswith(web_url), (mail.subject, link)
                if who == OWNER_EMAIL:
                    status = owner_page.goto(link).status  # type: ignore[union-attr]
                else:
                    status = anonymous.get(link, max_redirects=5).status
                assert status < 400, f"{who}: “{mail.subject}” links {link}: {status}"
                opened += 1
    assert opened >= 20
    anonymous.dispose()

    # The members answer from their mails; the coordinator closes the survey and reads the report, which keeps a
    # group this small to itself (fewer than five answers show no shares).
    for who in ("aino@example.org", "bertil@example.org", "chris@example.org"):
        (invitation,) = [m for m in received[who] if any("/survey/" in link for link in hrefs(m.html))]
        (answer_link,) = [link for link in hrefs(invitation.html) if "/survey/" in link]
        answering = member_browser.new_page()
        answering.goto(answer_link)
        for radio in answering.locator("fieldset").all():
            radio.locator("input[type=radio]").first.check()
        answering.locator("button[type=submit]").click()
        expect(answering.locator("main")).to_be_visible()
        if who == "chris@example.org":
            look(answering, "survey-answered-member")
        answering.close()
    sign_in(page, web_url, coordinator)  # an hour has passed since: the session has ended while idle
    page.goto(survey_url)
    page.get_by_role("button", name="Close the survey now").click()
    expect(page.get_by_role("status")).to_contain_text("The survey is closed")
    expect(page.locator("#report")).to_contain_text("3 of 3 invited answered")
    look(page, "survey-report")

    # A Swedish member on a phone looks up what became of the panel's work: from the preferences link in a mail
    # to their own page of the panel (issue 16): the declined idea's reason and the implemented one's outcome.
    phone = member_browser.new_context(viewport={"width": 390, "height": 800}, locale="sv-FI").new_page()
    (news,) = [m for m in received["bertil@example.org"] if m.subject.startswith("Nytt om")]
    (panel_page,) = [link for link in hrefs(news.html) if "/panel?" in link]  # every member mail links it
    phone.goto(panel_page)
    expect(phone.locator("h1")).to_have_text("Sydöstra kundrådet")
    expect(phone.locator("#ideas")).to_contain_text("Pysäköinti kuuluu kiinteistön omistajalle")
    expect(phone.locator("#ideas")).to_contain_text("Ohjeet on kirjoitettu uudelleen.")
    expect(phone.locator("#meetings")).to_contain_text("Chatin aukioloajat")  # the next meeting, as moved
    expect(phone.locator("#meetings")).to_contain_text("Keskustelimme Omaolon ohjeista")  # the past one's summary
    look(phone, "member-panel-sv")
    phone.context.close()

    ideas = list_ideas(IdeaFilter(panel=str(panel_id)), actor=OPERATOR, uow=uow_factory())
    assert sorted(i.state for i in ideas) == ["declined", "implemented", "sent_to_service"]


def hrefs(html: str) -> list[str]:
    """The web links of a mail's HTML (a contact's ``mailto:`` or ``tel:`` is not a page)."""
    found = re.findall(r'href="([^"]+)"', html.replace("&amp;", "&"))
    return sorted({link for link in found if link.startswith(("http://", "https://"))})
