"""Several uvicorn worker processes behind one port: the parent accepts each connection and hands it to the next
worker in turn (``raati web --workers N``).

Why not uvicorn's own ``--workers``: there every worker accepts from one shared socket, and the first to wake
takes every connection waiting. Twenty keep-alive clients connecting at once were measured landing 18 on one
worker and 2 on the other (and 20/0), so one worker's interpreter did nearly all the work while the other idled.
Handing connections out in turn gives each worker its share, whatever the timing. A connection is passed once,
as a file descriptor over a Unix socket; the parent never touches its bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.process import BaseProcess
from typing import Any

import uvicorn

logger = logging.getLogger(__name__)

ACCEPT_BACKLOG = 2048
# How often the parent looks up from accept() to see whether it should stop or a worker died.
TICK_S = 0.5


def serve(host: str, port: int, *, workers: int, uvicorn_options: dict[str, Any]) -> None:
    """Run ``workers`` uvicorn servers of ``web.asgi:create`` until SIGINT or SIGTERM."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        listener = socket.create_server((host, port), family=family, backlog=ACCEPT_BACKLOG)
    except OSError as error:  # a port in use, an address not on this machine: a message, not a traceback
        raise SystemExit(f"raati web: cannot listen on {host}:{port}: {error.strerror or error}") from None
    listener.settimeout(TICK_S)
    pool = WorkerPool(workers, partial(_run_worker, uvicorn_options))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    pool.start()
    try:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except (TimeoutError, InterruptedError):
                if not stop.is_set():  # at Ctrl-C the workers stop on their own: not a death to repair
                    pool.replace_dead()
                continue
            with connection:
                pool.hand_over(connection)
    finally:
        listener.close()
        pool.stop()


@dataclass
class _Worker:
    process: BaseProcess
    outbox: socket.socket  # the parent's end of the hand-over socket


@dataclass
class WorkerPool:
    size: int
    target: Callable[[socket.socket], None]
    workers: list[_Worker] = field(default_factory=list)
    _next: int = 0

    def start(self) -> None:
        self.workers = [self._spawn() for _ in range(self.size)]

    def _spawn(self) -> _Worker:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        # spawn, not fork: a worker starts from a clean interpreter (no parent threads or sockets to inherit).
        process = multiprocessing.get_context("spawn").Process(target=self.target, args=(theirs,), daemon=False)
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def hand_over(self, connection: socket.socket) -> None:
        """Give the connection to the next worker in turn (the parent's copy is closed by the caller)."""
        for _ in range(len(self.workers)):
            worker = self.workers[self._next]
            self._next = (self._next + 1) % len(self.workers)
            try:
                socket.send_fds(worker.outbox, [b"c"], [connection.fileno()])
                return
            except OSError:  # that worker is gone; the next one takes it, and the tick replaces it
                continue
        logger.error("no web worker took a connection; it is closed")

    def replace_dead(self) -> None:
        for i, worker in enumerate(self.workers):
            if not worker.process.is_alive():
                logger.warning("web worker %s exited with %s; starting another", worker.process.pid,
                               worker.process.exitcode)  # fmt: skip
                worker.outbox.close()
                self.workers[i] = self._spawn()

    def stop(self) -> None:
        for worker in self.workers:
            worker.outbox.close()
            if worker.process.is_alive():
                worker.process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for worker in self.workers:
            worker.process.join(timeout=30)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


def _run_worker(uvicorn_options: dict[str, Any], inbox: socket.socket) -> None:
    config = uvicorn.Config("web.asgi:create", factory=True, **uvicorn_options)
    # Ctrl-C reaches the whole process group: a worker then stops as asked, not with a traceback on stderr.
    with contextlib.suppress(KeyboardInterrupt):
        HandedConnectionsServer(config, inbox).run()


class HandedConnectionsServer(uvicorn.Server):
    """A uvicorn server that listens on nothing: its connections arrive over ``inbox`` from the parent."""

    def __init__(self, config: uvicorn.Config, inbox: socket.socket) -> None:
        super().__init__(config)
        self.inbox = inbox

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the app's lifespan; no listening socket
        loop = asyncio.get_running_loop()
        # What uvicorn's own startup gives loop.create_server, for connections it did not accept itself.
        protocol = partial(self.config.http_protocol_class, config=self.config,  # type: ignore[call-arg]
                           server_state=self.server_state, app_state=self.lifespan.state)  # fmt: skip
        self.inbox.setblocking(False)
        loop.add_reader(self.inbox.fileno(), _take_connections, loop, self.inbox, protocol)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        with contextlib.suppress(ValueError, OSError):  # the parent may have closed its end already
            asyncio.get_running_loop().remove_reader(self.inbox.fileno())
        await super().shutdown(sockets)


def _take_connections(
    loop: asyncio.AbstractEventLoop, inbox: socket.socket, protocol: Callable[[], asyncio.Protocol]
) -> None:
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(inbox, 16, 1)  # one connection per datagram
        except BlockingIOError:
            return
        if not message and not fds:  # the parent is gone
            loop.remove_reader(inbox.fileno())
            return
        for fd in fds:
            connection = socket.socket(fileno=fd)
            loop.create_task(loop.connect_accepted_socket(protocol, connection))
