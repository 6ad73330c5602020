"""Signed member links: valid for exactly one member and purpose, revoked by rotating the key."""

from __future__ import annotations

import stat
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from pydantic import SecretStr

from notifications.links import LinkSigner, UnsubscribeLinks, load_or_create_key, member_links
from notifications.settings import DeliverySettings

KEY = bytes(range(32))


def test_a_signed_token_verifies_for_its_member_and_purpose() -> None:
    signer = LinkSigner(KEY)

    token = signer.sign("unsubscribe", 42)

    assert signer.verify("unsubscribe", 42, token)
    assert len(token) == 43
    assert "=" not in token


def test_a_tampered_token_fails() -> None:
    signer = LinkSigner(KEY)
    token = signer.sign("unsubscribe", 42)
    tampered = ("A" if token[0] != "A" else "B") + token[1:]

    assert not signer.verify("unsubscribe", 42, tampered)
    assert not signer.verify("unsubscribe", 42, token[:-1])
    assert not signer.verify("unsubscribe", 42, "")
    assert not signer.verify("unsubscribe", 42, token + "ä")


def test_another_members_id_or_another_purpose_fails() -> None:
    signer = LinkSigner(KEY)
    token = signer.sign("unsubscribe", 42)

    assert not signer.verify("unsubscribe", 43, token)
    assert not signer.verify("preferences", 42, token)


def test_rotating_the_key_revokes_every_link() -> None:
    token = LinkSigner(KEY).sign("unsubscribe", 42)

    assert not LinkSigner(bytes(reversed(KEY))).verify("unsubscribe", 42, token)


def test_tokens_never_expire_the_same_key_gives_the_same_token() -> None:
    assert LinkSigner(KEY).sign("preferences", 7) == LinkSigner(KEY).sign("preferences", 7)


def test_a_short_key_or_odd_purpose_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        LinkSigner(b"short")
    with pytest.raises(ValueError, match="purpose"):
        LinkSigner(KEY).sign("un:subscribe", 1)


def test_member_links_carry_verifiable_tokens_in_the_agreed_shapes() -> None:
    signer = LinkSigner(KEY)

    links = member_links(signer, "https://raati.example.fi/", "raati.example.fi", 42)

    unsubscribe, preferences = urlsplit(links["unsubscribe"]), urlsplit(links["preferences"])
    assert links["unsubscribe"].startswith("https://raati.example.fi/m/42/unsubscribe?token=")
    assert links["preferences"].startswith("https://raati.example.fi/m/42/preferences?token=")
    # The members' panel page opens with the preferences token (web/pages/member_preferences.py).
    assert links["panel"] == f"https://raati.example.fi/m/42/panel?token={parse_qs(preferences.query)['token'][0]}"
    assert signer.verify("unsubscribe", 42, parse_qs(unsubscribe.query)["token"][0])
    assert signer.verify("preferences", 42, parse_qs(preferences.query)["token"][0])
    mailto = urlsplit(links["unsubscribe_mailto"])
    assert (mailto.scheme, mailto.path) == ("mailto", "unsubscribe@raati.example.fi")
    word, member, token = unquote(parse_qs(mailto.query)["subject"][0]).split(" ")
    assert (word, member) == ("unsubscribe", "42")
    assert signer.verify("unsubscribe", 42, token)
    assert UnsubscribeLinks.from_member_links(links) == UnsubscribeLinks(
        https=links["unsubscribe"], mailto=links["unsubscribe_mailto"]
    )


def test_the_configured_secret_key_is_used_when_set(tmp_path: Path) -> None:
    settings = DeliverySettings(data_dir=tmp_path, secret_key=SecretStr("a-long-configured-secret-key"))

    assert load_or_create_key(settings) == b"a-long-configured-secret-key"
    assert not (tmp_path / "secret.key").exists()


def test_without_a_secret_key_one_is_created_once_in_the_data_folder_readable_only_by_its_owner(
    tmp_path: Path,
) -> None:
    settings = DeliverySettings(data_dir=tmp_path / "data", secret_key=None)

    first = load_or_create_key(settings)
    second = load_or_create_key(settings)

    key_file = tmp_path / "data" / "secret.key"
    assert first == second == key_file.read_bytes()
    assert len(first) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["secret.key"]


def test_deleting_the_key_file_makes_a_new_key_and_revokes_old_links(tmp_path: Path) -> None:
    settings = DeliverySettings(data_dir=tmp_path, secret_key=None)
    token = LinkSigner(load_or_create_key(settings)).sign("unsubscribe", 42)

    (tmp_path / "secret.key").unlink()

    assert not LinkSigner(load_or_create_key(settings)).verify("unsubscribe", 42, token)
