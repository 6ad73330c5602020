"""Members' data rights (GDPR): export everything held about a member, erase a member, retire old mail bodies (and
the staff's old audit events and spent sign-in links).

Erasure anonymises in one transaction: the member becomes "former member #ID" with an unroutable
address, their name and address are replaced wherever text names them, undelivered mail to them is
deleted and delivered mail loses body and address. Ideas and events stay, as a former member's.
After the commit the database is asked to drop the copies it keeps of what was overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from application.access.audit import purge_audit
from application.access.identity import resolve_actor
from application.access.sign_in_links import purge_sign_in
from application.commands import ActorCommand
from application.ports.data_rights import DataRightsUnitOfWork
from application.ports.unit_of_work import Clock
from domain import data_rights
from domain.data_rights import Identity, Redactor
from domain.events import Aggregate

EXPORT_FORMAT = "raati-member-export/1"
# Said in every export, so that what is missing is missing on purpose.
NOT_INCLUDED = {
    "survey_answers": "survey answers are anonymous by design: nothing links an answer to the member who gave it",
    "ideas": "ideas are recorded per meeting and panel, not linked to the member who raised them",
    "credentials": "one-time tokens and other secrets are stored only as hashes and are not exported",
}


@dataclass(frozen=True)
class MemberRequest(ActorCommand):
    """A coordinator (``actor``) asks to export or to erase the data of one member."""

    member_id: int


@dataclass(frozen=True)
class Erasure:
    member_id: int
    # True when the member had been erased before: the run changed at most leftover mail.
    already_erased: bool
    erased_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    # False when copies from before the erasure stayed that Raati would have cleared (a reader kept SQLite's log).
    old_copies_cleared: bool = True


@dataclass(frozen=True)
class Purge:
    removed: int
    before: datetime
    # Audit events older than their retention period; sign-in links and link requests older than a day.
    audit_removed: int = 0
    sign_in_removed: int = 0
    # Staff sessions that ended (or ran out) longer ago than the audit trail's retention period.
    sessions_removed: int = 0


def export_member(cmd: MemberRequest, *, uow: DataRightsUnitOfWork, clock: Clock) -> dict[str, Any]:
    """Everything Raati holds about the member, as one JSON-ready document."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        member = uow.members.get(cmd.member_id)
        actor.require_coordinator(member.panel_id)
        panel = uow.panels.by_id(member.panel_id)
        erased_at = uow.member_data.erased_at(cmd.member_id)
        return {
            "format": EXPORT_FORMAT,
            "exported_at": clock.now().isoformat(),
            "member": {
                "id": member.id,
                "panel_id": member.panel_id,
                "panel_name": panel.name,
                "name": member.name,
                "greeting_name": member.greeting_name,
                "email": member.email,
                "active": member.active,
                "erased_at": erased_at.isoformat() if erased_at else None,
            },
            "preferences": {
                "language": member.language.value,
                "delivery": member.delivery.value,
                "unsubscribed": member.unsubscribed,
            },
            "events": uow.member_data.events_about(cmd.member_id),
            "ideas": [],
            "mail": uow.member_data.mail_to(cmd.member_id),
            "related": uow.member_data.related_rows(cmd.member_id),
            "not_included": NOT_INCLUDED,
        }


def erase_member(cmd: MemberRequest, *, uow: DataRightsUnitOfWork, clock: Clock) -> Erasure:
    """Anonymise the member everywhere in one transaction; running it again changes nothing more."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        member = uow.members.get(cmd.member_id)
        actor.require_coordinator(member.panel_id)
        now = clock.now()
        seq = uow.events.next_seq(Aggregate.MEMBER, member.stored_id)
        previously = uow.member_data.erased_at(member.stored_id)
        if previously is not None:
            # Nothing should have reached an erased member since; clear any leftover all the same.
            deleted, stripped = uow.member_data.clear_mail(member.stored_id, address=member.email, at=now)
            counts = {"unsent_mail_deleted": deleted, "sent_mail_stripped": stripped}
            cleared = True
            if deleted or stripped:
                uow.events.append(
                    [data_rights.erasure_event(member.stored_id, seq=seq, actor=actor.name, at=now, counts=counts)]
                )
                uow.commit()
                cleared = uow.member_data.clear_old_copies()
            return Erasure(
                member.stored_id, already_erased=True, erased_at=previously, counts=counts, old_copies_cleared=cleared
            )
        placeholder = Identity(
            data_rights.former_member_name(member.stored_id), data_rights.erased_email(member.stored_id)
        )
        redactor = Redactor(member.stored_id, Identity(member.name, member.email), placeholder)
        counts = uow.member_data.erase(member.stored_id, redactor=redactor, at=now)
        event = data_rights.erase(member, seq=seq, actor=actor.name, at=now, counts=counts)
        uow.events.append([event])
        uow.commit()
        cleared = uow.member_data.clear_old_copies()
        return Erasure(member.stored_id, already_erased=False, erased_at=now, counts=counts, old_copies_cleared=cleared)


def purge_sent_mail(
    *,
    uow_factory: Callable[[], DataRightsUnitOfWork],
    clock: Clock,
    retention_days: int,
    batch: int = 500,
    audit_retention_days: int | None = None,
) -> Purge:
    """Remove the bodies of mail delivered more than ``retention_days`` ago, a batch per transaction; then the audit
    events and the ended staff sessions older than ``audit_retention_days`` (if given), and the sign-in links and
    requests older than a day."""
    now = clock.now()
    before = data_rights.retention_cutoff(now, days=retention_days)
    removed = 0
    while True:
        with uow_factory() as uow:
            count = uow.member_data.purge_mail_bodies(before=before, at=now, limit=batch)
            uow.commit()
        removed += count
        if count < batch:
            break
    with uow_factory() as uow:
        audited = ended = 0
        if audit_retention_days:
            audited = purge_audit(uow, now=now, retention_days=audit_retention_days)
            ended = uow.staff_sessions.purge(before=now - timedelta(days=audit_retention_days))
        spent = purge_sign_in(uow, now=now)
        uow.commit()
    return Purge(removed=removed, before=before, audit_removed=audited, sign_in_removed=spent, sessions_removed=ended)
