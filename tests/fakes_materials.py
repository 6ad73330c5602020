"""Fakes of the materials kept as files: their rows in the fake unit of work, their bytes in memory."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from domain.errors import NotFound
from domain.meeting_files import MeetingFile


class FakeMeetingFiles:
    def __init__(self, uow: Any) -> None:
        self._uow = uow  # a FakeUnitOfWork: its ``data.meeting_files`` is the table

    @property
    def _rows(self) -> dict[int, MeetingFile]:
        rows: dict[int, MeetingFile] = self._uow.data.meeting_files
        return rows

    def add(self, file: MeetingFile) -> MeetingFile:
        if file.meeting_id not in self._uow.data.meetings:
            raise NotFound("meeting", file.meeting_id)
        stored = replace(file, id=self._uow.data.next_id("meeting_files"))
        self._rows[stored.stored_id] = stored
        return stored

    def get(self, file_id: int) -> MeetingFile:
        try:
            return self._rows[file_id]
        except KeyError:
            raise NotFound("file", file_id) from None

    def of_meeting(self, meeting_id: int) -> list[MeetingFile]:
        return [f for _, f in sorted(self._rows.items()) if f.meeting_id == meeting_id]

    def remove(self, file_id: int) -> None:
        self._rows.pop(file_id, None)


class FakeFileStore:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def put(self, content: bytes) -> str:
        name = secrets.token_hex(16)
        self.files[name] = bytes(content)
        return name

    def read(self, stored_name: str) -> bytes:
        try:
            return self.files[stored_name]
        except KeyError:
            raise NotFound("file", stored_name) from None

    def remove(self, stored_name: str) -> None:
        self.files.pop(stored_name, None)
