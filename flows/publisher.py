"""Wakes the flows after a committed change: posts Prefect events such as ``raati.idea.moved``.

Events are fire-and-forget wake-up calls; the outbox is the record, and the schedules
drain it anyway if an event is lost. Each event's id is derived from the change, so the
same change never triggers twice.

The events go to the Prefect server's REST endpoint (``POST {PREFECT_API_URL}/events``) with
the standard library. Prefect's own ``emit_event`` would make every ``raati idea move`` import
Prefect and wait at exit for its websocket client to flush: measured 2.4 s from the commit to
the flow run being created, against well under 0.1 s this way (``bench/engine.py``). If the
server answers with an error (an API that lacks the endpoint, credentials that only a Prefect
profile knows), Prefect's client is tried instead; a server that cannot be reached is logged
and skipped, as ``emit_event`` would.

While a drain already waits for the running one's slot, nothing is posted: that run has not started, so it
will send what was committed before this call, and a burst of changes during a drain asks for one run instead
of one per trigger window (``bench/prefect_drills.py``: 100 events over a 24 s drain made 3 runs before).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.events import Aggregate, Event, EventType
from flows.prefect_history import AWAITING_SLOT

_NAMESPACE = uuid.UUID("0b7d8a3e-2f57-4c1e-9a1d-5c4e3b2a1f60")
# The changes that queue notifications: these wake the dispatcher (a sign-in link is awaited by a person at once).
WAKING = {
    (Aggregate.IDEA, EventType.MOVED),
    (Aggregate.IDEA, EventType.NOTED),
    (Aggregate.USER, EventType.SIGN_IN_LINK_REQUESTED),
}
log = logging.getLogger(__name__)
# The deployment these events wake (prefect.yaml).
DRAIN = "dispatch-notifications"
DUE_SECONDS = 60


def _now(offset: float = 0.0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset)).isoformat()


def event_id(event: Event) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{event.aggregate.value}:{event.aggregate_id}:{event.seq}")


def prefect_event(event: Event) -> dict[str, Any]:
    """The event as Prefect's API takes it (the fields ``emit_event`` would send)."""
    return {
        "id": str(event_id(event)),
        "occurred": datetime.now(UTC).isoformat(),
        "event": f"raati.{event.aggregate.value}.{event.type}",
        "resource": {"prefect.resource.id": f"raati.{event.aggregate.value}.{event.aggregate_id}"},
        "related": [],
        "payload": {"seq": event.seq, "from_state": event.from_state, "to_state": event.to_state},
    }


class PrefectEventPublisher:
    def __init__(self, api_url: str, *, timeout: float = 5.0) -> None:
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout

    def __call__(self, events: Sequence[Event]) -> None:
        waking = [e for e in events if (e.aggregate, e.type) in WAKING]
        if not waking:
            return
        try:
            if self.drain_waiting():
                return
            self.post([prefect_event(e) for e in waking])
        except urllib.error.HTTPError as error:
            log.info("POST %s/events answered %s; sending the events with Prefect's client", self.api_url, error.code)
            self.emit_with_prefect(waking)
        except OSError as error:  # unreachable: the next scheduled drain sends the mail
            log.warning("Prefect server %s not reached (%s); the next scheduled drain sends the mail", self.api_url,
                        getattr(error, "reason", error))  # fmt: skip

    def drain_waiting(self) -> bool:
        """Whether a drain is asked for and has not started (so it starts after this commit); an answer that is
        not a count says no. A server out of reach raises ``OSError``, as posting would.

        That is a run waiting for the running drain's slot, or one due now that no worker has taken yet.
        """
        drain = {"name": {"any_": [DRAIN]}}
        waiting = {"state": {"name": {"any_": [AWAITING_SLOT]}}}
        # Due within the last minute: a worker takes it within its poll (a run left late for longer is no promise).
        due = {
            "state": {"type": {"any_": ["SCHEDULED"]}},
            "expected_start_time": {"after_": _now(-DUE_SECONDS), "before_": _now()},
        }
        return any(self.count({"deployments": drain, "flow_runs": runs}) for runs in (waiting, due))

    def count(self, query: dict[str, Any]) -> int:
        request = urllib.request.Request(
            f"{self.api_url}/flow_runs/count", data=json.dumps(query).encode(), headers=self.headers(), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return int(json.loads(answer.read()))
        except (urllib.error.HTTPError, ValueError, TypeError):  # an API without it: post the events
            return 0

    def post(self, documents: list[dict[str, Any]]) -> None:
        request = urllib.request.Request(
            f"{self.api_url}/events", data=json.dumps(documents).encode(), headers=self.headers(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=self.timeout):
            pass

    @staticmethod
    def headers() -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if key := os.environ.get("PREFECT_API_KEY"):
            headers["Authorization"] = f"Bearer {key}"
        elif auth := os.environ.get("PREFECT_API_AUTH_STRING"):
            headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
        return headers

    def emit_with_prefect(self, events: Sequence[Event]) -> None:
        # Prefect reads its API address from the environment; set it before the import.
        os.environ.setdefault("PREFECT_API_URL", self.api_url)
        from prefect.events import emit_event

        for event in events:
            document = prefect_event(event)
            emit_event(
                event=document["event"], resource=document["resource"], id=event_id(event), payload=document["payload"]
            )
