"""The OpenID Connect relying party: discovery, the authorization request, the code exchange, the ID token's checks.

Authlib does the protocol (``OAuth2Session``: the authorization URL with PKCE S256, the token request with the
client's secret) and its ``CodeIDToken`` with joserfc the ID token: the signature against the provider's JWKS
(fetched again once when a token names a key not yet seen: the provider rotated its keys), then issuer,
audience, expiry (two minutes' leeway for clocks), nonce, ``azp`` and ``at_hash``. No JWT is parsed here by hand.

Authlib's Starlette client is not used: it keeps the whole authorization URL in the cookie, never checks the age
of a pending sign-in and checks the audience only through ``azp``. Here the browser's signed session holds a
pending sign-in of its own (state, nonce, PKCE verifier, where to go after, when it began), taken out on the way
back so that a state opens at most one sign-in; a state seen once is also remembered in this process, so a
callback replayed with a saved copy of the old cookie is refused too (and its code, single-use at the provider,
would be refused there).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from web.oidc_refusals import Refused
from web.oidc_settings import OidcSettings

# A sign-in not finished within ten minutes is refused (the provider's own login takes a minute or two).
PENDING_SECONDS = 600
# Clock skew allowed between the provider and this server when checking the ID token's times.
LEEWAY_SECONDS = 120
# Discovery is read again after an hour (or at once when the provider's keys no longer match).
METADATA_SECONDS = 3600
# Signature algorithms accepted even if discovery offers more: asymmetric ones, verified against the JWKS.
SAFE_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
# A provider's error code is kept in the audit trail only as a short word.
ERROR_CODE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz_")


@dataclass(frozen=True)
class Started:
    url: str  # where to send the browser: the provider's authorization endpoint with this request's parameters
    pending: dict[str, Any]  # what the browser's signed session keeps until it comes back


@dataclass(frozen=True)
class Verified:
    claims: dict[str, Any]
    id_token: str
    next: str  # the local path the sign-in was started for ("" for the user's home page)


class OidcClient:
    """One per web process; safe to share between the request threads."""

    def __init__(self, settings: OidcSettings) -> None:
        self.settings = settings
        self.issuer = (settings.issuer or "").rstrip("/")
        self.client_id = settings.client_id or ""
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: dict[str, Any] | None = None
        self._consumed: dict[str, float] = {}  # a state seen → when it may be forgotten (monotonic seconds)

    # --- the two legs of a sign-in ---------------------------------------------------------

    def begin(self, *, next_path: str, now: float) -> Started:
        """The authorization request: a fresh state, nonce and PKCE verifier for each sign-in."""
        endpoint = self._endpoint("authorization_endpoint")
        verifier, nonce = generate_token(64), generate_token(32)
        with self._session() as session:
            url, state = session.create_authorization_url(endpoint, code_verifier=verifier, nonce=nonce)
        pending = {"state": state, "nonce": nonce, "verifier": verifier, "next": next_path, "at": now}
        return Started(url=url, pending=pending)

    def finish(self, params: Mapping[str, str], pending: Any, *, now: float) -> Verified:
        """The callback: check the state against the pending sign-in, exchange the code, verify the ID token."""
        if params.get("error"):
            code = str(params["error"]).lower()[:40]
            raise Refused("provider_" + (code if set(code) <= ERROR_CODE_CHARACTERS else "error"))
        state = params.get("state") or ""
        if not state:
            raise Refused("missing_state")
        if self._seen(state):
            raise Refused("replayed_state")
        if not isinstance(pending, dict):
            raise Refused("unknown_state")  # nothing under way in this browser
        expected = str(pending.get("state", ""))
        if not expected or not hmac.compare_digest(expected.encode(), state.encode()):
            raise Refused("unknown_state")
        self._consume(state)
        if not isinstance(pending.get("at"), int | float) or not 0 <= now - pending["at"] <= PENDING_SECONDS:
            raise Refused("state_expired")
        code = params.get("code") or ""
        if not code:
            raise Refused("missing_code")
        token = self._exchange(code, verifier=str(pending.get("verifier", "")))
        id_token = token.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise Refused("no_id_token")
        claims = self._verify(id_token, nonce=str(pending.get("nonce", "")), access_token=token.get("access_token"))
        return Verified(claims=claims, id_token=id_token, next=str(pending.get("next") or ""))

    def end_session_url(self, id_token: str | None) -> str | None:
        """The provider's sign-out (RP-initiated logout) for a browser that signed in here, where it has one."""
        try:
            endpoint = self._metadata_document().get("end_session_endpoint")
        except Refused:
            return None  # the provider is unreachable: Raati's own session has ended all the same
        if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
            return None
        params = {"client_id": self.client_id, "post_logout_redirect_uri": self.settings.signed_out_uri}
        if id_token:
            params["id_token_hint"] = id_token
        return str(add_params_to_uri(endpoint, params))

    # --- the provider's documents ----------------------------------------------------------

    def _metadata_document(self, *, fresh: bool = False) -> dict[str, Any]:
        with self._lock:
            if not fresh and self._metadata is not None and time.monotonic() - self._metadata_at < METADATA_SECONDS:
                return self._metadata
        document = self._get_json(f"{self.issuer}/.well-known/openid-configuration")
        if str(document.get("issuer", "")).rstrip("/") != self.issuer:
            raise Refused("discovery_issuer_mismatch")
        with self._lock:
            self._metadata, self._metadata_at, self._keys = document, time.monotonic(), None
        return document

    def _endpoint(self, name: str) -> str:
        value = self._metadata_document().get(name)
        if not isinstance(value, str) or not value.startswith(("https://", "http://")):
            raise Refused("discovery_incomplete")
        return value

    def _key_set(self, *, fresh: bool = False) -> KeySet:
        with self._lock:
            keys = None if fresh else self._keys
        if keys is None:
            keys = self._get_json(self._endpoint("jwks_uri"))
            with self._lock:
                self._keys = keys
        try:
            return KeySet.import_key_set(keys)  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError, KeyError):
            raise Refused("keys_invalid") from None

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = requests.get(url, timeout=self.settings.timeout_seconds, headers={"Accept": "application/json"})
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError):
            raise Refused("provider_unreachable") from None
        if not isinstance(document, dict):
            raise Refused("provider_unreachable")
        return document

    # --- the code and the token --------------------------------------------------------------

    def _session(self) -> OAuth2Session:
        secret = self.settings.client_secret.get_secret_value() if self.settings.client_secret else None
        return OAuth2Session(
            client_id=self.client_id,
            client_secret=secret or None,
            token_endpoint_auth_method=self._auth_method() if secret else "none",
            scope=" ".join(self.settings.scope_list),
            redirect_uri=self.settings.redirect_uri,
            code_challenge_method="S256",
        )

    def _auth_method(self) -> str:
        """How the secret goes to the token endpoint: HTTP Basic (the default of the standard), or in the form
        where the provider's discovery offers only that."""
        offered = self._metadata_document().get("token_endpoint_auth_methods_supported") or []
        if isinstance(offered, list) and "client_secret_post" in offered and "client_secret_basic" not in offered:
            return "client_secret_post"
        return "client_secret_basic"

    def _exchange(self, code: str, *, verifier: str) -> Mapping[str, Any]:
        endpoint = self._endpoint("token_endpoint")
        try:
            with self._session() as session:
                token = session.fetch_token(
                    endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=verifier,
                    timeout=self.settings.timeout_seconds,
                )
        except OAuthError:
            raise Refused("code_refused") from None
        except (requests.RequestException, ValueError):
            raise Refused("provider_unreachable") from None
        return dict(token)

    def _verify(self, id_token: str, *, nonce: str, access_token: Any) -> dict[str, Any]:
        metadata = self._metadata_document()
        offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [name for name in offered if name in SAFE_ALGORITHMS] if isinstance(offered, list) else []
        if not algorithms:
            raise Refused("no_safe_algorithm")
        try:
            try:
                token = jwt.decode(id_token, self._key_set(), algorithms=algorithms)
            except InvalidKeyIdError:  # a key not seen before: the provider may have rotated its keys
                token = jwt.decode(id_token, self._key_set(fresh=True), algorithms=algorithms)
        except InvalidKeyIdError:
            raise Refused("unknown_key") from None
        except BadSignatureError:
            raise Refused("bad_signature") from None
        except (JoseError, ValueError, TypeError):
            raise Refused("malformed_token") from None
        # The issuer exactly as discovery names it (some end in a slash); the audience must include this client.
        issuer = str(metadata["issuer"])
        options = {"iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": self.client_id}}
        params = {"nonce": nonce, "client_id": self.client_id}
        if isinstance(access_token, str):
            params["access_token"] = access_token  # checked against at_hash where the token has one
        claims = CodeIDToken(token.claims, token.header, options, params)
        try:
            claims.validate(leeway=LEEWAY_SECONDS)
        except ExpiredTokenError:
            raise Refused("expired_token") from None
        except ClaimError as error:
            raise Refused(_claim_reason(error.claim)) from None
        except (JoseError, ValueError, TypeError, KeyError):  # at_hash under an algorithm it cannot hash, and the like
            raise Refused("invalid_token") from None
        return dict(claims)

    # --- states seen -----------------------------------------------------------------------

    def _seen(self, state: str) -> bool:
        with self._lock:
            return state in self._consumed

    def _consume(self, state: str) -> None:
        moment = time.monotonic()
        with self._lock:
            for old in [s for s, until in self._consumed.items() if until < moment]:
                del self._consumed[old]
            self._consumed[state] = moment + 2 * PENDING_SECONDS


def _claim_reason(claim: str) -> str:
    return {
        "iss": "wrong_issuer",
        "aud": "wrong_audience",
        "azp": "wrong_audience",
        "nonce": "nonce_mismatch",
        "iat": "issued_in_future",
        "nbf": "not_yet_valid",
    }.get(claim, "invalid_claim")
