"""Wakes the flows after a committed change: emits Prefect events such as ``raati.idea.moved``.

Events are fire-and-forget wake-up calls; the outbox is the record, and the schedules
drain it anyway if an event is lost. Each event's id is derived from the change, so the
same change never triggers twice.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence

from domain.events import Aggregate, Event

_NAMESPACE = uuid.UUID("0b7d8a3e-2f57-4c1e-9a1d-5c4e3b2a1f60")
# The changes that queue notifications: these wake the dispatcher.
WAKING = {(Aggregate.IDEA, "moved"), (Aggregate.IDEA, "noted")}


def event_id(event: Event) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{event.aggregate.value}:{event.aggregate_id}:{event.seq}")


class PrefectEventPublisher:
    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def __call__(self, events: Sequence[Event]) -> None:
        waking = [e for e in events if (e.aggregate, e.type) in WAKING]
        if not waking:
            return
        # Prefect reads its API address from the environment; set it before the import.
        os.environ.setdefault("PREFECT_API_URL", self.api_url)
        from prefect.events import emit_event

        for event in waking:
            emit_event(
                event=f"raati.{event.aggregate.value}.{event.type}",
                resource={"prefect.resource.id": f"raati.{event.aggregate.value}.{event.aggregate_id}"},
                id=event_id(event),
                payload={"seq": event.seq, "from_state": event.from_state, "to_state": event.to_state},
            )
