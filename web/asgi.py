"""The web app for ASGI servers with several worker processes, wired from the RAATI_* settings.

``raati web --workers 4`` runs four uvicorn workers of ``create`` behind one port (web/balancer.py deals the
connections to them in turn); one uvicorn process alone can also serve it:

    uvicorn --factory web.asgi:create --http web.asgi:NoDelayHttpToolsProtocol --loop uvloop --port 8000
"""

from __future__ import annotations

import asyncio
import socket
import sys

from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from web.app import create_app


def create() -> FastAPI:
    import wiring  # each worker builds its own engine and sessions, lazily
    from wiring.config_check import ConfigurationRefused

    try:
        wiring.require_production_ready()
    except ConfigurationRefused as refused:  # the operator reads the message, not a traceback
        print(f"raati: configuration: {refused}", file=sys.stderr)
        raise SystemExit(2) from None
    import wiring.metrics
    from wiring.logs import configure_logging

    configure_logging()  # each worker: RAATI_LOG_FORMAT for its own lines
    return create_app(
        uow_factory=wiring.uow,
        clock=wiring.clock(),
        signer=wiring.signer,
        readiness=wiring.readiness,
        outbox_stats=wiring.metrics.current_outbox_stats,
    )


def _no_delay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with Nagle's algorithm off on every connection.

    With ``--workers`` uvicorn binds the socket itself (``socket.socket(family)``, protocol number 0), and
    asyncio then skips the TCP_NODELAY it sets on TCP connections; a response written in two parts
    waits for the client's delayed ACK: about 40 ms on every keep-alive request (measured: 44 ms for
    /healthz with two workers, 0.4 ms with one).
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """The same for uvicorn's httptools protocol (C parser; with uvloop it costs the workers less CPU per request
    than h11). What ``raati web --workers`` and the API load benchmark run."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)
