"""The rule for outgoing text: identifiers block, health details wait for a coordinator's acknowledgement."""

from __future__ import annotations

import pytest

from domain.actors import Actor
from domain.errors import HealthDetailsNeedAcknowledgement, PermissionDenied, PrivacyBlocked
from domain.privacy_guard import screen
from domain.values import Role

COORDINATOR = Actor("coord@example.fi", Role.COORDINATOR, panel_ids=frozenset({1}))
OWNER = Actor("owner@example.fi", Role.SERVICE_OWNER, service_id=3)


def test_identifiers_block_even_with_an_acknowledgement_and_the_error_names_field_and_positions_only():
    with pytest.raises(PrivacyBlocked) as refused:
        screen({"title": "Idea", "text": "Soita 040 123 4567 tai a@b.fi"}, actor=COORDINATOR, panel_id=1,
               acknowledge_health=True)  # fmt: skip
    assert refused.value.field == "text"
    assert str(refused.value) == "text: remove personal identifiers before it is sent (phone at 6-18; email at 23-29)"


def test_health_details_need_acknowledgement_and_only_a_coordinator_of_the_panel_may_give_it():
    texts = {"note": "Hän sai insuliinia."}
    with pytest.raises(HealthDetailsNeedAcknowledgement, match="note: contains health details \\(health at 8-18\\)"):
        screen(texts, actor=COORDINATOR, panel_id=1)
    for actor, panel in ((OWNER, 1), (COORDINATOR, 2)):
        with pytest.raises(PermissionDenied):
            screen(texts, actor=actor, panel_id=panel, acknowledge_health=True)
    acknowledged = screen(texts, actor=Actor.operator(), panel_id=2, acknowledge_health=True)
    assert acknowledged is not None
    assert acknowledged.data() == {"kinds": ["health"], "fields": {"note": [{"kind": "health", "start": 8, "end": 18}]}}


def test_a_draft_checks_identifiers_only_and_clean_or_empty_texts_pass():
    assert screen({"summary": "Hän sai insuliinia."}, actor=OWNER, panel_id=1, check_health=False) is None
    assert screen({"note": None, "text": ""}, actor=OWNER, panel_id=1) is None
    assert screen({"note": "Ajanvaraus toimii."}, actor=OWNER, panel_id=1, acknowledge_health=True) is None
