"""The SQLAlchemy survey repository: surveys, invitations and their hashed tokens, anonymous answers."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.errors import NotFound
from domain.surveys import Agreement, Answer, Invitation, Survey, SurveyStatus
from domain.translations import Translations, from_store
from persistence.survey_tables import (
    SurveyAnswerRow,
    SurveyInvitationRow,
    SurveyRow,
    SurveyStatementRow,
    SurveyTokenRow,
)


class SqlAlchemySurveys:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, survey: Survey) -> Survey:
        row = SurveyRow(panel_id=survey.panel_id, title=survey.title, status=survey.status.value)
        self._copy(survey, row)
        self.session.add(row)
        self.session.flush()
        survey.id = row.id
        self._write_statements(survey)
        return survey

    def get(self, survey_id: int) -> Survey:
        row = self.session.get(SurveyRow, survey_id)
        if row is None:
            raise NotFound("survey", survey_id)
        return self._survey(row)

    def save(self, survey: Survey) -> None:
        row = self.session.get(SurveyRow, survey.id)
        if row is None:
            raise NotFound("survey", survey.id)
        self._copy(survey, row)
        self._write_statements(survey)
        self.session.flush()

    def list(self, *, panel_id: int | None = None, status: SurveyStatus | None = None) -> builtins.list[Survey]:
        query = select(SurveyRow).order_by(SurveyRow.id)
        if panel_id is not None:
            query = query.where(SurveyRow.panel_id == panel_id)
        if status is not None:
            query = query.where(SurveyRow.status == status.value)
        return [self._survey(row) for row in self.session.scalars(query)]

    def latest_opened(self, panel_id: int, *, limit: int) -> builtins.list[tuple[Survey, builtins.list[Answer], int]]:
        rows = self.session.scalars(
            select(SurveyRow)
            .where(SurveyRow.panel_id == panel_id, SurveyRow.status != SurveyStatus.DRAFT.value)
            .order_by(SurveyRow.id.desc())
            .limit(limit)
        ).all()
        ids = [row.id for row in rows]
        if not ids:
            return []
        statements: dict[int, builtins.list[str]] = {i: [] for i in ids}
        for survey_id, text in self.session.execute(
            select(SurveyStatementRow.survey_id, SurveyStatementRow.text)
            .where(SurveyStatementRow.survey_id.in_(ids))
            .order_by(SurveyStatementRow.survey_id, SurveyStatementRow.position)
        ):
            statements[survey_id].append(text)
        answers: dict[int, builtins.list[Answer]] = {i: [] for i in ids}
        for row in self.session.scalars(
            select(SurveyAnswerRow).where(SurveyAnswerRow.survey_id.in_(ids)).order_by(SurveyAnswerRow.id)
        ):
            answers[row.survey_id].append(_answer(row))
        invited = dict.fromkeys(ids, 0)
        for survey_id, count in self.session.execute(
            select(SurveyInvitationRow.survey_id, func.count())
            .where(SurveyInvitationRow.survey_id.in_(ids))
            .group_by(SurveyInvitationRow.survey_id)
        ):
            invited[survey_id] = int(count)
        return [(self._survey(row, statements[row.id]), answers[row.id], invited[row.id]) for row in rows]

    # --- invitations and their one-time tokens ---------------------------------------

    def invite(self, survey_id: int, member_id: int, *, at: datetime) -> Invitation:
        row = SurveyInvitationRow(survey_id=survey_id, member_id=member_id, invited_at=at, reminder_round=0)
        self.session.add(row)
        self.session.flush()
        return self._invitation(row)

    def add_token(self, invitation_id: int, *, token_hash: str, at: datetime) -> None:
        self.session.add(SurveyTokenRow(token_hash=token_hash, invitation_id=invitation_id, issued_at=at))
        self.session.flush()

    def invitations(self, survey_id: int) -> builtins.list[Invitation]:
        query = select(SurveyInvitationRow).where(SurveyInvitationRow.survey_id == survey_id)
        return [self._invitation(r) for r in self.session.scalars(query.order_by(SurveyInvitationRow.id))]

    def by_token(self, token_hash: str) -> Invitation | None:
        row = self.session.scalar(
            select(SurveyInvitationRow)
            .join(SurveyTokenRow, SurveyTokenRow.invitation_id == SurveyInvitationRow.id)
            .where(SurveyTokenRow.token_hash == token_hash)
        )
        return self._invitation(row) if row is not None else None

    def set_reminder_round(self, invitation_id: int, round_: int) -> None:
        self.session.execute(
            update(SurveyInvitationRow).where(SurveyInvitationRow.id == invitation_id).values(reminder_round=round_)
        )

    def use(self, invitation_id: int, *, at: datetime) -> bool:
        """Mark the invitation used; False if it already was (a guarded UPDATE: of two racing answers one wins)."""
        result = self.session.execute(
            update(SurveyInvitationRow)
            .where(SurveyInvitationRow.id == invitation_id, SurveyInvitationRow.used_at.is_(None))
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0)) == 1

    # --- answers ---------------------------------------------------------------------------

    def add_answer(self, survey_id: int, answer: Answer) -> None:
        self.session.add(
            SurveyAnswerRow(
                id=str(uuid.uuid4()),
                survey_id=survey_id,
                agreements=[a.value if a is not None else None for a in answer.agreements],
                recommendation=answer.recommendation,
                comment=answer.comment,
            )
        )
        self.session.flush()

    def answers(self, survey_id: int) -> builtins.list[Answer]:
        query = select(SurveyAnswerRow).where(SurveyAnswerRow.survey_id == survey_id).order_by(SurveyAnswerRow.id)
        return [_answer(row) for row in self.session.scalars(query)]

    def counts(self, survey_id: int) -> tuple[int, int]:
        """(invited, answered) by the invitations; answers are counted from the answer table."""
        invited = self.session.scalar(
            select(func.count()).select_from(SurveyInvitationRow).where(SurveyInvitationRow.survey_id == survey_id)
        )
        answered = self.session.scalar(
            select(func.count()).select_from(SurveyAnswerRow).where(SurveyAnswerRow.survey_id == survey_id)
        )
        return int(invited or 0), int(answered or 0)

    def seal_answers(self, survey_id: int) -> None:
        """Rewrite the survey's answers in one statement, so on PostgreSQL they all carry this transaction's
        id (xmin) and no longer the id of the transaction that also marked an invitation used."""
        self.session.execute(
            update(SurveyAnswerRow)
            .where(SurveyAnswerRow.survey_id == survey_id)
            .values(comment=SurveyAnswerRow.comment)
            .execution_options(synchronize_session=False)
        )

    # --- mapping ---------------------------------------------------------------------------

    @staticmethod
    def _copy(survey: Survey, row: SurveyRow) -> None:
        row.title = survey.title
        row.status = survey.status.value
        row.created_at = survey.created_at  # type: ignore[assignment]  # always set by create_survey
        row.opened_at = survey.opened_at
        row.closes_at = survey.closes_at
        row.closed_at = survey.closed_at
        row.translations = survey.translations.as_json() or None

    def _write_statements(self, survey: Survey) -> None:
        stored = self.session.scalar(
            select(func.count()).select_from(SurveyStatementRow).where(SurveyStatementRow.survey_id == survey.id)
        )
        # Statements are only ever appended (and only to a draft): write the new tail.
        for position, text in enumerate(survey.statements[int(stored or 0) :], start=int(stored or 0)):
            translated = (
                survey.statement_translations[position] if position < len(survey.statement_translations) else None
            )
            self.session.add(
                SurveyStatementRow(
                    survey_id=survey.stored_id,
                    position=position,
                    text=text,
                    translations=translated.as_json() or None if translated else None,
                )
            )

    def _survey(self, row: SurveyRow, statements: Sequence[str] | None = None) -> Survey:
        translated: list[Translations] = []
        if statements is None:
            found = self.session.execute(
                select(SurveyStatementRow.text, SurveyStatementRow.translations)
                .where(SurveyStatementRow.survey_id == row.id)
                .order_by(SurveyStatementRow.position)
            ).all()
            statements = [text for text, _ in found]
            translated = [from_store(texts) for _, texts in found]
        return Survey(
            id=row.id,
            panel_id=row.panel_id,
            title=row.title,
            statements=list(statements),
            status=SurveyStatus(row.status),
            created_at=row.created_at,
            opened_at=row.opened_at,
            closes_at=row.closes_at,
            closed_at=row.closed_at,
            translations=from_store(row.translations),
            statement_translations=translated,
        )

    @staticmethod
    def _invitation(row: SurveyInvitationRow) -> Invitation:
        return Invitation(
            id=row.id,
            survey_id=row.survey_id,
            member_id=row.member_id,
            invited_at=row.invited_at,
            used_at=row.used_at,
            reminder_round=row.reminder_round,
        )


def _answer(row: SurveyAnswerRow) -> Answer:
    return Answer(
        agreements=tuple(Agreement(a) if a is not None else None for a in row.agreements),
        recommendation=row.recommendation,
        comment=row.comment,
    )
