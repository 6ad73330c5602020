"""Material files: the type told by content (never by the name), the checks of an upload, and the use cases over
the fakes (a refused file leaves nothing, only the panel's active members open a file, "Send now" is once)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest

from application.commands import AddMember, AddService, AddUser, CreatePanel, ScheduleMeeting, UpdateMeeting
from application.meetings.changes import schedule_meeting, update_meeting
from application.meetings.file_types import sniff
from application.meetings.materials import (
    UploadMaterial,
    add_material_link,
    member_material,
    remove_material_file,
    upload_material,
)
from application.meetings.prebriefs import prebrief_payload, send_due_prebriefs, send_prebrief
from application.people.roster import add_member, add_service, add_user, create_panel
from domain.errors import InvalidValue, NotFound, PermissionDenied
from domain.meeting_files import (
    DOCX,
    JPEG,
    ODT,
    PDF,
    PNG,
    PPTX,
    XLSX,
    clean_filename,
    material_file,
)
from domain.values import Role
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork
from tests.fakes_materials import FakeFileStore

COORD = "coord@example.fi"
OTHER = "other@example.fi"


def package(*parts: tuple[str, str], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), stored_first)
        for name, text in parts:
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a.pdf", PDF),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "kuva.png", PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "kuva.jpg", JPEG),
        (package(("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w/>")), "muistio.docx", DOCX),
        (package(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<x/>")), "taulu.xlsx", XLSX),
        (package(("[Content_Types].xml", "<Types/>"), ("ppt/presentation.xml", "<p/>")), "esitys.pptx", PPTX),
        (package(("content.xml", "<c/>"), stored_first="application/vnd.oasis.opendocument.text"), "a.odt", ODT),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "vanha.doc", "application/msword"),
        # The name says PDF: the content decides.
        (b"%PDF-1.4\n", "kuva.png", PDF),
    ],
)
def test_a_file_is_told_by_its_content(content: bytes, name: str, expected: str) -> None:
    assert sniff(content, name) == expected


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00", "ohje.pdf"),  # a Windows program named as a PDF
        (b"\x7fELF\x02\x01\x01", "ohje.pdf"),
        (b"<html><script>alert(1)</script></html>", "ohje.pdf"),
        (b"#!/bin/sh\nrm -rf /\n", "ohje.docx"),
        (package(("virus.exe", "MZ")), "ohje.docx"),  # a zip, but no Office package
        (package(("[Content_Types].xml", "<Types/>")), "ohje.docx"),  # a package of no kind taken
        (package(("content.xml", "<c/>"), stored_first="application/x-evil"), "a.odt"),
        (b"PK\x03\x04broken", "ohje.xlsx"),  # cut short
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ohje.exe"),  # an old Office container under another name
        (b"", "tyhja.pdf"),
    ],
)
def test_anything_else_is_not_taken(content: bytes, name: str) -> None:
    assert sniff(content, name) is None


def checked(content: bytes, name: str = "ohje.pdf", *, title: str = "", max_bytes: int = 1000):
    return material_file(
        meeting_id=1,
        title=title,
        filename=name,
        content=content,
        content_type=sniff(content, name),
        sha256=hashlib.sha256(content).hexdigest(),
        stored_name="",
        max_bytes=max_bytes,
        actor=COORD,
        at=FixedClock().now(),
    )


def test_an_upload_is_refused_for_its_size_emptiness_and_type_naming_the_file_field() -> None:
    for content, words in ((b"%PDF-" + b"0" * 1000, "at most 1000"), (b"", "empty"), (b"MZ", "not a PDF")):
        with pytest.raises(InvalidValue) as caught:
            checked(content)
        assert caught.value.field == "file"
        assert words in caught.value.reason


def test_a_file_without_a_title_is_named_by_its_name_and_keeps_no_path() -> None:
    made = checked(b"%PDF-1.4", "C:\\Users\\aino\\Ohjeet\\Ajanvaraus.pdf")
    assert (made.filename, made.title, made.content_type, made.size) == ("Ajanvaraus.pdf", "Ajanvaraus", PDF, 8)
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("...") == "material"
    assert clean_filename("a\r\nb.pdf") == "ab.pdf"


# --- The use cases over the fakes --------------------------------------------------------------------------


@pytest.fixture
def world() -> tuple[FakeUnitOfWork, FixedClock, int, list[int], int]:
    """Panel A's meeting (ready for its pre-brief), its two members (one of them left), and panel B's member."""
    uow, clock = FakeUnitOfWork(), FixedClock()
    for name in ("A", "B"):
        create_panel(CreatePanel(name), uow=uow, clock=clock)
    add_user(AddUser(COORD, Role.COORDINATOR, panel="A"), uow=uow, clock=clock)
    add_user(AddUser(OTHER, Role.COORDINATOR, panel="B"), uow=uow, clock=clock)
    add_service(AddService("Suu", panel="A"), uow=uow, clock=clock)
    members = [
        add_member(AddMember("A", name, f"{name.lower()}@example.fi"), uow=uow, clock=clock).stored_id
        for name in ("Aino", "Bengt")
    ]
    foreign = add_member(AddMember("B", "Chris", "chris@example.fi"), uow=uow, clock=clock).stored_id
    with uow:
        uow.members.set_active(members[1], False)
        uow.commit()
    meeting = schedule_meeting(
        ScheduleMeeting("A", starts_at=clock.now() + timedelta(days=21), service="Suu", tasks=("Kysymys",)),
        uow=uow,
        clock=clock,
    )
    update_meeting(UpdateMeeting(meeting.stored_id, place="Sali 2"), uow=uow, clock=clock)
    return uow, clock, meeting.stored_id, [*members, foreign], meeting.stored_id


def test_a_refused_upload_keeps_no_bytes_and_no_row(world) -> None:
    uow, clock, meeting_id, _, _ = world
    store = FakeFileStore()
    with pytest.raises(InvalidValue):
        upload_material(UploadMaterial(meeting_id, "", "x.pdf", b"MZ", COORD), uow=uow, files=store, clock=clock,
                        max_bytes=100)  # fmt: skip
    with pytest.raises(PermissionDenied):
        upload_material(UploadMaterial(meeting_id, "", "x.pdf", b"%PDF-1", OTHER), uow=uow, files=store, clock=clock,
                        max_bytes=100)  # fmt: skip
    assert store.files == {}
    with uow:
        assert uow.meeting_files.of_meeting(meeting_id) == []


def test_only_the_panels_active_members_open_a_file_and_a_removed_one_is_gone(world) -> None:
    uow, clock, meeting_id, (aino, bengt, chris), _ = world
    store = FakeFileStore()
    added = upload_material(
        UploadMaterial(meeting_id, "Ohje", "ohje.pdf", b"%PDF-1.4 ohje", COORD), uow=uow, files=store, clock=clock,
        max_bytes=100,
    )  # fmt: skip
    found, content = member_material(aino, added.stored_id, uow=uow, files=store)
    assert (found.title, content) == ("Ohje", b"%PDF-1.4 ohje")
    for refused in (bengt, chris):  # left the panel; another panel's member
        with pytest.raises(PermissionDenied):
            member_material(refused, added.stored_id, uow=uow, files=store)
    remove_material_file(meeting_id, added.stored_id, actor=COORD, uow=uow, files=store, clock=clock)
    assert store.files == {}
    with pytest.raises(NotFound):
        member_material(aino, added.stored_id, uow=uow, files=store)


def test_the_pre_brief_lists_links_then_files_and_is_sent_once(world) -> None:
    uow, clock, meeting_id, _, _ = world
    store = FakeFileStore()
    add_material_link(meeting_id, title="Omaolo", url="https://www.omaolo.fi", actor=COORD, uow=uow, clock=clock)
    added = upload_material(
        UploadMaterial(meeting_id, "Ohje", "ohje.pdf", b"%PDF-1.4", COORD), uow=uow, files=store, clock=clock,
        max_bytes=100,
    )  # fmt: skip
    with uow:
        meeting = uow.meetings.get(meeting_id)
        panel = uow.panels.by_id(meeting.panel_id)
        materials = prebrief_payload(meeting, panel, uow=uow, coordinators=[])["materials"]
    assert [(m["title"], m["url"], m.get("file_id")) for m in materials] == [
        ("Omaolo", "https://www.omaolo.fi", None),
        ("Ohje", None, added.id),
    ]
    first = send_prebrief(meeting_id, actor=COORD, uow=uow, clock=clock)
    assert (first.sent, first.queued) == ([meeting_id], 1)  # Aino; Bengt has left
    again = send_prebrief(meeting_id, actor=COORD, uow=uow, clock=clock)
    assert (again.sent, again.queued) == ([], 0)
    clock.advance(days=20)
    assert send_due_prebriefs(uow_factory=lambda: uow, clock=clock).queued == 0
    with pytest.raises(PermissionDenied):
        send_prebrief(meeting_id, actor=OTHER, uow=uow, clock=clock)
