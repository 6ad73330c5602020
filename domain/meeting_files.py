"""Files uploaded as a meeting's materials: what is kept of one, the kinds taken, and the checks of an upload (its
kind is told by its content, in application/meetings/file_types.py, never by the name or the browser)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidValue, PermissionDenied
from domain.values import MAX_TITLE, single_line

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
# The older binary Office formats share one container (OLE2); the name's ending tells which program opens it.
LEGACY_OFFICE = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}
ACCEPTED = frozenset({PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS, ODP, *LEGACY_OFFICE.values()})
MAX_FILENAME = 200
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class MeetingFile:
    """A material kept as a file: its stored name is random, so no name a person gave reaches the file system."""

    id: int | None
    meeting_id: int
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    stored_name: str
    uploaded_at: datetime
    uploaded_by: str

    @property
    def stored_id(self) -> int:
        if self.id is None:
            raise ValueError("the file is not stored yet")
        return self.id


def clean_filename(filename: str) -> str:
    """The name a download is offered under: the last part of what the browser sent, on one line."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base[:MAX_FILENAME] or "material"


def material_file(
    *,
    meeting_id: int,
    title: str,
    filename: str,
    content: bytes,
    content_type: str | None,
    sha256: str,
    stored_name: str,
    max_bytes: int,
    actor: str,
    at: datetime,
) -> MeetingFile:
    """Check an upload and describe it; ``content_type`` is what its content was found to be (None: nothing taken).
    ``InvalidValue("file", …)`` names why a file is refused."""
    if not content:
        raise InvalidValue("file", "is empty")
    if len(content) > max_bytes:
        raise InvalidValue("file", f"is {len(content)} bytes; at most {max_bytes}")
    name = clean_filename(filename)
    kind = content_type if content_type in ACCEPTED else None
    if kind is None:
        raise InvalidValue("file", "is not a PDF, an Office document or a PNG or JPEG image by its content")
    shown = title.strip() or name.rsplit(".", 1)[0] or name
    return MeetingFile(
        id=None,
        meeting_id=meeting_id,
        title=single_line(shown[:MAX_TITLE] if not title.strip() else shown, field="title", maximum=MAX_TITLE),
        filename=name,
        content_type=kind,
        size=len(content),
        sha256=sha256,
        stored_name=stored_name,
        uploaded_at=at,
        uploaded_by=actor,
    )


def require_member_may_open(*, member_panel_id: int, member_active: bool, meeting_panel_id: int, member: int) -> None:
    """A material's file opens for the meeting's panel's active members only (a signed link is not enough: a
    member who left, or a link passed on to another panel's member, opens nothing)."""
    if not member_active or member_panel_id != meeting_panel_id:
        raise PermissionDenied(f"member {member}", "may not open this panel's materials")
