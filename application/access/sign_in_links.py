"""Signing in by a one-time link sent by email (the embedded default).

A staff user types their address; if it is an active user's, a link valid 15 minutes is queued in the outbox at
once (kind ``sign_in_link``, never held back) with the row that keeps it, in one transaction. The link's token is
an HMAC of the row's id and a random nonce under the link signing key (``notifications.links.sign_in_token``): the
outbox payload and the database hold no secret, the database only the token's SHA-256. The answer is the same for
any address, and requests are counted for unknown addresses too, so neither the answer nor the rate limits tell
who is a user. Following the link (a POST, so that mail scanners fetching it do not use it up) signs in once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from application.access import audit
from application.access.sessions import DEFAULT_RULES, SignedIn, open_session
from application.access.tokens import hash_token, well_formed
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.errors import InvalidValue
from domain.events import Aggregate, Event, EventType
from domain.panels import StaffUser
from domain.sign_in import LINK_VALID, AuditEvent, LinkProblem, RateLimit, SessionRules, SignInLink, SignInMethod
from domain.values import email as valid_email
from notifications import kinds
from notifications.i18n import DEFAULT_LANGUAGE, LANGUAGES
from notifications.links import LinkSigner, sign_in_token
from notifications.outbox import OutboxMessage, RecipientKind, message_id

# The requests of the last day are kept for the rate limits; older ones are deleted as new ones come.
REQUESTS_KEPT = timedelta(days=1)
# A link's token is 43 characters of base64url; anything much longer is refused before hashing.
MAX_LINK_TOKEN_LENGTH = 100
MAX_ADDRESS_LENGTH = 254
MAX_NEXT_LENGTH = 300
# At most 5 requests per address and 20 per client address in 15 minutes.
RATE_LIMIT = RateLimit()


@dataclass(frozen=True)
class RequestLink:
    """A request for a sign-in link: the address as typed, where to land after signing in (a local path, already
    checked by the caller), the client's network and address, and the language the person asked in (the mail's
    language when the user has saved none)."""

    email: str
    next: str | None = None
    client: str | None = None
    language: str | None = None
    # The client's own IP address: only its keyed hash is kept (a day, for the per-client limit); ``client`` (the
    # network) is what the audit trail keeps. Without it, the network is counted.
    client_address: str | None = None


@dataclass(frozen=True)
class LinkRequest:
    """The outcome. ``retry_after`` is set when a rate limit refused the request (nothing was sent): the moment a
    new request will be taken. ``link_id`` is for tests and logs only; the page answers alike whether it is set."""

    retry_after: datetime | None = None
    link_id: int | None = None

    @property
    def limited(self) -> bool:
        return self.retry_after is not None


def address_hash(address: str, signer: LinkSigner) -> str:
    """The keyed hash of the address trimmed and in lower case: what the rate limit counts, for unknown ones too."""
    return signer.keyed("sign_in_address", address.strip().lower())


def request_link(
    cmd: RequestLink, *, uow: UnitOfWork, clock: Clock, signer: LinkSigner, limit: RateLimit = RATE_LIMIT
) -> LinkRequest:
    """Queue a sign-in link for an active staff user's address (else nothing), within the rate limits: the two
    steps below in a row (the web app answers after the first and takes the second after its answer)."""
    taken = take_request(cmd, uow=uow, clock=clock, signer=signer, limit=limit)
    if taken.limited:
        return taken
    return LinkRequest(link_id=send_link(cmd, uow=uow, clock=clock, signer=signer))


def take_request(
    cmd: RequestLink, *, uow: UnitOfWork, clock: Clock, signer: LinkSigner, limit: RateLimit = RATE_LIMIT
) -> LinkRequest:
    """Count a request within the rate limits: the same work whoever the address belongs to, so that neither the
    answer nor its time tells who is a user. ``retry_after`` is set when a limit refused it.

    InvalidValue("email") for something that is not an email address (the form says so; nothing is counted)."""
    address = _address(cmd.email)
    now = clock.now()
    hashed = address_hash(address, signer)
    client = signer.keyed("sign_in_client", cmd.client_address) if cmd.client_address else cmd.client
    with uow:
        uow.sign_in_requests.lock([hashed] if client is None else [hashed, client])
        uow.sign_in_requests.purge(before=now - REQUESTS_KEPT)
        by_address, by_client = uow.sign_in_requests.since(address_hash=hashed, client=client, since=now - limit.window)
        if limit.exceeded(address_count=len(by_address), client_count=len(by_client)):
            uow.commit()  # the purge
            return LinkRequest(retry_after=_retry_after(by_address, by_client, limit))
        uow.sign_in_requests.add(address_hash=hashed, client=client, at=now)
        uow.commit()
    return LinkRequest()


def send_link(cmd: RequestLink, *, uow: UnitOfWork, clock: Clock, signer: LinkSigner) -> int | None:
    """After ``take_request``: queue the link (and wake the dispatcher) if the address is an active staff user's;
    the link's id, or None when there is no such user."""
    address = _address(cmd.email)
    now = clock.now()
    with uow:
        user = uow.users.by_email(address)
        panel_id = _panel_of(uow, user) if user is not None and user.active else None
        if user is None or panel_id is None:
            return None
        link_id = _queue_link(uow, user, panel_id, cmd, at=now, signer=signer)
        uow.commit()
    return link_id


def _address(typed: str) -> str:
    address = typed.strip()
    if not address:
        raise InvalidValue("email", "required")
    if len(address) > MAX_ADDRESS_LENGTH:
        raise InvalidValue("email", f"at most {MAX_ADDRESS_LENGTH} characters")
    return valid_email(address, field="email")


def _retry_after(by_address: list[datetime], by_client: list[datetime], limit: RateLimit) -> datetime:
    """When the window has let go of enough earlier requests for one more to be within every limit."""
    moments = []
    if len(by_address) >= limit.per_address:
        moments.append(by_address[-limit.per_address] + limit.window)
    if len(by_client) >= limit.per_client:
        moments.append(by_client[-limit.per_client] + limit.window)
    return max(moments)


def _queue_link(
    uow: UnitOfWork, user: StaffUser, panel_id: int, cmd: RequestLink, *, at: datetime, signer: LinkSigner
) -> int:
    next, client = cmd.next, cmd.client
    link = uow.sign_in_links.add(
        user_id=user.stored_id, nonce=secrets.token_hex(16), next=next, at=at, expires_at=at + LINK_VALID
    )
    uow.sign_in_links.set_hash(link.id, hash_token(sign_in_token(signer, link.id, link.nonce)))
    payload: kinds.SignInLinkPayload = {
        "sign_in_id": link.id,
        "nonce": link.nonce,
        "expires_at": link.expires_at.isoformat(),
        "next": next,
    }
    if user.greeting_name:
        payload["greeting_name"] = user.greeting_name
    uow.outbox.add(
        [
            OutboxMessage(
                # Unique across databases too (a new database starts its links at 1 again).
                id=message_id(kinds.SIGN_IN_LINK, link.id, link.nonce),
                kind=kinds.SIGN_IN_LINK,
                recipient_kind=RecipientKind.STAFF,
                recipient_id=user.stored_id,
                email=user.email,
                language=user.language.value if user.language else _asked_in(cmd.language),
                payload=dict(payload),
                created_at=at,
                panel_id=panel_id,
            )
        ]
    )
    audit.record(
        uow, AuditEvent.LINK_REQUESTED, user_id=user.stored_id, method=SignInMethod.EMAIL_LINK, client=client, at=at
    )
    # Wakes the dispatcher at once (flows/publisher.py); not kept in the event log, the audit trail has it.
    uow.events.announce(
        [
            Event(
                aggregate=Aggregate.USER,
                aggregate_id=user.stored_id,
                seq=link.id,
                type=EventType.SIGN_IN_LINK_REQUESTED,
                actor=user.email,
                at=at,
            )
        ]
    )
    return link.id


def _asked_in(language: str | None) -> str:
    """The language of the page the link was asked on (fi, sv or en), else Finnish."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _panel_of(uow: UnitOfWork, user: StaffUser) -> int | None:
    """The panel an outbox row is counted under (every row has one): the user's first; a manager's, the first panel
    there is (None while there is none: the link cannot be queued)."""
    if user.panel_ids:
        return min(user.panel_ids)
    if user.service_id is not None:
        return uow.services.by_id(user.service_id).panel_id
    return min((panel.stored_id for panel in uow.panels.list()), default=None)


@dataclass(frozen=True)
class LinkFollowed:
    """Following a link: signed in (and where to go), or the problem to explain."""

    signed_in: SignedIn | None = None
    next: str | None = None
    problem: LinkProblem | None = None


def check_link(token: str, *, uow: UnitOfWork, clock: Clock) -> LinkProblem | None:
    """Why this link would not sign in now (used, expired, not valid), or None: a read, nothing is written."""
    with uow:
        return _find(uow, token, now=clock.now())[1]


def link_language(token: str, *, uow: UnitOfWork) -> str | None:
    """The language of the mail a link came in (its page speaks it too), or None: a read."""
    if not well_formed(token, max_length=MAX_LINK_TOKEN_LENGTH):
        return None
    with uow:
        link = uow.sign_in_links.by_hash(hash_token(token))
        return uow.outbox.language_of(message_id(kinds.SIGN_IN_LINK, link.id, link.nonce)) if link else None


def follow_link(
    token: str,
    *,
    client: str | None,
    user_agent: str | None,
    uow: UnitOfWork,
    clock: Clock,
    rules: SessionRules = DEFAULT_RULES,
) -> LinkFollowed:
    """Use the link once: mark it used and sign its user in, in one transaction. A link that opens nothing is
    recorded as ``sign_in_failed`` (with its user when known, never the token) and explained."""
    now = clock.now()
    with uow:
        link, problem = _find(uow, token, now=now, for_update=True)
        if problem is None and link is not None and uow.sign_in_links.use(link.id, at=now):
            signed_in = open_session(
                uow,
                user_id=link.user_id,
                method=SignInMethod.EMAIL_LINK,
                client=client,
                user_agent=user_agent,
                clock=clock,
                rules=rules,
            )
            uow.commit()
            return LinkFollowed(signed_in=signed_in, next=link.next)
        problem = problem or LinkProblem.USED  # used by a request that came first
        audit.record(
            uow,
            AuditEvent.SIGN_IN_FAILED,
            user_id=link.user_id if link is not None else None,
            method=SignInMethod.EMAIL_LINK,
            client=client,
            detail=problem.value,
            at=now,
        )
        uow.commit()
        return LinkFollowed(problem=problem)


def _find(
    uow: UnitOfWork, token: str, *, now: datetime, for_update: bool = False
) -> tuple[SignInLink | None, LinkProblem | None]:
    if not well_formed(token, max_length=MAX_LINK_TOKEN_LENGTH):
        return None, LinkProblem.INVALID
    link = uow.sign_in_links.by_hash(hash_token(token), for_update=for_update)
    if link is None:
        return None, LinkProblem.INVALID
    if link.used_at is not None:
        return link, LinkProblem.USED
    if now >= link.expires_at:
        return link, LinkProblem.EXPIRED
    user = uow.users.by_id(link.user_id)
    if user is None or not user.active:
        return link, LinkProblem.INVALID
    return link, None


def purge_sign_in(uow: UnitOfWork, *, now: datetime) -> int:
    """Delete the sign-in links expired more than a day ago and the requests older than a day (the rate limits
    look back 15 minutes), in the caller's transaction; returns how many rows went."""
    return uow.sign_in_links.purge(before=now - REQUESTS_KEPT) + uow.sign_in_requests.purge(before=now - REQUESTS_KEPT)
