"""The development mail sink stores what it receives as .eml files; the mailbox reads them back."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from cli.devtools.mailbox import MailNotFound, list_messages, read_message, sequence_number
from cli.devtools.mailsink import MailSink
from notifications.message import build_message
from notifications.render import Rendered
from notifications.smtp import SendOutcome, SmtpTransport
from tests.smtp.servers import client_settings, make_message


def deliver(port: int, messages: list[EmailMessage], *, connections: int = 1, **settings: str) -> None:
    transport = SmtpTransport(client_settings(port, connections=connections, **settings))
    results = asyncio.run(transport.send_all([(f"row-{n}", m) for n, m in enumerate(messages, start=1)]))
    assert {r.outcome for r in results} == {SendOutcome.SENT}


def finnish_update() -> EmailMessage:
    message = make_message(1, to="Matti Meikäläinen <matti@example.fi>", subject="Ideasi eteni: käsittelyssä")
    message.set_content("Hei Matti,\nideasi on nyt käsittelyssä.\n")
    message.add_alternative("<p>Hei Matti,<br>ideasi on nyt <b>käsittelyssä</b>.</p>", subtype="html")
    message["Content-Language"] = "fi"  # after set_content, which drops Content-* headers
    return message


def test_the_sink_stores_each_message_and_list_messages_reads_them_back_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "mail"

    with MailSink(folder, port=0) as sink:
        assert sink.port != 0
        deliver(sink.port, [finnish_update(), make_message(2), make_message(3)])

    mails = list_messages(folder)

    assert [m.number for m in mails] == [1, 2, 3]
    assert [m.subject for m in mails] == ["Ideasi eteni: käsittelyssä", "Test message 2", "Test message 3"]
    assert [m.message_id for m in mails] == [
        "<test-1@raati.localhost>",
        "<test-2@raati.localhost>",
        "<test-3@raati.localhost>",
    ]
    first = mails[0]
    assert first.to == "Matti Meikäläinen <matti@example.fi>"
    assert first.sender == "Raati <raati@raati.localhost>"
    assert first.language == "fi"
    assert first.size == first.path.stat().st_size > 0
    assert [p.name for p in sorted(folder.iterdir())] == [m.path.name for m in mails]  # no temporary files left


def test_read_message_gives_the_text_and_html_parts_and_every_header(tmp_path: Path) -> None:
    with MailSink(tmp_path, port=0) as sink:
        deliver(sink.port, [finnish_update()], sender="Raati <bounces@raati.localhost>")

    opened = read_message(tmp_path, 1)

    assert opened.text is not None
    assert "ideasi on nyt käsittelyssä" in opened.text
    assert opened.html is not None
    assert "<b>käsittelyssä</b>" in opened.html
    names = [name for name, _ in opened.headers]
    assert {"Return-Path", "Delivered-To", "From", "To", "Subject", "Message-ID"} <= set(names)
    assert ("Delivered-To", "matti@example.fi") in opened.headers
    assert ("Return-Path", "<bounces@raati.localhost>") in opened.headers  # envelope sender: RAATI_SMTP_SENDER
    assert opened.mail.subject == "Ideasi eteni: käsittelyssä"


@pytest.mark.parametrize("number", [0, 2, -1])
def test_reading_a_number_that_does_not_exist_raises_mail_not_found(tmp_path: Path, number: int) -> None:
    with MailSink(tmp_path, port=0) as sink:
        deliver(sink.port, [make_message(1)])

    with pytest.raises(MailNotFound, match="1 message") as raised:
        read_message(tmp_path, number)

    assert isinstance(raised.value, LookupError)
    assert raised.value.count == 1


def test_an_empty_or_missing_folder_lists_nothing(tmp_path: Path) -> None:
    assert list_messages(tmp_path / "nowhere") == []
    with pytest.raises(MailNotFound, match="no messages"):
        read_message(tmp_path / "nowhere", 1)


def test_concurrent_deliveries_over_four_connections_get_unique_files_in_arrival_order(tmp_path: Path) -> None:
    with MailSink(tmp_path, port=0) as sink:
        deliver(sink.port, [make_message(n) for n in range(1, 41)], connections=4)

    files = sorted(tmp_path.glob("*.eml"))
    mails = list_messages(tmp_path)

    assert [sequence_number(p) for p in files] == list(range(1, 41))
    assert sorted(m.message_id for m in mails) == sorted(f"<test-{n}@raati.localhost>" for n in range(1, 41))
    assert [m.path for m in mails] == files


def test_numbering_goes_on_after_the_messages_already_in_the_folder(tmp_path: Path) -> None:
    with MailSink(tmp_path, port=0) as sink:
        deliver(sink.port, [make_message(1), make_message(2)])
    with MailSink(tmp_path, port=0) as sink:
        deliver(sink.port, [make_message(3)])

    mails = list_messages(tmp_path)

    assert [sequence_number(m.path) for m in mails] == [1, 2, 3]
    assert [m.subject for m in mails] == ["Test message 1", "Test message 2", "Test message 3"]


def test_numbers_past_a_million_still_list_in_arrival_order(tmp_path: Path) -> None:
    (tmp_path / "999999-a.eml").write_bytes(b"Subject: older\r\n\r\nx\r\n")
    (tmp_path / "1000000-b.eml").write_bytes(b"Subject: newer\r\n\r\nx\r\n")

    assert [m.subject for m in list_messages(tmp_path)] == ["older", "newer"]


def test_a_port_already_in_use_is_reported_at_once(tmp_path: Path) -> None:
    with MailSink(tmp_path / "a", port=0) as first:
        started = time.monotonic()
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{first.port}"):
            MailSink(tmp_path / "b", port=first.port).start()

        assert time.monotonic() - started < 1


def test_the_sink_stops_listening_when_it_stops(tmp_path: Path) -> None:
    sink = MailSink(tmp_path, port=0)
    sink.start()
    port = sink.port
    sink.stop()

    transport = SmtpTransport(client_settings(port))
    [result] = asyncio.run(transport.send_all([("row-1", make_message(1))]))

    assert result.outcome is SendOutcome.TRANSIENT
    assert list_messages(tmp_path) == []


def test_a_display_name_of_two_encoded_words_reads_as_one_name_as_in_a_mail_client(tmp_path: Path) -> None:
    # A panel's name is longer than one encoded-word and Raati splits it where the bytes run out, here inside
    # "kundråd"; RFC 2047 joins adjacent encoded-words without a space (the standard library's parser does not).
    name = "Östra Helsingfors mångprofessionella kundråd"
    message = build_message(
        Rendered(subject="Hej", text="Hej!\n", html="<p>Hej!</p>\n", language="sv"),
        message_id="x1@raati.localhost",
        sender="Raati <raati@raati.localhost>",
        to="karin@example.fi",
        date=datetime(2026, 10, 21, 13, 11, tzinfo=UTC),
        language="sv",
        unsubscribe=None,
        sender_name=name,
        reply_to="liisa@example.fi",
    )
    assert "=?utf-8?q?d?=" in message.as_string().split("\n\n")[0]
    with MailSink(tmp_path, port=0) as sink:
        deliver(sink.port, [message])

    opened = read_message(tmp_path, 1)

    assert opened.mail.sender == f"{name} <raati@raati.localhost>"
    assert ("From", f"{name} <raati@raati.localhost>") in opened.headers
    assert ("Reply-To", "liisa@example.fi") in opened.headers
