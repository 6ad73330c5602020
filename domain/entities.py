"""The rule for new, unsaved entities: an entity has no id until a repository stores it, and every
entity read back from one has its id. ``stored_id`` says so in one place instead of ``or 0`` and asserts.
"""

from __future__ import annotations


class Unsaved(Exception):
    """An entity was used as stored before it was stored: a bug in Raati, never bad input from a person.

    Entry points do not map it to a 4xx or an exit code 2: it is reported as the internal error it is.
    """

    def __init__(self, entity: str) -> None:
        self.entity = entity
        super().__init__(f"{entity} has not been stored yet, so it has no id")


class Entity:
    """A stored thing with an ``id``: None while new, set by the repository that stores it."""

    id: int | None

    @property
    def stored_id(self) -> int:
        """The id of an entity that has been stored; raises Unsaved for a new one."""
        if self.id is None:
            raise Unsaved(type(self).__name__)
        return self.id
