"""SQLAlchemy repository of the staff's API tokens (hashes only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.panels import StaffUser
from domain.values import Role
from persistence.access_tables import ApiTokenRow
from persistence.tables import CoordinatorPanelRow, StaffUserRow


class SqlAlchemyApiTokens:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, user_id: int, *, token_hash: str, at: datetime) -> int:
        """Revoke the user's active tokens and store a new one; returns how many were revoked."""
        result = self.session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        self.session.add(ApiTokenRow(user_id=user_id, token_hash=token_hash, created_at=at))
        self.session.flush()
        return int(result.rowcount)  # type: ignore[attr-defined]

    def has_active(self, user_id: int) -> bool:
        query = select(ApiTokenRow.id).where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
        return self.session.scalar(query.limit(1)) is not None

    def user_for(self, token_hash: str) -> StaffUser | None:
        """The user holding this active token, in one round trip (panels aggregated alongside)."""
        query = (
            select(StaffUserRow, CoordinatorPanelRow.panel_id)
            .join(ApiTokenRow, ApiTokenRow.user_id == StaffUserRow.id)
            .outerjoin(CoordinatorPanelRow, CoordinatorPanelRow.user_id == StaffUserRow.id)
            .where(ApiTokenRow.token_hash == token_hash, ApiTokenRow.revoked_at.is_(None))
        )
        rows = self.session.execute(query).all()
        if not rows:
            return None
        row = rows[0][0]
        panels = {panel_id for _, panel_id in rows if panel_id is not None}
        return StaffUser(id=row.id, email=row.email, role=Role(row.role), panel_ids=panels, service_id=row.service_id)
