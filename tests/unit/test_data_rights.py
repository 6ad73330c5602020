"""The pure rules of members' data rights: redaction, placeholders, retained payloads, the retention cutoff."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.data_rights import (
    Identity,
    Redactor,
    erase,
    erased_email,
    former_member_name,
    is_erased_email,
    retained_payload,
    retention_cutoff,
)
from domain.errors import InvalidValue
from domain.panels import Member

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def redactor(member_id: int = 3) -> Redactor:
    placeholder = Identity(former_member_name(member_id), erased_email(member_id))
    return Redactor(member_id, Identity("Aino Asukas", "aino@example.org"), placeholder)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kiitos, Aino Asukas!", "Kiitos, former member #3!"),
        ("AINO  asukas\nsoitti", "former member #3\nsoitti"),
        ("Aino Asukas\tja aino@example.org.", "former member #3\tja member-3@erased.invalid."),
        ("Mail: Aino@Example.org", "Mail: member-3@erased.invalid"),
        # Not her: a longer name, another address that merely contains hers.
        ("Aino Asukasniemi", "Aino Asukasniemi"),
        ("xaino@example.org", "xaino@example.org"),
        ("aino@example.org.fi", "aino@example.org.fi"),
        ("Aino", "Aino"),
    ],
)
def test_redactor_replaces_the_whole_name_and_the_exact_address_only(text: str, expected: str) -> None:
    assert redactor().text(text) == expected


def test_redactor_keeps_the_identity_fields_of_someone_elses_record_with_the_same_name() -> None:
    document = {
        "recipient_kind": "member",
        "recipient_id": 4,
        "recipient_name": "Aino Asukas",  # another Aino Asukas: her own mail
        "items": [
            {"member_id": 3, "name": "Aino Asukas", "text": "Aino Asukas kysyi"},
            {"member_id": 5, "name": "Aino Asukas", "email": "aino@example.org"},
            {"text": "Kiitos aino@example.org"},
        ],
    }

    assert redactor().document(document) == {
        "recipient_kind": "member",
        "recipient_id": 4,
        "recipient_name": "Aino Asukas",
        "items": [
            {"member_id": 3, "name": "former member #3", "text": "former member #3 kysyi"},
            {"member_id": 5, "name": "Aino Asukas", "email": "aino@example.org"},
            {"text": "Kiitos member-3@erased.invalid"},
        ],
    }
    assert redactor().document({"name": "Aino Asukas"}, someone_else=True) == {"name": "Aino Asukas"}
    assert redactor().document({"recipient_kind": "member", "recipient_id": 3, "recipient_name": "Aino Asukas"}) == {
        "recipient_kind": "member",
        "recipient_id": 3,
        "recipient_name": "former member #3",
    }


def test_erase_anonymises_the_member_and_the_event_holds_only_counts() -> None:
    member = Member(id=7, panel_id=1, name="Aino Asukas", email="aino@example.org")

    event = erase(member, seq=4, actor="operator", at=AT, counts={"unsent_mail_deleted": 2})

    assert (member.name, member.email) == ("former member #7", "member-7@erased.invalid")
    assert is_erased_email(member.email)
    assert not member.receives_mail
    assert (event.type, event.aggregate_id, event.seq, dict(event.data)) == (
        "erased",
        7,
        4,
        {"unsent_mail_deleted": 2},
    )
    assert event.text is None


def test_retained_payload_keeps_integer_references_only() -> None:
    payload = {
        "idea_id": 5,
        "event_seq": 2,
        "panel_id": 1,
        "service_id": None,
        "idea_title": "Takaisinsoitto",
        "recipient_name": "Aino Asukas",
        "wish_id": "12",
        "flag_id": True,
        "items": [{"idea_id": 5}],
    }

    assert retained_payload(payload) == {"idea_id": 5, "event_seq": 2, "panel_id": 1}


def test_retention_cutoff_is_the_period_before_now_and_at_least_a_day() -> None:
    assert retention_cutoff(AT, days=180) == AT - timedelta(days=180)
    with pytest.raises(InvalidValue, match="mail_retention_days"):
        retention_cutoff(AT, days=0)
