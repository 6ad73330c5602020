"""One running web app (a real uvicorn) follows its database: /readyz is 503 while PostgreSQL does not answer or
the SQLite file is gone, and 200 again once it is back, with no restart. PostgreSQL is reached through a small
TCP proxy of the test's own (the machine's server is shared and keeps running); closing the proxy refuses every
connection and cuts the open ones, reopening it on the same port lets them through again."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

import wiring
import wiring.metrics
from persistence.migrate import head_revision
from tests.conftest import fresh_database_url
from tests.smtp.servers import unused_port
from tests.web_server import serving
from web.asgi import create

pytestmark = pytest.mark.slow  # a real server, a database taken away and given back


class TcpProxy:
    """Forwards 127.0.0.1:``port`` to ``upstream``; ``close()`` refuses and cuts connections, ``open()`` lets them
    through again on the same port. Runs its own event loop in a thread."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = unused_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._thread.start()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    def open(self) -> None:
        async def start() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)

        self._call(start())

    def close(self) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
                await self._server.wait_closed()
                self._server = None
            for writer in list(self._writers):
                writer.transport.abort()  # the app's pooled connections die as they would with the server
            self._writers.clear()

        self._call(stop())

    def shut_down(self) -> None:
        self.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.transport.abort()
            return
        self._writers |= {client_writer, server_writer}

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.transport.abort()
                self._writers.discard(writer)

        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))


@pytest.fixture
def web_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """The settings ``raati web`` reads, in development, with its own data folder; wiring's caches reset around."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RAATI_ENV", raising=False)
    monkeypatch.setenv("RAATI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RAATI_SESSION_SECRET", "readiness-test-session-secret-0123456789")
    wiring.reset()
    wiring.metrics.reset()
    yield monkeypatch
    wiring.reset()
    wiring.metrics.reset()


def ready(client: httpx.Client) -> httpx.Response:
    started = time.monotonic()
    answer = client.get("/readyz")
    assert time.monotonic() - started < 5, "the probe must give up in seconds"
    return answer


@pytest.mark.postgresql
def test_postgresql_going_away_and_coming_back_is_followed_without_a_restart(
    request: pytest.FixtureRequest, web_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = make_url(fresh_database_url(request, "postgresql", tmp_path))
    proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432)
    proxy.open()
    try:
        web_env.setenv("RAATI_DATABASE_URL", real.set(port=proxy.port).render_as_string(hide_password=False))
        with serving(create()) as url, httpx.Client(base_url=url, timeout=30) as client:
            up = ready(client)
            assert up.status_code == 200, up.text
            assert up.json() == {"status": "ready", "database": "ok", "schema": head_revision()}

            proxy.close()
            for _ in range(2):  # the pooled connection is found dead, then a fresh one is refused
                down = ready(client)
                assert down.status_code == 503, down.text
                assert down.json()["database"] == "unreachable"
                assert down.json()["detail"] == "the database did not answer"
            assert client.get("/healthz").status_code == 200  # the process itself goes on answering

            proxy.open()
            back = ready(client)
            assert back.status_code == 200, back.text
            assert back.json()["database"] == "ok"
    finally:
        proxy.shut_down()


def test_a_sqlite_file_moved_away_and_back_is_followed_without_a_restart(
    request: pytest.FixtureRequest, web_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    database = Path(make_url(fresh_database_url(request, "sqlite", tmp_path)).database or "")
    aside = tmp_path / "aside" / database.name
    aside.parent.mkdir()
    web_env.setenv("RAATI_DATABASE_URL", f"sqlite:///{database}")
    with serving(create()) as url, httpx.Client(base_url=url, timeout=30) as client:
        up = ready(client)
        assert up.status_code == 200, up.text

        database.rename(aside)
        for _ in range(2):
            down = ready(client)
            assert down.status_code == 503, down.text
            assert down.json()["detail"] == "the database file does not exist"
        assert client.get("/metrics").status_code == 200  # looking does not make an empty database either
        assert not database.exists(), "the probe re-created the database file"

        aside.rename(database)
        back = ready(client)
        assert back.status_code == 200, back.text
        assert back.json() == {"status": "ready", "database": "ok", "schema": head_revision()}
