"""Survey tables: surveys and statements, invitations with hashed one-time tokens, anonymous answers.

``survey_answers`` has no column that leads to a member or an invitation, no timestamp, and a
random primary key (on SQLite also no rowid), so neither its columns nor its order tell who answered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from persistence.tables import Base
from persistence.types import JSONDocument


class SurveyRow(Base):
    __tablename__ = "surveys"
    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime]
    opened_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    translations: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)  # the title in sv/en (0012)


class SurveyStatementRow(Base):
    __tablename__ = "survey_statements"
    __table_args__ = (UniqueConstraint("survey_id", "position", name="uq_survey_statements_position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    translations: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)  # the text in sv/en (0012)


class SurveyInvitationRow(Base):
    """Who was invited and whether they have answered (``used_at``), never what they answered."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("survey_id", "member_id", name="uq_survey_invitations_member"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    invited_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    reminder_round: Mapped[int] = mapped_column(default=0, server_default="0")


class SurveyTokenRow(Base):
    """One link of an invitation (the first mail and each reminder carry their own); only the SHA-256 is kept."""

    __tablename__ = "survey_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("survey_invitations.id"), index=True)
    issued_at: Mapped[datetime]


class SurveyAnswerRow(Base):
    """One anonymous answer; ``agreements`` lists each statement's choice by position (null = skipped)."""

    __tablename__ = "survey_answers"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy reads a plain dict
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    agreements: Mapped[list[Any]] = mapped_column(JSONDocument)
    recommendation: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
