"""A panel's public page (issue 16): turning it on or off and its address, ``/p/{slug}``.

The slug is lowercase a-z, digits and hyphens, 3-60 characters; turned on without one, it is made from the panel's
name (ä → a, ö → o, å → a). Pure: which slugs are taken is given by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import datetime

from domain.actors import Actor
from domain.errors import AlreadyExists, InvalidValue
from domain.events import Event
from domain.panels import Panel, panel_updated

SLUG_MIN, SLUG_MAX = 3, 60
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD = "public_slug"


def public_slug(value: str, *, field: str = FIELD) -> str:
    """A slug as given (trimmed, lowercased), or InvalidValue naming ``field`` and why."""
    slug = value.strip().lower()
    if not SLUG_MIN <= len(slug) <= SLUG_MAX:
        raise InvalidValue(field, f"is {len(slug)} characters; a slug has {SLUG_MIN} to {SLUG_MAX}")
    if not _SLUG.match(slug):
        raise InvalidValue(
            field, "may hold only the letters a-z, digits and single hyphens between them (such as itainen-raati)"
        )
    return slug


def slug_from_name(name: str, *, taken: Collection[str] = (), fallback: str = "raati") -> str:
    """A free slug made from a panel's name: letters without their marks, other characters as hyphens; a number
    after it when it is taken (``itainen-raati-2``); ``fallback`` when the name leaves too little."""
    plain = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:SLUG_MAX].strip("-")
    if len(base) < SLUG_MIN:
        base = fallback
    slug, number = base, 2
    while slug in taken:
        suffix = f"-{number}"
        slug = base[: SLUG_MAX - len(suffix)].strip("-") + suffix
        number += 1
    return slug


def set_public_page(
    panel: Panel,
    *,
    on: bool | None,
    slug: str | None,
    taken: Collection[str],
    actor: Actor,
    seq: int,
    at: datetime,
) -> Event | None:
    """Turn the panel's public page on or off (None: as it is) and give it a slug (None or empty: as it is, or one
    made from the name when it is turned on without one). ``taken``: the other panels' slugs. None when nothing
    changed; the log names the changed fields, as a panel's other settings do."""
    actor.require_coordinator(panel.stored_id)
    wanted = public_slug(slug) if slug is not None and slug.strip() else panel.public_slug
    if wanted is None and on:
        wanted = slug_from_name(panel.name, taken=taken, fallback=f"raati-{panel.stored_id}")
    if wanted is not None and wanted != panel.public_slug and wanted in taken:
        raise AlreadyExists("panel", FIELD, wanted)
    changed: list[str] = []
    if on is not None and on != panel.public_page:
        panel.public_page = on
        changed.append("public_page")
    if wanted != panel.public_slug:
        panel.public_slug = wanted
        changed.append(FIELD)
    return panel_updated(panel, changed, actor=actor, seq=seq, at=at)
