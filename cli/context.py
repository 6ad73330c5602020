"""Builds the engine, unit of work and clock lazily from settings, once per process."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Engine

from application.clock import SystemClock
from persistence.engine import make_engine, make_session_factory
from persistence.migrate import ensure_schema
from persistence.settings import DatabaseSettings
from persistence.unit_of_work import SqlAlchemyUnitOfWork


@cache
def engine() -> Engine:
    return make_engine(DatabaseSettings().url)


@cache
def _ready_engine() -> Engine:
    built = engine()
    ensure_schema(built)
    return built


def uow() -> SqlAlchemyUnitOfWork:
    """A new unit of work on a database whose schema is current (a fresh one is created)."""
    return SqlAlchemyUnitOfWork(make_session_factory(_ready_engine()))


def clock() -> SystemClock:
    return SystemClock()


def reset() -> None:
    """Forget the engine (tests point the command at another database between runs)."""
    if engine.cache_info().currsize:
        engine().dispose()
    engine.cache_clear()
    _ready_engine.cache_clear()
