"""The event publisher posts Prefect events over plain HTTP (no Prefect import in the command line)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from domain.events import Aggregate, Event, EventType
from flows.publisher import PrefectEventPublisher, event_id


class _Api(ThreadingHTTPServer):
    status = 204
    received: list[tuple[str, dict[str, str], Any]]
    drains_asked_for = b""  # the answer to /flow_runs/count (none: an API without it)


class _Handler(BaseHTTPRequestHandler):
    server: _Api

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append((self.path, dict(self.headers), body))
        answer = self.server.drains_asked_for if self.path.endswith("/flow_runs/count") else b""
        self.send_response(200 if answer else self.server.status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[_Api]:
    server = _Api(("127.0.0.1", 0), _Handler)
    server.received = []
    # shutdown() waits for the loop to poll: half a second per test at the default interval.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _event(type_: str, seq: int = 3) -> Event:
    return Event(
        aggregate=Aggregate.IDEA, aggregate_id=7, seq=seq, type=type_, actor="omaolo@raati.example.org",
        at=datetime(2025, 3, 3, 9, tzinfo=UTC), from_state="sent_to_service", to_state="declined", text="Ei nyt.",
    )  # fmt: skip


def _url(api: _Api) -> str:
    return f"http://127.0.0.1:{api.server_address[1]}/api"


def _posted(api: _Api) -> list[tuple[str, dict[str, str], Any]]:
    return [r for r in api.received if r[0] == "/api/events"]


def test_posts_each_waking_event_with_its_deterministic_id(api: _Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_KEY", raising=False)
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", "admin:salasana")
    PrefectEventPublisher(_url(api))([_event("moved"), _event("raised", seq=1)])
    [(path, headers, body)] = _posted(api)
    assert path == "/api/events"
    assert headers["Authorization"] == "Basic YWRtaW46c2FsYXNhbmE="
    [document] = body
    assert document["id"] == str(event_id(_event("moved")))
    assert document["event"] == "raati.idea.moved"
    assert document["resource"] == {"prefect.resource.id": "raati.idea.7"}
    assert document["payload"] == {"seq": 3, "from_state": "sent_to_service", "to_state": "declined"}


def test_nothing_is_posted_without_a_waking_event(api: _Api) -> None:
    PrefectEventPublisher(_url(api))([_event("raised", seq=1)])
    assert api.received == []


def test_an_error_answer_falls_back_to_prefects_client(api: _Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api.status = 404
    emitted: list[Event] = []
    monkeypatch.setattr(PrefectEventPublisher, "emit_with_prefect", lambda self, events: emitted.extend(events))
    PrefectEventPublisher(_url(api))([_event("noted")])
    assert [e.type for e in emitted] == ["noted"]


def test_an_unreachable_server_is_skipped_without_an_error(api: _Api, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _url(api)
    api.shutdown()
    api.server_close()
    emitted: list[Event] = []
    monkeypatch.setattr(PrefectEventPublisher, "emit_with_prefect", lambda self, events: emitted.extend(events))
    PrefectEventPublisher(url, timeout=2)([_event("moved")])
    assert emitted == []


def test_a_sign_in_link_wakes_the_dispatcher_with_the_user_as_the_resource_and_no_address(api: _Api) -> None:
    requested = Event(
        aggregate=Aggregate.USER, aggregate_id=4, seq=12, type=EventType.SIGN_IN_LINK_REQUESTED,
        actor="suu@ita.example", at=datetime(2025, 3, 3, 9, tzinfo=UTC),
    )  # fmt: skip

    PrefectEventPublisher(_url(api))([requested])

    [(_, _, [document])] = _posted(api)
    assert document["event"] == "raati.user.sign_in_link_requested"
    assert document["resource"] == {"prefect.resource.id": "raati.user.4"}
    assert "suu@ita.example" not in json.dumps(document)


def test_nothing_is_posted_while_a_drain_that_has_not_started_is_asked_for(api: _Api) -> None:
    api.drains_asked_for = b"1"  # e.g. one waiting for the running drain's slot: it sends this change's mail

    PrefectEventPublisher(_url(api))([_event("moved")])

    assert _posted(api) == []
    [(path, _, query), *_] = api.received
    assert path == "/api/flow_runs/count"
    assert query["deployments"] == {"name": {"any_": ["dispatch-notifications"]}}
    assert query["flow_runs"]["state"] == {"name": {"any_": ["AwaitingConcurrencySlot"]}}


def test_with_no_drain_asked_for_the_event_is_posted(api: _Api) -> None:
    api.drains_asked_for = b"0"

    PrefectEventPublisher(_url(api))([_event("moved")])

    [(_, _, [document])] = _posted(api)
    assert document["event"] == "raati.idea.moved"
    assert [r[0] for r in api.received] == ["/api/flow_runs/count", "/api/flow_runs/count", "/api/events"]
