"""The message catalogs stay complete in every language, and the kinds match what the policy produces."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.events import Aggregate, Event
from domain.ideas import Idea
from domain.panels import Panel, Service
from notifications import kinds, policy
from notifications.catalogs import CATALOGS, catalog_for, default_ground_rules


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("fi", "perjantai 15.1.2027 klo 17.00"),
        ("sv", "fredag 15.1.2027 kl. 17.00"),
        ("en", "Friday 15 January 2027 at 17:00"),
    ],
)
def test_each_language_writes_a_moment_as_it_does_in_helsinki_time(language: str, written: str) -> None:
    # 15:00 UTC is 17:00 in Helsinki in winter.
    assert catalog_for(language).format_when("2027-01-15T15:00:00+00:00", weekday=True) == written


@pytest.mark.parametrize(
    ("language", "date", "span", "number", "listed"),
    [
        ("fi", "15.1.2027", "15.1.2027 klo 17.00–19.00", "4,0", "A, B ja C"),
        ("sv", "15.1.2027", "15.1.2027 kl. 17.00–19.00", "4,0", "A, B och C"),
        ("en", "15 January 2027", "15 January 2027, 17:00–19:00", "4.0", "A, B and C"),
    ],
)
def test_dates_spans_numbers_and_lists_follow_the_language(
    language: str, date: str, span: str, number: str, listed: str
) -> None:
    t = catalog_for(language)
    start, end = datetime(2027, 1, 15, 15, 0, tzinfo=UTC), datetime(2027, 1, 15, 17, 0, tzinfo=UTC)

    assert t.format_when("2027-01-15") == date
    assert t.format_span(start, end, weekday=False) == span
    assert t.format_number(4) == number
    assert t.format_list(["A", "B", "C"]) == listed


def test_plurals_follow_the_count_in_every_language() -> None:
    for language in CATALOGS:
        t = catalog_for(language)
        one = t.ngettext("{count} idea in total", "{count} ideas in total", 1)
        many = t.ngettext("{count} idea in total", "{count} ideas in total", 4)
        assert one != many.replace("4", "1"), language
        assert "1" in one
        assert "4" in many


def test_default_ground_rules_exist_in_every_language_and_keep_the_promise_about_declined_ideas() -> None:
    rules = {language: default_ground_rules(language) for language in CATALOGS}

    assert len(rules["fi"]) == len(rules["sv"]) == len(rules["en"]) >= 8
    assert "myös silloin, kun ideat eivät etene" in rules["fi"][-1]
    assert "också när idéer inte går vidare" in rules["sv"][-1]
    assert "also when ideas do not go ahead" in rules["en"][-1]
    assert default_ground_rules("ru") == rules["fi"]


def test_policy_uses_the_same_kind_names_as_kinds() -> None:
    assert policy.IDEA_UPDATE == kinds.IDEA_UPDATE == "idea_update"
    assert policy.IDEA_SENT_TO_SERVICE == kinds.IDEA_SENT_TO_SERVICE == "idea_sent_to_service"


def test_member_and_staff_kinds_split_all_kinds_and_each_has_a_payload_contract() -> None:
    assert kinds.MEMBER_KINDS.isdisjoint(kinds.STAFF_KINDS)
    assert kinds.MEMBER_KINDS | kinds.STAFF_KINDS == kinds.ALL_KINDS
    assert set(kinds.PAYLOAD_TYPES) == kinds.ALL_KINDS
    assert kinds.is_member_kind(kinds.PREBRIEF)
    assert not kinds.is_member_kind(kinds.ESCALATION)


def test_the_idea_payload_contract_is_what_the_policy_writes() -> None:
    idea = Idea(id=7, panel_id=1, meeting_id=3, title="Selkeämpi ohje", text="", service_id=2)
    event = Event(Aggregate.IDEA, 7, 2, "moved", "coordinator", datetime(2026, 3, 1, tzinfo=UTC), "raised", "declined")
    panel, service = Panel(id=1, name="Raati"), Service(id=2, panel_id=1, name="Terveysasemat")

    written = policy.idea_payload(idea, event, panel=panel, service=service)

    assert kinds.IdeaUpdatePayload.__required_keys__ == set(written)
    per_reader = {"recipient_name", "greeting_name", "translations", "panel_contact", "idea_text"}
    assert kinds.IdeaUpdatePayload.__optional_keys__ == per_reader
    assert kinds.IdeaSentToServicePayload.__optional_keys__ == per_reader | {"respond_by"}


def test_a_moment_is_dated_by_its_day_in_helsinki_not_in_utc() -> None:
    late_in_utc = datetime(2027, 1, 4, 23, 37, tzinfo=UTC)  # already 5 January in Helsinki (UTC+2)

    assert catalog_for("en").format_date(late_in_utc) == "5 January 2027"
    assert catalog_for("fi").format_date(late_in_utc) == "5.1.2027"
    assert catalog_for("en").format_date(late_in_utc.date()) == "4 January 2027"  # a day stays that day
