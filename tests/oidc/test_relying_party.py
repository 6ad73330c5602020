"""The relying party (web/oidc.py) against the loopback provider: PKCE, state and nonce, and each refusal of the
ID token. The browser's hop to the provider is a plain HTTP request that does not follow the redirect back."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from tests.oidc.conftest import settings_for
from tests.oidc.provider import (
    BAD_SIGNATURE,
    DENIED,
    EXPIRED,
    UNKNOWN_KEY,
    WRONG_AUDIENCE,
    WRONG_ISSUER,
    WRONG_NONCE,
    Login,
    Provider,
)
from web.oidc import OidcClient
from web.oidc_refusals import Refused

NOW = 1_000_000.0


def authorize(url: str) -> dict[str, str]:
    """What the provider sends the browser back with (the callback's query)."""
    response = requests.get(url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return dict(parse_qsl(urlsplit(response.headers["location"]).query))


def sign_in(client: OidcClient, *, next_path: str = "/queue") -> tuple[dict[str, str], dict[str, Any]]:
    started = client.begin(next_path=next_path, now=NOW)
    return authorize(started.url), started.pending


def test_the_authorization_request_carries_pkce_s256_state_and_nonce(provider: Provider) -> None:
    client = OidcClient(settings_for(provider))
    started = client.begin(next_path="/ideas/3", now=NOW)
    sent = dict(parse_qsl(urlsplit(started.url).query))
    assert sent["code_challenge_method"] == "S256"
    assert sent["code_challenge"]
    assert sent["code_challenge"] != started.pending["verifier"]
    assert sent["state"] == started.pending["state"]
    assert sent["nonce"] == started.pending["nonce"]
    assert sent["scope"] == "openid email profile"
    assert sent["redirect_uri"] == "http://127.0.0.1/sign-in/oidc/callback"


def test_a_good_sign_in_gives_the_verified_claims_and_where_to_go(provider: Provider) -> None:
    provider.next_login = Login(email="aino@example.org", roles=["raati-managers"])
    client = OidcClient(settings_for(provider))
    params, pending = sign_in(client, next_path="/ideas/3")
    verified = client.finish(params, pending, now=NOW + 5)
    assert verified.claims["email"] == "aino@example.org"
    assert verified.claims["email_verified"] is True
    assert verified.claims["roles"] == ["raati-managers"]
    assert verified.next == "/ideas/3"
    assert verified.id_token.count(".") == 2
    assert provider.token_requests[-1]["code_verifier"] == pending["verifier"]


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (WRONG_AUDIENCE, "wrong_audience"),
        (EXPIRED, "expired_token"),
        (BAD_SIGNATURE, "bad_signature"),
        (UNKNOWN_KEY, "unknown_key"),
        (WRONG_NONCE, "nonce_mismatch"),
        (WRONG_ISSUER, "wrong_issuer"),
        (DENIED, "provider_access_denied"),
    ],
)
def test_a_faulty_sign_in_is_refused_with_its_reason(provider: Provider, fault: str, reason: str) -> None:
    provider.next_login = Login(fault=fault)
    client = OidcClient(settings_for(provider))
    params, pending = sign_in(client)
    with pytest.raises(Refused) as refused:
        client.finish(params, pending, now=NOW + 5)
    assert refused.value.reason == reason


def test_a_state_opens_one_sign_in_only(provider: Provider) -> None:
    client = OidcClient(settings_for(provider))
    params, pending = sign_in(client)
    client.finish(params, pending, now=NOW + 5)
    with pytest.raises(Refused) as replayed:  # the same callback with a saved copy of the pending sign-in
        client.finish(params, pending, now=NOW + 6)
    assert replayed.value.reason == "replayed_state"


def test_a_callback_for_another_browsers_sign_in_is_refused(provider: Provider) -> None:
    client = OidcClient(settings_for(provider))
    params, _ = sign_in(client)
    _, mine = sign_in(client)
    with pytest.raises(Refused) as refused:
        client.finish(params, mine, now=NOW + 5)
    assert refused.value.reason == "unknown_state"
    with pytest.raises(Refused) as nothing_pending:
        client.finish(params, None, now=NOW + 5)
    assert nothing_pending.value.reason == "unknown_state"


def test_a_state_of_any_characters_is_refused_plainly(provider: Provider) -> None:
    client = OidcClient(settings_for(provider))
    _, pending = sign_in(client)
    with pytest.raises(Refused) as refused:
        client.finish({"state": "tilä-ä", "code": "x"}, pending, now=NOW + 5)
    assert refused.value.reason == "unknown_state"


def test_a_sign_in_left_for_too_long_is_refused(provider: Provider) -> None:
    client = OidcClient(settings_for(provider))
    params, pending = sign_in(client)
    with pytest.raises(Refused) as refused:
        client.finish(params, pending, now=NOW + 601)
    assert refused.value.reason == "state_expired"


@pytest.mark.parametrize("methods", [["client_secret_basic"], ["client_secret_post"]])
def test_the_secret_goes_to_the_token_endpoint_as_discovery_asks(provider: Provider, methods: list[str]) -> None:
    provider.auth_methods = methods
    client = OidcClient(settings_for(provider))
    params, pending = sign_in(client)
    assert client.finish(params, pending, now=NOW + 5).claims["email"]
    assert ("client_secret" in provider.token_requests[-1]) is (methods == ["client_secret_post"])


def test_a_wrong_client_secret_is_refused_at_the_code_exchange(provider: Provider) -> None:
    client = OidcClient(settings_for(provider, client_secret="not-the-secret"))
    params, pending = sign_in(client)
    with pytest.raises(Refused) as refused:
        client.finish(params, pending, now=NOW + 5)
    assert refused.value.reason == "code_refused"


def test_an_unreachable_provider_is_refused_plainly(provider: Provider) -> None:
    client = OidcClient(settings_for(provider, issuer="http://127.0.0.1:9"))
    with pytest.raises(Refused) as refused:
        client.begin(next_path="", now=NOW)
    assert refused.value.reason == "provider_unreachable"


def test_sign_out_goes_to_the_providers_end_session_endpoint_with_the_id_token(provider: Provider) -> None:
    client = OidcClient(settings_for(provider))
    url = client.end_session_url("the.id.token")
    assert url is not None
    assert url.startswith(f"{provider.issuer}/logout?")
    sent = dict(parse_qsl(urlsplit(url).query))
    assert sent == {
        "client_id": "raati-test",
        "post_logout_redirect_uri": "http://127.0.0.1/",
        "id_token_hint": "the.id.token",
    }


def test_without_an_end_session_endpoint_sign_out_stays_in_raati(provider: Provider) -> None:
    provider.end_session = False
    assert OidcClient(settings_for(provider)).end_session_url("the.id.token") is None
