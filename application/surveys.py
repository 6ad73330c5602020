"""Use cases of evaluation surveys: create, add statements, open (invite), remind, answer by token, close, report.

Invitations carry random one-time tokens; only their SHA-256 is stored. An answer is stored with
nothing that leads back to the member: the invitation only gets ``used_at`` (the day), so that
reminders go to those who have not answered. No event is logged per answer, for the same reason.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from application.access.identity import resolve_actor
from application.commands import ActorCommand
from application.ports.unit_of_work import Clock, UnitOfWork
from domain import surveys as model
from domain.errors import InvalidValue
from domain.events import Aggregate, Event, EventType
from domain.meetings import SYSTEM
from domain.panels import Member, Panel
from domain.privacy_detectors import Severity, check_text
from domain.survey_scoring import SurveyReport, score
from domain.surveys import Invitation, Survey, SurveyClosed, SurveyLinkUsed, SurveyStatus, UnknownSurveyLink
from notifications.kinds import SURVEY_INVITATION
from notifications.policy import panel_fields, to_members, translated, with_translations

DEFAULT_OPEN_DAYS = 14
DEFAULT_REMIND_EVERY_DAYS = 7
TokenSource = Callable[[], str]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def survey_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/survey/{token}"


@dataclass(frozen=True)
class CreateSurvey(ActorCommand):
    panel: str
    title: str
    statements: tuple[str, ...] = ()
    translations: Mapping[str, Mapping[str, Any]] | None = None  # title, statement (a list, by position)


@dataclass(frozen=True)
class OpenSurvey(ActorCommand):
    survey_id: int
    closes_at: datetime | None = None


@dataclass(frozen=True)
class AnswerSurvey:
    token: str
    agreements: tuple[str | None, ...]
    recommendation: str | None
    comment: str | None = None


@dataclass(frozen=True)
class MailRun:
    """What an opening or a reminder round did: ``round`` 0 is the invitation itself."""

    survey_id: int
    round: int
    mailed: int
    queued: int


@dataclass(frozen=True)
class SurveyListing:
    survey: Survey
    invited: int
    answered: int


def create_survey(cmd: CreateSurvey, *, uow: UnitOfWork, clock: Clock) -> Survey:
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        panel = uow.panels.get(cmd.panel)
        actor.require_coordinator(panel.stored_id)
        survey, event = model.create_survey(
            panel.stored_id,
            title=cmd.title,
            statements=cmd.statements,
            actor=actor.name,
            at=clock.now(),
            texts=cmd.translations,
        )
        survey = uow.surveys.add(survey)
        uow.events.append([_for(event, survey)])
        uow.commit()
        return survey


def add_statements(
    survey_id: int,
    statements: Sequence[str],
    *,
    uow: UnitOfWork,
    clock: Clock,
    actor: str | None = None,
    translations: Mapping[str, Mapping[str, Any]] | None = None,
) -> Survey:
    """Add statements to a draft; ``translations`` gives them in Swedish and English (``{"sv": {"statement":
    [...]}}``, by position)."""
    with uow:
        who = resolve_actor(uow, actor)
        survey = uow.surveys.get(survey_id)
        who.require_coordinator(survey.panel_id)
        event = model.add_statements(
            survey, statements, actor=who.name, seq=_seq(uow, survey), at=clock.now(), translated=translations
        )
        uow.surveys.save(survey)
        uow.events.append([event])
        uow.commit()
        return survey


def open_survey(
    cmd: OpenSurvey, *, uow: UnitOfWork, clock: Clock, base_url: str, tokens: TokenSource = new_token
) -> MailRun:
    """Open the survey and queue a one-time link to every active member who receives mail."""
    with uow:
        actor = resolve_actor(uow, cmd.actor)
        survey = uow.surveys.get(cmd.survey_id)
        actor.require_coordinator(survey.panel_id)
        now = clock.now()
        closes_at = cmd.closes_at or now + timedelta(days=DEFAULT_OPEN_DAYS)
        event = model.open_survey(survey, closes_at=closes_at, actor=actor.name, seq=_seq(uow, survey), at=now)
        uow.surveys.save(survey)
        panel = uow.panels.by_id(survey.panel_id)
        mailed = queued = 0
        for member in uow.members.active_in_panel(survey.panel_id):
            if not member.receives_mail or member.id is None:
                continue
            invitation = uow.surveys.invite(_id(survey), member.id, at=now)
            queued += _mail(
                uow, survey, panel, member, invitation, round_=0, base_url=base_url, token=tokens(), now=now
            )
            mailed += 1
        uow.events.append([_with(event, invited=mailed)])
        uow.commit()
        return MailRun(_id(survey), 0, mailed, queued)


def remind_survey(
    survey_id: int,
    *,
    uow: UnitOfWork,
    clock: Clock,
    base_url: str,
    every_days: int = DEFAULT_REMIND_EVERY_DAYS,
    tokens: TokenSource = new_token,
    actor: str | None = None,
) -> MailRun:
    """Remind those who have not answered, at most once per period of ``every_days`` since opening.

    Round k starts ``k * every_days`` after the opening; running it again within a round sends nothing
    (the invitation remembers its round, and the outbox ids carry it as the dedupe key). With ``actor``
    (a page), only the survey's panel's coordinators may; without, the flow or the operator.
    """
    if every_days < 1:
        raise InvalidValue("every_days", "must be at least 1")
    with uow:
        who = resolve_actor(uow, actor) if actor is not None else None
        survey = uow.surveys.get(survey_id)
        if who is not None:
            who.require_coordinator(survey.panel_id)
        now = clock.now()
        if not survey.accepts_answers(now) or survey.opened_at is None:
            raise SurveyClosed(survey.id)
        round_ = (now - survey.opened_at) // timedelta(days=every_days)
        if round_ < 1:
            return MailRun(_id(survey), 0, 0, 0)
        panel = uow.panels.by_id(survey.panel_id)
        mailed = queued = 0
        for invitation in uow.surveys.invitations(_id(survey)):
            if invitation.used_at is not None or invitation.reminder_round >= round_:
                continue
            member = uow.members.get(invitation.member_id)
            if not member.receives_mail:
                continue
            queued += _mail(
                uow, survey, panel, member, invitation, round_=round_, base_url=base_url, token=tokens(), now=now
            )
            uow.surveys.set_reminder_round(invitation.id, round_)
            mailed += 1
        if mailed:
            event = survey.record(
                EventType.REMINDED, seq=_seq(uow, survey), actor=SYSTEM, at=now, round=round_, count=mailed
            )
            uow.events.append([event])
        uow.commit()
        return MailRun(_id(survey), round_, mailed, queued)


def remind_open_surveys(
    *, uow: UnitOfWork, clock: Clock, base_url: str, every_days: int = DEFAULT_REMIND_EVERY_DAYS
) -> list[MailRun]:
    """The daily round of the flow: close surveys past their closing time, remind in the others."""
    close_due_surveys(uow=uow, clock=clock)
    with uow:
        open_ids = [_id(s) for s in uow.surveys.list(status=SurveyStatus.OPEN)]
    return [remind_survey(i, uow=uow, clock=clock, base_url=base_url, every_days=every_days) for i in open_ids]


@dataclass(frozen=True)
class SurveyLink:
    """Where a one-time link stands: the survey, the member's language, and whether it can still answer."""

    survey: Survey
    language: str
    used: bool
    accepts_answers: bool


def survey_for_token(token: str, *, uow: UnitOfWork, clock: Clock) -> SurveyLink:
    """What a link leads to; UnknownSurveyLink if it leads nowhere."""
    with uow:
        invitation = _by_token(uow, token)
        survey = uow.surveys.get(invitation.survey_id)
        language = uow.members.get(invitation.member_id).language.value
        return SurveyLink(survey, language, invitation.used_at is not None, survey.accepts_answers(clock.now()))


def answer_survey(cmd: AnswerSurvey, *, uow: UnitOfWork, clock: Clock) -> Survey:
    """Store one anonymous answer and spend the invitation, in one transaction."""
    with uow:
        invitation = _by_token(uow, cmd.token)
        survey = uow.surveys.get(invitation.survey_id)
        now = clock.now()
        if invitation.used_at is not None:
            raise SurveyLinkUsed()
        if not survey.accepts_answers(now):
            raise SurveyClosed(survey.id)
        answer = model.parse_answer(
            survey, agreements=cmd.agreements, recommendation=cmd.recommendation, comment=cmd.comment
        )
        _check_privacy(answer.comment)
        # Only the day: a precise moment could be matched with other records of when someone answered.
        if not uow.surveys.use(invitation.id, at=now.replace(hour=0, minute=0, second=0, microsecond=0)):
            raise SurveyLinkUsed()
        uow.surveys.add_answer(_id(survey), answer)
        uow.commit()
        return survey


def close_survey(survey_id: int, *, uow: UnitOfWork, clock: Clock, actor: str | None = None) -> Survey:
    with uow:
        who = resolve_actor(uow, actor) if actor is not None else None
        survey = uow.surveys.get(survey_id)
        if who is not None:
            who.require_coordinator(survey.panel_id)
        _close(uow, survey, actor=who.name if who else SYSTEM, at=clock.now())
        uow.commit()
        return survey


def close_due_surveys(*, uow: UnitOfWork, clock: Clock) -> list[int]:
    """Close every open survey whose closing time has passed."""
    with uow:
        now = clock.now()
        due = [s for s in uow.surveys.list(status=SurveyStatus.OPEN) if s.closes_at and s.closes_at <= now]
        for survey in due:
            _close(uow, survey, actor=SYSTEM, at=now)
        uow.commit()
        return [_id(s) for s in due]


def survey_report(survey_id: int, *, uow: UnitOfWork) -> SurveyReport:
    """The report of one survey (shares adding up to 100, bands, NPS, small groups suppressed)."""
    with uow:
        survey = uow.surveys.get(survey_id)
        invited, _ = uow.surveys.counts(survey_id)
        return score(survey, uow.surveys.answers(survey_id), invited=invited)


def latest_reports(panel_id: int, *, limit: int, uow: UnitOfWork) -> list[SurveyReport]:
    """The reports of the panel's ``limit`` newest opened surveys, newest first (the dashboard's: a bounded
    number of queries however many surveys the panel has had)."""
    with uow:
        reports = []
        for survey, answers, invited in uow.surveys.latest_opened(panel_id, limit=limit):
            reports.append(score(survey, answers, invited=invited))
        return reports


def list_surveys(panel: str | None = None, *, uow: UnitOfWork) -> list[SurveyListing]:
    with uow:
        panel_id = uow.panels.get(panel).id if panel is not None else None
        found = []
        for survey in uow.surveys.list(panel_id=panel_id):
            invited, answered = uow.surveys.counts(_id(survey))
            found.append(SurveyListing(survey, invited, answered))
        return found


# --- helpers ------------------------------------------------------------------------------


def _mail(
    uow: UnitOfWork,
    survey: Survey,
    panel: Panel,
    member: Member,
    invitation: Invitation,
    *,
    round_: int,
    base_url: str,
    token: str,
    now: datetime,
) -> int:
    """Store the hash of a fresh token for the invitation and queue the mail that carries the token itself."""
    uow.surveys.add_token(invitation.id, token_hash=token_hash(token), at=now)
    payload = {
        **panel_fields(panel),
        "survey_id": survey.id,
        "survey_title": survey.title,
        "survey_url": survey_link(base_url, token),
        "closes_at": survey.closes_at.isoformat() if survey.closes_at else "",
        "estimated_minutes": 2 + len(survey.statements) // 3,
    }
    with_translations(payload, translated(survey.translations, {"title": "survey_title"}))
    key = ("survey", survey.id, "round", round_)
    rows = to_members(SURVEY_INVITATION, key, [member], payload, panel_id=survey.panel_id, now=now)
    return uow.outbox.add_new(rows)


def _close(uow: UnitOfWork, survey: Survey, *, actor: str, at: datetime) -> None:
    event = model.close_survey(survey, actor=actor, seq=_seq(uow, survey), at=at)
    uow.surveys.save(survey)
    uow.surveys.seal_answers(_id(survey))
    uow.events.append([event])


def _by_token(uow: UnitOfWork, token: str) -> Invitation:
    invitation = uow.surveys.by_token(token_hash(token)) if 0 < len(token) <= 200 else None
    if invitation is None:
        raise UnknownSurveyLink()
    return invitation


def _check_privacy(comment: str) -> None:
    """Identifiers (identity codes, phone numbers, emails) in the free text would undo the anonymity: refused.

    Health details are let through: the comment is never emailed, and a member may describe their experience.
    """
    blocking = [f for f in check_text(comment) if f.severity is Severity.BLOCK]
    if blocking:
        where = ", ".join(f.position() for f in blocking)
        raise InvalidValue("comment", f"contains personal identifiers ({where}); remove them: answers are anonymous")


def _id(survey: Survey) -> int:
    return survey.stored_id


def _seq(uow: UnitOfWork, survey: Survey) -> int:
    return uow.events.next_seq(Aggregate.SURVEY, _id(survey))


def _for(event: Event, survey: Survey) -> Event:
    return replace(event, aggregate_id=survey.id)


def _with(event: Event, **data: object) -> Event:
    return replace(event, data=MappingProxyType({**event.data, **data}))
