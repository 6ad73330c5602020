"""The message catalogs stay complete in every language, and the kinds match what the policy produces."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest

from domain.events import Aggregate, Event
from domain.ideas import Idea
from domain.panels import Panel, Service
from notifications import kinds, policy
from notifications.catalogs import CATALOGS, MissingMessageError, catalog_for, default_ground_rules


def fields_of(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_language_has_every_finnish_message_and_no_extra_ones(language: str) -> None:
    finnish, other = CATALOGS["fi"].messages, CATALOGS[language].messages

    assert sorted(set(finnish) - set(other)) == []
    assert sorted(set(other) - set(finnish)) == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_translations_use_the_same_placeholders_as_finnish(language: str) -> None:
    finnish, other = CATALOGS["fi"].messages, CATALOGS[language].messages

    differing = {key for key in finnish if key in other and fields_of(finnish[key]) != fields_of(other[key])}

    # Dates: Finnish and Swedish write 12.3.2026, English writes the month's name.
    assert differing <= {"fmt.date"}


def test_a_missing_message_is_a_clear_error() -> None:
    with pytest.raises(MissingMessageError, match="no message 'nope' in the 'sv' catalog"):
        catalog_for("sv")("nope")


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
    assert kinds.IdeaUpdatePayload.__optional_keys__ == {"recipient_name"}
    assert kinds.IdeaSentToServicePayload.__optional_keys__ == {"recipient_name", "respond_by"}
