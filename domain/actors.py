"""Who acts, and the pure rules of who may read and change what (no store: the facts come as arguments).

``application.access.permissions`` is the one place callers ask; it applies these rules and adds what needs the store.
An idea checks its own changes (``Idea.move``, ``Idea.note``) with ``Actor.coordinates`` and its service.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import PermissionDenied
from domain.values import Language, Role

# Every panel's ideas, meetings and outbox: a manager (who changes nothing) and the operator.
READS_EVERY_PANEL = frozenset({Role.MANAGER, Role.OPERATOR})
# Members' names and addresses, also inside a mail server's reply: their coordinators and the operator.
READS_PERSONAL_DATA = frozenset({Role.COORDINATOR, Role.OPERATOR})
# Who moves and notes ideas at all (each idea then checks its own panel and service): a manager only reads.
CHANGES_IDEAS = frozenset({Role.COORDINATOR, Role.SERVICE_OWNER, Role.OPERATOR})


@dataclass(frozen=True)
class Actor:
    """A staff member (or the local operator) reading or changing something.

    A coordinator reads and changes the panels in ``panel_ids``; a service owner the ideas of
    ``service_id`` (and reads its panel's meetings); a manager reads everything and changes nothing;
    the operator (the command line without ``--as``) may do everything.
    """

    name: str
    role: Role
    panel_ids: frozenset[int] = frozenset()
    service_id: int | None = None
    # The user's saved UI language (fi/sv/en), None when not chosen (and for the operator).
    language: Language | None = None

    @classmethod
    def operator(cls) -> Actor:
        return cls(name="operator", role=Role.OPERATOR)

    @property
    def reads_every_panel(self) -> bool:
        return self.role in READS_EVERY_PANEL

    @property
    def reads_personal_data(self) -> bool:
        """Members' names and addresses (each read also keeps a coordinator to their own panels)."""
        return self.role in READS_PERSONAL_DATA

    @property
    def changes_ideas(self) -> bool:
        return self.role in CHANGES_IDEAS

    def coordinates(self, panel_id: int) -> bool:
        return self.role is Role.OPERATOR or (self.role is Role.COORDINATOR and panel_id in self.panel_ids)

    def require_coordinator(self, panel_id: int) -> None:
        if not self.coordinates(panel_id):
            raise PermissionDenied(self.name, f"is not a coordinator of panel {panel_id}")

    def may_read_idea(self, *, panel_id: int, service_id: int | None) -> bool:
        """A coordinator reads their panels' ideas, a service owner those sent to their service."""
        if self.reads_every_panel:
            return True
        if self.role is Role.COORDINATOR:
            return panel_id in self.panel_ids
        return self.role is Role.SERVICE_OWNER and self.service_id is not None and service_id == self.service_id
