"""Domain rules seen on the way: new entities have no id until stored (a bug to use one as stored, never
bad input), and a privacy acknowledgement is a coordinator's, on the version they saw."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.actors import Actor
from domain.data_rights import erase
from domain.entities import Unsaved
from domain.errors import DomainError, PermissionDenied, VersionConflict
from domain.events import EventType
from domain.ideas import Idea, IdeaState
from domain.panels import Member, Panel
from domain.values import Role

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COORDINATOR = Actor(name="koordinaattori", role=Role.COORDINATOR, panel_ids=frozenset({1}))
OWNER = Actor(name="omistaja", role=Role.SERVICE_OWNER, service_id=5)


def an_idea() -> Idea:
    idea = Idea.raise_new(
        panel_id=1, meeting_id=2, title="Kuvat ohjeisiin", text=None, service_id=5, actor=COORDINATOR, at=AT
    )
    idea.id = 7
    idea.move(IdeaState.SENT_TO_SERVICE, actor=COORDINATOR, at=AT)
    return idea


def test_a_stored_entity_gives_its_id_and_a_new_one_is_a_bug_not_bad_input() -> None:
    assert Panel(id=3, name="Kallio").stored_id == 3
    with pytest.raises(Unsaved, match="Panel has not been stored") as caught:
        _ = Panel(id=None, name="Kallio").stored_id
    assert not isinstance(caught.value, DomainError)  # entry points must not answer it as a 4xx or exit 2


def test_erasing_a_member_never_stored_is_a_bug_not_bad_input() -> None:
    member = Member(id=None, panel_id=1, name="Aino", email="aino@example.org")
    with pytest.raises(Unsaved):
        erase(member, seq=1, actor="operator", at=AT, counts={})
    assert member.name == "Aino"


def test_a_coordinator_acknowledges_health_details_on_the_version_they_saw() -> None:
    idea = an_idea()
    event = idea.acknowledge_privacy({"note": ["health"]}, actor=COORDINATOR, at=AT, expected_version=idea.version)
    assert event.type == EventType.PRIVACY_ACKNOWLEDGED
    with pytest.raises(VersionConflict):
        idea.acknowledge_privacy({"note": ["health"]}, actor=COORDINATOR, at=AT, expected_version=1)


def test_a_service_owner_cannot_acknowledge_health_details_even_on_their_own_services_idea() -> None:
    idea = an_idea()
    version = idea.version
    with pytest.raises(PermissionDenied):
        idea.acknowledge_privacy({"note": ["health"]}, actor=OWNER, at=AT, expected_version=version)
    assert idea.version == version
