"""The pre-brief's preview: each member language as the outbox composes it (the subject and text read back from a
real SMTP server are the ones the page showed), when it goes out and the 3-day line; "Send now" is the flow's use
case, so pressing it twice, and the flow after it, mails each member once."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator

import pytest

from application.commands import AddMember, UpdateMeeting
from application.meetings.changes import update_meeting
from application.meetings.prebriefs import send_due_prebriefs
from application.people.roster import add_member
from tests.api.conftest import COORD, COORD_OTHER, OWNER, World
from tests.delivery.conftest import Inbox
from tests.smtp.servers import smtp_server
from tests.web.conftest import LEAKS, Signed, csrf, visible
from tests.web.test_meeting_materials import (  # noqa: F401  (the fixtures)
    PDF,
    app,
    deliver,
    files_dir,
    parsed,
    text_of,
    upload,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with smtp_server(handler) as server:
        yield handler, server.port


def prebriefs(handler: Inbox) -> Counter[str]:
    """How many pre-briefs each address got: the mails that carry the meeting's calendar file."""
    return Counter(
        next(iter(r.rcpt_tos))
        for r in handler.received
        if any(part.get_filename() == "meeting.ics" for part in parsed(r.raw).iter_attachments())
    )


@pytest.fixture
def ready(world: World, uow_factory, clock) -> World:
    """Panel A's meeting with a place, and a member reading Swedish and one reading English beside the Finnish."""
    update_meeting(UpdateMeeting(meeting_id=world.meeting_a, place="Kirjasto, sali 2"), uow=uow_factory(), clock=clock)
    for name, email, language in (
        ("Sven Svensson", "sven@example.org", "sv"),
        ("Emma English", "emma@example.org", "en"),
    ):
        add_member(
            AddMember(panel="Itäinen raati", name=name, email=email, language=language), uow=uow_factory(), clock=clock
        )
    return world


def sections(page: str) -> dict[str, tuple[str, str]]:
    """Each language's subject and text as the preview shows them."""
    found = {}
    for language in ("fi", "sv", "en"):
        block = re.search(rf'<section aria-labelledby="prebrief-{language}".*?</section>', page, re.S)
        assert block, language
        subject = re.search(r'class="mail-subject">(.*?)</span>', block.group(0), re.S)
        text = re.search(r'<pre class="mail-text"[^>]*>(.*?)</pre>', block.group(0), re.S)
        found[language] = (
            html.unescape(subject.group(1)) if subject else "",
            html.unescape(text.group(1)) if text else "",
        )
    return found


def test_the_preview_is_the_mail_each_language_gets(
    ready: World, signed_in: Signed, engine, link_signer, clock, inbox
) -> None:
    coordinator = signed_in(COORD, "en")
    assert upload(coordinator, ready.meeting_a, "ohje.pdf", PDF, title="Ohje").status_code == 303
    page = coordinator.get(f"/meetings/{ready.meeting_a}/prebrief")
    assert page.status_code == 200
    assert not LEAKS.search(visible(page.text))
    assert "It goes out to the members on" in visible(page.text)
    shown = sections(page.text)
    assert shown["fi"][0].startswith("Ennakkotiedot: asiakasraadin tapaaminen")
    assert shown["sv"][0] != shown["fi"][0]
    assert shown["en"][0].startswith("Before the meeting")

    answer = coordinator.post(f"/meetings/{ready.meeting_a}/prebrief/send", data={"csrf_token": csrf(page.text)})
    assert answer.status_code == 303
    handler, port = inbox
    deliver(engine, link_signer, clock, port)
    mails = {next(iter(r.rcpt_tos)): parsed(r.raw) for r in handler.received}
    # The sample of each language is its first member: Aino (Finnish), Sven, Emma.
    for language, address in (("fi", "aino@example.org"), ("sv", "sven@example.org"), ("en", "emma@example.org")):
        subject, text = shown[language]
        assert str(mails[address]["Subject"]) == subject
        assert text_of(mails[address]).strip() == text.strip()
        assert "/materials/" in text  # the file's link, signed for this member


def test_send_now_twice_and_then_the_flow_mail_each_member_once(
    ready: World, signed_in: Signed, engine, link_signer, clock, inbox, uow_factory
) -> None:
    coordinator = signed_in(COORD, "fi")
    for _ in range(2):
        page = coordinator.get(f"/meetings/{ready.meeting_a}/prebrief")
        answer = coordinator.post(f"/meetings/{ready.meeting_a}/prebrief/send", data={"csrf_token": csrf(page.text)})
        assert answer.status_code == 303
    after = coordinator.get(f"/meetings/{ready.meeting_a}/prebrief")
    assert "Ennakkotiedot on lähetetty." in visible(after.text)
    assert 'action="/meetings/' + str(ready.meeting_a) + '/prebrief/send"' not in after.text
    clock.advance(days=25)  # the flow's own day for it comes
    assert send_due_prebriefs(uow_factory=uow_factory, clock=clock).queued == 0
    handler, port = inbox
    deliver(engine, link_signer, clock, port)
    counted = prebriefs(handler)
    everyone = ("aino@example.org", "bengt@example.org", "sven@example.org", "emma@example.org")
    assert counted == Counter(dict.fromkeys(everyone, 1))


def test_a_language_without_members_says_so_and_the_passed_line_is_told(
    world: World, signed_in: Signed, clock, uow_factory
) -> None:
    update_meeting(UpdateMeeting(meeting_id=world.meeting_b, place="Kirjasto"), uow=uow_factory(), clock=clock)
    clock.advance(days=28)  # two days before the meeting: past the 3-day line
    page = signed_in(COORD_OTHER, "en").get(f"/meetings/{world.meeting_b}/prebrief")
    assert page.status_code == 200
    shown = visible(page.text)
    assert shown.count("No member reads the mail in this language.") == 2  # Swedish and English
    assert "has passed" in shown
    assert "Late" in shown


def test_a_meeting_without_a_place_cannot_be_sent_and_says_why(world: World, signed_in: Signed, uow_factory) -> None:
    coordinator = signed_in(COORD, "en")
    page = coordinator.get(f"/meetings/{world.meeting_a}/prebrief")
    answer = coordinator.post(f"/meetings/{world.meeting_a}/prebrief/send", data={"csrf_token": csrf(page.text)})
    assert answer.status_code == 422
    assert "Add the meeting's place or online link first" in html.unescape(visible(answer.text))
    with uow_factory() as uow:
        assert uow.meetings.get(world.meeting_a).prebrief_sent_at is None


def test_only_the_panels_coordinators_preview_and_send(world: World, signed_in: Signed) -> None:
    owner = signed_in(OWNER, "en")
    assert owner.get(f"/meetings/{world.meeting_a}/prebrief").status_code == 403
    assert signed_in(COORD_OTHER, "en").get(f"/meetings/{world.meeting_a}/prebrief").status_code == 403
    token = csrf(owner.get("/queue").text)
    assert owner.post(f"/meetings/{world.meeting_a}/prebrief/send", data={"csrf_token": token}).status_code == 403
