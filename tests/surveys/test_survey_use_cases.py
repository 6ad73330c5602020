"""Survey use cases over the fake unit of work: invitations, one-time links, reminders, closing, the report."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

import pytest

from application.commands import AddMember, CreatePanel
from application.people.roster import add_member, create_panel
from application.surveys import (
    AnswerSurvey,
    CreateSurvey,
    OpenSurvey,
    add_statements,
    answer_survey,
    close_due_surveys,
    close_survey,
    create_survey,
    latest_reports,
    open_survey,
    remind_survey,
    survey_for_token,
    survey_report,
    token_hash,
)
from domain.errors import InvalidTransition, InvalidValue
from domain.events import Aggregate
from domain.surveys import InvalidAnswer, SurveyClosed, SurveyLinkUsed, SurveyStatus, UnknownSurveyLink
from notifications.kinds import SURVEY_INVITATION
from tests.conftest import FixedClock
from tests.fakes import FakeUnitOfWork

BASE = "https://raati.example.fi"


@dataclass
class World:
    uow: FakeUnitOfWork
    clock: FixedClock
    survey_id: int
    tokens: dict[int, str]  # member id -> the token of their latest mail

    def links(self) -> list[str]:
        with self.uow:
            return [m.payload["survey_url"] for m in self.uow.outbox.list() if m.kind == SURVEY_INVITATION]


def _token_source(prefix: str = "t") -> tuple[list[str], object]:
    issued: list[str] = []
    counter = itertools.count(1)

    def make() -> str:
        token = f"{prefix}-{next(counter):04d}-abcdefghijklmnop"
        issued.append(token)
        return token

    return issued, make


@pytest.fixture
def world() -> World:
    uow, clock = FakeUnitOfWork(), FixedClock()
    create_panel(CreatePanel(name="Itä-Helsinki"), uow=uow, clock=clock)
    for i, language in enumerate(["fi", "sv", "en", "fi", "fi", "fi"]):
        add_member(AddMember(panel="Itä-Helsinki", name=f"Jäsen {i}", email=f"m{i}@example.fi", language=language),
                   uow=uow, clock=clock)  # fmt: skip
    survey = create_survey(
        CreateSurvey(panel="Itä-Helsinki", title="Syksyn arviointi", statements=("Koen osallistumisen mielekkääksi",)),
        uow=uow,
        clock=clock,
    )
    assert survey.id is not None
    return World(uow, clock, survey.id, {})


def _open(world: World) -> list[str]:
    issued, make = _token_source()
    run = open_survey(OpenSurvey(world.survey_id), uow=world.uow, clock=world.clock, base_url=BASE, tokens=make)  # type: ignore[arg-type]
    assert run.mailed == run.queued == 6
    return issued


def _answer(world: World, token: str, choice: str = "agree", recommendation: str = "9", comment: str = "") -> None:
    answer_survey(AnswerSurvey(token, (choice,), recommendation, comment), uow=world.uow, clock=world.clock)


def test_opening_mails_each_member_a_link_of_their_own_and_stores_only_its_hash(world: World) -> None:
    issued = _open(world)
    assert sorted(world.links()) == sorted(f"{BASE}/survey/{t}" for t in issued)
    with world.uow:
        rows = world.uow.outbox.list()
        assert {r.language for r in rows} == {"fi", "sv", "en"}
        assert all(r.payload["survey_title"] == "Syksyn arviointi" and r.payload["closes_at"] for r in rows)
        stored = world.uow.data.surveys.tokens
        assert set(stored) == {token_hash(t) for t in issued}
        assert not set(stored) & set(issued)
        assert world.uow.surveys.get(world.survey_id).status is SurveyStatus.OPEN


def test_a_link_works_once_and_its_answer_carries_no_trace_of_the_member(world: World) -> None:
    token = _open(world)[0]
    link = survey_for_token(token, uow=world.uow, clock=world.clock)
    assert (link.survey.id, link.language, link.used, link.accepts_answers) == (world.survey_id, "fi", False, True)
    _answer(world, token, comment="Hyvä raati")
    with pytest.raises(SurveyLinkUsed):
        _answer(world, token)
    assert survey_for_token(token, uow=world.uow, clock=world.clock).used
    with world.uow:
        (answer,) = world.uow.surveys.answers(world.survey_id)
        assert answer.comment == "Hyvä raati"
        assert set(vars(answer)) == {"agreements", "recommendation", "comment"}
        # The log says nothing about who answered, or that anyone answered at a given time.
        assert {e.type for e in world.uow.events.for_aggregate(Aggregate.SURVEY, world.survey_id)} == {
            "created", "opened"
        }  # fmt: skip


def test_an_unknown_token_is_refused_without_being_repeated(world: World) -> None:
    _open(world)
    with pytest.raises(UnknownSurveyLink) as caught:
        _answer(world, "not-a-real-token")
    assert "not-a-real-token" not in str(caught.value)


@pytest.mark.parametrize(
    ("choice", "recommendation", "field"),
    [("", "9", "statement_1"), ("maybe", "9", "statement_1"), ("agree", "", "recommendation"),
     ("agree", "11", "recommendation"), ("agree", "0", "recommendation"), ("agree", "7.5", "recommendation")],
)  # fmt: skip
def test_an_incomplete_answer_names_the_field_and_leaves_the_link_unspent(
    world: World, choice: str, recommendation: str, field: str
) -> None:
    token = _open(world)[0]
    with pytest.raises(InvalidValue) as caught:
        _answer(world, token, choice=choice, recommendation=recommendation)
    assert caught.value.field == field
    _answer(world, token)  # still usable
    with world.uow:
        assert len(world.uow.surveys.answers(world.survey_id)) == 1


def test_explicit_skips_are_answers(world: World) -> None:
    token = _open(world)[0]
    _answer(world, token, choice="skip", recommendation="skip")
    with world.uow:
        (answer,) = world.uow.surveys.answers(world.survey_id)
    assert answer.agreements == (None,)
    assert answer.recommendation is None


def test_reminders_go_only_to_those_who_have_not_answered_once_per_period(world: World) -> None:
    issued = _open(world)
    for token in issued[:4]:
        _answer(world, token)
    first_round = remind_survey(world.survey_id, uow=world.uow, clock=world.clock, base_url=BASE)
    assert (first_round.round, first_round.mailed) == (0, 0)  # nothing in the first week
    world.clock.advance(days=7, hours=1)
    _, make = _token_source("reminder")
    run = remind_survey(world.survey_id, uow=world.uow, clock=world.clock, base_url=BASE, tokens=make)  # type: ignore[arg-type]
    assert (run.round, run.mailed, run.queued) == (1, 2, 2)
    again = remind_survey(world.survey_id, uow=world.uow, clock=world.clock, base_url=BASE)
    assert (again.round, again.mailed, again.queued) == (1, 0, 0)  # idempotent within the round
    with world.uow:
        mails = world.uow.outbox.list()
        invitations = world.uow.surveys.invitations(world.survey_id)
    unanswered = {i.member_id for i in invitations if i.used_at is None}
    assert len(unanswered) == 2
    assert {i.member_id for i in invitations if i.reminder_round == 1} == unanswered
    assert len(mails) == 6 + 2
    assert sorted(m.recipient_id for m in mails if "reminder-" in m.payload["survey_url"]) == sorted(unanswered)
    # Both links of a reminded member work, but only once between them.
    late = issued[4]
    _answer(world, late)
    with pytest.raises(SurveyLinkUsed):
        _answer(world, late)


def test_closing_refuses_further_answers_and_statements(world: World) -> None:
    issued = _open(world)
    _answer(world, issued[0])
    close_survey(world.survey_id, uow=world.uow, clock=world.clock)
    with pytest.raises(SurveyClosed):
        _answer(world, issued[1])
    with pytest.raises(InvalidTransition):
        close_survey(world.survey_id, uow=world.uow, clock=world.clock)
    with pytest.raises(InvalidValue) as caught:
        add_statements(world.survey_id, ["Myöhäinen väite"], uow=world.uow, clock=world.clock)
    assert caught.value.field == "status"
    with pytest.raises(SurveyClosed):
        remind_survey(world.survey_id, uow=world.uow, clock=world.clock, base_url=BASE)


def test_a_survey_past_its_closing_time_takes_no_answers_and_the_daily_round_closes_it(world: World) -> None:
    issued = _open(world)
    world.clock.advance(days=15)
    with pytest.raises(SurveyClosed):
        _answer(world, issued[0])
    assert close_due_surveys(uow=world.uow, clock=world.clock) == [world.survey_id]
    assert close_due_surveys(uow=world.uow, clock=world.clock) == []


def test_the_report_counts_each_answer_once(world: World) -> None:
    issued = _open(world)
    for token, choice, number in zip(issued, ["agree", "agree", "somewhat_agree", "disagree", "agree"],
                                     ["10", "9", "8", "3", "6"], strict=False):  # fmt: skip
        _answer(world, token, choice=choice, recommendation=number)
    report = survey_report(world.survey_id, uow=world.uow)
    assert (report.invited, report.respondents) == (6, 5)
    assert report.statements[0].breakdown.counts == (3, 1, 0, 1, 0)
    assert report.statements[0].breakdown.shares == (60, 20, 0, 20, 0)
    assert report.nps == 0  # 2 promoters, 2 detractors


def test_statements_go_into_a_draft_and_opening_twice_is_refused(world: World) -> None:
    survey = add_statements(world.survey_id, ["Sain tietoa ideoiden etenemisestä"], uow=world.uow, clock=world.clock)
    assert len(survey.statements) == 2
    _open(world)
    with pytest.raises(InvalidTransition):
        open_survey(OpenSurvey(world.survey_id), uow=world.uow, clock=world.clock, base_url=BASE)


def test_a_closing_time_in_the_past_is_refused(world: World) -> None:
    with pytest.raises(InvalidValue) as caught:
        open_survey(OpenSurvey(world.survey_id, closes_at=world.clock.now() - timedelta(days=1)),
                    uow=world.uow, clock=world.clock, base_url=BASE)  # fmt: skip
    assert caught.value.field == "closes_at"
    with world.uow:
        assert world.uow.surveys.get(world.survey_id).status is SurveyStatus.DRAFT
        assert world.uow.outbox.list() == []


@pytest.mark.parametrize("comment", ["Soita minulle 040 123 4567", "Olen 131052-308T", "kirjoita aino@example.fi"])
def test_identifiers_in_the_comment_are_refused_without_being_repeated(world: World, comment: str) -> None:
    token = _open(world)[0]
    with pytest.raises(InvalidValue) as caught:
        _answer(world, token, comment=comment)
    assert caught.value.field == "comment"
    assert comment.split()[-1] not in str(caught.value)
    _answer(world, token, comment="Kiitos, hyvä raati")  # the link was not spent


def test_health_details_in_the_comment_are_accepted(world: World) -> None:
    token = _open(world)[0]
    _answer(world, token, comment="Diabeteksen kanssa eläjänä koin, että minua kuunneltiin.")
    assert survey_report(world.survey_id, uow=world.uow).respondents == 1


def test_all_problems_of_an_answer_are_named_together(world: World) -> None:
    token = _open(world)[0]
    with pytest.raises(InvalidAnswer) as caught:
        _answer(world, token, choice="", recommendation="42")
    assert [p.field for p in caught.value.problems] == ["statement_1", "recommendation"]
    assert caught.value.field == "statement_1"
    assert "recommendation" in str(caught.value)


def test_the_dashboards_latest_reports_are_the_newest_opened_surveys_first_without_drafts(world: World) -> None:
    _open(world)
    later = []
    for title in ("Kevään arviointi", "Luonnos", "Kesän arviointi"):
        survey = create_survey(
            CreateSurvey(panel="Itä-Helsinki", title=title, statements=("Väite",)), uow=world.uow, clock=world.clock
        )
        assert survey.id is not None
        later.append(survey.id)
    for survey_id in (later[0], later[2]):
        open_survey(OpenSurvey(survey_id), uow=world.uow, clock=world.clock, base_url=BASE)

    reports = latest_reports(1, limit=2, uow=world.uow)

    assert [r.title for r in reports] == ["Kesän arviointi", "Kevään arviointi"]
    assert [r.title for r in latest_reports(1, limit=5, uow=world.uow)][-1] == "Syksyn arviointi"
