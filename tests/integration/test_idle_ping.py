"""PostgreSQL connections are tested before use only after sitting idle in the pool (no round trip per request)."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from persistence import engine as engine_module
from persistence.engine import make_engine

pytestmark = pytest.mark.postgresql


@pytest.fixture
def pg_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    database = request.getfixturevalue("_postgres_database")
    built = make_engine(database.url_string, pool_size=1, max_overflow=0)
    yield built
    built.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")))


def _terminate(engine: Engine, pid: int) -> None:
    # From a connection of its own, outside the pool under test.
    admin = make_engine(engine.url.render_as_string(hide_password=False))
    with admin.connect() as connection:
        assert connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}) is True
    admin.dispose()


def test_a_connection_killed_while_idle_is_replaced_before_use(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _backend_pid(pg_engine)
    _terminate(pg_engine, first)
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)  # it has been idle long enough

    second = _backend_pid(pg_engine)  # no error: the ping found the dead connection and the pool opened another

    assert second != first


def test_a_connection_just_returned_is_handed_out_without_a_ping(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    real_ping = pg_engine.dialect.do_ping
    monkeypatch.setattr(pg_engine.dialect, "do_ping", lambda c: pings.append(c) or real_ping(c))
    _backend_pid(pg_engine)
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 3600.0)

    for _ in range(5):
        _backend_pid(pg_engine)
    assert pings == []

    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)
    _backend_pid(pg_engine)
    assert len(pings) == 1
