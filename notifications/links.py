"""Signed member links: unsubscribe, preferences and a meeting's material files without a login.

A token is HMAC-SHA256 over the purpose and the member id, base64url without padding. Tokens
never expire; rotating the key (``RAATI_SECRET_KEY``, or the key file in the data folder)
revokes every link at once. Only ``load_or_create_key`` touches the file system.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from notifications.settings import DeliverySettings

UNSUBSCRIBE = "unsubscribe"
PREFERENCES = "preferences"
# The member's page for reading and acknowledging the panel's current ground rules.
GROUND_RULES = "ground_rules"
KEY_FILE = "secret.key"
KEY_BYTES = 32
MIN_KEY_BYTES = 16
_PURPOSE = re.compile(r"[a-z][a-z0-9_]*\Z")
# A sign-in link's nonce: ``secrets.token_hex(16)``.
_NONCE = re.compile(r"[0-9a-f]{16,64}\Z")


class LinkSigner:
    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the link signing key must be at least {MIN_KEY_BYTES} bytes, got {len(key)}")
        self._key = bytes(key)

    def sign(self, purpose: str, member_id: int) -> str:
        if not _PURPOSE.match(purpose):
            raise ValueError(f"purpose must be lower-case letters, digits and underscores, got {purpose!r}")
        if isinstance(member_id, bool) or not isinstance(member_id, int):
            raise TypeError(f"member_id must be an int, got {type(member_id).__name__}")
        digest = hmac.new(self._key, f"raati:{purpose}:{member_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def keyed(self, purpose: str, text: str) -> str:
        """Hex HMAC-SHA256 of ``text`` for ``purpose``: a key to count by (an address, a client's IP address) that,
        unlike a plain hash, cannot be reversed by trying every address without the key."""
        if not _PURPOSE.match(purpose):
            raise ValueError(f"purpose must be lower-case letters, digits and underscores, got {purpose!r}")
        return hmac.new(self._key, f"raati:{purpose}:{text}".encode(), hashlib.sha256).hexdigest()

    def verify(self, purpose: str, member_id: int, token: str) -> bool:
        """True only for the token of exactly this purpose and member; never raises on a bad token."""
        if not isinstance(token, str) or not token.isascii():
            return False
        try:
            expected = self.sign(purpose, member_id)
        except (TypeError, ValueError):
            return False
        return hmac.compare_digest(expected.encode("ascii"), token.encode("ascii"))


@dataclass(frozen=True)
class UnsubscribeLinks:
    """The two targets of ``List-Unsubscribe``: a one-click web link and a mailto."""

    https: str
    mailto: str

    @classmethod
    def from_member_links(cls, links: Mapping[str, str]) -> UnsubscribeLinks:
        return cls(https=links["unsubscribe"], mailto=links["unsubscribe_mailto"])


def sign_in_token(signer: LinkSigner, sign_in_id: int, nonce: str) -> str:
    """The one-time sign-in link's token: HMAC over the link's row id and its random nonce.

    The database stores the nonce and the token's SHA-256 only: without the key (a file or setting, never in
    the database) a stolen database gives no working link.
    """
    if not _NONCE.match(nonce):
        raise ValueError("the nonce must be lower-case hex (secrets.token_hex)")
    return signer.sign(f"sign_in_{nonce}", sign_in_id)


def sign_in_url(base_url: str, token: str) -> str:
    """Where a sign-in link lands: ``/sign-in/link/{token}`` (the page signs in, then goes to the link's ``next``)."""
    return f"{base_url.rstrip('/')}/sign-in/link/{token}"


def member_links(signer: LinkSigner, base_url: str, mail_domain: str, member_id: int) -> dict[str, str]:
    """The links member mail carries: ``unsubscribe``, ``preferences``, ``panel`` (the members' panel page, opened
    with the preferences token) and ``unsubscribe_mailto``."""
    base = base_url.rstrip("/")
    unsubscribe = signer.sign(UNSUBSCRIBE, member_id)
    preferences = signer.sign(PREFERENCES, member_id)
    return {
        "unsubscribe": f"{base}/m/{member_id}/unsubscribe?token={unsubscribe}",
        "preferences": f"{base}/m/{member_id}/preferences?token={preferences}",
        "panel": f"{base}/m/{member_id}/panel?token={preferences}",
        "unsubscribe_mailto": f"mailto:unsubscribe@{mail_domain}?subject=unsubscribe%20{member_id}%20{unsubscribe}",
    }


def participation_links(signer: LinkSigner, base_url: str, member_id: int) -> dict[str, str]:
    """``ground_rules`` (read and acknowledge the current rules) and ``topic_wish`` (the wish form).

    The wish form sits beside the preferences in web/pages/member_preferences.py and takes the preferences token.
    """
    base = base_url.rstrip("/")
    return {
        "ground_rules": f"{base}/m/{member_id}/rules?token={signer.sign(GROUND_RULES, member_id)}",
        "topic_wish": f"{base}/m/{member_id}/topics?token={signer.sign(PREFERENCES, member_id)}",
    }


def material_purpose(file_id: int) -> str:
    """A material file's link is signed for that file and that member: it opens no other file."""
    return f"material_{int(file_id)}"


def material_url(signer: LinkSigner, base_url: str, member_id: int, file_id: int) -> str:
    """Where a member downloads a meeting's material file: ``/m/{member_id}/materials/{file_id}?token=…``."""
    token = signer.sign(material_purpose(file_id), member_id)
    return f"{base_url.rstrip('/')}/m/{member_id}/materials/{int(file_id)}?token={token}"


def material_links(signer: LinkSigner, base_url: str, member_id: int, payload: Mapping[str, object]) -> dict[str, str]:
    """The pre-brief's file links for one member, by ``material_{file_id}``: one for each material of the payload
    kept as a file (a link material has its own address)."""
    materials = payload.get("materials")
    found = [m.get("file_id") for m in materials if isinstance(m, Mapping)] if isinstance(materials, list) else []
    return {
        material_purpose(file_id): material_url(signer, base_url, member_id, file_id)
        for file_id in found
        if isinstance(file_id, int) and not isinstance(file_id, bool)
    }


def load_or_create_key(settings: DeliverySettings) -> bytes:
    """The signing key: ``secret_key`` when set, else ``data_dir/secret.key``, made once (32 random bytes, 0600)."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value().encode("utf-8")
    path = Path(settings.data_dir) / KEY_FILE
    if not path.exists():
        _create_key_file(path)
    key = path.read_bytes()
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"{path} holds {len(key)} bytes; delete it to make a new key (this revokes every link)")
    return key


def _create_key_file(path: Path) -> None:
    """Write the key under a temporary name, then link it into place: two processes agree on one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process made the key first: use theirs
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
