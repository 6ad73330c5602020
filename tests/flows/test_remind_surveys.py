"""``remind-surveys`` run by Prefect: reminders reach only members who have not answered, once a round,
and a survey past its closing time is closed."""

from __future__ import annotations

import asyncio

import pytest

from application.surveys import AnswerSurvey, CreateSurvey, OpenSurvey, answer_survey, create_survey, open_survey
from domain.surveys import SurveyStatus
from flows.remind_surveys import remind_surveys
from tests.flows.conftest import Raati
from tests.integration.conftest import MEMBERS, PANEL

pytestmark = pytest.mark.slow


def test_the_flow_reminds_non_answerers_by_mail_once_per_round_and_closes_when_due(raati: Raati) -> None:
    survey = create_survey(CreateSurvey(panel=PANEL, title="Arviointi", statements=("Väite",)),
                           uow=raati.uow_factory(), clock=raati.clock)  # fmt: skip
    assert survey.id is not None
    issued: list[str] = []
    open_survey(OpenSurvey(survey.id), uow=raati.uow_factory(), clock=raati.clock, base_url="http://127.0.0.1:8000",
                tokens=lambda: issued.append(f"flow-token-{len(issued)}-" + "q" * 30) or issued[-1])  # fmt: skip
    answer_survey(AnswerSurvey(issued[0], ("agree",), "9"), uow=raati.uow_factory(), clock=raati.clock)

    raati.clock.advance(days=7, minutes=1)
    run = asyncio.run(remind_surveys())
    assert run["queued"] == len(MEMBERS) - 1
    assert [(r["round"], r["reminded"]) for r in run["surveys"]] == [(1, len(MEMBERS) - 1)]
    delivered = [m for m in raati.mailbox.messages() if "Arviointi" in str(m["Subject"])]
    # The flow's dispatch sent the invitations too (nothing had dispatched them); reminders carry new links.
    bodies = {str(m["Delivered-To"]) + str(i): m.get_body(("plain",)).get_content() for i, m in enumerate(delivered)}
    assert sum("flow-token-" in body for body in bodies.values()) == len(MEMBERS)
    reminded = sorted(key[:-1] for key, body in bodies.items() if "flow-token-" not in body)
    assert len(reminded) == len(MEMBERS) - 1
    assert MEMBERS[0][1] not in reminded  # the one who answered (the first link went to the first member)

    again = asyncio.run(remind_surveys())
    assert again["queued"] == 0

    raati.clock.advance(days=7)  # past the default 14 days
    asyncio.run(remind_surveys())
    with raati.uow_factory() as uow:
        assert uow.surveys.get(survey.id).status is SurveyStatus.CLOSED
