"""When a change is redone: only without an expected version, only after a lost race, a bounded number of times."""

from __future__ import annotations

import pytest

from application.ideas.retry import ATTEMPTS, on_the_current_version
from domain.errors import InvalidTransition, VersionConflict


class Racer:
    """A change that loses the race to save ``losses`` times (as the guarded save reports it), then lands."""

    def __init__(self, losses: int) -> None:
        self.losses = losses
        self.holds: list[bool] = []

    def __call__(self, hold: bool) -> str:
        self.holds.append(hold)
        if len(self.holds) <= self.losses:
            # What SqlAlchemyIdeas.save raises: the version this attempt loaded, not one the caller gave.
            raise VersionConflict("idea", 3, len(self.holds), len(self.holds) + 1)
        return "saved"


def test_a_change_without_a_version_that_lost_races_is_redone_holding_the_idea_until_it_lands() -> None:
    pauses: list[float] = []
    change = Racer(losses=2)

    assert on_the_current_version(change, expected_version=None, sleep=pauses.append) == "saved"

    assert change.holds == [False, True, True]  # the first attempt holds nothing
    assert len(pauses) == 2
    assert 0 < pauses[0] < pauses[1] < 0.01


def test_a_change_that_keeps_losing_is_reported_after_the_last_attempt_naming_no_version() -> None:
    pauses: list[float] = []
    change = Racer(losses=ATTEMPTS)

    with pytest.raises(VersionConflict) as caught:
        on_the_current_version(change, expected_version=None, sleep=pauses.append)

    assert len(change.holds) == ATTEMPTS == 10
    assert len(pauses) == ATTEMPTS - 1
    assert sum(pauses) < 1.1  # bounded: about a second at most
    conflict = caught.value
    assert (conflict.expected, conflict.current, conflict.attempts, conflict.field) == (None, ATTEMPTS + 1, 10, "idea")
    assert str(conflict) == (
        "idea: idea 3 was changed by others while this change was being saved (tried 10 times); "
        "nothing was changed, try again"
    )
    assert "version" not in str(conflict)


def test_a_change_with_an_expected_version_is_not_redone_and_its_conflict_names_that_version() -> None:
    pauses: list[float] = []
    change = Racer(losses=1)

    with pytest.raises(VersionConflict) as caught:
        on_the_current_version(change, expected_version=1, sleep=pauses.append)

    assert change.holds == [False]
    assert pauses == []
    assert str(caught.value) == "expected_version: idea 3 was expected at version 1; it is now at version 2"


def test_other_refusals_are_not_redone() -> None:
    calls: list[bool] = []

    def change(hold: bool) -> str:
        calls.append(hold)
        raise InvalidTransition("declined", "in_progress", ())

    with pytest.raises(InvalidTransition):
        on_the_current_version(change, expected_version=None, sleep=lambda _: None)

    assert calls == [False]
