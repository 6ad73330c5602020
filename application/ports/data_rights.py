"""What members' data rights (GDPR export and erasure, application/data_rights.py) need of the store: the member's
data across every table, on the unit of work's own transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from application.ports.unit_of_work import UnitOfWork
from domain.data_rights import Redactor


class MemberDataStore(Protocol):
    """What the use cases need beyond the ordinary repositories, on the same transaction."""

    def erased_at(self, member_id: int) -> datetime | None: ...
    def events_about(self, member_id: int) -> list[dict[str, Any]]: ...
    def mail_to(self, member_id: int) -> list[dict[str, Any]]: ...
    def related_rows(self, member_id: int) -> dict[str, list[dict[str, Any]]]: ...
    def erase(self, member_id: int, *, redactor: Redactor, at: datetime) -> dict[str, int]: ...
    def clear_mail(self, member_id: int, *, address: str, at: datetime) -> tuple[int, int]: ...
    def purge_mail_bodies(self, *, before: datetime, at: datetime, limit: int) -> int: ...
    def clear_old_copies(self) -> bool:
        """After a commit: drop the copies the database keeps of overwritten data, as far as Raati does so
        (SQLite's write-ahead log; on PostgreSQL VACUUM is the operator's job); False if some stayed."""
        ...


class DataRightsUnitOfWork(UnitOfWork, Protocol):
    @property
    def member_data(self) -> MemberDataStore: ...
