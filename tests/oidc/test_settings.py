"""The single sign-on settings are checked when the app starts: each fault names the variable (and, in a role
mapping, the claim value and key) and says what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from application.access.single_sign_on import Grant, RoleMapping, claim_values, verified_email
from domain.errors import InvalidValue
from domain.values import Role
from web.oidc_settings import OidcSettings, load_oidc_settings, role_mapping

ISSUER = "https://login.example.org/realms/city"


def settings(**values: object) -> OidcSettings:
    return OidcSettings(**({"issuer": ISSUER, "client_id": "raati"} | values))  # type: ignore[arg-type]


def refusal(monkeypatch: pytest.MonkeyPatch, **env: str) -> InvalidValue:
    for name in list(OidcSettings.model_fields):
        monkeypatch.delenv(f"RAATI_OIDC_{name.upper()}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(InvalidValue) as refused:
        load_oidc_settings()
    return refused.value


def test_nothing_set_is_single_sign_on_off(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(OidcSettings.model_fields):
        monkeypatch.delenv(f"RAATI_OIDC_{name.upper()}", raising=False)
    loaded = load_oidc_settings()
    assert not loaded.configured
    assert loaded.scope_list == ["openid", "email", "profile"]


def test_the_redirect_uri_follows_the_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAATI_BASE_URL", "https://raati.city.fi/")
    monkeypatch.setenv("RAATI_OIDC_ISSUER", ISSUER)
    monkeypatch.setenv("RAATI_OIDC_CLIENT_ID", "raati")
    loaded = load_oidc_settings()
    assert loaded.redirect_uri == "https://raati.city.fi/sign-in/oidc/callback"
    assert loaded.signed_out_uri == "https://raati.city.fi/"


@pytest.mark.parametrize(
    ("env", "field", "words"),
    [
        ({"RAATI_OIDC_CLIENT_ID": "raati"}, "RAATI_OIDC_ISSUER", "is needed"),
        ({"RAATI_OIDC_ISSUER": ISSUER}, "RAATI_OIDC_CLIENT_ID", "is needed"),
        ({"RAATI_OIDC_ISSUER": "login.example.org", "RAATI_OIDC_CLIENT_ID": "x"}, "RAATI_OIDC_ISSUER", "URL"),
        ({"RAATI_OIDC_ISSUER": ISSUER, "RAATI_OIDC_CLIENT_ID": "x", "RAATI_OIDC_SCOPES": "email"}, "_SCOPES", "openid"),
        ({"RAATI_OIDC_ISSUER": ISSUER, "RAATI_OIDC_TRUST_EMAIL": "perhaps"}, "RAATI_OIDC_TRUST_EMAIL", "boolean"),
        (
            {"RAATI_OIDC_ISSUER": ISSUER, "RAATI_OIDC_CLIENT_ID": "x", "RAATI_OIDC_ROLES_CLAIM": "roles"},
            "RAATI_OIDC_ROLES_CLAIM",
            "needs a mapping",
        ),
        (
            {"RAATI_OIDC_ISSUER": ISSUER, "RAATI_OIDC_CLIENT_ID": "x", "RAATI_OIDC_ROLE_MAP": "{}"},
            "RAATI_OIDC_ROLES_CLAIM",
            "is needed",
        ),
    ],
)
def test_settings_that_cannot_work_are_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], field: str, words: str
) -> None:
    refused = refusal(monkeypatch, **env)
    assert refused.field.endswith(field)
    assert words in refused.reason


@pytest.mark.parametrize(
    ("mapping", "field", "words"),
    [
        ("{not json", "RAATI_OIDC_ROLE_MAP", "not valid JSON"),
        ("[]", "RAATI_OIDC_ROLE_MAP", "JSON object"),
        ('{"g": "manager"}', "RAATI_OIDC_ROLE_MAP: 'g'", "an object"),
        ('{"g": {"role": "operator"}}', "RAATI_OIDC_ROLE_MAP: 'g'.role", "coordinator, service_owner, manager"),
        ('{"g": {"role": "coordinator"}}', "RAATI_OIDC_ROLE_MAP: 'g'.panels", "needs panels"),
        ('{"g": {"role": "coordinator", "panels": "A"}}', "RAATI_OIDC_ROLE_MAP: 'g'.panels", "a list"),
        ('{"g": {"role": "service_owner"}}', "RAATI_OIDC_ROLE_MAP: 'g'.service", "one service"),
        ('{"g": {"role": "manager", "panels": ["A"]}}', "RAATI_OIDC_ROLE_MAP: 'g'.role", "no panels"),
        ('{"g": {"role": "manager", "services": ["A"]}}', "RAATI_OIDC_ROLE_MAP: 'g'.services", "not a known key"),
    ],
)
def test_a_role_mapping_that_cannot_work_is_refused_naming_the_entry(mapping: str, field: str, words: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        role_mapping(settings(roles_claim="roles", role_map=mapping))
    assert refused.value.field == field
    assert words in refused.value.reason


def test_a_role_mapping_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "roles.json"
    path.write_text(json.dumps({"raati-johto": {"role": "manager"}}), encoding="utf-8")
    mapping = role_mapping(settings(roles_claim="groups", role_map_file=path))
    assert mapping == RoleMapping(claim="groups", grants={"raati-johto": Grant(role=Role.MANAGER)})


def test_a_missing_role_mapping_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue) as refused:
        role_mapping(settings(roles_claim="groups", role_map_file=tmp_path / "nowhere.json"))
    assert refused.value.field == "RAATI_OIDC_ROLE_MAP_FILE"


def test_the_first_mapped_value_the_user_holds_gives_the_role() -> None:
    mapping = RoleMapping(
        claim="roles",
        grants={"johto": Grant(role=Role.MANAGER), "koordinaattorit": Grant(role=Role.COORDINATOR, panels=("A",))},
    )
    assert mapping.grant_for({"roles": ["koordinaattorit", "johto"]}) == Grant(role=Role.MANAGER)
    assert mapping.grant_for({"roles": "koordinaattorit"}) == Grant(role=Role.COORDINATOR, panels=("A",))
    assert mapping.grant_for({"roles": ["muu"]}) is None
    assert mapping.grant_for({}) is None


def test_claim_values_follow_a_dotted_path_unless_the_name_itself_is_a_claim() -> None:
    claims = {"realm_access": {"roles": ["a", "b", 3]}, "https://city.fi/roles": ["c"]}
    assert claim_values(claims, "realm_access.roles") == ["a", "b"]
    assert claim_values(claims, "https://city.fi/roles") == ["c"]
    assert claim_values(claims, "resource_access.raati.roles") == []


@pytest.mark.parametrize(
    ("claims", "trusted", "expected"),
    [
        ({"email": "Aino@Example.ORG", "email_verified": True}, False, "Aino@example.org"),
        ({"email": "aino@example.org", "email_verified": "true"}, False, "aino@example.org"),
        ({"email": "aino@example.org", "email_verified": False}, True, None),
        ({"email": "aino@example.org"}, False, None),
        ({"email": "aino@example.org"}, True, "aino@example.org"),
        ({"email": "not an address", "email_verified": True}, False, None),
        ({"email_verified": True}, True, None),
    ],
)
def test_only_an_address_the_provider_vouches_for_is_used(
    claims: dict[str, object], trusted: bool, expected: str | None
) -> None:
    assert verified_email(claims, trusted=trusted) == expected
