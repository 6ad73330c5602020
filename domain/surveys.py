"""Evaluation surveys: statements on the 4-point agreement scale, the 1–10 recommendation, free text.

A survey moves draft → open → closed (one table, one guarded mutator). Answers are anonymous
values: nothing in an ``Answer`` says who gave it. Scoring lives in ``domain.survey_scoring``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from domain.entities import Entity
from domain.errors import DomainError, InvalidTransition, InvalidValue
from domain.events import Aggregate, Event, EventType, record_event
from domain.translations import NONE, TextRule, Translations, translations
from domain.values import MAX_TEXT, MAX_TITLE, Language, aware, bounded_text, single_line

MAX_STATEMENTS = 30
MAX_STATEMENT = MAX_TITLE * 2
# A survey's title and its statements (by position) in Swedish and English.
SURVEY_TEXTS: Mapping[str, TextRule] = MappingProxyType(
    {"title": TextRule(MAX_TITLE, one_line=True), "statement": TextRule(MAX_STATEMENT, one_line=True, listed=True)}
)
RECOMMENDATION_MIN = 1
RECOMMENDATION_MAX = 10
SKIP = "skip"  # the explicit "I'd rather not answer" choice; a missing choice is an error


class Agreement(StrEnum):
    """The model's four-point scale, most positive first (the order of the report and the form)."""

    AGREE = "agree"
    SOMEWHAT_AGREE = "somewhat_agree"
    SOMEWHAT_DISAGREE = "somewhat_disagree"
    DISAGREE = "disagree"


AGREEMENT_LABELS: Mapping[str, Mapping[Agreement, str]] = MappingProxyType(
    {
        "fi": {
            Agreement.AGREE: "samaa mieltä",
            Agreement.SOMEWHAT_AGREE: "jossain määrin samaa mieltä",
            Agreement.SOMEWHAT_DISAGREE: "jossain määrin eri mieltä",
            Agreement.DISAGREE: "eri mieltä",
        },
        "sv": {
            Agreement.AGREE: "av samma åsikt",
            Agreement.SOMEWHAT_AGREE: "delvis av samma åsikt",
            Agreement.SOMEWHAT_DISAGREE: "delvis av annan åsikt",
            Agreement.DISAGREE: "av annan åsikt",
        },
        "en": {
            Agreement.AGREE: "agree",
            Agreement.SOMEWHAT_AGREE: "somewhat agree",
            Agreement.SOMEWHAT_DISAGREE: "somewhat disagree",
            Agreement.DISAGREE: "disagree",
        },
    }
)


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


TRANSITIONS: Mapping[SurveyStatus, frozenset[SurveyStatus]] = MappingProxyType(
    {
        SurveyStatus.DRAFT: frozenset({SurveyStatus.OPEN}),
        SurveyStatus.OPEN: frozenset({SurveyStatus.CLOSED}),
        SurveyStatus.CLOSED: frozenset(),
    }
)


class SurveyLinkUsed(DomainError):
    """The one-time link has already been used to answer."""

    field = "token"

    def __init__(self) -> None:
        super().__init__("token: this survey link has already been used")


class UnknownSurveyLink(DomainError):
    """No invitation has this token (mistyped, or from another system); the token is not repeated back."""

    field = "token"

    def __init__(self) -> None:
        super().__init__("token: this survey link is not known")


class SurveyClosed(DomainError):
    """The survey takes no answers (not open yet, closed, or past its closing time)."""

    field = "survey"

    def __init__(self, survey_id: int | None) -> None:
        self.survey_id = survey_id
        super().__init__(f"survey: survey {survey_id} is not open for answers")


@dataclass(frozen=True)
class Invitation:
    """A member's invitation to one survey; ``used_at`` is set when someone answered through one of its links.

    The answer itself is stored apart, with nothing that points back here.
    """

    id: int
    survey_id: int
    member_id: int
    invited_at: datetime
    used_at: datetime | None = None
    reminder_round: int = 0


@dataclass(frozen=True)
class Answer:
    """One respondent's answers, with no trace of who they are.

    ``agreements[i]`` is the choice for statement ``i``, None when explicitly skipped;
    ``recommendation`` is 1–10 or None when skipped; ``comment`` may be empty.
    """

    agreements: tuple[Agreement | None, ...]
    recommendation: int | None
    comment: str = ""


@dataclass
class Survey(Entity):
    id: int | None
    panel_id: int
    title: str
    statements: list[str] = field(default_factory=list)
    status: SurveyStatus = SurveyStatus.DRAFT
    created_at: datetime | None = None
    opened_at: datetime | None = None
    closes_at: datetime | None = None
    closed_at: datetime | None = None
    translations: Translations = NONE  # the title in Swedish and English
    # Each statement's text in Swedish and English, by position (may be shorter than the statements).
    statement_translations: list[Translations] = field(default_factory=list)

    def statement_in(self, position: int, language: Language | str) -> str | None:
        """A statement's translation, None when it has none in ``language`` (the reader then gets the Finnish)."""
        if position >= len(self.statement_translations):
            return None
        found = self.statement_translations[position].get(language, "text")
        return found if isinstance(found, str) else None

    def accepts_answers(self, now: datetime) -> bool:
        """Open, and not past its closing time."""
        return self.status is SurveyStatus.OPEN and (self.closes_at is None or now < self.closes_at)

    def record(self, type_: EventType, *, seq: int, actor: str, at: datetime, **data: Any) -> Event:
        return record_event(Aggregate.SURVEY, self.id, type_, seq=seq, actor=actor, at=at, **data)


def statement_text(text: str) -> str:
    return single_line(text, field="statement", maximum=MAX_STATEMENT)


def _statement_translations(given: Translations, count: int) -> list[Translations]:
    """The ``statement`` lists split into each statement's own translations (``{"sv": {"text": …}}``)."""
    by_position: list[dict[Language, Mapping[str, str]]] = [{} for _ in range(count)]
    for language, by_field in given.texts.items():
        items = by_field.get("statement", ())
        if len(items) > count:
            raise InvalidValue(
                f"translations.{language.value}.statement", f"gives {len(items)} texts for {count} statements"
            )
        for i, text in enumerate(items):
            by_position[i][language] = MappingProxyType({"text": text})
    return [Translations(MappingProxyType(texts)) if texts else NONE for texts in by_position]


def create_survey(
    panel_id: int,
    *,
    title: str,
    statements: Sequence[str],
    actor: str,
    at: datetime,
    texts: Mapping[str, Any] | None = None,
) -> tuple[Survey, Event]:
    """A draft survey; ``texts`` are the title and statements in Swedish and English (``SURVEY_TEXTS``)."""
    statement_texts = [statement_text(s) for s in statements]
    if len(statement_texts) > MAX_STATEMENTS:
        raise InvalidValue("statement", f"{len(statement_texts)} statements; at most {MAX_STATEMENTS} are allowed")
    given = translations(texts, rules=SURVEY_TEXTS)
    survey = Survey(
        id=None,
        panel_id=panel_id,
        title=single_line(title, field="title", maximum=MAX_TITLE),
        statements=statement_texts,
        created_at=aware(at),
        translations=Translations(
            MappingProxyType(
                {
                    language: MappingProxyType({"title": by_field["title"]})
                    for language, by_field in given.texts.items()
                    if "title" in by_field
                }
            )
        ),
        statement_translations=_statement_translations(given, len(statement_texts)),
    )
    return survey, survey.record(
        EventType.CREATED, seq=1, actor=actor, at=at, title=survey.title, statements=statement_texts
    )


def add_statements(
    survey: Survey,
    texts: Sequence[str],
    *,
    actor: str,
    seq: int,
    at: datetime,
    translated: Mapping[str, Any] | None = None,
) -> Event:
    """Only a draft takes new statements: answers already given must keep their meaning.

    ``translated``: the added statements in Swedish and English (``{"sv": {"statement": [...]}}``), by position.
    """
    if survey.status is not SurveyStatus.DRAFT:
        raise InvalidValue("status", f"survey {survey.id} is {survey.status.value}; statements go into a draft only")
    added = [statement_text(t) for t in texts]
    if not added:
        raise InvalidValue("statement", "give at least one statement")
    if len(survey.statements) + len(added) > MAX_STATEMENTS:
        raise InvalidValue("statement", f"a survey holds at most {MAX_STATEMENTS} statements")
    given = translations(translated, rules={"statement": SURVEY_TEXTS["statement"]})
    survey.statement_translations = [
        *survey.statement_translations,
        *[NONE] * (len(survey.statements) - len(survey.statement_translations)),
        *_statement_translations(given, len(added)),
    ]
    survey.statements.extend(added)
    return survey.record(EventType.STATEMENTS_ADDED, seq=seq, actor=actor, at=at, statements=added)


def _move(survey: Survey, to: SurveyStatus) -> SurveyStatus:
    allowed = TRANSITIONS[survey.status]
    if to not in allowed:
        raise InvalidTransition(survey.status.value, to.value, (s.value for s in allowed))
    before, survey.status = survey.status, to
    return before


def open_survey(survey: Survey, *, closes_at: datetime, actor: str, seq: int, at: datetime) -> Event:
    if aware(closes_at, field="closes_at") <= aware(at):
        raise InvalidValue("closes_at", "must be in the future")
    before = _move(survey, SurveyStatus.OPEN)
    survey.opened_at, survey.closes_at = at, closes_at
    event = survey.record(EventType.OPENED, seq=seq, actor=actor, at=at, closes_at=closes_at.isoformat())
    return _with_states(event, before, survey.status)


def close_survey(survey: Survey, *, actor: str, seq: int, at: datetime) -> Event:
    before = _move(survey, SurveyStatus.CLOSED)
    survey.closed_at = at
    return _with_states(survey.record(EventType.CLOSED, seq=seq, actor=actor, at=at), before, survey.status)


def _with_states(event: Event, before: SurveyStatus, after: SurveyStatus) -> Event:
    return replace(event, from_state=before.value, to_state=after.value)


class InvalidAnswer(InvalidValue):
    """Several questions of one answer need fixing; ``field`` and the message name the first, ``problems`` all."""

    def __init__(self, problems: Sequence[InvalidValue]) -> None:
        self.problems = tuple(problems)
        super().__init__(problems[0].field, problems[0].reason)
        self.args = ("; ".join(str(p) for p in problems),)


def parse_answer(
    survey: Survey, *, agreements: Sequence[str | None], recommendation: str | None, comment: str | None
) -> Answer:
    """Validate raw choices: each statement needs an option or the explicit ``skip``; so does the recommendation.

    Every problem is found, not only the first (InvalidAnswer when there are several).
    """
    if len(agreements) != len(survey.statements):
        raise InvalidValue("statements", f"{len(agreements)} answers for {len(survey.statements)} statements")
    problems: list[InvalidValue] = []
    choices: list[Agreement | None] = []
    for index, raw in enumerate(agreements, start=1):
        try:
            choices.append(_agreement(raw, field=f"statement_{index}"))
        except InvalidValue as problem:
            problems.append(problem)
    number = text = None
    try:
        number = _recommendation(recommendation)
    except InvalidValue as problem:
        problems.append(problem)
    try:
        text = bounded_text(comment, field="comment", maximum=MAX_TEXT, required=False)
    except InvalidValue as problem:
        problems.append(problem)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InvalidAnswer(problems)
    return Answer(tuple(choices), number, text or "")


def _agreement(raw: str | None, *, field: str) -> Agreement | None:
    value = (raw or "").strip().lower()
    if value == SKIP:
        return None
    try:
        return Agreement(value)
    except ValueError:
        allowed = ", ".join([*(a.value for a in Agreement), SKIP])
        reason = "is not answered" if not value else f"{raw!r} is not one of {allowed}"
        raise InvalidValue(field, reason) from None


def _recommendation(raw: str | None) -> int | None:
    value = (raw or "").strip().lower()
    if value == SKIP:
        return None
    if not value:
        raise InvalidValue("recommendation", "is not answered")
    if not value.isdigit() or not RECOMMENDATION_MIN <= int(value) <= RECOMMENDATION_MAX:
        raise InvalidValue("recommendation", f"{raw!r} is not a whole number from 1 to 10")
    return int(value)
