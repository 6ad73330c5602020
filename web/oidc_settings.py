"""Single sign-on settings from ``RAATI_OIDC_*`` variables, checked when the web app starts.

Nothing here is required: without ``RAATI_OIDC_ISSUER`` single sign-on is off. A setting that is given but cannot
work (an issuer without a client id, a role mapping that names no role claim, a mapping that is not valid JSON or
gives a coordinator no panel) stops the start with a message naming the variable (``InvalidValue``: the command
line prints it and exits 2).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from application.access.single_sign_on import Grant, RoleMapping
from domain.errors import InvalidValue
from domain.values import Role

PREFIX = "RAATI_OIDC_"
MAPPED_ROLES = (Role.COORDINATOR, Role.SERVICE_OWNER, Role.MANAGER)
GRANT_KEYS = frozenset({"role", "panels", "service", "panel"})


class OidcSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", populate_by_name=True)

    # The provider's issuer URL, exactly as its discovery document names it; discovery is read from
    # {issuer}/.well-known/openid-configuration.
    issuer: str | None = None
    client_id: str | None = None
    # Without a secret Raati is a public client (PKCE alone); most providers give a confidential client a secret.
    client_secret: SecretStr | None = None
    scopes: str = "openid email profile"
    # The claim holding the address a staff user is matched by (Entra ID without mailboxes: preferred_username).
    email_claim: str = "email"
    # A provider that sends no email_verified claim (Entra ID) is trusted for its addresses only when this is set:
    # the city's own directory, where no one can give themselves someone else's address.
    trust_email: bool = False
    # Role mapping: the claim (or dotted path) with the user's roles or groups, and what each value gives, as JSON
    # in RAATI_OIDC_ROLE_MAP or in the file RAATI_OIDC_ROLE_MAP_FILE. Without one nobody is added on the fly.
    roles_claim: str | None = None
    role_map: str | None = None
    role_map_file: Path | None = None
    timeout_seconds: float = Field(10.0, gt=0, le=120)
    # The public address of the web app (the mail's links use the same): the redirect URI is
    # {RAATI_BASE_URL}/sign-in/oidc/callback and the provider sends a signed-out browser back to {RAATI_BASE_URL}/.
    base_url: str = Field("http://127.0.0.1:8000", validation_alias="RAATI_BASE_URL")

    @property
    def configured(self) -> bool:
        return bool(self.issuer)

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def redirect_uri(self) -> str:
        """Where the provider sends the browser back: register exactly this with the provider."""
        return f"{self.base_url.rstrip('/')}/sign-in/oidc/callback"

    @property
    def signed_out_uri(self) -> str:
        """Where the provider sends the browser after signing out there (its post-logout redirect URI)."""
        return f"{self.base_url.rstrip('/')}/"


def load_oidc_settings() -> OidcSettings:
    """The settings from the environment, checked (``InvalidValue`` naming the variable)."""
    try:
        settings = OidcSettings()
    except ValidationError as error:
        problem = error.errors()[0]
        where = str(problem["loc"][0]) if problem["loc"] else "issuer"
        name = where if where.startswith("RAATI_") else PREFIX + where.upper()
        raise InvalidValue(name, str(problem["msg"])) from None
    check(settings)
    return settings


def check(settings: OidcSettings) -> None:
    """Refuse settings that cannot work, naming the variable; parse the role mapping once to find its faults."""
    if not settings.configured:
        given = ("client_id", "client_secret", "roles_claim", "role_map", "role_map_file")
        stray = [name for name in given if getattr(settings, name)]
        if stray:
            raise InvalidValue(PREFIX + "ISSUER", f"is needed for {PREFIX}{stray[0].upper()}")
        return
    if importlib.util.find_spec("authlib") is None:
        raise InvalidValue(PREFIX + "ISSUER", "single sign-on needs the optional part: pip install 'raati[sso]'")
    issuer = settings.issuer or ""
    if not issuer.startswith(("https://", "http://")):
        raise InvalidValue(PREFIX + "ISSUER", "must be the provider's URL (https://…)")
    if not settings.client_id:
        raise InvalidValue(PREFIX + "CLIENT_ID", "is needed with RAATI_OIDC_ISSUER (the client id the provider gave)")
    if "openid" not in settings.scope_list:
        raise InvalidValue(PREFIX + "SCOPES", "must include openid")
    role_mapping(settings)


def role_mapping(settings: OidcSettings) -> RoleMapping | None:
    """The mapping of role-claim values to what they give, or None when none is configured."""
    if settings.role_map and settings.role_map_file:
        raise InvalidValue(PREFIX + "ROLE_MAP_FILE", "give the mapping in RAATI_OIDC_ROLE_MAP or in a file, not both")
    source, text = PREFIX + "ROLE_MAP", settings.role_map
    if settings.role_map_file is not None:
        source = PREFIX + "ROLE_MAP_FILE"
        try:
            text = settings.role_map_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidValue(source, f"cannot read {settings.role_map_file}: {error}") from None
    if text is None:
        if settings.roles_claim:
            raise InvalidValue(PREFIX + "ROLES_CLAIM", "needs a mapping in RAATI_OIDC_ROLE_MAP or _ROLE_MAP_FILE")
        return None
    if not settings.roles_claim:
        raise InvalidValue(PREFIX + "ROLES_CLAIM", f"is needed with {source}: the claim whose values it maps")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidValue(source, f"is not valid JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(raw, dict) or not raw:
        raise InvalidValue(
            source, 'must be a JSON object of claim values, e.g. {"raati-managers": {"role": "manager"}}'
        )
    grants = {str(value): _grant(entry, where=f"{source}: {value!r}") for value, entry in raw.items()}
    return RoleMapping(claim=settings.roles_claim, grants=grants)


def _grant(entry: Any, *, where: str) -> Grant:
    if not isinstance(entry, dict):
        raise InvalidValue(where, 'must be an object such as {"role": "manager"}')
    unknown = sorted(set(entry) - GRANT_KEYS)
    if unknown:
        raise InvalidValue(f"{where}.{unknown[0]}", f"is not a known key (known: {', '.join(sorted(GRANT_KEYS))})")
    roles = ", ".join(role.value for role in MAPPED_ROLES)
    role = next((r for r in MAPPED_ROLES if r.value == entry.get("role")), None)
    if role is None:
        raise InvalidValue(f"{where}.role", f"must be one of {roles}")
    panels = entry.get("panels", [])
    if not isinstance(panels, list) or not all(isinstance(p, str) and p.strip() for p in panels):
        raise InvalidValue(f"{where}.panels", "must be a list of panel names")
    service, panel = entry.get("service"), entry.get("panel")
    for key, value in (("service", service), ("panel", panel)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise InvalidValue(f"{where}.{key}", "must be a name")
    if role is Role.COORDINATOR and (not panels or service or panel):
        raise InvalidValue(f"{where}.panels", "a coordinator needs panels (a list of panel names) and no service")
    if role is Role.SERVICE_OWNER and (not service or panels):
        raise InvalidValue(f"{where}.service", "a service owner needs one service (and optionally its panel)")
    if role is Role.MANAGER and (panels or service or panel):
        raise InvalidValue(f"{where}.role", "a manager has no panels or service")
    return Grant(role=role, panels=tuple(p.strip() for p in panels), service=service, panel=panel)
