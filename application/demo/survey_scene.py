"""The demo panel's evaluation survey: opened, answered through the members' one-time links, reminded, closed.

``application.demo.pilot`` calls ``closed_survey`` at the end of its season; the answers are the demo's own,
given through the same use case the answer page uses.
"""

from __future__ import annotations

from collections.abc import Callable

from application import surveys
from application.ports.unit_of_work import Clock, UnitOfWork
from application.surveys import AnswerSurvey, CreateSurvey, OpenSurvey

TITLE = "Asiakasraadin syksyn arviointi"
STATEMENTS = (
    "Koen mielekkääksi osallistua palvelun kehittämiseen, vaikka en itse käyttäisi palvelua",
    "Sain riittävästi tietoa ennen tapaamisia",
    "Sain tietää, mitä ideoillemme tapahtui",
)
# The survey in Swedish and English: its title and each statement, in the order above.
TRANSLATIONS = {
    "sv": {
        "title": "Kundrådets utvärdering i höst",
        "statement": [
            "Det känns meningsfullt att vara med och utveckla tjänsten, även om jag inte själv använder den",
            "Jag fick tillräckligt med information före mötena",
            "Jag fick veta vad som hände med våra idéer",
        ],
    },
    "en": {
        "title": "The customer panel's autumn evaluation",
        "statement": [
            "Taking part in developing the service feels worthwhile, even if I do not use it myself",
            "I got enough information before the meetings",
            "I found out what happened to our ideas",
        ],
    },
}
# (statement choices, recommendation, comment) of the members who answer in the first days...
FIRST = [
    (("agree", "agree", "somewhat_agree"), "10", "Oli hienoa nähdä, että kuvat tulivat oikeasti Omaoloon."),
    (("agree", "somewhat_agree", "agree"), "9", ""),
    (("agree", "agree", "agree"), "9", "Ennakkotiedot olisivat voineet tulla aiemmin."),
    (("somewhat_agree", "agree", "somewhat_agree"), "8", ""),
    (("agree", "agree", "somewhat_disagree"), "10", ""),
    (("agree", "somewhat_disagree", "agree"), "7", "Tapaamiset voisivat olla iltaisin."),
    (("agree", "agree", "agree"), "9", ""),
    (("somewhat_disagree", "agree", "skip"), "5", ""),
]
# ...and of those who answer after the reminder.
AFTER_REMINDER = [
    (("agree", "somewhat_agree", "somewhat_agree"), "8", "Bra att man kunde svara på svenska."),
    (("agree", "agree", "disagree"), "6", ""),
    (("disagree", "somewhat_agree", "somewhat_disagree"), "3", ""),
]


def closed_survey(panel: str, *, actor: str, uow: Callable[[], UnitOfWork], clock: Clock, base_url: str,
                  advance: Callable[..., None]) -> int:  # fmt: skip
    """Create, open, answer, remind and close the survey; returns its id. ``advance`` moves the demo's clock."""
    issued: list[str] = []

    def token() -> str:
        issued.append(surveys.new_token())
        return issued[-1]

    survey = surveys.create_survey(
        CreateSurvey(panel=panel, title=TITLE, statements=STATEMENTS, actor=actor, translations=TRANSLATIONS),
        uow=uow(),
        clock=clock,
    )
    surveys.open_survey(
        OpenSurvey(survey.stored_id, actor=actor), uow=uow(), clock=clock, base_url=base_url, tokens=token
    )
    advance(days=2)
    first_links = list(issued)
    for link, (choices, number, comment) in zip(first_links, FIRST, strict=False):
        surveys.answer_survey(AnswerSurvey(link, choices, number, comment), uow=uow(), clock=clock)
    advance(days=6)
    surveys.remind_survey(survey.stored_id, uow=uow(), clock=clock, base_url=base_url, tokens=token)
    reminder_links = issued[len(first_links) :]
    advance(days=2)
    for link, (choices, number, comment) in zip(reminder_links, AFTER_REMINDER, strict=False):
        surveys.answer_survey(AnswerSurvey(link, choices, number, comment), uow=uow(), clock=clock)
    advance(days=1)
    surveys.close_survey(survey.stored_id, uow=uow(), clock=clock, actor=actor)
    return survey.stored_id
