"""Ports of the materials kept as files: their rows (in the unit of work) and the bytes (a file store)."""

from __future__ import annotations

from typing import Protocol

from domain.meeting_files import MeetingFile


class MeetingFileRepository(Protocol):
    def add(self, file: MeetingFile) -> MeetingFile:
        """Keep a new file's row; gives it its id."""
        ...

    def get(self, file_id: int) -> MeetingFile:
        """The file's row; ``NotFound`` if there is none."""
        ...

    def of_meeting(self, meeting_id: int) -> list[MeetingFile]:
        """The meeting's files in the order they were uploaded."""
        ...

    def remove(self, file_id: int) -> None: ...


class FileStore(Protocol):
    """Where the bytes are kept, each under a random name the store chooses."""

    def put(self, content: bytes) -> str:
        """Keep the bytes; returns the name they are kept under."""
        ...

    def read(self, stored_name: str) -> bytes: ...

    def remove(self, stored_name: str) -> None:
        """Forget the bytes; a name already gone is no error."""
        ...
