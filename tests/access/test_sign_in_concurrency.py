"""Sign-in link requests that arrive at the same moment still count each other: twelve at once for one address
leave exactly five taken, on SQLite (writers serialised) and on PostgreSQL (an advisory lock per key)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from application.access.sign_in_links import RATE_LIMIT, LinkRequest, RequestLink, take_request
from notifications.links import LinkSigner
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock

SIGNER = LinkSigner(b"sign-in-concurrency-key-0123456789")
AT = datetime(2027, 1, 11, 8, 0, tzinfo=UTC)


@pytest.mark.slow
def test_twelve_requests_at_once_for_one_address_take_exactly_the_limit(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
) -> None:
    start = threading.Barrier(12)
    answers: list[LinkRequest] = []
    errors: list[BaseException] = []

    def ask(number: int) -> None:
        asked = RequestLink(email="owner@example.fi", client_address=f"198.51.100.{number}")
        start.wait()
        try:
            answers.append(take_request(asked, uow=uow_factory(), clock=FixedClock(AT), signer=SIGNER))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(not answer.limited for answer in answers) == RATE_LIMIT.per_address
    assert len(answers) == 12
