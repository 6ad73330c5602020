"""A web app served by a real uvicorn on a free port of 127.0.0.1, in a thread, for tests over HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from tests.smtp.servers import unused_port


@contextmanager
def serving(app: Any, *, lifespan: str = "off", port: int | None = None) -> Iterator[str]:
    """Yields the app's base URL (``http://127.0.0.1:PORT``, on ``port`` when given); stops the server afterwards."""
    port = port or unused_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        assert time.monotonic() < deadline, "uvicorn did not start within 10 s"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
