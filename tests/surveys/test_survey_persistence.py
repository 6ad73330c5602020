"""Surveys on a real database (SQLite file and PostgreSQL): single-use hashed links, anonymous answers,
reminders only to those who have not answered, and no answers after closing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, event, inspect, text

from application.commands import AddMember, CreatePanel
from application.people.roster import add_member, create_panel
from application.surveys import (
    AnswerSurvey,
    CreateSurvey,
    OpenSurvey,
    answer_survey,
    close_survey,
    create_survey,
    latest_reports,
    open_survey,
    remind_survey,
    survey_report,
    token_hash,
)
from domain.surveys import SurveyClosed, SurveyLinkUsed, UnknownSurveyLink
from notifications.kinds import SURVEY_INVITATION
from persistence.unit_of_work import SqlAlchemyUnitOfWork

BASE = "http://127.0.0.1:8000"
Factory = Callable[[], SqlAlchemyUnitOfWork]


@dataclass
class Opened:
    survey_id: int
    tokens: list[str]  # in member order
    member_ids: list[int]


def _open(uow_factory: Factory, clock: object, members: int = 6) -> Opened:
    create_panel(CreatePanel(name="Kaaren asiakasraati"), uow=uow_factory(), clock=clock)  # type: ignore[arg-type]
    ids = []
    for i in range(members):
        member = add_member(
            AddMember(panel="Kaaren asiakasraati", name=f"Jäsen {i}", email=f"j{i}@example.org", language="fi"),
            uow=uow_factory(),
            clock=clock,  # type: ignore[arg-type]
        )
        assert member.id is not None
        ids.append(member.id)
    survey = create_survey(
        CreateSurvey(panel="Kaaren asiakasraati", title="Arviointi", statements=("Väite yksi", "Väite kaksi")),
        uow=uow_factory(),
        clock=clock,  # type: ignore[arg-type]
    )
    issued: list[str] = []

    def make() -> str:
        issued.append(f"tok{len(issued):03d}-" + "x" * 30)
        return issued[-1]

    assert survey.id is not None
    open_survey(OpenSurvey(survey.id), uow=uow_factory(), clock=clock, base_url=BASE, tokens=make)  # type: ignore[arg-type]
    return Opened(survey.id, issued, ids)


def _answer(uow_factory: Factory, clock: object, token: str, *, number: str = "9") -> None:
    answer_survey(AnswerSurvey(token, ("agree", "skip"), number, "Kiitos"), uow=uow_factory(), clock=clock)  # type: ignore[arg-type]


def test_a_link_answers_once_and_only_its_hash_is_stored(uow_factory: Factory, engine: Engine, clock: object) -> None:
    opened = _open(uow_factory, clock)
    _answer(uow_factory, clock, opened.tokens[0])
    with pytest.raises(SurveyLinkUsed):
        _answer(uow_factory, clock, opened.tokens[0])
    with pytest.raises(UnknownSurveyLink):
        _answer(uow_factory, clock, "tok999-" + "x" * 30)
    with engine.connect() as connection:
        hashes = set(connection.execute(text("SELECT token_hash FROM survey_tokens")).scalars())
        assert hashes == {token_hash(t) for t in opened.tokens}
        for table in ("survey_tokens", "survey_invitations", "survey_answers", "surveys"):
            rows = connection.execute(text(f"SELECT * FROM {table}")).all()
            assert not any(t in str(rows) for t in opened.tokens), table
        used = connection.execute(text("SELECT member_id FROM survey_invitations WHERE used_at IS NOT NULL")).all()
        assert [row[0] for row in used] == [opened.member_ids[0]]
        assert connection.execute(text("SELECT count(*) FROM survey_answers")).scalar_one() == 1
    report = survey_report(opened.survey_id, uow=uow_factory())
    assert (report.invited, report.respondents) == (6, 1)


def test_a_stale_read_cannot_spend_a_link_twice(uow_factory: Factory, clock: object) -> None:
    opened = _open(uow_factory, clock)
    with uow_factory() as slow:
        invitation = slow.surveys.by_token(token_hash(opened.tokens[1]))
        assert invitation is not None
        assert invitation.used_at is None
        slow.rollback()  # end its read; the other answer commits in between
        _answer(uow_factory, clock, opened.tokens[1])
        assert slow.surveys.use(invitation.id, at=clock.now()) is False  # type: ignore[attr-defined]
        slow.rollback()
    assert survey_report(opened.survey_id, uow=uow_factory()).respondents == 1


def test_no_member_can_be_reached_from_an_answer(uow_factory: Factory, engine: Engine, clock: object) -> None:
    opened = _open(uow_factory, clock)
    for token in opened.tokens[:5]:
        _answer(uow_factory, clock, token)
    schema = inspect(engine)
    columns = {c["name"] for c in schema.get_columns("survey_answers")}
    assert columns == {"id", "survey_id", "agreements", "recommendation", "comment"}
    # Follow every foreign key from the answers: the walk reaches surveys and panels, never members or invitations.
    reached, frontier = set(), ["survey_answers"]
    while frontier:
        table = frontier.pop()
        for key in schema.get_foreign_keys(table):
            if key["referred_table"] not in reached:
                reached.add(key["referred_table"])
                frontier.append(key["referred_table"])
    assert reached == {"surveys", "panels"}
    with engine.connect() as connection:
        ids = list(connection.execute(text("SELECT id FROM survey_answers")).scalars())
        assert len(ids) == 5
        assert all(len(i) == 36 for i in ids)  # random uuids, not a sequence that mirrors the invitations
        comments = set(connection.execute(text("SELECT comment FROM survey_answers")).scalars())
        assert comments == {"Kiitos"}
    # The log holds no trace of who answered, nor of when anyone did.
    with engine.connect() as connection:
        types = set(
            connection.execute(
                text("SELECT type FROM events WHERE aggregate = 'survey' AND aggregate_id = :id"),
                {"id": opened.survey_id},
            ).scalars()
        )
    assert types == {"created", "opened"}


def test_reminders_go_only_to_members_who_have_not_answered(uow_factory: Factory, clock: object) -> None:
    opened = _open(uow_factory, clock)
    for token in opened.tokens[:4]:
        _answer(uow_factory, clock, token)
    clock.advance(days=7, minutes=5)  # type: ignore[attr-defined]
    run = remind_survey(opened.survey_id, uow=uow_factory(), clock=clock, base_url=BASE)  # type: ignore[arg-type]
    assert (run.round, run.mailed, run.queued) == (1, 2, 2)
    assert remind_survey(opened.survey_id, uow=uow_factory(), clock=clock, base_url=BASE).queued == 0  # type: ignore[arg-type]
    with uow_factory() as uow:
        mails = [m for m in uow.outbox.list() if m.kind == SURVEY_INVITATION]
    firsts = [m for m in mails if any(m.payload["survey_url"].endswith(t) for t in opened.tokens)]
    reminders = [m for m in mails if m not in firsts]
    assert len(firsts) == 6
    assert sorted(m.recipient_id for m in reminders) == sorted(opened.member_ids[4:])
    # The reminder's new link works; afterwards neither link does.
    new_link = reminders[0].payload["survey_url"].rsplit("/", 1)[1]
    _answer(uow_factory, clock, new_link)
    first_link = opened.tokens[opened.member_ids.index(reminders[0].recipient_id)]
    with pytest.raises(SurveyLinkUsed):
        _answer(uow_factory, clock, first_link)


def test_a_closed_survey_takes_no_more_answers(uow_factory: Factory, clock: object) -> None:
    opened = _open(uow_factory, clock)
    for token in opened.tokens[:5]:
        _answer(uow_factory, clock, token, number="10")
    close_survey(opened.survey_id, uow=uow_factory(), clock=clock)  # type: ignore[arg-type]
    with pytest.raises(SurveyClosed):
        _answer(uow_factory, clock, opened.tokens[5])
    report = survey_report(opened.survey_id, uow=uow_factory())
    assert report.status == "closed"
    assert report.respondents == 5
    assert report.nps == 100
    assert report.statements[0].breakdown.shares == (100, 0, 0, 0, 0)
    assert report.statements[1].breakdown.shares == (0, 0, 0, 0, 100)  # all skipped


def test_two_racing_submissions_of_one_link_count_once(uow_factory: Factory, clock: object) -> None:
    opened = _open(uow_factory, clock)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def submit() -> None:
        start.wait()
        try:
            _answer(uow_factory, clock, opened.tokens[2])
            outcomes.append("answered")
        except SurveyLinkUsed:
            outcomes.append("used")

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["answered", "used", "used", "used"]
    assert survey_report(opened.survey_id, uow=uow_factory()).respondents == 1


def test_the_dashboards_survey_reports_cost_the_same_queries_however_many_surveys_there_were(
    uow_factory: Factory, engine: Engine, clock: object
) -> None:
    _open(uow_factory, clock)
    with uow_factory() as uow:
        panel_id = uow.panels.get("Kaaren asiakasraati").id
    assert panel_id is not None

    def another_opened_survey() -> None:
        survey = create_survey(
            CreateSurvey(panel="Kaaren asiakasraati", title="Uusi kierros", statements=("Väite",)),
            uow=uow_factory(),
            clock=clock,  # type: ignore[arg-type]
        )
        assert survey.id is not None
        open_survey(OpenSurvey(survey.id), uow=uow_factory(), clock=clock, base_url=BASE)  # type: ignore[arg-type]

    def statements_for_the_reports(expected_reports: int) -> int:
        seen: list[str] = []

        def count(conn: object, cursor: object, statement: str, *args: object) -> None:
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            reports = latest_reports(panel_id, limit=3, uow=uow_factory())
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len(reports) == expected_reports
        return len(seen)

    with_one = statements_for_the_reports(1)
    for _ in range(6):
        another_opened_survey()

    assert statements_for_the_reports(3) == with_one
