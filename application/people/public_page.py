"""Turning a panel's public page on or off and choosing its address (issue 16): the settings page's form and
``raati panel update --public-page on|off --public-slug SLUG`` both call ``set_public_page``."""

from __future__ import annotations

from dataclasses import dataclass

from application.access import permissions
from application.access.identity import resolve_actor
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain import public_pages
from domain.events import Aggregate
from domain.panels import Panel


@dataclass(frozen=True)
class SetPublicPage(ActorCommand):
    """``public_page``: on, off, or None (as it is); ``public_slug``: the address's last part, None as it is."""

    panel: str
    public_page: bool | None = None
    public_slug: str | None = None


def set_public_page(cmd: SetPublicPage, *, uow: UnitOfWork, clock: Clock) -> Panel:
    """The panel with its public page as asked (its coordinators). Refused naming ``public_slug`` when the slug
    has characters a slug may not have, or another panel has it; nothing is written then."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        permissions.require_may_publish_panel(actor, panel)
        taken = {p.public_slug for p in uow.panels.list() if p.public_slug and p.id != panel.id}
        event = public_pages.set_public_page(
            panel,
            on=cmd.public_page,
            slug=cmd.public_slug,
            taken=taken,
            actor=actor,
            seq=uow.events.next_seq(Aggregate.PANEL, panel.stored_id),
            at=clock.now(),
        )
        if event is None:
            return panel
        uow.panels.save(panel)
        uow.events.append([event])
        uow.commit()
        return panel
