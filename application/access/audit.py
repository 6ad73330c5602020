"""The audit trail of staff access: who signed in (and how), failed, signed out, asked for a sign-in link, created
or revoked a token, or ended sessions. It keeps no secret and no full IP address (a client is its network, see
``client_network``), and events older than ``RAATI_AUDIT_RETENTION_DAYS`` are deleted by ``purge-sent-mail``."""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from application.access import permissions
from application.ports.unit_of_work import UnitOfWork
from domain.actors import Actor
from domain.errors import NotFound, PermissionDenied
from domain.sign_in import AuditEntry, AuditEvent, SignInMethod
from domain.values import email

# What a detail may hold: a short note such as "2 sessions" or "expired" (never a token, never an address).
MAX_DETAIL = 200
MAX_LIMIT = 1000


def client_network(host: str | None) -> str | None:
    """The client's network, never its full address: IPv4 ``/24`` ("203.0.113.0/24"), IPv6 ``/48``; an IPv4
    address in IPv6 form as IPv4. None for anything that is not an IP address (a test client, a socket path)."""
    if not host:
        return None
    try:
        address = ipaddress.ip_address(host.strip().strip("[]").split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def record(
    uow: UnitOfWork,
    event: AuditEvent,
    *,
    user_id: int | None,
    at: datetime,
    actor_user_id: int | None = None,
    method: SignInMethod | str | None = None,
    client: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an event to the trail in the caller's transaction (it commits with the change it records)."""
    uow.audit.add(
        AuditEntry(
            id=None,
            at=at,
            event=event.value,
            user_id=user_id,
            actor_user_id=actor_user_id,
            method=str(method) if method is not None else None,
            client=client,
            detail=" ".join(detail.split())[:MAX_DETAIL] if detail else None,
        )
    )


def list_audit(
    actor: Actor, *, uow: UnitOfWork, user_email: str | None = None, limit: int = 100, before_id: int | None = None
) -> list[AuditEntry]:
    """The events the actor may read, newest first: the operator every event, a coordinator those of the staff of
    their panels, anyone else their own (``permissions.audit_users``); ``user_email`` narrows to one user (refused
    outside the actor's reach). ``before_id`` pages back from an earlier answer's last id."""
    limit = max(1, min(limit, MAX_LIMIT))
    with uow:
        reach = permissions.audit_users(actor, uow=uow)
        user_ids = reach
        if user_email is not None:
            user = uow.users.by_email(email(user_email, field="user"))
            if reach is not None and (user is None or user.stored_id not in reach):
                # Outside the reach, an unknown address and another's are refused alike (nothing is revealed).
                raise PermissionDenied(actor.name, "may read the audit trail of their own panels' staff only")
            if user is None:
                raise NotFound("user", user_email)
            user_ids = frozenset({user.stored_id})
        return uow.audit.list(user_ids=user_ids, limit=limit, before_id=before_id)


def purge_audit(uow: UnitOfWork, *, now: datetime, retention_days: int) -> int:
    """Delete the events older than the retention period, in the caller's transaction; returns how many."""
    return uow.audit.purge(before=now - timedelta(days=retention_days))
