"""Members' data rights on SQLite and PostgreSQL: export, erasure (then every table searched), mail retention."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, MetaData, func, select, text
from sqlalchemy.exc import DBAPIError

from application.commands import AddMember, AddService, CreatePanel, MoveIdea, NoteIdea, RaiseIdea, ScheduleMeeting
from application.data_rights import (
    MemberRequest,
    erase_member,
    export_member,
    purge_sent_mail,
)
from application.ideas.changes import move_idea, note_idea, raise_idea
from application.meetings.changes import schedule_meeting
from application.participation.attendance import RecordAttendance, record_attendance
from application.participation.ground_rules import acknowledge_ground_rules
from application.participation.topic_wishes import (
    AddTopicWish,
    ScheduleTopicWish,
    add_topic_wish,
    schedule_topic_wish,
    submit_topic_wish,
)
from application.people.preferences import ChangePreferences, Unsubscribe, change_preferences, resubscribe, unsubscribe
from application.people.roster import add_member, add_service, create_panel
from domain.errors import PermissionDenied
from domain.events import Aggregate
from notifications.outbox import RecipientKind
from notifications.queue import ClaimRequest
from persistence.data_rights import SqlAlchemyDataRightsUnitOfWork
from persistence.delivery_queue import SqlAlchemyDeliveryQueue
from persistence.engine import make_session_factory
from persistence.survey_tables import SurveyAnswerRow, SurveyInvitationRow, SurveyRow
from persistence.tables import EventRow, IdeaRow, MemberRow, OutboxRow
from persistence.unit_of_work import SqlAlchemyUnitOfWork
from tests.conftest import FixedClock
from tests.integration.conftest import OWNER, PANEL, SERVICE, World

NAME, EMAIL = "Aino Asukas", "aino@example.org"
OTHER_NAME, OTHER_EMAIL = "Bengt Bybo", "bengt@example.org"

RightsFactory = Callable[[], SqlAlchemyDataRightsUnitOfWork]


@pytest.fixture
def rights(engine: Engine) -> RightsFactory:
    sessions = make_session_factory(engine)
    return lambda: SqlAlchemyDataRightsUnitOfWork(sessions)


def deliver_everything(engine: Engine, clock: FixedClock) -> int:
    """Send every due row the way the dispatcher records it (claim, then mark sent)."""
    queue = SqlAlchemyDeliveryQueue(make_session_factory(engine))
    token = str(uuid.uuid4())
    claim = queue.claim(
        ClaimRequest(
            now=clock.now() + timedelta(days=30),  # past any coalescing or digest wait
            limit=1000,
            lease=timedelta(minutes=5),
            coalesce=timedelta(0),
            digest=timedelta(0),
            token=token,
        )
    )
    ids = [row.id for row in claim.rows]
    return queue.mark_sent(ids, token=token, at=clock.now(), sent_as=f"<{token}@raati.test>")


def build_history(
    world: World, uow_factory: Callable[[], SqlAlchemyUnitOfWork], engine: Engine, clock: FixedClock
) -> int:
    """Aino's season: rules acknowledged, a wish taken up, attendance, ideas naming her, mail sent and pending,
    preferences, an unsubscribe and a return, a survey invitation, and an anonymous answer that names her."""
    member_id = world.members[EMAIL][0]
    acknowledge_ground_rules(member_id, 1, uow=uow_factory(), clock=clock)
    wish = submit_topic_wish(member_id, "Puhelinajanvaraus (terveisin Aino Asukas)", uow=uow_factory(), clock=clock)
    assert wish.id is not None
    schedule_topic_wish(ScheduleTopicWish(wish_id=wish.id, meeting_id=world.meeting_id), uow=uow_factory(), clock=clock)
    add_topic_wish(AddTopicWish(panel=PANEL, text="Pysäköinti", member_id=member_id), uow=uow_factory(), clock=clock)
    clock.advance(days=31)  # the meeting has been held
    record_attendance(
        RecordAttendance(meeting_id=world.meeting_id, present=(member_id, world.members[OTHER_EMAIL][0])),
        uow=uow_factory(),
        clock=clock,
    )
    idea = raise_idea(
        RaiseIdea(meeting_id=world.meeting_id, title="Takaisinsoitto", text=f"{NAME} ehdotti takaisinsoittoa."),
        uow=uow_factory(),
        clock=clock,
    )
    move_idea(
        MoveIdea(idea_id=idea.id, to="sent_to_service", service=SERVICE, note=f"Kiitos ideasta, {NAME}!"),
        uow=uow_factory(),
        clock=clock,
    )
    clock.advance(hours=1)
    assert deliver_everything(engine, clock) > 0
    change_preferences(ChangePreferences(member_id=member_id, language="sv"), uow=uow_factory(), clock=clock)
    note_idea(NoteIdea(idea_id=idea.id, text="Palvelu selvittää asiaa."), uow=uow_factory(), clock=clock)
    unsubscribe(Unsubscribe(member_id=member_id, via="link"), uow=uow_factory(), clock=clock)  # cancels that note
    resubscribe(member_id, actor=None, uow=uow_factory(), clock=clock)
    change_preferences(ChangePreferences(member_id=member_id, delivery="digest"), uow=uow_factory(), clock=clock)
    note_idea(NoteIdea(idea_id=idea.id, text=f"{NAME} saa vastauksen kuun lopussa."), uow=uow_factory(), clock=clock)
    with uow_factory() as uow:
        survey = SurveyRow(panel_id=world.panel_id, title="Syksyn arviointi", status="open", created_at=clock.now())
        uow.session.add(survey)
        uow.session.flush()
        uow.session.add(SurveyInvitationRow(survey_id=survey.id, member_id=member_id, invited_at=clock.now()))
        comment = f"Kiitos {NAME} hyvästä ideasta."
        uow.session.add(SurveyAnswerRow(id=str(uuid.uuid4()), survey_id=survey.id, agreements=[1], comment=comment))
        uow.commit()
    return member_id


def where_found(engine: Engine, *needles: str) -> list[str]:
    """Every table, every column (reflected from the database itself): where any needle occurs, any case."""
    metadata = MetaData()
    metadata.reflect(engine)
    found = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                for column, value in row.items():
                    if value is None:
                        continue
                    as_text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
                    found += [
                        f"{table.name}.{column}: {needle}"
                        for needle in needles
                        if needle.casefold() in as_text.casefold()
                    ]
    return sorted(set(found))


def count(engine: Engine, model: type, *where: object) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def test_erasing_a_member_leaves_their_name_and_email_in_no_table(world, uow_factory, rights, engine, clock):
    member_id = build_history(world, uow_factory, engine, clock)
    before = where_found(engine, NAME, EMAIL)
    assert {hit.partition(".")[0] for hit in before} >= {
        "members",
        "outbox",
        "events",
        "ideas",
        "topic_wishes",
        "survey_answers",
    }, before
    ideas, events = count(engine, IdeaRow), count(engine, EventRow)
    mine = (OutboxRow.recipient_kind == RecipientKind.MEMBER.value, OutboxRow.recipient_id == member_id)
    statuses = {status for (status,) in _rows(engine, select(OutboxRow.status).where(*mine))}
    assert statuses == {"sent", "cancelled", "pending"}
    others_pending = count(engine, OutboxRow, OutboxRow.status == "pending", OutboxRow.recipient_id != member_id)

    done = erase_member(MemberRequest(member_id=member_id), uow=rights(), clock=clock)

    assert where_found(engine, NAME, EMAIL) == []
    assert not done.already_erased
    assert done.counts["unsent_mail_deleted"] >= 2  # pending and cancelled rows
    assert done.counts["sent_mail_stripped"] >= 1
    assert done.counts["events_redacted"] >= 2  # the raised idea's text and the notes naming her
    # Ideas and events stay; the erasure is one more event, carrying counts only.
    assert (count(engine, IdeaRow), count(engine, EventRow)) == (ideas, events + 1)
    with uow_factory() as uow:
        member = uow.members.get(member_id)
        [*_, erased] = uow.events.for_aggregate(Aggregate.MEMBER, member_id)
    assert (member.name, member.email) == (f"former member #{member_id}", f"member-{member_id}@erased.invalid")
    assert not member.receives_mail
    assert (erased.type, erased.actor, dict(erased.data)) == ("erased", "operator", done.counts)
    # No mail waits for her; what was sent keeps only references, no body and no address.
    assert {status for (status,) in _rows(engine, select(OutboxRow.status).where(*mine))} == {"sent"}
    for payload, address in _rows(engine, select(OutboxRow.payload, OutboxRow.email).where(*mine)):
        assert address == f"member-{member_id}@erased.invalid"
        assert set(payload) <= {"idea_id", "meeting_id", "panel_id", "service_id", "event_seq", "wish_id"}
    # The others' mail is untouched, addressed to them by name.
    assert (
        count(engine, OutboxRow, OutboxRow.status == "pending", OutboxRow.recipient_id != member_id) == others_pending
    )
    other_id = world.members[OTHER_EMAIL][0]
    names = [
        p.get("recipient_name")
        for (p,) in _rows(engine, select(OutboxRow.payload).where(OutboxRow.recipient_id == other_id))
    ]
    assert names
    assert set(names) == {OTHER_NAME}
    # Her acknowledgement, attendance, wish and invitation stay, as a former member's.
    assert where_found(engine, f"former member #{member_id}")


def test_the_event_log_stays_append_only_after_an_erasure(world, uow_factory, rights, engine, clock):
    member_id = build_history(world, uow_factory, engine, clock)
    erase_member(MemberRequest(member_id=member_id), uow=rights(), clock=clock)

    for statement in ("UPDATE events SET text = 'rewritten history'", "DELETE FROM events"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert count(engine, EventRow, EventRow.text == "rewritten history") == 0


def test_erasing_again_changes_nothing_and_adds_no_event(world, uow_factory, rights, engine, clock):
    member_id = build_history(world, uow_factory, engine, clock)
    first = erase_member(MemberRequest(member_id=member_id), uow=rights(), clock=clock)
    events = count(engine, EventRow)
    clock.advance(days=1)

    again = erase_member(MemberRequest(member_id=member_id), uow=rights(), clock=clock)

    assert again.already_erased
    assert again.erased_at == first.erased_at
    assert again.counts == {"unsent_mail_deleted": 0, "sent_mail_stripped": 0}
    assert count(engine, EventRow) == events


def test_only_the_operator_or_the_panels_coordinator_may_erase(world, uow_factory, rights, engine, clock):
    member_id = world.members[EMAIL][0]
    with pytest.raises(PermissionDenied):
        erase_member(MemberRequest(member_id=member_id, actor=OWNER), uow=rights(), clock=clock)
    assert count(engine, MemberRow, MemberRow.email == EMAIL) == 1


def test_export_holds_the_members_data_and_parses_as_json(world, uow_factory, rights, engine, clock):
    member_id = build_history(world, uow_factory, engine, clock)

    document = json.loads(json.dumps(export_member(MemberRequest(member_id=member_id), uow=rights(), clock=clock)))

    assert document["member"] | {"id": member_id, "name": NAME, "email": EMAIL} == document["member"]
    assert document["preferences"] == {"language": "sv", "delivery": "digest", "unsubscribed": False}
    types = [e["type"] for e in document["events"]]
    assert types[0] == "added"
    assert {"preferences_changed", "unsubscribed", "resubscribed", "submitted"} <= set(types)
    statuses = {m["status"] for m in document["mail"]}
    assert statuses == {"sent", "cancelled", "pending"}
    assert all(m["email"] == EMAIL for m in document["mail"])
    assert any(m["body"].get("recipient_name") == NAME for m in document["mail"])
    related = document["related"]
    assert [w["text"] for w in related["topic_wishes"]] == [
        "Puhelinajanvaraus (terveisin Aino Asukas)",
        "Pysäköinti",
    ]
    # The wish a coordinator recorded for her: the event names her by id only.
    assert [
        e["data"]["member_id"] for e in document["events"] if e["actor"] == "operator" and e["type"] == "submitted"
    ] == [member_id]
    assert [a["version"] for a in related["ground_rules_acks"]] == [1]
    assert [a["meeting_id"] for a in related["meeting_attendance"]] == [world.meeting_id]
    assert len(related["survey_invitations"]) == 1
    # Anonymous answers and token hashes are not the member's to export.
    assert not {"survey_answers", "survey_tokens", "event_redactions"} & set(related)
    assert "hyvästä ideasta" not in json.dumps(document, ensure_ascii=False)
    assert "survey_answers" in document["not_included"]


def test_export_after_erasure_shows_a_former_member(world, uow_factory, rights, engine, clock):
    member_id = build_history(world, uow_factory, engine, clock)
    erase_member(MemberRequest(member_id=member_id), uow=rights(), clock=clock)

    document = export_member(MemberRequest(member_id=member_id), uow=rights(), clock=clock)

    assert document["member"]["name"] == f"former member #{member_id}"
    assert document["member"]["erased_at"] is not None
    assert NAME not in json.dumps(document, ensure_ascii=False)
    assert EMAIL not in json.dumps(document, ensure_ascii=False)


def test_mail_sent_181_days_ago_loses_its_body_and_179_days_ago_keeps_it(world, uow_factory, rights, engine, clock):
    first = world.raise_idea(uow_factory, clock, "Vanha idea")
    move_idea(MoveIdea(idea_id=first, to="sent_to_service", service=SERVICE), uow=uow_factory(), clock=clock)
    old = deliver_everything(engine, clock)
    clock.advance(days=2)
    second = world.raise_idea(uow_factory, clock, "Uudempi idea")
    move_idea(MoveIdea(idea_id=second, to="sent_to_service", service=SERVICE), uow=uow_factory(), clock=clock)
    recent = deliver_everything(engine, clock)
    clock.advance(days=179)  # the first mail is now 181 days old, the second 179
    third = world.raise_idea(uow_factory, clock, "Odottava idea")
    move_idea(MoveIdea(idea_id=third, to="sent_to_service", service=SERVICE), uow=uow_factory(), clock=clock)

    done = purge_sent_mail(uow_factory=rights, clock=clock, retention_days=180, batch=2)

    assert done.removed == old > 0
    assert done.before == clock.now() - timedelta(days=180)
    rows = _rows(engine, select(OutboxRow.payload, OutboxRow.status, OutboxRow.purged_at))
    by_idea: dict[int, list[tuple]] = {}
    for payload, status, purged_at in rows:
        by_idea.setdefault(payload["idea_id"], []).append((payload, status, purged_at))
    references = {"idea_id", "meeting_id", "panel_id", "service_id", "event_seq"}
    for payload, status, purged_at in by_idea[first]:  # 181 days: only the references are left
        assert (status, purged_at) == ("sent", clock.now())
        assert set(payload) <= references
        assert payload["event_seq"] == 2
    for payload, status, purged_at in by_idea[second]:  # 179 days: the body is still there
        assert (status, purged_at, payload["idea_title"]) == ("sent", None, "Uudempi idea")
    for payload, status, purged_at in by_idea[third]:  # pending mail is never touched
        assert (status, purged_at, payload["idea_title"]) == ("pending", None, "Odottava idea")
    assert count(engine, OutboxRow, OutboxRow.purged_at.is_not(None)) == old
    assert recent > 0
    assert purge_sent_mail(uow_factory=rights, clock=clock, retention_days=180).removed == 0


def _rows(engine: Engine, query) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def test_a_failed_email_past_retention_loses_its_body_and_can_no_longer_be_retried(
    world, uow_factory, rights, engine, clock
):
    idea_id = world.raise_idea(uow_factory, clock, "Epäonninen idea")
    move_idea(MoveIdea(idea_id=idea_id, to="sent_to_service", service=SERVICE), uow=uow_factory(), clock=clock)
    queue = SqlAlchemyDeliveryQueue(make_session_factory(engine))
    claim = queue.claim(
        ClaimRequest(
            now=clock.now() + timedelta(days=1),
            limit=100,
            lease=timedelta(minutes=5),
            coalesce=timedelta(0),
            digest=timedelta(0),
            token="t",
        )
    )
    failed = queue.mark_failed([row.id for row in claim.rows], token="t", error="550 no such user")
    assert failed > 0
    clock.advance(days=181)

    assert purge_sent_mail(uow_factory=rights, clock=clock, retention_days=180).removed == failed

    assert queue.retry_failed(None, now=clock.now()) == 0
    assert count(engine, OutboxRow, OutboxRow.status == "failed") == failed


def test_the_same_person_in_another_panel_keeps_that_membership_and_its_mail(world, uow_factory, rights, engine, clock):
    other_panel = "Toinen asiakasraati"
    create_panel(CreatePanel(name=other_panel), uow=uow_factory(), clock=clock)
    add_service(AddService(name="Neuvola", panel=other_panel), uow=uow_factory(), clock=clock)
    twin = add_member(AddMember(panel=other_panel, name=NAME, email=EMAIL), uow=uow_factory(), clock=clock)
    meeting = schedule_meeting(
        ScheduleMeeting(
            panel=other_panel,
            starts_at=clock.now() + timedelta(days=30),
            service="Neuvola",
            tasks=("Ajanvaraus",),
            place="Kirjasto",
        ),
        uow=uow_factory(),
        clock=clock,
    )
    idea = raise_idea(RaiseIdea(meeting_id=meeting.id, title="Iltavastaanotto"), uow=uow_factory(), clock=clock)
    move_idea(MoveIdea(idea_id=idea.id, to="sent_to_service", service="Neuvola"), uow=uow_factory(), clock=clock)
    hers = (OutboxRow.recipient_kind == RecipientKind.MEMBER.value, OutboxRow.recipient_id == twin.id)
    assert count(engine, OutboxRow, *hers) == 1

    erase_member(MemberRequest(member_id=world.members[EMAIL][0]), uow=rights(), clock=clock)

    with uow_factory() as uow:
        kept = uow.members.get(twin.id)
    assert (kept.name, kept.email, kept.receives_mail) == (NAME, EMAIL, True)
    [(payload, address, status)] = _rows(
        engine, select(OutboxRow.payload, OutboxRow.email, OutboxRow.status).where(*hers)
    )
    assert (payload["recipient_name"], address, status) == (NAME, EMAIL, "pending")
