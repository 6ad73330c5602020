"""A small OpenID Connect provider for the tests, served by a real uvicorn on 127.0.0.1.

It speaks the authorization code flow as a provider does: discovery, the authorization endpoint (which insists on
PKCE S256 and a nonce, and signs in whoever the test said comes next, without a login form), the token endpoint
(client secret, single-use codes, the PKCE verifier checked with Authlib's S256), the JWKS and an end-session
endpoint. ID tokens are signed with joserfc. What the next sign-in is, and what goes wrong with it, the test
chooses with ``provider.next_login = Login(...)``.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "raati-test"
CLIENT_SECRET = "a-test-secret-of-the-client"
KEY_ID = "signing-key-1"

# What can go wrong with a sign-in, as a provider (or someone in between) would get it wrong.
WRONG_AUDIENCE = "wrong_audience"  # the ID token was issued to another client
EXPIRED = "expired"  # the ID token's exp is past (beyond any leeway)
BAD_SIGNATURE = "bad_signature"  # signed by a key that is not in the JWKS (under the published key's id)
UNKNOWN_KEY = "unknown_key"  # signed by a key whose id the JWKS does not have
WRONG_NONCE = "wrong_nonce"  # the nonce of another authorization request
WRONG_ISSUER = "wrong_issuer"  # iss names another provider
DENIED = "denied"  # the user cancelled at the provider: the callback carries error=access_denied


@dataclass
class Login:
    """Who signs in at the provider next, with what claims, and what goes wrong."""

    email: str | None = "someone@example.org"
    email_verified: bool | None = True
    roles: list[str] | None = None
    fault: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Grant:
    redirect_uri: str
    challenge: str
    nonce: str
    login: Login
    used: bool = False


class Provider:
    def __init__(self) -> None:
        self.issuer = ""  # http://127.0.0.1:PORT once served
        self.key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID})
        self.redirect_uris: set[str] = set()
        self.reset()

    def reset(self) -> None:
        self.next_login = Login()
        self.grants: dict[str, Grant] = {}
        self.authorization_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.logouts: list[dict[str, str]] = []
        self.end_session = True
        self.auth_methods = ["client_secret_basic", "client_secret_post"]

    # --- the endpoints ---------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self.discovery),
                Route("/authorize", self.authorize),
                Route("/token", self.token, methods=["POST"]),
                Route("/jwks", self.jwks),
                Route("/logout", self.logout),
            ]
        )

    async def discovery(self, _request: Request) -> Response:
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": self.auth_methods,
            "scopes_supported": ["openid", "email", "profile"],
        }
        if self.end_session:
            document["end_session_endpoint"] = f"{self.issuer}/logout"
        return JSONResponse(document)

    async def jwks(self, _request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def authorize(self, request: Request) -> Response:
        params = dict(request.query_params)
        self.authorization_requests.append(params)
        redirect_uri = params.get("redirect_uri", "")
        if params.get("client_id") != CLIENT_ID or redirect_uri not in self.redirect_uris:
            return PlainTextResponse("unknown client or redirect URI", status_code=400)
        state = params.get("state", "")
        well_formed = (
            params.get("response_type") == "code"
            and "openid" in params.get("scope", "").split()
            and params.get("code_challenge_method") == "S256"
            and params.get("code_challenge")
            and params.get("nonce")
        )
        problem = None
        if not well_formed:
            problem = "invalid_request"
        elif self.next_login.fault == DENIED:
            problem = "access_denied"
        if problem is not None:
            return RedirectResponse(f"{redirect_uri}?{urlencode({'error': problem, 'state': state})}", 302)
        code = secrets.token_urlsafe(24)
        self.grants[code] = Grant(redirect_uri, params["code_challenge"], params["nonce"], self.next_login)
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", status_code=302)

    async def token(self, request: Request) -> Response:
        form = {key: str(value) for key, value in (await request.form()).items()}
        self.token_requests.append(form)
        if not self._client_authenticated(request, form):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self.grants.get(form.get("code", ""))
        if form.get("grant_type") != "authorization_code" or grant is None or grant.used:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        grant.used = True  # a code works once
        if form.get("redirect_uri") != grant.redirect_uri:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        verifier = form.get("code_verifier", "")
        if not verifier or not hmac.compare_digest(create_s256_code_challenge(verifier), grant.challenge):
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, status_code=400)
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(24),
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant),
            }
        )

    async def logout(self, request: Request) -> Response:
        params = dict(request.query_params)
        self.logouts.append(params)
        back = params.get("post_logout_redirect_uri")
        if back:
            return RedirectResponse(back, status_code=302)
        return PlainTextResponse("signed out")

    # --- the ID token ------------------------------------------------------------------------

    def id_token(self, grant: Grant) -> str:
        login, now = grant.login, int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": "user-" + secrets.token_hex(4),
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
        }
        if login.email is not None:
            claims["email"] = login.email
        if login.email_verified is not None:
            claims["email_verified"] = login.email_verified
        if login.roles is not None:
            claims["roles"] = login.roles
        claims.update(login.extra)
        key, header = self.key, {"alg": "RS256", "kid": KEY_ID}
        if login.fault == WRONG_AUDIENCE:
            claims["aud"] = "some-other-client"
        elif login.fault == EXPIRED:
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif login.fault == WRONG_NONCE:
            claims["nonce"] = secrets.token_urlsafe(16)
        elif login.fault == WRONG_ISSUER:
            claims["iss"] = "http://127.0.0.1:1/elsewhere"
        elif login.fault == BAD_SIGNATURE:
            key = self.rogue_key
        elif login.fault == UNKNOWN_KEY:
            key, header = self.rogue_key, {"alg": "RS256", "kid": "a-key-nobody-published"}
        return jwt.encode(header, claims, key)

    def _client_authenticated(self, request: Request, form: dict[str, str]) -> bool:
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic ") and "client_secret_basic" in self.auth_methods:
            client_id, _, secret = (unquote(part) for part in base64.b64decode(basic[6:]).decode().partition(":"))
        elif "client_secret_post" in self.auth_methods:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        else:
            return False
        return client_id == CLIENT_ID and hmac.compare_digest(secret, CLIENT_SECRET)
