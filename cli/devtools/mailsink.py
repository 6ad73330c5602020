"""The development mail sink: a real SMTP server on 127.0.0.1 that keeps each message as an ``.eml`` file.

Files are named ``000001-20250102T030405.678901Z.eml``: the number gives the arrival order and
goes on from the highest number already in the folder. Each file is written to a temporary
name and then linked into place, so a reader never sees half a message and two deliveries
never share a name.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from aiosmtpd.controller import Controller

from cli.devtools.mailbox import sequence_number

__all__ = ["EmlFolderHandler", "LoopbackController", "MailSink"]


class LoopbackController(Controller):
    """aiosmtpd's threaded controller, which also works with ``port=0`` (a free port, in ``.port`` after start)."""

    def _trigger_server(self) -> None:
        server = cast(asyncio.Server | None, self.server)
        if self.port == 0 and server is not None and server.sockets:
            self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


class EmlFolderHandler:
    """An aiosmtpd handler that stores every accepted message in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._last = -1  # read from the folder on the first delivery

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        trace = [f"Return-Path: <{envelope.mail_from}>"]
        trace += [f"Delivered-To: {recipient}" for recipient in envelope.rcpt_tos]
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        data = "\r\n".join(trace).encode("utf-8") + b"\r\n" + content
        path = await asyncio.to_thread(self.store, data)
        return f"250 OK stored as {path.name}"

    def store(self, data: bytes) -> Path:
        """Write ``data`` under the next free number; returns the file."""
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            if self._last < 0:
                numbers = (sequence_number(p) for p in self.directory.glob("*.eml"))
                self._last = max((n for n in numbers if n is not None), default=0)
            temporary = self.directory / f".incoming-{os.getpid()}-{threading.get_ident()}.tmp"
            with open(temporary, "wb") as file:
                file.write(data)
            try:
                while True:
                    self._last += 1
                    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
                    path = self.directory / f"{self._last:06d}-{stamp}.eml"
                    try:
                        os.link(temporary, path)  # fails rather than overwrite, even across processes
                    except FileExistsError:
                        continue
                    return path
            finally:
                temporary.unlink(missing_ok=True)


def _check_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio's server will
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise OSError(exc.errno, f"The mail sink cannot listen on {host}:{port}: {exc.strerror}") from exc


class MailSink:
    """Runs the sink in a background thread: ``with MailSink(folder, port=0) as sink: ... sink.port``."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 8025) -> None:
        self.directory = Path(directory)
        self.host = host
        self._requested_port = port
        self._controller: LoopbackController | None = None

    @property
    def port(self) -> int:
        """The port it listens on; with ``port=0`` the real one is known only after ``start()``."""
        return self._controller.port if self._controller is not None else self._requested_port

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is not None:
            raise RuntimeError("the mail sink is already running")
        self.directory.mkdir(parents=True, exist_ok=True)
        if self._requested_port != 0:
            _check_free(self.host, self._requested_port)  # aiosmtpd would only say so after its 5 s ready timeout
        controller = LoopbackController(EmlFolderHandler(self.directory), hostname=self.host, port=self._requested_port)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailSink:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
