"""``raati web --workers 2`` with ``RAATI_LOG_FORMAT=json``: /metrics sums both workers' counters whichever worker
answers (multi-process mode, a folder under the data folder, removed at the end), and the workers' access log is
JSON lines on stderr."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.test_web_workers import RAATI, _connections_by_process, _get, _group
from tests.smtp.servers import unused_port

pytestmark = pytest.mark.slow  # starts the command and its worker processes


def _http(port: int, path: str) -> tuple[int, str]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode()


def _healthz_count(metrics: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "raati_http_requests_total" and sample.labels.get("route") == "/healthz"
    )


def test_metrics_sum_every_workers_counters_and_the_workers_log_json(tmp_path: Path) -> None:
    port = unused_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAATI_", "PREFECT_API_URL", "PROMETHEUS_"))}
    data = tmp_path / "data"
    env.update(RAATI_DATA_DIR=str(data), RAATI_DATABASE_URL=f"sqlite:///{tmp_path / 'raati.db'}",
               RAATI_LOG_FORMAT="json")  # fmt: skip
    stderr = (tmp_path / "stderr.log").open("wb")
    web = subprocess.Popen([str(RAATI), "web", "--workers", "2", "--port", str(port)], env=env, stderr=stderr,
                           start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _http(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert web.poll() is None, (tmp_path / "stderr.log").read_text()
            assert time.monotonic() < deadline, "raati web did not answer within 60 s"
            time.sleep(0.2)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(6)]
        for client in clients:
            assert _get(client, "/healthz").startswith(b"HTTP/1.1 200")
        served = sorted(n for n in _connections_by_process(port, _group(web.pid)).values() if n)
        assert served == [3, 3]  # both workers served some of them
        for client in clients:
            client.close()
        (folder,) = (data / "metrics").iterdir()
        assert list(folder.glob("*.db"))  # the workers' counters, one file per process and kind

        scrapes = [_http(port, "/metrics") for _ in range(4)]  # connections dealt in turn: both workers answer
        counts = {_healthz_count(body) for status, body in scrapes if status == 200}
        assert len(counts) == 1, counts  # the same total whichever worker answered
        assert counts.pop() >= 7  # the six above, and the probe's

        os.killpg(web.pid, signal.SIGINT)
        assert web.wait(timeout=30) == 0
    finally:
        if web.poll() is None:
            os.killpg(web.pid, signal.SIGKILL)
            web.wait()
        stderr.close()
    assert not folder.exists()  # removed when the command stops
    logged = [json.loads(line) for line in (tmp_path / "stderr.log").read_text().splitlines() if line.strip()]
    access = [line for line in logged if line.get("logger") == "raati.access"]
    assert {(a["route"], a["status"]) for a in access} >= {("/healthz", 200), ("/metrics", 200)}
