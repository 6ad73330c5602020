"""Staff pages in Chromium: sign in with a token, move an idea from the queue, the idea's timeline, the dashboard."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from application.commands import AddMember, NoteIdea
from application.ideas.changes import note_idea
from application.people.roster import add_member
from application.surveys import (
    AnswerSurvey,
    CreateSurvey,
    OpenSurvey,
    add_statements,
    answer_survey,
    create_survey,
    open_survey,
)
from domain.events import Aggregate
from notifications.outbox import RecipientKind
from tests.browser.conftest import Staff, UowFactory, check_page, idea_sent_to_service, sign_in
from tests.conftest import FixedClock
from tests.integration.conftest import PANEL, World


def outbox_rows(uow_factory: UowFactory, idea_id: int, seq: int) -> list[tuple[RecipientKind, str]]:
    with uow_factory() as uow:
        return sorted(
            (m.recipient_kind, m.email)
            for m in uow.outbox.list()
            if m.payload.get("idea_id") == idea_id and m.payload.get("event_seq") == seq
        )


def test_a_service_owner_signs_in_moves_an_idea_with_a_note_and_the_members_are_told(
    page: Page, web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = idea_sent_to_service(world, uow_factory, clock, "Ajanvaraus chatissa")
    page.goto(web_url)
    check_page(page, "start")
    page.goto(f"{web_url}/sign-in")
    check_page(page, "sign-in")

    sign_in(page, web_url, owner)

    expect(page).to_have_url(f"{web_url}/queue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas waiting for an answer")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("Ajanvaraus chatissa")))
    card.get_by_text("Move or add a note").click()
    check_page(page, "queue")
    card.get_by_label("Action").select_option("in_progress")
    # Three active members get mail; the inactive one does not, and the owner is not told of their own move.
    expect(card.locator(f"#told-{idea_id}")).to_have_text("3 members by email")
    card.get_by_label("Note for the members").fill("Chat-ajanvaraus kokeiluun syksyllä.")
    card.get_by_role("button", name="Save and notify").click()

    expect(page).to_have_url(f"{web_url}/ideas/{idea_id}")
    expect(page.get_by_role("status")).to_contain_text("Saved. 3 notifications are on their way.")
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline.get_by_role("listitem").first).to_contain_text("sent to the service → in progress")
    expect(timeline.get_by_role("listitem").first).to_contain_text("Chat-ajanvaraus kokeiluun syksyllä.")
    expect(timeline.get_by_role("listitem").first).to_contain_text(owner.email)
    check_page(page, "idea")
    members = {address for address, (_, _) in world.members.items()}
    assert outbox_rows(uow_factory, idea_id, 3) == sorted((RecipientKind.MEMBER, a) for a in members)


def test_a_coordinator_sends_a_raised_idea_to_a_service_and_its_owner_is_told_too(
    page: Page, web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = world.raise_idea(uow_factory, clock, "Esteetön sisäänkäynti")
    sign_in(page, web_url, coordinator)
    page.goto(f"{web_url}/queue")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("Esteetön")))
    card.get_by_text("Move or add a note").click()
    expect(card.get_by_label("Action")).to_have_value("")  # no move is preselected
    card.get_by_label("Action").select_option("sent_to_service")
    # Raised without a suggested service: none is preselected (not the alphabetically first).
    expect(card.get_by_label("Service", exact=True)).to_have_value("")
    card.get_by_label("Service", exact=True).select_option(str(world.service_id))
    expect(card.locator(f"#told-{idea_id}")).to_have_text("3 members by email and 1 service representative")
    card.get_by_label("Action").select_option("note")
    expect(card.locator(f"#told-{idea_id}")).to_have_text("3 members by email")
    card.get_by_label("Action").select_option("sent_to_service")
    check_page(page, "queue-coordinator")

    card.get_by_role("button", name="Save and notify").click()

    expect(page).to_have_url(f"{web_url}/ideas/{idea_id}")
    expect(page.get_by_role("status")).to_contain_text("Saved. 4 notifications are on their way.")
    kinds = [kind for kind, _ in outbox_rows(uow_factory, idea_id, 2)]
    assert sorted(kinds) == [RecipientKind.MEMBER] * 3 + [RecipientKind.STAFF]


def test_a_declined_idea_without_a_reason_names_the_field_and_writes_nothing(
    page: Page, web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = idea_sent_to_service(world, uow_factory, clock, "Kahvio aulaan")
    sign_in(page, web_url, owner)
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("Kahvio aulaan")))
    card.get_by_text("Move or add a note").click()
    card.get_by_label("Action").select_option("declined")

    card.get_by_role("button", name="Save and notify").click()

    alert = page.locator(f"#error-{idea_id}")
    expect(alert).to_contain_text("Write the members why the idea is not going ahead.")
    expect(alert).not_to_contain_text("note:")
    expect(page.locator(f"#note-{idea_id}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#to-{idea_id}")).to_have_value("declined")
    check_page(page, "queue-error")
    with uow_factory() as uow:
        assert uow.ideas.get(idea_id).state.value == "sent_to_service"
        assert len(uow.events.for_aggregate(Aggregate.IDEA, idea_id)) == 2
    assert outbox_rows(uow_factory, idea_id, 3) == []


def test_a_stale_form_is_refused_with_the_current_version_and_nothing_is_written(
    page: Page, web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = idea_sent_to_service(world, uow_factory, clock, "Opasteet")
    sign_in(page, web_url, owner)
    page.goto(f"{web_url}/ideas/{idea_id}")
    # Someone else notes the idea while the form is open.
    note_idea(NoteIdea(idea_id, text="Selvitetään.", expected_version=2), uow=uow_factory(), clock=clock)
    page.get_by_label("Action").select_option("in_progress")
    page.get_by_label("Note for the members").fill("Aloitamme.")

    page.get_by_role("button", name="Save and notify").click()

    alert = page.locator(f"#error-{idea_id}")
    expect(alert).to_contain_text("Someone else changed this idea while you had the form open")
    expect(alert).to_contain_text("a progress note")  # what changed
    expect(alert).to_contain_text("Selvitetään.")
    expect(alert).not_to_contain_text("expected_version")
    expect(page.get_by_label("Note for the members")).to_have_value("Aloitamme.")  # kept
    check_page(page, "idea-stale")
    with uow_factory() as uow:
        assert uow.ideas.get(idea_id).version == 3
    assert outbox_rows(uow_factory, idea_id, 4) == []


def test_the_move_form_works_with_the_keyboard_alone(
    page: Page, web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = idea_sent_to_service(world, uow_factory, clock, "Pyörätelineet")
    sign_in(page, web_url, owner)

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("summary")
    page.keyboard.press("Enter")
    tab_to(f"#to-{idea_id}")
    page.keyboard.press("ArrowDown")  # no action chosen → in_progress
    page.keyboard.press("ArrowDown")  # in_progress → a progress note
    expect(page.locator(f"#to-{idea_id}")).to_have_value("note")
    expect(page.locator(f"#told-{idea_id}")).to_have_text("3 members by email")
    page.keyboard.press("ArrowUp")  # back to in_progress
    expect(page.locator(f"#to-{idea_id}")).to_have_value("in_progress")
    tab_to(f"#note-{idea_id}")
    page.keyboard.type("Työ alkaa ensi viikolla.")
    tab_to("button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{web_url}/ideas/{idea_id}")
    with uow_factory() as uow:
        idea = uow.ideas.get(idea_id)
        last = uow.events.for_aggregate(Aggregate.IDEA, idea_id)[-1]
    assert idea.state.value == "in_progress"
    assert last.text == "Työ alkaa ensi viikolla."


def test_the_timeline_names_progress_notes(
    page: Page, web_url: str, world: World, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_id = idea_sent_to_service(world, uow_factory, clock, "Opasteet")
    note_idea(NoteIdea(idea_id, text="Selvitetään hintaa."), uow=uow_factory(), clock=clock)
    sign_in(page, web_url, owner)

    page.goto(f"{web_url}/ideas/{idea_id}")

    latest = page.get_by_role("region", name="Timeline").get_by_role("listitem").first
    expect(latest).to_contain_text("progress note")
    expect(latest).to_contain_text("Selvitetään hintaa.")


def test_the_coordinators_dashboard_draws_charts_with_tables_beside_them(
    page: Page, web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_sent_to_service(world, uow_factory, clock, "Ajanvaraus")
    world.raise_idea(uow_factory, clock, "Kahvio")
    sign_in(page, web_url, coordinator)

    expect(page).to_have_url(f"{web_url}/")  # a coordinator's home: what needs doing now
    page.goto(f"{web_url}/dashboard")
    states = page.get_by_role("table", name=re.compile("Ideas by state"))
    expect(states.get_by_role("row", name=re.compile("^raised"))).to_contain_text("1")
    expect(states.get_by_role("row", name=re.compile("^sent to the service"))).to_contain_text("1")
    services = page.get_by_role("table", name=re.compile("^Services"))
    expect(services.get_by_role("row", name=re.compile("Suun terveydenhuolto"))).to_contain_text("1")
    meetings = page.get_by_role("region", name="Meetings")
    expect(meetings.get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("region", name="Outgoing email")).to_contain_text("Waiting to be sent")
    drawn = page.evaluate("() => window.Chart && !!window.Chart.getChart(document.getElementById('chart-states'))")
    assert drawn, "Chart.js drew no chart of the ideas by state"
    check_page(page, "dashboard")

    page.get_by_role("button", name="suomi").click()
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tilannekuva")
    check_page(page, "dashboard-fi")


def test_a_manager_reads_the_queue_without_forms_and_an_owner_has_no_dashboard(
    page: Page, web_url: str, world: World, manager: Staff, owner: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    idea_sent_to_service(world, uow_factory, clock, "Ajanvaraus")
    sign_in(page, web_url, manager)
    page.goto(f"{web_url}/queue")
    expect(page.get_by_text("You can read this page")).to_be_visible()
    expect(page.locator("form.move-form")).to_have_count(0)
    check_page(page, "queue-manager")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{web_url}/")

    sign_in(page, web_url, owner)
    response = page.goto(f"{web_url}/dashboard")
    assert response is not None
    assert response.status == 403


def test_a_malformed_address_is_refused_in_the_form(page: Page, web_url: str) -> None:
    page.goto(f"{web_url}/sign-in")
    page.get_by_label("Email address").fill("not-an-address")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
    expect(page.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")
    check_page(page, "sign-in-error")
    response = page.goto(f"{web_url}/queue")
    assert response is not None
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/queue$"))


def test_the_dashboard_shows_survey_results_with_a_chart_and_a_table(
    page: Page, web_url: str, world: World, coordinator: Staff, uow_factory: UowFactory, clock: FixedClock
) -> None:
    for n in range(3):
        add_member(
            AddMember(panel=PANEL, name=f"Jäsen {n}", email=f"jasen{n}@example.org", language="fi"),
            uow=uow_factory(),
            clock=clock,
        )
    statements = ("Sain tarpeeksi tietoa etukäteen.", "Raadin työ on hyödyllistä.")
    survey = create_survey(CreateSurvey(panel=PANEL, title="Syksyn arviointi"), uow=uow_factory(), clock=clock)
    assert survey.id is not None
    add_statements(survey.id, statements, uow=uow_factory(), clock=clock)
    tokens = iter(f"survey-token-{n}" for n in range(100))
    open_survey(OpenSurvey(survey.id), uow=uow_factory(), clock=clock, base_url=web_url, tokens=lambda: next(tokens))
    for n, number in enumerate(("9", "10", "8", "5", "2")):
        answer = AnswerSurvey(f"survey-token-{n}", agreements=("agree", "somewhat_agree"), recommendation=number)
        answer_survey(answer, uow=uow_factory(), clock=clock)

    sign_in(page, web_url, coordinator)
    page.goto(f"{web_url}/dashboard")  # a coordinator lands on their home page

    region = page.get_by_role("region", name="Syksyn arviointi open for answers")
    expect(region).to_contain_text("5 of 6 invited answered")
    bands = region.get_by_role("table", name=re.compile("Would recommend the panel"))
    expect(bands.get_by_role("row", name=re.compile("^8-10"))).to_contain_text("60")
    expect(bands.get_by_role("row", name=re.compile("^1-3"))).to_contain_text("20")
    expect(region).to_contain_text("Net promoter score (NPS): 0")  # promoters 9, 10 and detractors 5, 2
    drawn = page.evaluate(f"() => !!window.Chart.getChart(document.getElementById('chart-survey-{survey.id}'))")
    assert drawn, "Chart.js drew no chart of the recommendation bands"
    check_page(page, "dashboard-survey")
