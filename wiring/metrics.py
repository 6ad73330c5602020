"""The outbox figures /metrics reads at each scrape, from the configured database, on an engine of their own (one
connection, a short connect timeout: a database that does not answer costs a scrape seconds, not a hang)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import Engine

from notifications.settings import DeliverySettings
from persistence.metrics import OutboxStats, outbox_stats
from persistence.settings import DatabaseSettings


@cache
def metrics_engine() -> Engine:
    from persistence.readiness import readiness_engine

    return readiness_engine(DatabaseSettings().url)


@cache
def _coalesce() -> timedelta:
    return timedelta(seconds=DeliverySettings().coalesce_seconds)


def current_outbox_stats() -> OutboxStats:
    engine = metrics_engine()
    database = engine.url.database
    on_file = engine.url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:")
    if on_file and not Path(str(database)).exists():  # connecting would create an empty file
        raise FileNotFoundError("the database file does not exist")
    return outbox_stats(engine, now=datetime.now(UTC), coalesce=_coalesce())


def reset() -> None:
    if metrics_engine.cache_info().currsize:
        metrics_engine().dispose()
    metrics_engine.cache_clear()
    _coalesce.cache_clear()
