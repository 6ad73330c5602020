"""The access tests' unit of work: the in-memory fakes (tests/fakes.py); the clock is tests/conftest.py's."""

from __future__ import annotations

import pytest

from tests.fakes import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()
