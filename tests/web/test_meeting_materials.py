"""Meeting materials in the browser: a coordinator uploads a file (its type told by content, its size limited) or adds
a link; the pre-brief, delivered through a real SMTP server, carries each member a link signed for them that
downloads the very bytes; another panel's member, a tampered link and a removed file get the members' page."""

from __future__ import annotations

import asyncio
import email
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from application.commands import UpdateMeeting
from application.delivery import dispatch
from application.meetings.changes import update_meeting
from notifications.composer import MailComposer
from notifications.links import LinkSigner, material_url
from notifications.outbox import OutboxStatus
from notifications.render import Renderer
from notifications.smtp import SmtpTransport
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_session_factory
from persistence.meeting_files import LocalFileStore
from tests.api.conftest import COORD, COORD_OTHER, OWNER, World
from tests.delivery.conftest import RULES, Inbox
from tests.smtp.servers import client_settings, smtp_server
from tests.web.conftest import LEAKS, Signed, csrf, visible
from web.app import create_app
from web.pages.meeting_materials import MaterialsWiring

pytestmark = pytest.mark.slow

BASE_URL = "http://127.0.0.1"
MAX_BYTES = 64 * 1024
# A tiny PDF that opens: a header, one empty page, the cross-reference table and the trailer.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# A Windows program's first bytes, under a PDF's name.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def composer_for(signer: LinkSigner, clock) -> MailComposer:
    return MailComposer(
        renderer=Renderer(base_url=BASE_URL),
        signer=signer,
        sender="Raati <raati@raati.test>",
        base_url=BASE_URL,
        mail_domain="raati.test",
        clock=clock,
    )


@pytest.fixture
def files_dir(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def app(uow_factory, clock, link_signer: LinkSigner, files_dir: Path):
    store = LocalFileStore(files_dir)
    wiring = MaterialsWiring(
        files=lambda: store, composer=lambda: composer_for(link_signer, clock), max_bytes=MAX_BYTES
    )
    return create_app(uow_factory=uow_factory, clock=clock, signer=lambda: link_signer, materials=wiring)


@pytest.fixture
def ready(world: World, uow_factory, clock) -> World:
    """The panel A meeting with a place, so that its pre-brief can go out."""
    update_meeting(UpdateMeeting(meeting_id=world.meeting_a, place="Kirjasto, sali 2"), uow=uow_factory(), clock=clock)
    return world


def upload(client: TestClient, meeting_id: int, name: str, content: bytes, title: str = "") -> object:
    page = client.get(f"/meetings/{meeting_id}/materials")
    assert page.status_code == 200, page.text
    return client.post(
        f"/meetings/{meeting_id}/materials/file",
        data={"csrf_token": csrf(page.text), "file_title": title},
        files={"file": (name, content, "application/pdf")},
    )


def send_now(client: TestClient, meeting_id: int):
    page = client.get(f"/meetings/{meeting_id}/prebrief")
    assert page.status_code == 200, page.text
    return client.post(f"/meetings/{meeting_id}/prebrief/send", data={"csrf_token": csrf(page.text)})


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with smtp_server(handler) as server:
        yield handler, server.port


def deliver(engine, signer: LinkSigner, clock, port: int) -> None:
    asyncio.run(
        dispatch(
            queue=SqlAlchemyDeliveryQueue(make_session_factory(engine)),
            transport=SmtpTransport(client_settings(port)),
            composer=composer_for(signer, clock),
            clock=clock,
            rules=RULES,
            jitter=lambda: 0.5,
        )
    )


def parsed(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_pdf_reaches_each_member_by_a_link_of_their_own(
    ready: World, signed_in: Signed, engine, link_signer, clock, inbox, uow_factory
) -> None:
    coordinator = signed_in(COORD, "en")
    answer = upload(coordinator, ready.meeting_a, "Ohje.pdf", PDF, title="Ajanvarausohje")
    assert answer.status_code == 303, answer.text
    listed = coordinator.get(f"/meetings/{ready.meeting_a}/materials")
    assert "Ajanvarausohje" in visible(listed.text)
    assert "Ohje.pdf" in visible(listed.text)
    assert not LEAKS.search(visible(listed.text))

    assert send_now(coordinator, ready.meeting_a).status_code == 303
    handler, port = inbox
    deliver(engine, link_signer, clock, port)

    mails = {next(iter(r.rcpt_tos)): parsed(r.raw) for r in handler.received}
    assert {"aino@example.org", "bengt@example.org"} <= set(mails)
    want = hashlib.sha256(PDF).hexdigest()
    links = {}
    for address in ("aino@example.org", "bengt@example.org"):
        text = text_of(mails[address])
        found = re.search(r"http://127\.0\.0\.1(/m/(\d+)/materials/(\d+)\?token=[A-Za-z0-9_-]+)", text)
        assert found, text
        links[address] = found.group(1)
        member = TestClient(coordinator.app, base_url=BASE_URL)  # a member's browser: no session
        got = member.get(found.group(1))
        assert got.status_code == 200
        assert hashlib.sha256(got.content).hexdigest() == want
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-disposition"].startswith("attachment;")
    assert links["aino@example.org"] != links["bengt@example.org"]  # signed for each member

    # Staff of the panel download it from the meeting; the owner of one of its services reads the meeting too.
    file_id = int(re.search(r"/materials/(\d+)\?", links["aino@example.org"]).group(1))  # type: ignore[union-attr]
    staff = coordinator.get(f"/meetings/{ready.meeting_a}/materials/{file_id}")
    assert staff.status_code == 200
    assert hashlib.sha256(staff.content).hexdigest() == want
    other = signed_in(COORD_OTHER, "en").get(f"/meetings/{ready.meeting_a}/materials/{file_id}")
    assert other.status_code == 403
    assert "<html" in other.text.lower()


def test_a_foreign_or_tampered_link_opens_nothing(ready: World, signed_in: Signed, link_signer, uow_factory) -> None:
    coordinator = signed_in(COORD, "fi")
    assert upload(coordinator, ready.meeting_a, "ohje.pdf", PDF).status_code == 303
    with uow_factory() as uow:
        (file,) = uow.meeting_files.of_meeting(ready.meeting_a)
        members = {m.name: m.stored_id for m in uow.members.for_panel(ready.panel_a)}
        chris = uow.members.for_panel(ready.panel_b)[0].stored_id
    browser = TestClient(coordinator.app, base_url=BASE_URL, headers={"Accept-Language": "fi"})
    # Chris belongs to panel B: even a genuinely signed link does not open panel A's file.
    foreign = urlsplit(material_url(link_signer, BASE_URL, chris, file.stored_id))
    answer = browser.get(f"{foreign.path}?{foreign.query}")
    assert answer.status_code == 403
    assert "Linkki ei ole voimassa" in answer.text
    assert "{" not in visible(answer.text)
    genuine = urlsplit(material_url(link_signer, BASE_URL, members["Aino Asukas"], file.stored_id))
    tampered = f"{genuine.path}?{genuine.query[:-2]}xx"
    assert browser.get(tampered).status_code == 403
    # Aino's link for another member id, or for another file, is not genuine either.
    swapped = genuine.path.replace(f"/m/{members['Aino Asukas']}/", f"/m/{chris}/")
    assert browser.get(f"{swapped}?{genuine.query}").status_code == 403
    assert browser.get(f"{genuine.path}?token=").status_code == 403
    assert browser.get(f"{genuine.path}?{genuine.query}").status_code == 200
    # Removed: the link now leads to the members' page, not to an error body.
    page = coordinator.get(f"/meetings/{ready.meeting_a}/materials")
    removed = coordinator.post(
        f"/meetings/{ready.meeting_a}/materials/{file.stored_id}/remove", data={"csrf_token": csrf(page.text)}
    )
    assert removed.status_code == 303
    gone = browser.get(f"{genuine.path}?{genuine.query}")
    assert gone.status_code == 404
    assert "Linkki ei ole voimassa" in gone.text


def test_a_program_named_pdf_is_refused_by_its_content(ready: World, signed_in: Signed, files_dir: Path) -> None:
    coordinator = signed_in(COORD, "en")
    answer = upload(coordinator, ready.meeting_a, "ohje.pdf", EXE)
    assert answer.status_code == 422
    shown = visible(answer.text)
    assert "“ohje.pdf” is not a PDF" in shown
    assert 'aria-invalid="true"' in answer.text
    assert 'id="f-file"' in answer.text
    assert not LEAKS.search(shown)
    assert not files_dir.exists() or not any(files_dir.iterdir())  # nothing stored


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
    ready: World, signed_in: Signed, files_dir: Path, uow_factory
) -> None:
    coordinator = signed_in(COORD, "fi")
    answer = upload(coordinator, ready.meeting_a, "iso.pdf", PDF + b"0" * MAX_BYTES)
    assert answer.status_code == 422
    assert "”iso.pdf” on suurempi kuin 64,0 kt" in visible(answer.text)
    assert 'aria-invalid="true"' in answer.text
    with uow_factory() as uow:
        assert uow.meeting_files.of_meeting(ready.meeting_a) == []
    assert not files_dir.exists() or not any(files_dir.iterdir())


def test_an_office_document_is_taken_and_a_link_added_as_raati_meeting_update_does(
    ready: World, signed_in: Signed, uow_factory
) -> None:
    coordinator = signed_in(COORD, "sv")
    assert upload(coordinator, ready.meeting_a, "muistio.docx", docx()).status_code == 303
    page = coordinator.get(f"/meetings/{ready.meeting_a}/materials")
    added = coordinator.post(
        f"/meetings/{ready.meeting_a}/materials/link",
        data={"csrf_token": csrf(page.text), "material_title": "Omaolo", "material_url": "https://www.omaolo.fi"},
    )
    assert added.status_code == 303
    refused = coordinator.post(
        f"/meetings/{ready.meeting_a}/materials/link",
        data={"csrf_token": csrf(page.text), "material_title": "Paha", "material_url": "javascript:alert(1)"},
    )
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text
    with uow_factory() as uow:
        meeting = uow.meetings.get(ready.meeting_a)
        (file,) = uow.meeting_files.of_meeting(ready.meeting_a)
    assert [(m.title, m.url) for m in meeting.materials] == [("Omaolo", "https://www.omaolo.fi")]
    assert file.content_type.endswith("wordprocessingml.document")


def test_only_the_panels_coordinator_changes_the_materials(ready: World, signed_in: Signed) -> None:
    owner = signed_in(OWNER, "en")
    page = owner.get(f"/meetings/{ready.meeting_a}/materials")
    assert page.status_code == 200
    assert "Upload the file" not in page.text
    other = signed_in(COORD_OTHER, "en")
    assert other.get(f"/meetings/{ready.meeting_a}/materials").status_code == 403
    token = csrf(owner.get("/queue").text)
    answer = owner.post(
        f"/meetings/{ready.meeting_a}/materials/file",
        data={"csrf_token": token},
        files={"file": ("ohje.pdf", PDF, "application/pdf")},
    )
    assert answer.status_code == 403


def test_the_outbox_row_is_not_written_twice(ready: World, signed_in: Signed, uow_factory) -> None:
    coordinator = signed_in(COORD, "en")
    assert send_now(coordinator, ready.meeting_a).status_code == 303
    again = send_now(coordinator, ready.meeting_a)
    assert again.status_code == 303
    with uow_factory() as uow:
        rows = [r for r in uow.outbox.list(status=OutboxStatus.PENDING) if r.kind == "prebrief"]
    assert sorted(r.email for r in rows) == ["aino@example.org", "bengt@example.org"]
