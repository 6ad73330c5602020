"""Single sign-on: a staff user signs in with their organisation's account (OpenID Connect).

The web layer speaks the protocol (web/oidc.py: the redirect, the code exchange and every check of the ID token);
what reaches this module are the claims of an ID token already verified. Here a staff user is found by a
verified email address, or, only when a role mapping is configured, added with the role, panels or service the
mapping gives the provider's role claim; then a session is opened. Every refusal is audited with a short reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from application.access import audit
from application.access.sessions import DEFAULT_RULES, SignedIn, open_session
from application.commands import AddUser
from application.people.roster import grant_user
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.errors import DomainError, InvalidValue
from domain.panels import StaffUser
from domain.sign_in import AuditEvent, SessionRules, SignInMethod
from domain.values import Role, email


class SignInProblem(StrEnum):
    """Why a person the provider signed in is not signed in to Raati (the page explains each in its own words)."""

    EMAIL_NOT_VERIFIED = "email_not_verified"  # no address, or one the provider does not vouch for
    UNKNOWN_USER = "unknown_user"  # no staff user has the address, and no role mapping adds them
    DEACTIVATED = "deactivated"
    NOT_SET_UP = "role_mapping_failed"  # the mapping names a panel or service Raati does not have


class SignInRefused(Exception):
    def __init__(self, problem: SignInProblem, *, email: str | None = None) -> None:
        self.problem = problem
        self.email = email  # the verified address, to show the person which account Raati did not know
        super().__init__(problem.value)


@dataclass(frozen=True)
class ProviderSignIn:
    """The claims of an ID token whose signature, issuer, audience, expiry and nonce were checked (web/oidc.py)."""

    claims: Mapping[str, Any]
    client: str | None = None  # the client's network (audit.client_network), never its full address
    user_agent: str | None = None
    email_claim: str = "email"
    # Accept an address without an email_verified claim (RAATI_OIDC_TRUST_EMAIL): for providers that send none.
    trust_email: bool = False


@dataclass(frozen=True)
class Grant:
    """What one value of the provider's role claim gives a staff user added on their first sign-in."""

    role: Role
    panels: tuple[str, ...] = ()  # a coordinator's panels (by name)
    service: str | None = None  # a service owner's one service (by name)
    panel: str | None = None  # the service's panel, where two panels have a service of that name


@dataclass(frozen=True)
class RoleMapping:
    """The provider's role claim (``claim``: a claim name, or a dotted path such as ``realm_access.roles``) and
    what each of its values gives; the first value in ``grants`` that the user has wins (a user has one role)."""

    claim: str
    grants: Mapping[str, Grant] = field(default_factory=dict)

    def grant_for(self, claims: Mapping[str, Any]) -> Grant | None:
        held = set(claim_values(claims, self.claim))
        return next((grant for value, grant in self.grants.items() if value in held), None)


def claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    """The strings of a claim: a top-level claim of that exact name (URLs as claim names have dots), else the
    dotted path into nested objects; a single string counts as a list of one."""
    value: Any = claims.get(name)
    if value is None and "." in name:
        value = claims
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def verified_email(claims: Mapping[str, Any], *, claim: str = "email", trusted: bool = False) -> str | None:
    """The address the provider vouches for: ``email_verified`` true (or the string "true"), or, when ``trusted``,
    no ``email_verified`` at all. An address marked unverified is never taken."""
    value = claims.get(claim)
    verified = claims.get("email_verified")
    vouched = verified is True or (isinstance(verified, str) and verified.lower() == "true")
    if not isinstance(value, str) or not (vouched or (verified is None and trusted)):
        return None
    try:
        return email(value, field=claim)
    except InvalidValue:
        return None


class _Refusal(Exception):
    def __init__(self, problem: SignInProblem, *, email: str | None, user_id: int | None = None) -> None:
        self.problem, self.email, self.user_id = problem, email, user_id


def sign_in_with_provider(
    cmd: ProviderSignIn,
    *,
    mapping: RoleMapping | None,
    uow: UnitOfWork,
    clock: Clock,
    rules: SessionRules = DEFAULT_RULES,
) -> SignedIn:
    """Open a session for the staff user with the verified address; with a role mapping, add one first if Raati
    has none (as ``add_user`` would, by the local operator). Refused (``SignInRefused``, audited): an address
    not verified, unknown without a mapping that applies, a deactivated user, a mapping naming what is not there."""
    address = verified_email(cmd.claims, claim=cmd.email_claim, trusted=cmd.trust_email)
    try:
        with uow:
            if address is None:
                raise _Refusal(SignInProblem.EMAIL_NOT_VERIFIED, email=None)
            user = uow.users.by_email(address) or _added(cmd, address, mapping=mapping, uow=uow, clock=clock)
            if not user.active:
                raise _Refusal(SignInProblem.DEACTIVATED, email=user.email, user_id=user.stored_id)
            signed_in = open_session(
                uow,
                user_id=user.stored_id,
                method=SignInMethod.OIDC,
                client=cmd.client,
                user_agent=cmd.user_agent,
                clock=clock,
                rules=rules,
            )
            uow.commit()
            return signed_in
    except _Refusal as refusal:
        record_refusal(refusal.problem.value, user_id=refusal.user_id, client=cmd.client, uow=uow, clock=clock)
        raise SignInRefused(refusal.problem, email=refusal.email) from None


def _added(
    cmd: ProviderSignIn, address: str, *, mapping: RoleMapping | None, uow: UnitOfWork, clock: Clock
) -> StaffUser:
    grant = mapping.grant_for(cmd.claims) if mapping is not None else None
    if grant is None:
        raise _Refusal(SignInProblem.UNKNOWN_USER, email=address)
    given = cmd.claims.get("given_name")
    greeting = given.strip()[:100] if isinstance(given, str) and given.strip() else None
    panels: tuple[str | None, ...] = grant.panels or (grant.panel,)
    try:
        user = grant_user(_add(address, grant, panels[0], greeting), uow=uow, clock=clock)
        for panel in panels[1:]:  # a coordinator of several panels: each one more is granted as add_user does
            user = grant_user(_add(address, grant, panel, greeting), uow=uow, clock=clock)
    except DomainError:
        raise _Refusal(SignInProblem.NOT_SET_UP, email=address) from None
    return user


def _add(address: str, grant: Grant, panel: str | None, greeting: str | None) -> AddUser:
    return AddUser(email=address, role=grant.role, panel=panel, service=grant.service, greeting_name=greeting)


def record_refusal(
    reason: str, *, user_id: int | None = None, client: str | None, uow: UnitOfWork, clock: Clock
) -> None:
    """Audit a refused single sign-on (``sign_in_failed``, method oidc) with a short reason, in its own transaction."""
    with uow:
        audit.record(
            uow,
            AuditEvent.SIGN_IN_FAILED,
            user_id=user_id,
            method=SignInMethod.OIDC,
            client=client,
            detail=reason,
            at=clock.now(),
        )
        uow.commit()
