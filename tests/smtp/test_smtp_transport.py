"""The SMTP transport against real aiosmtpd servers on 127.0.0.1: reuse, outcomes and faults."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage

import pytest

from cli.devtools.mailsink import LoopbackController
from notifications.settings import SmtpSettings
from notifications.smtp import SendOutcome, SendResult, SmtpTransport
from tests.smtp.servers import (
    DroppingHandler,
    GreylistingHandler,
    RecordingHandler,
    RefusingHandler,
    StallingHandler,
    client_settings,
    make_message,
    silent_port,
    smtp_server,
    unused_port,
)


def send(
    settings: SmtpSettings,
    messages: Sequence[tuple[str, EmailMessage]],
    on_result: Callable[[SendResult], None] | None = None,
) -> list[SendResult]:
    return asyncio.run(SmtpTransport(settings).send_all(messages, on_result))


def batch(count: int) -> list[tuple[str, EmailMessage]]:
    return [(f"row-{n}", make_message(n)) for n in range(1, count + 1)]


def outcomes(results: list[SendResult]) -> dict[str, SendOutcome]:
    return {result.key: result.outcome for result in results}


@pytest.mark.slow
def test_a_hundred_messages_over_two_reused_connections_all_arrive_exactly_once() -> None:
    handler = RecordingHandler()
    heard: list[str] = []

    with smtp_server(handler) as server:
        results = send(client_settings(server.port, connections=2), batch(100), lambda r: heard.append(r.key))

    assert [r.key for r in results] == [f"row-{n}" for n in range(1, 101)]
    assert {r.outcome for r in results} == {SendOutcome.SENT}
    assert sorted(handler.subjects()) == sorted(f"Test message {n}" for n in range(1, 101))
    assert len(handler.peers) <= 2
    assert sorted(heard) == sorted(r.key for r in results)


def test_the_ehlo_name_is_the_configured_local_hostname() -> None:
    handler = RecordingHandler()

    with smtp_server(handler) as server:
        send(client_settings(server.port, local_hostname="raati.test.example"), batch(1))

    assert handler.ehlo_names == {"raati.test.example"}


def test_a_recipient_refused_with_550_is_permanent_and_the_others_are_sent() -> None:
    handler = RefusingHandler({"member3@example.fi": "550 5.1.1 mailbox unavailable"})
    heard: list[SendResult] = []

    with smtp_server(handler) as server:
        results = send(client_settings(server.port, connections=1), batch(6), heard.append)

    assert outcomes(results) == {f"row-{n}": SendOutcome.PERMANENT if n == 3 else SendOutcome.SENT for n in range(1, 7)}
    assert results[2].detail == "550 5.1.1 mailbox unavailable"
    assert len(handler.messages) == 5
    assert sorted(r.key for r in heard) == sorted(f"row-{n}" for n in range(1, 7))
    assert len(handler.peers) == 1  # a refusal does not cost the connection


def test_a_message_refused_for_one_of_its_recipients_is_permanent() -> None:
    handler = RefusingHandler({"gone@example.fi": "550 5.1.1 mailbox unavailable"})
    message = make_message(1, to="member1@example.fi, gone@example.fi")

    with smtp_server(handler) as server:
        [result] = send(client_settings(server.port), [("row-1", message)])

    assert result.outcome is SendOutcome.PERMANENT
    assert result.detail.startswith("550 5.1.1 mailbox unavailable")


def test_a_451_reply_is_transient_and_the_next_attempt_is_delivered() -> None:
    handler = GreylistingHandler()

    with smtp_server(handler) as server:
        first = send(client_settings(server.port), batch(3))
        second = send(client_settings(server.port), batch(3))

    assert {r.outcome for r in first} == {SendOutcome.TRANSIENT}
    assert first[0].detail.startswith("451 4.7.1")
    assert {r.outcome for r in second} == {SendOutcome.SENT}
    assert len(handler.messages) == 3


def test_a_421_reply_makes_that_message_transient_and_the_rest_go_out_on_a_new_connection() -> None:
    handler = RefusingHandler({"member3@example.fi": "421 4.7.0 too busy, closing"})

    with smtp_server(handler) as server:
        results = send(client_settings(server.port, connections=1), batch(6))

    assert outcomes(results) == {f"row-{n}": SendOutcome.TRANSIENT if n == 3 else SendOutcome.SENT for n in range(1, 7)}
    assert len(handler.messages) == 5
    assert len(handler.peers) == 2


def test_a_connection_dropped_mid_batch_fails_only_the_message_in_flight() -> None:
    handler = DroppingHandler(drop_at=5)
    heard: list[str] = []

    with smtp_server(handler) as server:
        results = send(client_settings(server.port, connections=1), batch(10), lambda r: heard.append(r.key))

    assert outcomes(results) == {
        f"row-{n}": SendOutcome.TRANSIENT if n == 5 else SendOutcome.SENT for n in range(1, 11)
    }
    assert sorted(handler.subjects()) == sorted(f"Test message {n}" for n in range(1, 11) if n != 5)
    assert len(handler.peers) == 2  # the rest went over a new connection
    assert sorted(heard) == sorted(f"row-{n}" for n in range(1, 11))


def test_when_nothing_listens_every_message_is_transient_within_moments() -> None:
    heard: list[SendResult] = []
    started = time.monotonic()

    results = send(client_settings(unused_port(), connections=4, timeout=10.0), batch(50), heard.append)

    assert time.monotonic() - started < 3
    assert {r.outcome for r in results} == {SendOutcome.TRANSIENT}
    assert [r.key for r in results] == [f"row-{n}" for n in range(1, 51)]
    assert "cannot connect" in results[-1].detail
    assert len(heard) == 50


def test_a_server_that_never_answers_costs_one_timeout_not_one_per_message() -> None:
    with silent_port() as port:
        started = time.monotonic()
        results = send(client_settings(port, connections=2, timeout=0.5), batch(20))
        elapsed = time.monotonic() - started

    assert elapsed < 2.5
    assert {r.outcome for r in results} == {SendOutcome.TRANSIENT}


@pytest.mark.slow
def test_a_server_that_stalls_mid_message_costs_two_timeouts_per_connection_not_one_per_message() -> None:
    handler = StallingHandler(seconds=30)

    with smtp_server(handler) as server:
        started = time.monotonic()
        results = send(client_settings(server.port, connections=2, timeout=0.4), batch(20))
        elapsed = time.monotonic() - started

    assert elapsed < 2.5
    assert {r.outcome for r in results} == {SendOutcome.TRANSIENT}
    assert handler.data_commands == 4


def test_an_empty_batch_connects_to_nothing() -> None:
    assert send(client_settings(unused_port()), []) == []


def test_a_failing_on_result_stops_the_batch_and_is_raised() -> None:
    handler = RecordingHandler()

    def mark_sent(result: SendResult) -> None:
        if result.key == "row-3":
            raise RuntimeError("database is gone")

    with smtp_server(handler) as server, pytest.raises(RuntimeError, match="database is gone"):
        send(client_settings(server.port, connections=1), batch(20), mark_sent)

    assert len(handler.messages) == 3


async def _batches_in_one_session(
    transport: SmtpTransport, batches: list[list[tuple[str, EmailMessage]]]
) -> list[list[SendResult]]:
    async with transport.session():
        return [await transport.send_all(messages) for messages in batches]


def test_inside_a_session_the_connections_outlive_a_batch_and_outside_one_they_do_not() -> None:
    kept, fresh = RecordingHandler(), RecordingHandler()
    batches = [batch(10), batch(10), batch(10)]

    with smtp_server(kept) as server:
        transport = SmtpTransport(client_settings(server.port, connections=2))
        results = asyncio.run(_batches_in_one_session(transport, batches))
    with smtp_server(fresh) as server:
        transport = SmtpTransport(client_settings(server.port, connections=2))
        for messages in batches:
            asyncio.run(transport.send_all(messages))

    assert [{r.outcome for r in batch_results} for batch_results in results] == [{SendOutcome.SENT}] * 3
    assert len(kept.messages) == len(fresh.messages) == 30
    assert len(kept.peers) <= 2 < len(fresh.peers)


def test_a_kept_connection_the_server_closed_is_replaced_without_failing_its_message() -> None:
    handler = RecordingHandler()
    heard: list[SendResult] = []
    first = LoopbackController(handler, hostname="127.0.0.1", port=0)
    first.start()
    second = LoopbackController(handler, hostname="127.0.0.1", port=first.port)

    async def scenario() -> None:
        transport = SmtpTransport(client_settings(first.port, connections=1))
        async with transport.session():
            heard.extend(await transport.send_all(batch(3)))
            # The server drops the idle connection (as one with an idle timeout would) and is back at once;
            # blocking calls, so that the client does not hear of it before it sends again.
            first.stop()
            second.start()
            heard.extend(await transport.send_all([(f"again-{n}", make_message(n)) for n in range(1, 4)]))

    try:
        asyncio.run(scenario())
    finally:
        for server in (first, second):
            with contextlib.suppress(Exception):
                server.stop()

    assert {r.key: r.outcome for r in heard} == {
        **{f"row-{n}": SendOutcome.SENT for n in range(1, 4)},
        **{f"again-{n}": SendOutcome.SENT for n in range(1, 4)},
    }
    assert len(handler.messages) == 6
