"""What the scheduled meeting jobs (pre-briefs, follow-up) share.

Each goes through the unfinished meetings one transaction at a time. The pre-brief and the summary share the
members' payload's frame (the panel, the meeting's id and title, its texts in every language); the pre-brief's
alerts and the summary's reminders share the coordinators' overdue item.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from application.ports.unit_of_work import Clock, UnitOfWork
from domain.meetings import Meeting
from domain.panels import Panel
from notifications import policy


class MeetingHandler(Protocol):
    def __call__(self, meeting_id: int, *, uow: UnitOfWork, now: datetime) -> None: ...


def each_unfinished(
    chosen: Callable[[Meeting], bool], handle: MeetingHandler, *, uow_factory: Callable[[], UnitOfWork], clock: Clock
) -> None:
    """``handle`` each unfinished meeting that is ``chosen``, each in a transaction of its own."""
    with uow_factory() as uow:
        meeting_ids = [m.id for m in uow.meetings.unfinished() if chosen(m) and m.id is not None]
    for meeting_id in meeting_ids:
        handle(meeting_id, uow=uow_factory(), now=clock.now())


def members_payload(meeting: Meeting, panel: Panel, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The panel's fields, the meeting's id and title, then ``fields``."""
    return {**policy.panel_fields(panel), "meeting_id": meeting.id, "meeting_title": meeting.display_title, **fields}


def with_meeting_texts(payload: dict[str, Any], meeting: Meeting, names: Mapping[str, str]) -> dict[str, Any]:
    """``payload`` with the meeting's title and its ``names`` texts (meeting field → payload field) translated."""
    return policy.with_translations(
        payload,
        policy.meeting_title_translations(meeting, "meeting_title"),
        policy.translated(meeting.translations, names),
    )


def tell_coordinators(
    uow: UnitOfWork,
    kind: str,
    key: tuple[object, ...],
    meeting: Meeting,
    panel: Panel,
    *,
    subject: str,
    due: datetime,
    now: datetime,
    extra: Mapping[str, Any] | None = None,
) -> int:
    """Queue one overdue item about the meeting to the panel's coordinators; how many emails were queued."""
    item = {
        "subject": subject,
        "title": meeting.display_title,
        "due_at": due.isoformat(),
        "days_overdue": int(max((now - due) // timedelta(days=1), 0)),
        "meeting_id": meeting.id,
        **(extra or {}),
    }
    policy.with_translations(item, policy.meeting_title_translations(meeting, "title"))
    payload = {**policy.panel_fields(panel, for_members=False), "items": [item]}
    coordinators = uow.users.coordinators_of(panel.stored_id)
    return uow.outbox.add_new(policy.to_staff(kind, key, coordinators, payload, panel_id=panel.stored_id, now=now))
