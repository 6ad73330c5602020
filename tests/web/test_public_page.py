"""A panel's public page (``/p/{slug}``, its Atom feed and JSON; issue 16), over HTTP on SQLite and PostgreSQL:
off (or an unknown slug) is "page not found"; on, anyone reads the ideas, their states and the reasons and
outcomes, and nothing about the members: their names and addresses, attendance, topic wishes or the staff behind
a step appear nowhere, in any language; the slug is checked and only the panel's coordinators may turn it on."""

from __future__ import annotations

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from application.commands import AddMember, DraftSummary, MoveIdea, NoteIdea, ScheduleMeeting, UpdatePanel
from application.ideas.changes import move_idea, note_idea
from application.meetings.changes import draft_summary, schedule_meeting
from application.participation.attendance import RecordAttendance, record_attendance
from application.participation.topic_wishes import submit_topic_wish
from application.people.public_page import SetPublicPage, set_public_page
from application.people.roster import add_member, update_panel
from application.surveys import AnswerSurvey, CreateSurvey, OpenSurvey, answer_survey, create_survey, open_survey
from domain.errors import AlreadyExists, InvalidValue, PermissionDenied
from notifications.kinds import SURVEY_INVITATION
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.conftest import FixedClock
from tests.web.conftest import Signed, csrf, visible

pytestmark = pytest.mark.slow  # drives the whole web app, on both databases

ATOM = "{http://www.w3.org/2005/Atom}"
REASON = "Pysäköinti kuuluu kiinteistön omistajalle."
REASON_SV = "Parkeringen sköts av fastighetens ägare."
PROGRESS = "Verkkoajanvaraus avataan syksyllä."
SUMMARY = "Raati keskusteli ajanvarauksesta ja aukioloajoista."
TASK = "Aukioloajat kesällä"
COMMENT = "Quuxiaaninen palaute kahvista"
WISH = "Xylofonikerho torstaisin kirjastossa"
# Members with names and addresses found nowhere else, and the ones the shared world already has.
MEMBERS = (
    ("Zebulon Quxworth", "zebulon.quxworth@kotiposti.example"),
    ("Ylva Pärmbäck", "ylva.parmback@hemma.example"),
)
PRIVATE = (
    *(part for member in MEMBERS for part in member),
    "Zebulon",
    "Quxworth",
    "Pärmbäck",
    "Aino Asukas",
    "aino@example.org",
    "Bengt Bybo",
    "bengt@example.org",
    WISH,
    "Xylofoni",
    COMMENT,
    "Quuxiaani",
    "suu@ita.example",  # the service owner who moved an idea: no staff behind a step
)


def publish(uow_factory, world: World, **given) -> None:
    set_public_page(
        SetPublicPage(panel=str(world.panel_a), **({"public_page": True} | given)),
        uow=uow_factory(),
        clock=FixedClock(),
    )


def season(uow_factory, world: World, clock: FixedClock) -> None:
    """Panel A a month on: two more members attended its meeting, one wished a topic and one commented in a survey;
    its ideas moved with words to the members, the meeting's summary went out and the next meeting is planned."""
    clock.advance(days=31)
    members = [
        add_member(AddMember(panel=str(world.panel_a), name=name, email=email), uow=uow_factory(), clock=clock)
        for name, email in MEMBERS
    ]
    ids = tuple(m.stored_id for m in members)
    record_attendance(RecordAttendance(meeting_id=world.meeting_a, present=ids), uow=uow_factory(), clock=clock)
    submit_topic_wish(ids[0], WISH, uow=uow_factory(), clock=clock)
    update_panel(
        UpdatePanel(panel=str(world.panel_a), contact_name="Kaisa Koordinaattori", contact_email="kaisa@ita.example"),
        uow=uow_factory(),
        clock=clock,
    )
    move_idea(
        MoveIdea(
            world.idea_raised, to="declined", note=REASON, translations={"sv": {"note": REASON_SV}}, expected_version=1
        ),
        uow=uow_factory(),
        clock=clock,
    )
    move_idea(MoveIdea(world.idea_sent, to="in_progress", actor="suu@ita.example"), uow=uow_factory(), clock=clock)
    note_idea(NoteIdea(world.idea_sent, text=PROGRESS, actor="suu@ita.example"), uow=uow_factory(), clock=clock)
    draft_summary(DraftSummary(meeting_id=world.meeting_a, text=SUMMARY), uow=uow_factory(), clock=clock)
    survey = create_survey(
        CreateSurvey(panel=str(world.panel_a), title="Syksyn arviointi", statements=("Kokoukset olivat hyödyllisiä",)),
        uow=uow_factory(),
        clock=clock,
    )
    open_survey(OpenSurvey(survey.id), uow=uow_factory(), clock=clock, base_url="http://127.0.0.1")
    with uow_factory() as uow:
        links = [m.payload["survey_url"] for m in uow.outbox.list() if m.kind == SURVEY_INVITATION]
    token = str(links[0]).rsplit("/", 1)[1]
    answer_survey(AnswerSurvey(token, ("agree",), "9", COMMENT), uow=uow_factory(), clock=clock)
    schedule_meeting(
        ScheduleMeeting(
            panel=str(world.panel_a),
            starts_at=clock.now() + timedelta(days=20),
            service="Perhekeskus",
            tasks=(TASK,),
            place="Kirjasto, sali 2",
        ),
        uow=uow_factory(),
        clock=clock,
    )
    with uow_factory() as uow:  # the summary reached the members (the follow-up flow's job)
        meeting = uow.meetings.get(world.meeting_a)
        meeting.summary_sent_at = clock.now()
        uow.meetings.save(meeting)
        uow.commit()


def test_without_a_public_page_every_address_is_not_found(app, world: World, uow_factory) -> None:
    client = TestClient(app, base_url="http://127.0.0.1")
    publish(uow_factory, world, public_slug="itainen-raati")
    publish(uow_factory, world, public_page=False)

    for path in ("/p/itainen-raati", "/p/itainen-raati.json", "/p/itainen-raati/feed.atom", "/p/nobody-here"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Ajanvaraus" not in response.text


def test_the_public_page_shows_the_ideas_and_nothing_about_the_members(app, world: World, uow_factory, clock) -> None:
    season(uow_factory, world, clock)
    publish(uow_factory, world)  # no slug given: made from the name, Itäinen raati
    client = TestClient(app, base_url="http://127.0.0.1")

    pages = {code: client.get("/p/itainen-raati", params={"lang": code}) for code in ("fi", "sv", "en")}
    feed = client.get("/p/itainen-raati/feed.atom")
    data = client.get("/p/itainen-raati.json", params={"lang": "sv"})

    for response in (*pages.values(), feed, data):
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=300"
        assert "set-cookie" not in response.headers
        for private in PRIVATE:
            assert private not in response.text, (response.url, private)
    text = visible(pages["fi"].text)
    for shown in ("Itäinen raati", "Ajanvaraus verkossa", "Pysäköinti", REASON, PROGRESS, TASK, "Kirjasto, sali 2"):
        assert shown in text, shown
    assert "ei etene" in text  # the state in Finnish words
    assert "Kaisa Koordinaattori" in text  # the contact person: a coordinator's work contact
    assert SUMMARY in text
    swedish = visible(pages["sv"].text)
    assert '<html lang="sv">' in pages["sv"].text
    assert REASON_SV in swedish
    assert REASON not in swedish
    assert "Följ kundrådet" in swedish
    assert '<html lang="en">' in pages["en"].text
    assert "Ideas" in visible(pages["en"].text)


def test_the_page_follows_the_browser_language_and_filters_by_state(app, world: World, uow_factory, clock) -> None:
    season(uow_factory, world, clock)
    publish(uow_factory, world, public_slug="ita")
    client = TestClient(app, base_url="http://127.0.0.1", headers={"Accept-Language": "sv-FI,sv;q=0.9"})

    page = client.get("/p/ita", params={"state": "declined"})

    assert '<html lang="sv">' in page.text
    assert "Pysäköinti" in visible(page.text)
    assert "Ajanvaraus verkossa" not in visible(page.text)
    odd = client.get("/p/ita", params={"state": "flying"})
    assert odd.status_code == 200
    assert "Ajanvaraus verkossa" in visible(odd.text)
    again = client.get("/p/ita", params={"state": "declined"}, headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304


def test_the_atom_feed_has_an_entry_per_change(app, world: World, uow_factory, clock) -> None:
    season(uow_factory, world, clock)
    publish(uow_factory, world, public_slug="ita")
    client = TestClient(app, base_url="http://127.0.0.1")

    response = client.get("/p/ita/feed.atom", params={"lang": "sv"})

    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    for required in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{required}") or "").strip(), required
    assert any(link.get("rel") == "self" for link in feed.findall(f"{ATOM}link"))
    entries = feed.findall(f"{ATOM}entry")
    # Raised and declined; raised, sent, in progress and a note: the 6 steps of panel A's two ideas.
    assert len(entries) == 6
    ids = [e.findtext(f"{ATOM}id") or "" for e in entries]
    assert all(i.startswith("tag:") for i in ids)
    assert len(set(ids)) == len(ids)
    assert all(e.findtext(f"{ATOM}updated") and e.findtext(f"{ATOM}title") for e in entries)
    assert any(REASON_SV in (e.findtext(f"{ATOM}summary") or "") for e in entries)
    again = ET.fromstring(client.get("/p/ita/feed.atom", params={"lang": "sv"}).content)
    assert [e.findtext(f"{ATOM}id") for e in again.findall(f"{ATOM}entry")] == ids  # stable ids


def test_the_json_has_the_documented_shape(app, world: World, uow_factory, clock) -> None:
    season(uow_factory, world, clock)
    publish(uow_factory, world, public_slug="ita")
    client = TestClient(app, base_url="http://127.0.0.1")

    data = json.loads(client.get("/p/ita.json", params={"lang": "en"}).text)

    assert set(data) == {"language", "panel", "updated", "counts", "ideas", "meetings"}
    assert data["language"] == "en"
    assert data["panel"]["slug"] == "ita"
    assert data["panel"]["name"] == "Itäinen raati"
    assert data["panel"]["contact"]["email"] == "kaisa@ita.example"
    declined = next(i for i in data["ideas"] if i["title"] == "Pysäköinti")
    assert declined["state"] == "declined"
    assert declined["state_label"] == "not going ahead"
    assert [s["kind"] for s in declined["steps"]] == ["raised", "moved"]
    assert declined["steps"][-1]["text"] == REASON
    assert {c["state"]: c["count"] for c in data["counts"]}["declined"] == 1
    assert data["meetings"]["coming"][0]["tasks"][0]["text"] == TASK
    assert data["meetings"]["past"][0]["summary"] == SUMMARY
    assert set(declined) == {"id", "title", "title_language", "state", "state_label", "service", "changed_at", "steps"}


def test_a_contact_who_is_a_member_stays_off_the_page(app, world: World, uow_factory) -> None:
    update_panel(
        UpdatePanel(panel=str(world.panel_a), contact_name="Aino Asukas", contact_email="aino@example.org"),
        uow=uow_factory(),
        clock=FixedClock(),
    )
    publish(uow_factory, world, public_slug="ita")
    client = TestClient(app, base_url="http://127.0.0.1")

    for path in ("/p/ita", "/p/ita.json"):
        assert "aino@example.org" not in client.get(path).text


def test_slugs_are_checked_and_only_the_panels_coordinators_publish(world: World, uow_factory) -> None:
    with pytest.raises(InvalidValue) as bad:
        publish(uow_factory, world, public_slug="Itä raati!")
    assert bad.value.field == "public_slug"
    with pytest.raises(InvalidValue):
        publish(uow_factory, world, public_slug="ab")
    set_public_page(
        SetPublicPage(panel=str(world.panel_b), public_page=True, public_slug="lansi"),
        uow=uow_factory(),
        clock=FixedClock(),
    )
    with pytest.raises(AlreadyExists) as taken:
        publish(uow_factory, world, public_slug="lansi")
    assert taken.value.field == "public_slug"
    for who in (COORD_OTHER, OWNER, MANAGER):
        with pytest.raises(PermissionDenied):
            publish(uow_factory, world, actor=world_email(who))
    with uow_factory() as uow:
        assert not uow.panels.by_id(world.panel_a).public_page  # nothing was written
    publish(uow_factory, world, actor=world_email(COORD), public_slug="Ita-Raati")
    with uow_factory() as uow:
        panel = uow.panels.by_id(world.panel_a)
        assert (panel.public_page, panel.public_slug) == (True, "ita-raati")


def world_email(who: str) -> str:
    return {
        COORD: "koordinaattori@ita.example",
        COORD_OTHER: "koordinaattori@lansi.example",
        OWNER: "suu@ita.example",
        MANAGER: "johto@example.org",
    }[who]


def test_a_coordinator_turns_the_page_on_in_the_settings(app, world: World, signed_in: Signed) -> None:
    client = signed_in(COORD, "fi")
    page = client.get(f"/panels/{world.panel_a}")
    assert "Julkinen sivu" in page.text

    refused = client.post(
        f"/panels/{world.panel_a}/public",
        data={"csrf_token": csrf(page.text), "public_page": "on", "public_slug": "itä raati"},
    )
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    saved = client.post(
        f"/panels/{world.panel_a}/public",
        data={"csrf_token": csrf(page.text), "public_page": "on", "public_slug": ""},
    )
    assert saved.status_code == 303
    assert 'href="/p/itainen-raati"' in client.get(f"/panels/{world.panel_a}").text
    assert TestClient(app, base_url="http://127.0.0.1").get("/p/itainen-raati").status_code == 200
    owner = signed_in(OWNER, "fi")
    owner_page = owner.get(f"/panels/{world.panel_a}")
    forbidden = owner.post(
        f"/panels/{world.panel_a}/public", data={"csrf_token": csrf(owner_page.text), "public_page": ""}
    )
    assert forbidden.status_code == 403
