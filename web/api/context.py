"""What every API route needs: units of work, the clock, and the authenticated actor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from web.api.auth import actor_dependency


@dataclass(frozen=True)
class ApiContext:
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    current_actor: Callable[..., Actor] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "current_actor", actor_dependency(self.uow_factory, self.clock))


def command(cls: type[Any], *, acknowledge_health: bool, **values: Any) -> Any:
    """Build a use case command, passing ``acknowledge_health`` only to commands that take it."""
    if acknowledge_health and "acknowledge_health" in {f.name for f in fields(cls)}:
        values["acknowledge_health"] = True
    return cls(**values)
