"""TLS modes, logins, and the mistakes no retry can fix: they raise SmtpConfigurationError."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from pathlib import Path

import pytest

from notifications.settings import SmtpSettings
from notifications.smtp import SendOutcome, SendResult, SmtpConfigurationError, SmtpTransport, check_connection
from tests.smtp.servers import (
    Certificate,
    RecordingHandler,
    client_settings,
    make_message,
    password_checker,
    smtp_server,
    unused_port,
)


def send(settings: SmtpSettings, count: int = 3) -> list[SendResult]:
    messages: list[tuple[str, EmailMessage]] = [(f"row-{n}", make_message(n)) for n in range(1, count + 1)]
    return asyncio.run(SmtpTransport(settings).send_all(messages))


def test_starttls_with_a_trusted_self_signed_certificate_delivers(certificate: Certificate) -> None:
    handler = RecordingHandler()

    with smtp_server(handler, tls_context=certificate.server_context(), require_starttls=True) as server:
        results = send(client_settings(server.port, tls="starttls", ca_file=certificate.cert))

    assert {r.outcome for r in results} == {SendOutcome.SENT}
    assert len(handler.messages) == 3


def test_starttls_with_an_untrusted_certificate_is_a_configuration_error(certificate: Certificate) -> None:
    handler = RecordingHandler()

    with (
        smtp_server(handler, tls_context=certificate.server_context(), require_starttls=True) as server,
        pytest.raises(SmtpConfigurationError, match=r"not trusted.*RAATI_SMTP_CA_FILE"),
    ):
        send(client_settings(server.port, tls="starttls"))

    assert handler.messages == []


def test_implicit_tls_with_a_trusted_certificate_delivers(certificate: Certificate) -> None:
    handler = RecordingHandler()

    with smtp_server(handler, ssl_context=certificate.server_context()) as server:
        results = send(client_settings(server.port, tls="tls", ca_file=certificate.cert))

    assert {r.outcome for r in results} == {SendOutcome.SENT}
    assert len(handler.messages) == 3


def test_implicit_tls_with_an_untrusted_certificate_is_a_configuration_error(certificate: Certificate) -> None:
    with (
        smtp_server(RecordingHandler(), ssl_context=certificate.server_context()) as server,
        pytest.raises(SmtpConfigurationError, match="not trusted"),
    ):
        send(client_settings(server.port, tls="tls"))


def test_implicit_tls_against_a_plain_server_is_a_configuration_error() -> None:
    with (
        smtp_server(RecordingHandler()) as server,
        pytest.raises(SmtpConfigurationError, match=r"TLS handshake.*RAATI_SMTP_TLS"),
    ):
        send(client_settings(server.port, tls="tls"))


def test_a_plain_client_at_a_server_that_requires_starttls_is_a_configuration_error(
    certificate: Certificate,
) -> None:
    handler = RecordingHandler()

    with (
        smtp_server(handler, tls_context=certificate.server_context(), require_starttls=True) as server,
        pytest.raises(SmtpConfigurationError, match=r"530.*RAATI_SMTP_TLS=starttls"),
    ):
        send(client_settings(server.port, tls="none"))

    assert handler.messages == []


def test_starttls_at_a_server_without_starttls_is_a_configuration_error() -> None:
    with (
        smtp_server(RecordingHandler()) as server,
        pytest.raises(SmtpConfigurationError, match="STARTTLS"),
    ):
        send(client_settings(server.port, tls="starttls"))


def test_the_right_password_logs_in_and_delivers(certificate: Certificate) -> None:
    handler = RecordingHandler()
    login = {"username": "raati", "password": "oikea salasana"}

    with smtp_server(
        handler,
        tls_context=certificate.server_context(),
        require_starttls=True,
        auth_required=True,
        authenticator=password_checker(**login),
    ) as server:
        results = send(client_settings(server.port, tls="starttls", ca_file=certificate.cert, **login))

    assert {r.outcome for r in results} == {SendOutcome.SENT}
    assert len(handler.messages) == 3


def test_a_wrong_password_is_a_configuration_error(certificate: Certificate) -> None:
    with (
        smtp_server(
            RecordingHandler(),
            tls_context=certificate.server_context(),
            require_starttls=True,
            auth_required=True,
            authenticator=password_checker("raati", "oikea salasana"),
        ) as server,
        pytest.raises(SmtpConfigurationError, match=r"535.*RAATI_SMTP_PASSWORD"),
    ):
        send(client_settings(server.port, tls="starttls", ca_file=certificate.cert, username="raati", password="väärä"))


def test_an_unreadable_ca_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(SmtpConfigurationError, match="RAATI_SMTP_CA_FILE"):
        send(client_settings(unused_port(), tls="starttls", ca_file=tmp_path / "missing.pem"))


def test_check_connection_passes_against_a_working_server(certificate: Certificate) -> None:
    handler = RecordingHandler()

    with smtp_server(handler, tls_context=certificate.server_context(), require_starttls=True) as server:
        asyncio.run(check_connection(client_settings(server.port, tls="starttls", ca_file=certificate.cert)))

    assert handler.messages == []  # it tries a sender, it sends nothing


def test_check_connection_reports_a_server_that_is_not_there() -> None:
    port = unused_port()

    with pytest.raises(ConnectionError, match=f"127.0.0.1:{port}"):
        asyncio.run(check_connection(client_settings(port)))


def test_check_connection_reports_a_server_that_wants_starttls(certificate: Certificate) -> None:
    with (
        smtp_server(RecordingHandler(), tls_context=certificate.server_context(), require_starttls=True) as server,
        pytest.raises(SmtpConfigurationError, match="530"),
    ):
        asyncio.run(check_connection(client_settings(server.port)))


def test_check_connection_reports_an_untrusted_certificate(certificate: Certificate) -> None:
    with (
        smtp_server(RecordingHandler(), ssl_context=certificate.server_context()) as server,
        pytest.raises(SmtpConfigurationError, match="not trusted"),
    ):
        asyncio.run(check_connection(client_settings(server.port, tls="tls")))
