"""In-memory surveys for FakeUnitOfWork (as in persistence/surveys.py)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from domain.errors import NotFound
from domain.surveys import Answer, Invitation, Survey, SurveyStatus


@dataclass
class SurveyData:
    surveys: dict[int, Survey] = field(default_factory=dict)
    invitations: dict[int, Invitation] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)  # token hash -> invitation id
    # Answers are kept per survey in arrival order; nothing points at an invitation.
    answers: dict[int, list[Answer]] = field(default_factory=dict)
    last_id: dict[str, int] = field(default_factory=dict)

    def next_id(self, table: str) -> int:
        self.last_id[table] = self.last_id.get(table, 0) + 1
        return self.last_id[table]


class _Uow(Protocol):
    @property
    def data(self) -> Any: ...


class FakeSurveys:
    def __init__(self, uow: _Uow) -> None:
        self._uow = uow

    @property
    def _d(self) -> SurveyData:
        data: SurveyData = self._uow.data.surveys
        return data

    def add(self, survey: Survey) -> Survey:
        survey.id = self._d.next_id("surveys")
        self._d.surveys[survey.id] = copy.deepcopy(survey)
        return survey

    def get(self, survey_id: int) -> Survey:
        if survey_id not in self._d.surveys:
            raise NotFound("survey", survey_id)
        return copy.deepcopy(self._d.surveys[survey_id])

    def save(self, survey: Survey) -> None:
        if survey.id not in self._d.surveys:
            raise NotFound("survey", survey.id)
        self._d.surveys[survey.id] = copy.deepcopy(survey)

    def list(self, *, panel_id: int | None = None, status: SurveyStatus | None = None) -> list[Survey]:
        return [
            copy.deepcopy(s)
            for _, s in sorted(self._d.surveys.items())
            if (panel_id is None or s.panel_id == panel_id) and (status is None or s.status is status)
        ]

    def latest_opened(self, panel_id: int, *, limit: int) -> list[tuple[Survey, list[Answer], int]]:
        opened = [s for s in self.list(panel_id=panel_id) if s.status is not SurveyStatus.DRAFT][::-1][:limit]
        return [(s, self.answers(s.id or 0), self.counts(s.id or 0)[0]) for s in opened]

    def invite(self, survey_id: int, member_id: int, *, at: datetime) -> Invitation:
        if any((i.survey_id, i.member_id) == (survey_id, member_id) for i in self._d.invitations.values()):
            raise ValueError(f"uq_survey_invitations_member ({survey_id}, {member_id})")
        invitation = Invitation(self._d.next_id("invitations"), survey_id, member_id, at)
        self._d.invitations[invitation.id] = invitation
        return invitation

    def add_token(self, invitation_id: int, *, token_hash: str, at: datetime) -> None:
        if token_hash in self._d.tokens:
            raise ValueError("survey_tokens.token_hash")
        self._d.tokens[token_hash] = invitation_id

    def invitations(self, survey_id: int) -> list[Invitation]:
        return [i for _, i in sorted(self._d.invitations.items()) if i.survey_id == survey_id]

    def by_token(self, token_hash: str) -> Invitation | None:
        invitation_id = self._d.tokens.get(token_hash)
        return self._d.invitations[invitation_id] if invitation_id is not None else None

    def set_reminder_round(self, invitation_id: int, round_: int) -> None:
        self._d.invitations[invitation_id] = replace(self._d.invitations[invitation_id], reminder_round=round_)

    def use(self, invitation_id: int, *, at: datetime) -> bool:
        invitation = self._d.invitations[invitation_id]
        if invitation.used_at is not None:
            return False
        self._d.invitations[invitation_id] = replace(invitation, used_at=at)
        return True

    def add_answer(self, survey_id: int, answer: Answer) -> None:
        self._d.answers.setdefault(survey_id, []).append(answer)

    def answers(self, survey_id: int) -> list[Answer]:
        return list(self._d.answers.get(survey_id, []))

    def counts(self, survey_id: int) -> tuple[int, int]:
        return len(self.invitations(survey_id)), len(self._d.answers.get(survey_id, []))

    def seal_answers(self, survey_id: int) -> None:
        """Nothing to rewrite in memory."""
