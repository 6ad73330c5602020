"""The pages over FastAPI's TestClient, on the API tests' two panels (tests/api/conftest.py): a signed-in
client per caller, in the language its Accept-Language asks for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import World, app, build_world, link_signer, world  # noqa: F401  (the fixtures)
from tests.sign_in import sign_in as sign_in_by_link

# What must never reach a page: field codes, flags, character spans, internal states and error prefixes.
LEAKS = re.compile(
    r"expected_version|identity_code|--acknowledge|\bat \d+-\d+\b|\bnote: (?:a|an|is|contains|the idea)\b"
    r"|\bstate: cannot|permission: |sent_to_service\b(?!\")"
    r"|in_progress\b(?!\")|Could not save:|Tallennus ei onnistunut:"
)
Signed = Callable[..., TestClient]


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def visible(html: str) -> str:
    """The page's text without tags, attribute values and scripts: what a person reads."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.fixture
def signed_in(app, world: World, uow_factory, link_signer) -> Iterator[Signed]:  # noqa: F811
    clients: list[TestClient] = []

    def sign_in(who: str, language: str | None = None) -> TestClient:
        headers = {"Accept-Language": language} if language else {}
        client = TestClient(app, base_url="http://127.0.0.1", headers=headers, follow_redirects=False)
        clients.append(client)
        response = sign_in_by_link(client, world.emails[who], uow_factory=uow_factory, signer=link_signer)
        assert response.status_code == 303, response.text
        return client

    yield sign_in
    for client in clients:
        client.close()
