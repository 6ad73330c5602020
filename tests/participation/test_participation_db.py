"""Ground rules, topic wishes and attendance on real databases (SQLite and PostgreSQL), and their emails.

The emails are composed from the outbox rows by the real composer, renderer and templates.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine, func, select

from application.participation import attendance, ground_rules, topic_wishes
from application.participation.attendance import RecordAttendance
from application.participation.ground_rules import PublishGroundRules, SendWelcome
from application.participation.topic_wishes import ScheduleTopicWish
from domain.errors import InvalidValue
from domain.ground_rules import DEFAULT_RULES
from domain.values import Language
from notifications.composer import MailComposer
from notifications.kinds import TOPIC_WISH_SCHEDULED, WELCOME
from notifications.links import GROUND_RULES, PREFERENCES, LinkSigner
from notifications.outbox import OutboxMessage
from notifications.render import Renderer
from persistence.participation_tables import AttendanceRow, GroundRulesAckRow, TopicWishRow
from persistence.tables import EventRow, OutboxRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from tests.participation.world import World, build

BASE_URL = "https://raati.example.fi"
SIGNER = LinkSigner(b"member-rights-test-key-0123456789")
CUSTOM = {"fi": ["Kuuntelemme toisiamme.", "Aloitamme ajallaan."], "sv": ["Vi lyssnar.", "Vi börjar i tid."],
          "en": ["We listen to each other.", "We start on time."]}  # fmt: skip

UowFactory = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def world(uow_factory: UowFactory, clock: FixedClock) -> World:
    return build(uow_factory, clock)


def compose(row: OutboxMessage, clock: FixedClock) -> EmailMessage:
    composer = MailComposer(
        renderer=Renderer(BASE_URL),
        signer=SIGNER,
        sender="Raati <raati@example.fi>",
        base_url=BASE_URL,
        mail_domain="example.fi",
        clock=clock,
    )
    built = composer.compose(row.kind, [row], key=row.id)
    # Read back as a mail client would: from the bytes on the wire.
    parsed = email.message_from_bytes(built.as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()), str(html.get_content())


def rows_of(uow_factory: UowFactory, kind: str) -> dict[int, OutboxMessage]:
    with uow_factory() as uow:
        return {m.recipient_id: m for m in uow.outbox.list() if m.kind == kind}


def test_rules_versions_and_acknowledgements_are_stored(
    uow_factory: UowFactory, clock: FixedClock, world: World, engine: Engine
) -> None:
    ground_rules.acknowledge_ground_rules(world.maija, 1, uow=uow_factory(), clock=clock)
    clock.advance(days=1)
    published = ground_rules.publish_ground_rules(
        PublishGroundRules(panel="Itä-Helsinki", rules=CUSTOM), uow=uow_factory(), clock=clock
    )
    ground_rules.acknowledge_ground_rules(world.sven, 2, uow=uow_factory(), clock=clock)

    current = ground_rules.current_ground_rules(world.panel_id, uow=uow_factory())
    report = ground_rules.ground_rules_acks("Itä-Helsinki", uow=uow_factory())
    assert published.version == current.version == 2
    assert current.in_language(Language.SV) == CUSTOM["sv"]
    assert current.published_at == clock.now()
    assert [s.member_id for s in report.acknowledged] == [world.sven]
    assert [s.member_id for s in report.not_acknowledged] == [world.maija, world.emma]
    with engine.connect() as connection:
        acks = connection.execute(select(GroundRulesAckRow.member_id, GroundRulesAckRow.version)).all()
        types = connection.scalars(
            select(EventRow.type).where(EventRow.type.like("ground_rules%")).order_by(EventRow.id)
        )
        assert sorted(acks) == [(world.maija, 1), (world.sven, 2)]
        assert list(types) == [
            "ground_rules_published",
            "ground_rules_acknowledged",
            "ground_rules_published",
            "ground_rules_acknowledged",
        ]


def test_the_welcome_email_lists_the_rules_and_its_link_acknowledges_them(
    uow_factory: UowFactory, clock: FixedClock, world: World
) -> None:
    queued = ground_rules.send_welcome(SendWelcome(panel="Itä-Helsinki"), uow=uow_factory(), clock=clock)
    rows = rows_of(uow_factory, WELCOME)

    text, html = parts(compose(rows[world.sven], clock))
    finnish_text, _ = parts(compose(rows[world.maija], clock))

    assert queued == 3
    for rule in DEFAULT_RULES[Language.SV]:
        assert f"* {rule}" in text
        assert f"<li>{rule}</li>" in html
    assert DEFAULT_RULES[Language.FI][-1] in finnish_text
    assert "Spelreglerna, version 1" in text
    link = re.search(r"https://\S+/rules\?token=\S+", text)
    assert link is not None
    url = urlsplit(link.group(0))
    assert url.path == f"/m/{world.sven}/rules"
    token = parse_qs(url.query)["token"][0]
    assert SIGNER.verify(GROUND_RULES, world.sven, token)
    assert not SIGNER.verify(GROUND_RULES, world.maija, token)
    assert f'href="{link.group(0)}"' in html
    wish_link = re.search(rf"https://\S+/m/{world.sven}/topics\?token=(\S+)", text)
    assert wish_link is not None
    assert SIGNER.verify(PREFERENCES, world.sven, wish_link.group(1))

    # What the page does with the link: the member's id, the version shown, and the use case.
    view = ground_rules.member_ground_rules(world.sven, uow=uow_factory())
    ground_rules.acknowledge_ground_rules(world.sven, view.version, uow=uow_factory(), clock=clock)
    assert ground_rules.member_ground_rules(world.sven, uow=uow_factory()).acknowledged_at == clock.now()


def test_each_member_gets_their_own_links_when_welcomes_share_a_rendering(
    uow_factory: UowFactory, clock: FixedClock, world: World
) -> None:
    ground_rules.send_welcome(SendWelcome(panel="Itä-Helsinki"), uow=uow_factory(), clock=clock)
    rows = rows_of(uow_factory, WELCOME)
    renderer = Renderer(BASE_URL)  # one renderer: the second Finnish welcome may reuse the first rendering
    composer = MailComposer(renderer=renderer, signer=SIGNER, sender="raati@example.fi", base_url=BASE_URL,
                            mail_domain="example.fi", clock=clock)  # fmt: skip
    finnish = [m for m in rows.values() if m.language == "fi"]
    assert len(finnish) == 1
    twin = OutboxMessage(**{**finnish[0].__dict__, "recipient_id": world.emma, "id": "twin"})

    first = parts(composer.compose(WELCOME, [finnish[0]], key="a"))[0]
    second = parts(composer.compose(WELCOME, [twin], key="b"))[0]

    assert f"/m/{world.maija}/rules?token={SIGNER.sign(GROUND_RULES, world.maija)}" in first
    assert f"/m/{world.emma}/rules?token={SIGNER.sign(GROUND_RULES, world.emma)}" in second
    assert SIGNER.sign(GROUND_RULES, world.maija) not in second


@pytest.mark.parametrize(
    ("member", "subject", "intro"),
    [
        ("maija", "Aihetoiveesi on asiakasraadin ohjelmassa", "Kiitos aihetoiveestasi!"),
        ("sven", "Ditt ämnesönskemål står på kundrådets program", "Tack för ditt ämnesönskemål!"),
        ("emma", "Your topic wish is on the customer panel's agenda", "Thank you for your topic wish!"),
    ],
)
def test_a_scheduled_wish_tells_its_member_in_their_language(
    uow_factory: UowFactory, clock: FixedClock, world: World, engine: Engine, member: str, subject: str, intro: str
) -> None:
    member_id = getattr(world, member)
    wish = topic_wishes.submit_topic_wish(member_id, "Ohjeet & <selkokielellä>", uow=uow_factory(), clock=clock)
    clock.advance(hours=2)

    result = topic_wishes.schedule_topic_wish(
        ScheduleTopicWish(wish.id or 0, world.meeting_id), uow=uow_factory(), clock=clock
    )
    row = rows_of(uow_factory, TOPIC_WISH_SCHEDULED)[member_id]
    message = compose(row, clock)
    text, html = parts(message)

    assert result.queued_notifications == 1
    assert str(message["Subject"]).startswith(subject)
    assert intro in text
    assert "Ohjeet & <selkokielellä>" in text
    assert "Ohjeet &amp; &lt;selkokielellä&gt;" in html
    assert "Omaolon ohjeet asiakkaan silmin" in text
    assert "Itäkeskuksen terveys- ja hyvinvointikeskus" in html
    assert f"/m/{member_id}/topics?token=" in text
    assert message["List-Unsubscribe"] is not None
    with engine.connect() as connection:
        stored = connection.execute(select(TopicWishRow.meeting_id, TopicWishRow.scheduled_at)).one()
        assert stored == (world.meeting_id, clock.now())


def test_a_failed_schedule_writes_neither_the_link_nor_the_email(
    uow_factory: UowFactory, clock: FixedClock, world: World, engine: Engine
) -> None:
    wish = topic_wishes.submit_topic_wish(world.maija, "Aihe", uow=uow_factory(), clock=clock)

    with pytest.raises(InvalidValue):
        topic_wishes.schedule_topic_wish(
            ScheduleTopicWish(wish.id or 0, world.other_meeting_id), uow=uow_factory(), clock=clock
        )

    with engine.connect() as connection:
        assert connection.scalar(select(TopicWishRow.meeting_id)) is None
        assert connection.scalar(select(func.count()).select_from(OutboxRow)) == 0
        assert (
            connection.scalar(
                select(func.count())
                .select_from(EventRow)
                .where(EventRow.aggregate == "topic_wish", EventRow.type == "scheduled")
            )
            == 0
        )


def test_attendance_replaces_the_list_and_is_an_event(
    uow_factory: UowFactory, clock: FixedClock, world: World, engine: Engine
) -> None:
    clock.advance(days=20, hours=1)
    attendance.record_attendance(
        RecordAttendance(world.meeting_id, (world.maija, world.sven)), uow=uow_factory(), clock=clock
    )
    clock.advance(minutes=5)
    attendance.record_attendance(
        RecordAttendance(world.meeting_id, (world.sven, world.emma)), uow=uow_factory(), clock=clock
    )

    present = attendance.meeting_attendance(world.meeting_id, uow=uow_factory())
    assert [m.id for m in present] == [world.sven, world.emma]
    with engine.connect() as connection:
        rows = connection.execute(select(AttendanceRow.member_id, AttendanceRow.recorded_at)).all()
        events = connection.scalars(
            select(EventRow.data).where(EventRow.type == "attendance_recorded").order_by(EventRow.id)
        )
        assert sorted(rows) == [(world.sven, clock.now()), (world.emma, clock.now())]
        assert [e["present"] for e in events] == [[world.maija, world.sven], [world.sven, world.emma]]


def test_wishes_are_listed_per_panel_and_member(uow_factory: UowFactory, clock: FixedClock, world: World) -> None:
    first = topic_wishes.submit_topic_wish(world.maija, "Ensimmäinen", uow=uow_factory(), clock=clock)
    clock.advance(minutes=1)
    topic_wishes.submit_topic_wish(world.stranger, "Toisen raadin", uow=uow_factory(), clock=clock)
    second = topic_wishes.submit_topic_wish(world.maija, "Toinen", uow=uow_factory(), clock=clock)

    listed = topic_wishes.list_topic_wishes("Itä-Helsinki", uow=uow_factory())
    mine = topic_wishes.member_topic_wishes(world.maija, uow=uow_factory())
    assert [w.text for w in listed] == ["Ensimmäinen", "Toinen"]
    assert [w.id for w in mine] == [first.id, second.id]
