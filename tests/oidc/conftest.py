"""The loopback OpenID Connect provider (tests/oidc/provider.py), served once per test process, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.oidc.provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.web_server import serving
from web.oidc_settings import OidcSettings

APP_BASE = "http://127.0.0.1"  # where the tests' TestClient serves the app


@pytest.fixture(scope="session")
def _served_provider() -> Iterator[Provider]:
    provider = Provider()
    with serving(provider.app()) as url:
        provider.issuer = url
        yield provider


@pytest.fixture
def provider(_served_provider: Provider) -> Provider:
    _served_provider.reset()
    _served_provider.redirect_uris = {f"{APP_BASE}/sign-in/oidc/callback"}
    return _served_provider


def settings_for(provider: Provider, **overrides: object) -> OidcSettings:
    values: dict[str, object] = {
        "issuer": provider.issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "base_url": APP_BASE,
        "timeout_seconds": 5,
    }
    values.update(overrides)
    return OidcSettings(**values)  # type: ignore[arg-type]
