"""``/metrics`` in the Prometheus text format: the web app's requests and sign-ins, the delivery and transition
counters (notifications/metrics.py, persistence/metrics.py), and the outbox read from the database at scrape time.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``raati web --workers N`` sets it to a fresh folder under the data folder),
every process writes its counters there and ``/metrics`` sums them, whichever worker answers.
"""

from __future__ import annotations

import hmac
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from persistence.metrics import OutboxStats

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # the library's own variable, read by it at import

HTTP_REQUESTS = Counter(
    "raati_http_requests_total",
    "HTTP requests by method, route template (never the path itself) and status.",
    ["method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "raati_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SIGN_INS = Counter(
    "raati_sign_ins_total",
    "Staff sign-ins by method (email_link, link_request, oidc) and outcome.",
    ["method", "outcome"],
)
SIGN_IN_OUTCOMES = {
    "email_link": ("success", "used", "expired", "invalid", "form_expired"),
    "link_request": ("requested", "rate_limited", "invalid_email"),
    "oidc": ("success", "refused"),
}
for _method, _outcomes in SIGN_IN_OUTCOMES.items():
    for _outcome in _outcomes:
        SIGN_INS.labels(method=_method, outcome=_outcome)


def count_sign_in(method: str, outcome: str) -> None:
    SIGN_INS.labels(method=method, outcome=outcome).inc()


OutboxSource = Callable[[], OutboxStats]


class OutboxCollector(Collector):
    """Read at each scrape: whether the database answers, the outbox rows by status and kind, and how long the
    oldest due row has waited. A database that does not answer gives ``raati_database_up 0``, not an error."""

    def __init__(self, source: OutboxSource) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("raati_database_up", "1 if the database answered this scrape's outbox queries, else 0.")
        try:
            stats = self.source()
        except Exception as error:  # the driver's words may name the host: the log gets the class alone
            log.warning("metrics: the database did not answer: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        rows = GaugeMetricFamily("raati_outbox_rows", "Outbox rows by status and kind.", labels=["status", "kind"])
        for (status, kind), count in sorted(stats.rows.items()):
            rows.add_metric([status, kind], count)
        yield rows
        yield GaugeMetricFamily(
            "raati_outbox_oldest_due_seconds",
            "How long the oldest due outbox row has waited to be sent (0 when none is due).",
            value=stats.oldest_due_seconds,
        )


class _Together(Collector):
    def __init__(self, *parts: Collector) -> None:
        self.parts = parts

    def collect(self) -> Iterator[Metric]:
        for part in self.parts:
            yield from part.collect()


def exposition(source: OutboxSource | None) -> Collector:
    """This process's metrics, or every worker's when in multi-process mode, plus the outbox if there is a source."""
    counters: Collector = MultiProcessCollector(None) if os.environ.get(MULTIPROC_ENV) else REGISTRY  # type: ignore[no-untyped-call]
    return _Together(counters, OutboxCollector(source)) if source is not None else counters


def install_metrics(app: FastAPI, *, source: OutboxSource | None, token: str | None) -> None:
    """``GET /metrics``; with ``token`` (``RAATI_METRICS_TOKEN``) only for ``Authorization: Bearer <token>``."""
    collector = exposition(source)
    expected = f"Bearer {token}".encode() if token else None

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        given = request.headers.get("authorization", "").encode()
        if expected is not None and not hmac.compare_digest(given, expected):
            return Response("metrics need the bearer token\n", status_code=401, headers={"WWW-Authenticate": "Bearer"})
        body = generate_latest(collector)
        return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def multiprocess_dir(data_dir: Path) -> Path | None:
    """For ``raati web --workers``: a fresh folder under ``data_dir/metrics`` as the workers' shared metrics folder,
    unless the operator set ``PROMETHEUS_MULTIPROC_DIR`` (then theirs, as it is; None). Call before the workers
    start: they read it when they import the library."""
    if os.environ.get(MULTIPROC_ENV):
        return None
    parent = data_dir / "metrics"
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="web-", dir=parent))
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def remove_multiprocess_dir(folder: Path | None) -> None:
    if folder is not None:
        os.environ.pop(MULTIPROC_ENV, None)
        shutil.rmtree(folder, ignore_errors=True)
