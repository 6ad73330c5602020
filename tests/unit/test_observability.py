"""The small pieces of metrics and logs, without a server: a failed send's reason class, an incoming request id
taken or replaced, a JSON log line with its traceback on one line, a route template from a request's scope."""

from __future__ import annotations

import json
import logging
import re
import sys

import pytest

from notifications.metrics import REASONS, reason_class
from notifications.transport import SendOutcome, SendResult
from web.observe import UNMATCHED, request_id_of, route_of
from wiring.logs import REQUEST_ID, JsonFormatter


@pytest.mark.parametrize(
    ("outcome", "detail", "reason"),
    [
        (SendOutcome.PERMANENT, "550 5.1.1 <bengt@example.org>: mailbox unavailable", "rejected"),
        (SendOutcome.PERMANENT, "553 5.1.3 (1 recipient(s) refused)", "rejected"),
        (SendOutcome.PERMANENT, "No recipients have been specified", "unsendable"),
        (SendOutcome.TRANSIENT, "451 4.7.1 greylisted, try again later", "deferred"),
        (SendOutcome.TRANSIENT, "connection lost: Connection refused", "connection"),
        (SendOutcome.TRANSIENT, "not sent: the connection failed 3 times in a row", "connection"),
        (SendOutcome.TRANSIENT, "SMTP error: Timed out waiting for server response", "smtp_error"),
    ],
)
def test_a_failed_send_is_counted_by_its_class_never_its_words(outcome: SendOutcome, detail: str, reason: str) -> None:
    assert reason_class(SendResult("k", outcome, detail)) == reason
    assert reason in REASONS


@pytest.mark.parametrize("header", ["lb-7f3a.19", "0af7651916cd43dd8448eb211c80319c", "a:b_c-d.e"])
def test_a_plain_incoming_request_id_is_kept(header: str) -> None:
    assert request_id_of(header) == header


@pytest.mark.parametrize("header", [None, "", "x" * 65, "two words", "<script>", "ä", "a\r\nSet-Cookie: x"])
def test_any_other_request_id_is_replaced_by_a_new_one(header: str | None) -> None:
    made = request_id_of(header)
    assert made != header
    assert len(made) == 32
    assert int(made, 16) >= 0


def test_a_json_log_line_is_one_line_with_the_request_id_extras_and_the_traceback() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        record = logging.LogRecord("raati.test", logging.ERROR, __file__, 1, "failed %s", ("twice",), sys.exc_info())
    record.route = "/api/v1/ideas/{idea_id}"
    token = REQUEST_ID.set("req-1")
    try:
        line = JsonFormatter().format(record)
    finally:
        REQUEST_ID.reset(token)

    assert "\n" not in line
    entry = json.loads(line)
    assert {k: entry[k] for k in ("level", "logger", "message", "request_id", "route")} == {
        "level": "ERROR",
        "logger": "raati.test",
        "message": "failed twice",
        "request_id": "req-1",
        "route": "/api/v1/ideas/{idea_id}",
    }
    assert entry["time"].endswith("+00:00")
    assert entry["exception"].startswith("Traceback")
    assert "ValueError: bad\nvalue" in entry["exception"]


class _Route:
    def __init__(self, path: str, regex: str) -> None:
        self.path, self.path_regex = path, re.compile(regex)


def test_a_route_template_keeps_the_routers_prefix_but_never_an_id() -> None:
    ideas = _Route("/ideas/{idea_id}", r"^/ideas/(?P<idea_id>[^/]+)$")
    assert route_of({"route": ideas, "path": "/api/v1/ideas/5"}) == "/api/v1/ideas/{idea_id}"
    assert route_of({"route": ideas, "path": "/ideas/5"}) == "/ideas/{idea_id}"
    assert route_of({"route": ideas, "path": "/m/12/ideas/5"}) == UNMATCHED  # a prefix with an id in it
    assert route_of({"path": "/static/raati.css", "root_path": "/static", "app_root_path": ""}) == "/static/{path}"
    assert route_of({"path": "/nowhere"}) == UNMATCHED
