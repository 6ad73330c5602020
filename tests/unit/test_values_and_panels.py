"""Value validators and the creation rules of panels, services, members and meetings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.actors import Actor
from domain.errors import InvalidValue, PermissionDenied
from domain.events import Aggregate
from domain.meetings import TaskCategory, TaskKind, development_task, schedule_meeting
from domain.panels import Panel, Service, add_member, add_service, create_panel, new_staff_user
from domain.values import MAX_NAME, Language, Role, bounded_text, email, language, single_line

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
OPERATOR = Actor.operator()
PANEL = Panel(id=1, name="Itäinen asiakasraati")
SERVICE = Service(id=10, panel_id=1, name="Suun terveydenhuolto")

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    "address",
    [
        "aino.virtanen@example.fi",
        "first+tag@sub.example.org",
        "o'brien@example.ie",
        "x@a-b.example.com",
        "UPPER@EXAMPLE.FI",
    ],
)
def test_valid_email_addresses_are_accepted(address: str) -> None:
    assert email(address).lower() == address.lower()


@pytest.mark.parametrize(
    "address",
    [
        "plainaddress",
        "@example.fi",
        "aino@",
        "aino@example",
        "aino@@example.fi",
        "aino virtanen@example.fi",
        "aino@exa mple.fi",
        "aino@-example.fi",
        "aino..virtanen@example.fi",
        ".aino@example.fi",
        "aino@example.f",
        "aino@example.fi\nbcc@evil.example",
        "=?utf-8?q?a=0D=0ABcc=3A_x=40y?=@example.fi",  # an encoded word a mail reader would decode
        "a" * 250 + "@example.fi",
    ],
)
def test_invalid_email_addresses_are_refused_naming_the_field(address: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        email(address, field="owner")

    assert caught.value.field == "owner"


@pytest.mark.parametrize("blank", ["", "   "])
def test_empty_email_is_refused(blank: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        email(blank)

    assert (caught.value.field, caught.value.reason) == ("email", "is empty")


def test_email_is_trimmed_and_its_domain_lower_cased_but_not_its_local_part() -> None:
    assert email("  Aino.Virtanen@Example.FI \n") == "Aino.Virtanen@example.fi"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fi", Language.FI), ("SV", Language.SV), (" en ", Language.EN), ("", Language.FI), (None, Language.FI)],
)
def test_language_codes_are_parsed_and_default_to_finnish(code: str | None, expected: Language) -> None:
    assert language(code) is expected


@pytest.mark.parametrize("code", ["de", "finnish", "f i"])
def test_unknown_language_is_refused_listing_the_known_ones(code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        language(code)

    assert caught.value.field == "language"
    assert "fi, sv, en" in caught.value.reason


@pytest.mark.parametrize("text", ["Two\nlines", "Carriage\rreturn", "Both\r\nbreaks"])
def test_single_line_refuses_line_breaks_inside_the_text(text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        single_line(text, field="title")

    assert caught.value.field == "title"
    assert "single line" in caught.value.reason


def test_single_line_trims_surrounding_whitespace_including_newlines() -> None:
    assert single_line("\n  Kaisa Korhonen \r\n", field="name") == "Kaisa Korhonen"


def test_single_line_refuses_text_over_the_maximum() -> None:
    with pytest.raises(InvalidValue) as caught:
        single_line("n" * (MAX_NAME + 1), field="name")

    assert caught.value.field == "name"


def test_bounded_text_refuses_nul_characters() -> None:
    with pytest.raises(InvalidValue) as caught:
        bounded_text("bad\x00text", field="text")

    assert "NUL" in caught.value.reason


def test_optional_bounded_text_may_be_missing() -> None:
    assert bounded_text(None, field="text", required=False) == ""


@pytest.mark.parametrize("lead_days", [2, 0, -7])
def test_panel_with_pre_brief_lead_under_three_days_is_refused(lead_days: int) -> None:
    with pytest.raises(InvalidValue) as caught:
        create_panel("Läntinen raati", lead_days=lead_days, actor=OPERATOR, at=AT)

    assert caught.value.field == "lead_days"
    assert "3 days" in caught.value.reason


def test_panel_with_three_day_lead_is_accepted_and_logged() -> None:
    panel, event = create_panel(" Läntinen raati ", lead_days=3, actor=OPERATOR, at=AT)

    assert (panel.name, panel.lead_days, panel.summary_due_days) == ("Läntinen raati", 3, 7)
    assert (event.aggregate, event.type, event.seq, event.actor) == (
        Aggregate.PANEL,
        "created",
        1,
        "operator",
    )
    assert event.data["name"] == "Läntinen raati"


def test_panel_with_summary_due_days_out_of_range_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        create_panel("Raati", summary_due_days=0, actor=OPERATOR, at=AT)

    assert caught.value.field == "summary_due_days"


def test_panel_created_at_a_naive_time_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        create_panel("Raati", actor=OPERATOR, at=datetime(2025, 1, 1))

    assert caught.value.field == "at"


def test_only_a_coordinator_of_the_panel_adds_services() -> None:
    outsider = Actor("c@example.fi", Role.COORDINATOR, panel_ids=frozenset({2}))

    with pytest.raises(PermissionDenied):
        add_service(PANEL, "Neuvola", actor=outsider, at=AT)
    service, event = add_service(PANEL, "Neuvola", actor=OPERATOR, at=AT)

    assert (service.panel_id, service.name) == (1, "Neuvola")
    assert event.data == {"panel_id": 1, "name": "Neuvola"}


def test_member_add_event_contains_no_name_or_email() -> None:
    member, event = add_member(
        PANEL, name="Aino Virtanen", address="Aino.Virtanen@Example.fi", lang="sv", actor=OPERATOR, at=AT
    )

    assert (member.name, member.email, member.language) == (
        "Aino Virtanen",
        "Aino.Virtanen@example.fi",
        Language.SV,
    )
    assert member.active
    assert event.aggregate is Aggregate.MEMBER
    assert dict(event.data) == {"panel_id": 1, "language": "sv"}
    logged = repr(event).lower()
    assert "aino" not in logged
    assert "virtanen" not in logged
    assert "example.fi" not in logged


def test_member_with_bad_email_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        add_member(PANEL, name="Aino", address="aino(at)example.fi", lang=None, actor=OPERATOR, at=AT)

    assert caught.value.field == "email"


def test_operator_role_cannot_be_given_to_a_staff_user() -> None:
    with pytest.raises(InvalidValue) as caught:
        new_staff_user("root@example.fi", role=Role.OPERATOR, actor=OPERATOR, at=AT)

    assert caught.value.field == "role"


def test_staff_user_acts_under_their_email_with_their_rights() -> None:
    user, _ = new_staff_user("Owner@Example.fi", role=Role.SERVICE_OWNER, actor=OPERATOR, at=AT)
    user.service_id = 10

    actor = user.as_actor()

    assert (actor.name, actor.role, actor.service_id) == ("Owner@example.fi", Role.SERVICE_OWNER, 10)
    assert not actor.coordinates(1)


def test_meeting_needs_at_least_one_development_task() -> None:
    with pytest.raises(InvalidValue) as caught:
        schedule_meeting(
            PANEL,
            starts_at=AT + timedelta(days=30),
            leading_service=SERVICE,
            tasks=[],
            actor=OPERATOR,
            at=AT,
            tz=HELSINKI,
        )

    assert caught.value.field == "task"


def test_meeting_is_scheduled_with_its_tasks_and_a_scheduled_event() -> None:
    task = development_task("Is the new appointment letter clear?", category="communications")

    meeting, event = schedule_meeting(
        PANEL,
        starts_at=AT + timedelta(days=30),
        leading_service=SERVICE,
        tasks=[task],
        place=" Library, room 2 ",
        actor=OPERATOR,
        at=AT,
        tz=HELSINKI,
    )

    assert meeting.tasks == [task]
    assert meeting.place == "Library, room 2"
    assert (event.aggregate, event.type) == (Aggregate.MEETING, "scheduled")
    assert event.data["leading_service_id"] == 10


def test_meeting_led_by_a_service_of_another_panel_is_refused() -> None:
    foreign = Service(id=11, panel_id=2, name="Kotihoito")

    with pytest.raises(InvalidValue) as caught:
        schedule_meeting(
            PANEL,
            starts_at=AT + timedelta(days=30),
            leading_service=foreign,
            tasks=[development_task("Question")],
            actor=OPERATOR,
            at=AT,
            tz=HELSINKI,
        )

    assert caught.value.field == "service"


def test_meeting_start_without_time_zone_is_refused() -> None:
    with pytest.raises(InvalidValue):
        schedule_meeting(
            PANEL,
            starts_at=datetime(2025, 4, 1, 17, 0),
            leading_service=SERVICE,
            tasks=[development_task("Question")],
            actor=OPERATOR,
            at=AT,
            tz=HELSINKI,
        )


def test_development_task_parses_kind_and_category_case_insensitively() -> None:
    task = development_task(" Draft of the web page ", kind=" Material ", category="WEB_SERVICES")

    assert (task.text, task.kind, task.category) == (
        "Draft of the web page",
        TaskKind.MATERIAL,
        TaskCategory.WEB_SERVICES,
    )


def test_development_task_with_unknown_kind_is_refused_listing_the_kinds() -> None:
    with pytest.raises(InvalidValue) as caught:
        development_task("Question", kind="survey")

    assert caught.value.field == "task_kind"
    assert "question, material" in caught.value.reason


def test_development_task_with_unknown_category_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        development_task("Question", category="finance")

    assert caught.value.field == "category"
    assert "customer_instructions" in caught.value.reason


def test_development_task_needs_text() -> None:
    with pytest.raises(InvalidValue) as caught:
        development_task("   ")

    assert caught.value.field == "task"
