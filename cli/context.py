"""The command line's adapters: a thin alias of ``wiring`` so commands read ``context.uow()``."""

from __future__ import annotations

from wiring import clock, composer, delivery_settings, engine, queue, reset, signer, smtp_settings, uow

__all__ = [
    "clock",
    "composer",
    "delivery_settings",
    "engine",
    "queue",
    "reset",
    "signer",
    "smtp_settings",
    "uow",
]
