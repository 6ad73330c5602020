"""Use cases for a meeting's materials: links (the same change as ``raati meeting update --material``) and files
(uploaded by a coordinator, downloaded by the panel's staff and, by a signed link, by its active members)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from application.access import permissions
from application.access.identity import resolve_actor
from application.commands import UpdateMeeting
from application.meetings.changes import update_meeting
from application.meetings.file_types import sniff
from application.ports.meeting_files import FileStore
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.actors import Actor
from domain.errors import InvalidValue, NotFound
from domain.events import Aggregate, EventType
from domain.meeting_files import MeetingFile, material_file, require_member_may_open
from domain.meetings import Meeting


@dataclass(frozen=True)
class UploadMaterial:
    meeting_id: int
    title: str
    filename: str
    content: bytes
    actor: str | None = None


@dataclass(frozen=True)
class Materials:
    """A meeting's materials as its page shows them: links and files, and whether the reader may change them."""

    meeting: Meeting
    files: list[MeetingFile]
    coordinates: bool


def meeting_materials(actor: Actor, meeting_id: int, *, uow: UnitOfWork) -> Materials:
    with uow:
        meeting = uow.meetings.get(meeting_id)
        permissions.require_may_read_meeting(actor, meeting, uow=uow)
        return Materials(meeting, uow.meeting_files.of_meeting(meeting_id), actor.coordinates(meeting.panel_id))


def add_material_link(
    meeting_id: int, *, title: str, url: str, actor: str | None, uow: UnitOfWork, clock: Clock
) -> Meeting:
    """One link more: the meeting's materials as they are, and this one, through ``update_meeting``."""
    if not title.strip():
        raise InvalidValue("material_title", "required")
    if not url.strip():
        raise InvalidValue("material_url", "required")
    with uow:
        current = [(m.title, m.url) for m in uow.meetings.get(meeting_id).materials]
    command = UpdateMeeting(meeting_id=meeting_id, materials=(*current, (title.strip(), url.strip())), actor=actor)
    return update_meeting(command, uow=uow, clock=clock)


def remove_material_link(
    meeting_id: int, position: int, *, actor: str | None, uow: UnitOfWork, clock: Clock
) -> Meeting:
    with uow:
        current = [(m.title, m.url) for m in uow.meetings.get(meeting_id).materials]
    if not 0 <= position < len(current):
        raise NotFound("material", position)
    del current[position]
    return update_meeting(
        UpdateMeeting(meeting_id=meeting_id, materials=tuple(current), actor=actor), uow=uow, clock=clock
    )


def upload_material(
    cmd: UploadMaterial, *, uow: UnitOfWork, files: FileStore, clock: Clock, max_bytes: int
) -> MeetingFile:
    """Keep a checked file and its row together: the bytes are written first and removed again if the row is not
    committed, so a refused or failed upload leaves nothing behind."""
    now = clock.now()
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        meeting = uow.meetings.get(cmd.meeting_id)
        actor.require_coordinator(meeting.panel_id)
        checked = material_file(
            meeting_id=meeting.stored_id,
            title=cmd.title,
            filename=cmd.filename,
            content=cmd.content,
            content_type=sniff(cmd.content, cmd.filename),
            sha256=hashlib.sha256(cmd.content).hexdigest(),
            stored_name="",
            max_bytes=max_bytes,
            actor=actor.name,
            at=now,
        )
        stored_name = files.put(cmd.content)
        try:
            added = uow.meeting_files.add(replace(checked, stored_name=stored_name))
            seq = uow.events.next_seq(Aggregate.MEETING, meeting.stored_id)
            uow.events.append([meeting.record(EventType.UPDATED, seq=seq, actor=actor.name, at=now,
                                              fields=["files"], file_id=added.id)])  # fmt: skip
            uow.commit()
        except BaseException:
            files.remove(stored_name)
            raise
        return added


def remove_material_file(
    meeting_id: int, file_id: int, *, actor: str | None, uow: UnitOfWork, files: FileStore, clock: Clock
) -> MeetingFile:
    with uow:
        who = resolve_actor(uow, actor)
        meeting = uow.meetings.get(meeting_id)
        who.require_coordinator(meeting.panel_id)
        gone = _file_of(uow, meeting_id, file_id)
        uow.meeting_files.remove(file_id)
        seq = uow.events.next_seq(Aggregate.MEETING, meeting_id)
        uow.events.append([meeting.record(EventType.UPDATED, seq=seq, actor=who.name, at=clock.now(),
                                          fields=["files"], removed_file_id=file_id)])  # fmt: skip
        uow.commit()
    files.remove(gone.stored_name)  # after the commit: a failed commit keeps the file its row still names
    return gone


def staff_material(
    actor: Actor, meeting_id: int, file_id: int, *, uow: UnitOfWork, files: FileStore
) -> tuple[MeetingFile, bytes]:
    """A file of a meeting the actor may read, with its bytes."""
    with uow:
        meeting = uow.meetings.get(meeting_id)
        permissions.require_may_read_meeting(actor, meeting, uow=uow)
        found = _file_of(uow, meeting_id, file_id)
    return found, files.read(found.stored_name)


def member_material(member_id: int, file_id: int, *, uow: UnitOfWork, files: FileStore) -> tuple[MeetingFile, bytes]:
    """A file for a member of the meeting's panel who is active (the link's signature is checked before)."""
    with uow:
        member = uow.members.get(member_id)
        found = uow.meeting_files.get(file_id)
        meeting = uow.meetings.get(found.meeting_id)
        require_member_may_open(member_panel_id=member.panel_id, member_active=member.active,
                                meeting_panel_id=meeting.panel_id, member=member_id)  # fmt: skip
    return found, files.read(found.stored_name)


def _file_of(uow: UnitOfWork, meeting_id: int, file_id: int) -> MeetingFile:
    found = uow.meeting_files.get(file_id)
    if found.meeting_id != meeting_id:
        raise NotFound("file", file_id)
    return found
