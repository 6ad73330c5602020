"""The meeting files' rows (SQLAlchemy) and their bytes in the data folder (``LocalFileStore``)."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.errors import NotFound
from domain.meeting_files import MeetingFile
from persistence.meeting_files_tables import MeetingFileRow

_STORED_NAME = re.compile(r"[0-9a-f]{32}\Z")


class SqlAlchemyMeetingFiles:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, file: MeetingFile) -> MeetingFile:
        row = MeetingFileRow(
            meeting_id=file.meeting_id,
            title=file.title,
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            stored_name=file.stored_name,
            uploaded_at=file.uploaded_at,
            uploaded_by=file.uploaded_by,
        )
        self.session.add(row)
        self.session.flush()
        return _file(row)

    def get(self, file_id: int) -> MeetingFile:
        row = self.session.get(MeetingFileRow, file_id)
        if row is None:
            raise NotFound("file", file_id)
        return _file(row)

    def of_meeting(self, meeting_id: int) -> list[MeetingFile]:
        query = select(MeetingFileRow).where(MeetingFileRow.meeting_id == meeting_id).order_by(MeetingFileRow.id)
        return [_file(row) for row in self.session.scalars(query)]

    def remove(self, file_id: int) -> None:
        self.session.execute(delete(MeetingFileRow).where(MeetingFileRow.id == file_id))


def _file(row: MeetingFileRow) -> MeetingFile:
    return MeetingFile(
        id=row.id,
        meeting_id=row.meeting_id,
        title=row.title,
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        stored_name=row.stored_name,
        uploaded_at=row.uploaded_at,
        uploaded_by=row.uploaded_by,
    )


class LocalFileStore:
    """Files in one folder (``RAATI_DATA_DIR/files``), each under 32 random hex digits, readable by the owner only."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def _path(self, stored_name: str) -> Path:
        if not _STORED_NAME.match(stored_name):  # never a path a caller made up
            raise NotFound("file", stored_name)
        return self.directory / stored_name

    def put(self, content: bytes) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(16)
        path = self._path(name)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        return name

    def read(self, stored_name: str) -> bytes:
        try:
            return self._path(stored_name).read_bytes()
        except FileNotFoundError:
            raise NotFound("file", stored_name) from None

    def remove(self, stored_name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(stored_name).unlink()
