"""Who acts: staff users as the domain sees them, and the permission rules on ideas."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import PermissionDenied
from domain.values import Role


@dataclass(frozen=True)
class Actor:
    """A staff member (or the local operator) performing a change.

    A coordinator acts on the panels in ``panel_ids``; a service owner on ideas of
    ``service_id``; a manager only reads; the operator (the command line without
    ``--as``) may do everything.
    """

    name: str
    role: Role
    panel_ids: frozenset[int] = frozenset()
    service_id: int | None = None

    @classmethod
    def operator(cls) -> Actor:
        return cls(name="operator", role=Role.OPERATOR)

    def coordinates(self, panel_id: int) -> bool:
        return self.role is Role.OPERATOR or (self.role is Role.COORDINATOR and panel_id in self.panel_ids)

    def require_coordinator(self, panel_id: int) -> None:
        if not self.coordinates(panel_id):
            raise PermissionDenied(self.name, f"is not a coordinator of panel {panel_id}")
