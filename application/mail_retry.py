"""Sending failed mail again: failed outbox rows back in the queue, for ``raati outbox retry`` and the outbox page.

One use case for both: the command line (the operator, every panel) and a coordinator's retry buttons (their
panels only, through ``permissions.outbox_retry_panels``).
"""

from __future__ import annotations

from dataclasses import dataclass

from application.access import permissions
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor


@dataclass(frozen=True)
class RetryMail:
    """Which failed rows to send again: these ids (None: every failed row), of this panel (None: of any the actor
    may retry). A row goes back with the other rows of its email, so the retry is the same email."""

    ids: tuple[str, ...] | None = None
    panel: str | None = None


def retry_failed_mail(cmd: RetryMail, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> int:
    """Put the failed rows back in the queue, due now, attempts reset; returns how many went back."""
    with uow:
        panel_ids = permissions.outbox_retry_panels(actor, cmd.panel, uow=uow)
        count = uow.outbox.retry_failed(cmd.ids, panel_ids=panel_ids, now=clock.now())
        uow.commit()
    return count
