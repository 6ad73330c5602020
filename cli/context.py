"""The command line's adapters: a thin alias of ``wiring`` so commands read ``context.uow()``; and its reader."""

from __future__ import annotations

from domain.actors import Actor
from wiring import clock, composer, delivery_settings, engine, queue, reset, signer, smtp_settings, uow

__all__ = [
    "clock",
    "composer",
    "delivery_settings",
    "engine",
    "operator",
    "queue",
    "reset",
    "signer",
    "smtp_settings",
    "uow",
]


def operator() -> Actor:
    """Who the command line reads as: the local operator, who may read everything (``--as`` names who changes)."""
    return Actor.operator()
