"""``raati demo``: no Swedish or English member reads Finnish content the demo provided in their language, every
member mail names the panel's contact, and greets by the given name."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from application.demo.pilot import build_demo
from notifications import kinds
from notifications.outbox import RecipientKind
from tests.fakes import FakeUnitOfWork

pytestmark = pytest.mark.slow  # runs the whole demo (3 s)

# The texts members read, by kind: (a payload field, or "items.field" for each item of a list).
TRANSLATED = {
    kinds.IDEA_UPDATE: ("panel_name", "idea_title", "idea_text", "text"),
    kinds.DIGEST: ("panel_name", "idea_title", "idea_text", "text"),
    kinds.PREBRIEF: ("panel_name", "meeting_title", "place", "agenda", "tasks.title", "materials.title"),
    kinds.SUMMARY: ("panel_name", "meeting_title", "discussion", "next_steps", "ideas.title"),
    kinds.WELCOME: ("panel_name",),
    kinds.SURVEY_INVITATION: ("panel_name", "survey_title"),
    kinds.PROGRESS_REPORT: ("panel_name", "ideas.title", "ideas.text"),
    kinds.TOPIC_WISH_SCHEDULED: ("panel_name", "meeting_title", "place"),
}


def untranslated(payload: dict[str, Any], language: str, fields: tuple[str, ...]) -> list[str]:
    missing = []
    for name in fields:
        where, _, inner = name.partition(".")
        if inner:
            for i, item in enumerate(payload.get(where) or []):
                if item.get(inner) and inner not in item.get("translations", {}).get(language, {}):
                    missing.append(f"{where}[{i}].{inner}")
        elif payload.get(name) and name not in payload.get("translations", {}).get(language, {}):
            missing.append(name)
    return missing


def test_the_demo_speaks_to_swedish_and_english_members_in_their_language() -> None:
    uow = FakeUnitOfWork()
    build_demo(lambda: uow, now=datetime(2026, 11, 28, 10, tzinfo=UTC))
    with uow:
        rows = [m for m in uow.outbox.list() if m.recipient_kind is RecipientKind.MEMBER]
        panel = uow.panels.list()[0]

    assert panel.contact is not None
    checked = 0
    for row in rows:
        assert row.payload.get("panel_contact") == panel.contact.as_json(), row.kind
        assert row.payload["greeting_name"] == row.payload["recipient_name"].split()[0]
        if row.language == "fi":
            continue
        checked += 1
        assert untranslated(row.payload, row.language, TRANSLATED[row.kind]) == [], (row.kind, row.payload)
    assert checked >= 20
    assert {row.kind for row in rows if row.language != "fi"} >= {
        kinds.IDEA_UPDATE,
        kinds.PREBRIEF,
        kinds.SUMMARY,
        kinds.WELCOME,
        kinds.SURVEY_INVITATION,
    }
