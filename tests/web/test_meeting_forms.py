"""The coordinator's meeting work in the browser, over the same use cases as ``raati meeting …``: a panel's
meetings, scheduling one, attendance, the fast form for ideas raised in the meeting (all or nothing) and the
summary with the privacy guard's findings marked in place. The role matrix: a coordinator of another panel is
refused, a service owner and a manager read but are offered no form and cannot post one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.meetings.follow_up import follow_up_meetings
from application.participation.attendance import meeting_attendance
from application.reads.meeting_page import meeting_page
from application.reads.views import get_meeting, list_meetings, list_members
from domain.actors import Actor
from domain.values import Role
from tests.api.conftest import (
    COORD,
    COORD_OTHER,
    MANAGER,
    OWNER,
    World,
    app,  # noqa: F401  (the fixture)
    client,  # noqa: F401  (the fixture)
)
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app; CI runs them on SQLite and PostgreSQL

OPERATOR = Actor(name="operator", role=Role.OPERATOR)


def text_of(html: str) -> str:
    return " ".join(visible(html).split())


def test_the_panels_meetings_are_named_by_date_and_task_with_their_status(signed_in: Signed, world: World) -> None:
    page = signed_in(COORD, "fi").get(f"/panels/{world.panel_a}/meetings")

    assert page.status_code == 200
    text = text_of(page.text)
    assert "— Miten ajanvaraus?" in text
    assert f'href="/meetings/{world.meeting_a}"' in page.text
    assert "Tulevat tapaamiset" in text
    assert 'class="status status-due"' in page.text
    assert f'href="/panels/{world.panel_a}/meetings/new"' in page.text
    assert LEAKS.search(text) is None


def test_the_role_matrix_of_the_meeting_list(signed_in: Signed, world: World) -> None:
    address = f"/panels/{world.panel_a}/meetings"
    assert signed_in(COORD_OTHER, "fi").get(address).status_code == 403
    owner = signed_in(OWNER, "fi").get(address)
    manager = signed_in(MANAGER, "en").get(address)
    for page in (owner, manager):
        assert page.status_code == 200
        assert "/meetings/new" not in page.text  # reads, is offered no scheduling
    assert signed_in(OWNER, "fi").get(address + "/new").status_code == 403
    assert signed_in(MANAGER, "fi").get(address + "/new").status_code == 403


def schedule_form(when, **changes: str) -> dict[str, str]:
    local = when.astimezone()
    form = {
        "date": local.strftime("%Y-%m-%d"),
        "time": "17:00",
        "service": "",
        "tasks": "Omaolon ohjeet\nChat-palvelu",
        "task_kind": "material",
        "category": "customer_instructions",
        "place": "Kalasatama",
        "online_url": "",
        "title": "",
        "agenda": "Tervetuloa\nOhjeet",
        "title_sv": "Omaolos anvisningar",
        "tasks_sv": "Omaolos anvisningar",
    }
    return form | changes


def test_a_coordinator_schedules_a_meeting_and_a_bad_form_names_the_field(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    coordinator = signed_in(COORD, "fi")
    address = f"/panels/{world.panel_a}/meetings/new"
    form_page = coordinator.get(address)
    assert form_page.status_code == 200
    token = csrf(form_page.text)
    before = len(list_meetings(str(world.panel_a), actor=OPERATOR, uow=uow_factory()))

    no_service = coordinator.post(address, data=schedule_form(clock.now() + timedelta(days=20)) | {"csrf_token": token})
    assert no_service.status_code == 422
    assert 'id="f-service"' in no_service.text
    assert 'aria-invalid="true"' in no_service.text
    assert "Vastuupalvelu" in text_of(no_service.text)
    assert "Omaolon ohjeet" in no_service.text  # what was written stays in the form

    too_soon = coordinator.post(
        address,
        data=schedule_form(clock.now() + timedelta(days=1), service=str(world.service_a1)) | {"csrf_token": token},
    )
    assert too_soon.status_code == 422
    assert LEAKS.search(text_of(too_soon.text)) is None
    assert "--allow-late" not in too_soon.text
    assert len(list_meetings(str(world.panel_a), actor=OPERATOR, uow=uow_factory())) == before  # nothing saved

    done = coordinator.post(
        address,
        data=schedule_form(clock.now() + timedelta(days=20), service=str(world.service_a1)) | {"csrf_token": token},
    )
    assert done.status_code == 303
    meeting_id = int(done.headers["location"].rsplit("/", 1)[1])
    meeting = get_meeting(meeting_id, actor=OPERATOR, uow=uow_factory())
    assert [t.text for t in meeting.tasks] == ["Omaolon ohjeet", "Chat-palvelu"]
    assert meeting.tasks[0].kind.value == "material"
    assert meeting.agenda == ["Tervetuloa", "Ohjeet"]
    assert meeting.display_title_in("sv") == "Omaolos anvisningar"
    assert "Tapaaminen on ajoitettu." in text_of(coordinator.get(f"/meetings/{meeting_id}").text)  # the flash


def test_a_service_owner_cannot_schedule_by_posting(signed_in: Signed, world: World, clock) -> None:
    owner = signed_in(OWNER, "fi")
    token = csrf(owner.get(f"/panels/{world.panel_a}/meetings").text)
    data = schedule_form(clock.now() + timedelta(days=20), service=str(world.service_a1)) | {"csrf_token": token}
    refused = owner.post(f"/panels/{world.panel_a}/meetings/new", data=data)
    assert refused.status_code == 403


def test_ideas_raised_in_the_meeting_are_saved_all_or_nothing(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    coordinator = signed_in(COORD, "fi")
    address = f"/meetings/{world.meeting_a}"
    page = coordinator.get(address)
    token = csrf(page.text)
    assert f'action="/meetings/{world.meeting_a}/ideas"' in page.text

    def count() -> int:
        return len(meeting_page(OPERATOR, world.meeting_a, uow=uow_factory(), clock=clock).ideas)

    before = count()
    bad = coordinator.post(
        f"{address}/ideas",
        data={
            "csrf_token": token,
            "title_1": "Selkeämmät ohjeet",
            "text_1": "Ohjeet ovat vaikeita",
            "title_3": "Soita minulle",
            "text_3": "Numeroni on 040 1234567",
            "service_3": str(world.service_a1),
        },
    )
    assert bad.status_code == 422
    text = text_of(bad.text)
    assert "Idea 3" in text
    assert "<mark>" in bad.text  # the phone number marked in place
    assert count() == before  # nothing saved, not even the good row
    assert "Selkeämmät ohjeet" in bad.text

    good = coordinator.post(
        f"{address}/ideas",
        data={
            "csrf_token": token,
            "title_1": "Selkeämmät ohjeet",
            "title_2": "Chat illalla",
            "service_2": str(world.service_a1),
        },
    )
    assert good.status_code == 303
    assert count() == before + 2


def test_attendance_and_the_summary_from_draft_to_approval(signed_in: Signed, world: World, uow_factory, clock) -> None:
    clock.advance(days=30, hours=3)  # the meeting is over
    coordinator = signed_in(COORD, "fi")
    address = f"/meetings/{world.meeting_a}"
    page = coordinator.get(address)
    token = csrf(page.text)
    assert "Aino Asukas" in page.text
    present = [m.id for m in meeting_attendance(world.meeting_a, uow=uow_factory())]
    assert present == []
    aino = next(
        m for m in list_members(str(world.panel_a), actor=OPERATOR, uow=uow_factory()) if m.name == "Aino Asukas"
    )
    saved = coordinator.post(f"{address}/attendance", data={"csrf_token": token, "present": [str(aino.id)]})
    assert saved.status_code == 303
    assert [m.id for m in meeting_attendance(world.meeting_a, uow=uow_factory())] == [aino.id]
    assert "checked" in coordinator.get(address).text

    blocked = coordinator.post(
        f"{address}/summary",
        data={"csrf_token": token, "summary_text": "Puhuimme ohjeista. Soita 040 1234567.", "next_steps": ""},
    )
    assert blocked.status_code == 422
    assert "<mark>" in blocked.text
    assert "040 1234567" in blocked.text
    assert LEAKS.search(text_of(blocked.text)) is None
    assert get_meeting(world.meeting_a, actor=OPERATOR, uow=uow_factory()).summary == ""

    drafted = coordinator.post(
        f"{address}/summary",
        data={
            "csrf_token": token,
            "summary_text": "Puhuimme ohjeista.",
            "next_steps": "Palvelu vastaa\nSeuraava kerta",
        },
    )
    assert drafted.status_code == 303
    meeting = get_meeting(world.meeting_a, actor=OPERATOR, uow=uow_factory())
    assert meeting.summary == "Puhuimme ohjeista."
    assert meeting.next_steps == ["Palvelu vastaa", "Seuraava kerta"]

    approved = coordinator.post(f"{address}/summary/approve", data={"csrf_token": token})
    assert approved.status_code == 303
    assert get_meeting(world.meeting_a, actor=OPERATOR, uow=uow_factory()).summary_approved_at is not None
    assert "Hyväksytty" in text_of(coordinator.get(address).text)


def test_the_owner_and_the_manager_read_the_meeting_but_get_no_forms_and_cannot_post(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    clock.advance(days=30, hours=3)
    for who in (OWNER, MANAGER):
        reader = signed_in(who, "fi")
        page = reader.get(f"/meetings/{world.meeting_a}")
        assert page.status_code == 200
        for form in ("attendance", "summary", "ideas"):  # no form posts to any of them
            assert f'action="/meetings/{world.meeting_a}/{form}"' not in page.text
        token = csrf(reader.get(f"/panels/{world.panel_a}/meetings").text)
        refused = reader.post(
            f"/meetings/{world.meeting_a}/summary", data={"csrf_token": token, "summary_text": "x", "next_steps": ""}
        )
        assert refused.status_code == 403
        assert reader.post(f"/meetings/{world.meeting_a}/attendance", data={"csrf_token": token}).status_code == 403
    other = signed_in(COORD_OTHER, "fi")
    token = csrf(other.get(f"/panels/{world.panel_b}/meetings").text)
    refused = other.post(f"/meetings/{world.meeting_a}/ideas", data={"csrf_token": token, "title_1": "x"})
    assert refused.status_code == 403


def test_the_meeting_page_says_when_the_summary_was_sent_and_to_how_many(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    clock.advance(days=30, hours=3)
    coordinator = signed_in(COORD, "en")
    address = f"/meetings/{world.meeting_a}"
    token = csrf(coordinator.get(address).text)
    drafted = coordinator.post(
        f"{address}/summary",
        data={"csrf_token": token, "summary_text": "We talked about the guides.", "next_steps": ""},
    )
    assert drafted.status_code == 303
    assert coordinator.post(f"{address}/summary/approve", data={"csrf_token": token}).status_code == 303
    follow_up_meetings(uow_factory=uow_factory, clock=clock)  # the flow's run sends it to the panel's two members

    page = coordinator.get(address)

    text = text_of(page.text)
    assert "to 2 members." in text
    assert f'action="/meetings/{world.meeting_a}/summary"' not in page.text  # sent: nothing left to write


def test_a_coordinator_adds_the_place_and_link_keeping_the_translations_and_a_bad_link_is_named(
    signed_in: Signed, world: World, uow_factory
) -> None:
    coordinator = signed_in(COORD, "fi")
    address = f"/meetings/{world.meeting_a}/edit"
    form = coordinator.get(address)
    assert form.status_code == 200
    token = csrf(form.text)
    sent = {
        "csrf_token": token,
        "title": "Ajanvaraus",
        "title_sv": "Tidsbokning",
        "place": "Kalasatama",
        "online_url": "teams.example/x",
        "agenda": "Tervetuloa\nAjanvaraus",
    }

    bad = coordinator.post(address, data=sent)
    assert bad.status_code == 422
    assert 'id="f-online-url"' in bad.text
    assert "https://" in text_of(bad.text)
    assert get_meeting(world.meeting_a, actor=OPERATOR, uow=uow_factory()).place == ""  # nothing saved

    saved = coordinator.post(address, data=sent | {"online_url": "https://teams.example/x"})
    assert saved.status_code == 303
    meeting = get_meeting(world.meeting_a, actor=OPERATOR, uow=uow_factory())
    assert (meeting.place, meeting.online_url, meeting.agenda) == (
        "Kalasatama",
        "https://teams.example/x",
        ["Tervetuloa", "Ajanvaraus"],
    )
    assert meeting.display_title_in("sv") == "Tidsbokning"
    again = coordinator.get(address).text
    assert 'value="Tidsbokning"' in again  # the form shows the translation, so saving again keeps it


def test_only_the_panels_coordinator_may_change_the_meetings_details(signed_in: Signed, world: World) -> None:
    for who, expected in ((OWNER, 403), (MANAGER, 403), (COORD_OTHER, 403)):
        reader = signed_in(who, "fi")
        assert reader.get(f"/meetings/{world.meeting_a}/edit").status_code == expected
    owner = signed_in(OWNER, "fi")
    token = csrf(owner.get(f"/panels/{world.panel_a}/meetings").text)
    refused = owner.post(f"/meetings/{world.meeting_a}/edit", data={"csrf_token": token, "place": "x"})
    assert refused.status_code == 403


def test_the_summarys_swedish_version_is_kept_and_a_finding_in_it_is_marked_in_it(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    clock.advance(days=30, hours=3)
    coordinator = signed_in(COORD, "fi")
    address = f"/meetings/{world.meeting_a}"
    token = csrf(coordinator.get(address).text)
    written = {
        "csrf_token": token,
        "summary_text": "Puhuimme ohjeista.",
        "next_steps": "Palvelu vastaa",
        "summary_text_sv": "Vi talade om anvisningarna. Ring 040 1234567.",
        "next_steps_sv": "Tjänsten svarar",
    }

    blocked = coordinator.post(f"{address}/summary", data=written)
    assert blocked.status_code == 422
    assert 'id="f-summary-text-sv"' in blocked.text
    assert "<mark>" in blocked.text
    assert 'id="f-summary-text-sv-found"' in blocked.text  # marked in the Swedish text, where it was found

    saved = coordinator.post(f"{address}/summary", data=written | {"summary_text_sv": "Vi talade om anvisningarna."})
    assert saved.status_code == 303
    again = coordinator.get(address).text
    assert "Vi talade om anvisningarna." in again  # shown in the form: saving again keeps it
    assert "Tjänsten svarar" in again
    meeting = get_meeting(world.meeting_a, actor=OPERATOR, uow=uow_factory())
    assert meeting.translations.get("sv", "summary") == "Vi talade om anvisningarna."


def test_a_summary_naming_health_details_is_approved_only_once_the_coordinator_confirms(
    signed_in: Signed, world: World, uow_factory, clock
) -> None:
    clock.advance(days=30, hours=3)
    coordinator = signed_in(COORD, "en")
    address = f"/meetings/{world.meeting_a}"
    token = csrf(coordinator.get(address).text)
    written = {"csrf_token": token, "summary_text": "A member told us about their diabetes.", "next_steps": ""}
    assert coordinator.post(f"{address}/summary", data=written).status_code == 303  # a draft stays inside Raati

    refused = coordinator.post(f"{address}/summary/approve", data={"csrf_token": token})
    assert refused.status_code == 422
    assert "<mark>" in refused.text
    assert 'name="acknowledge_health"' in refused.text
    assert "--acknowledge-health" not in refused.text
    assert get_meeting(world.meeting_a, actor=OPERATOR, uow=uow_factory()).summary_approved_at is None

    confirmed = coordinator.post(f"{address}/summary/approve", data={"csrf_token": token, "acknowledge_health": "yes"})
    assert confirmed.status_code == 303
    assert get_meeting(world.meeting_a, actor=OPERATOR, uow=uow_factory()).summary_approved_at is not None
