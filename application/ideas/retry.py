"""Changes made without an expected version are redone when a concurrent writer saved first.

A caller who gives no expected version asks for the change on the idea as it is now. When the guarded save
finds that someone else saved in the meantime, the whole unit of work runs again: the idea is read afresh,
this time held against other writers until the commit, and the change made on it. So every such change
lands, in order, with the next sequence number, and the uncontended first attempt holds nothing. A caller who
gave a version gets the conflict instead, naming the version they gave. One place for every entry point
(CLI, API, pages), because they all go through the use cases.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from domain.errors import VersionConflict

T = TypeVar("T")

ATTEMPTS = 10
# The pause after the first lost race; it doubles after each one (with jitter, so losers do not meet again).
FIRST_PAUSE_S = 0.002


def on_the_current_version(
    change: Callable[[bool], T],
    *,
    expected_version: int | None,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``change`` (a whole unit of work); without an expected version, again after each lost race.

    ``change`` is told whether an earlier attempt lost a race (then it holds what it reads until the commit).
    After ``attempts`` lost races the conflict is reported, naming no version: the caller gave none.
    """
    if expected_version is not None:
        return change(False)
    for attempt in range(attempts - 1):
        try:
            return change(attempt > 0)
        except VersionConflict:
            sleep(random.uniform(0.5, 1.0) * FIRST_PAUSE_S * 2**attempt)
    try:
        return change(attempts > 1)
    except VersionConflict as conflict:
        raise VersionConflict(conflict.kind, conflict.ref, None, conflict.current, attempts=attempts) from conflict
