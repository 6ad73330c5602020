"""The SQLAlchemy repository of meetings and their development tasks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import NotFound
from domain.meetings import DevelopmentTask, Material, Meeting, MeetingStatus, TaskCategory, TaskKind
from domain.translations import from_store
from persistence.tables import DevelopmentTaskRow, MeetingRow


class SqlAlchemyMeetings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, meeting: Meeting) -> Meeting:
        row = MeetingRow(panel_id=meeting.panel_id)
        self._copy(meeting, row)
        self.session.add(row)
        self.session.flush()
        for position, task in enumerate(meeting.tasks):
            self.session.add(
                DevelopmentTaskRow(
                    meeting_id=row.id,
                    position=position,
                    kind=task.kind.value,
                    category=task.category.value,
                    text=task.text,
                    translations=task.translations.as_json() or None,
                )
            )
        self.session.flush()
        meeting.id = row.id
        return meeting

    def save(self, meeting: Meeting) -> None:
        row = self.session.get(MeetingRow, meeting.id)
        if row is None:
            raise NotFound("meeting", meeting.id)
        self._copy(meeting, row)
        # Tasks are fixed when the meeting is scheduled; only their translations change later.
        for task_row in self._task_rows(row.id):
            if task_row.position < len(meeting.tasks):
                task_row.translations = meeting.tasks[task_row.position].translations.as_json() or None
        self.session.flush()

    def _task_rows(self, meeting_id: int) -> list[DevelopmentTaskRow]:
        query = (
            select(DevelopmentTaskRow)
            .where(DevelopmentTaskRow.meeting_id == meeting_id)
            .order_by(DevelopmentTaskRow.position)
        )
        return list(self.session.scalars(query))

    @staticmethod
    def _copy(meeting: Meeting, row: MeetingRow) -> None:
        row.starts_at = meeting.starts_at
        row.leading_service_id = meeting.leading_service_id
        row.place = meeting.place
        row.status = meeting.status.value
        row.title = meeting.title
        row.ends_at = meeting.ends_at
        row.online_url = meeting.online_url
        row.agenda = list(meeting.agenda)
        row.materials = [_material_json(m) for m in meeting.materials]
        row.late = meeting.late
        row.late_reason = meeting.late_reason
        row.prebrief_sent_at = meeting.prebrief_sent_at
        row.summary = meeting.summary
        row.next_steps = list(meeting.next_steps)
        row.summary_approved_at = meeting.summary_approved_at
        row.summary_approved_by = meeting.summary_approved_by
        row.summary_sent_at = meeting.summary_sent_at
        row.translations = meeting.translations.as_json() or None
        row.calendar_sequence = meeting.calendar_sequence
        row.cancelled_reason = meeting.cancelled_reason
        row.cancelled_at = meeting.cancelled_at

    def get(self, meeting_id: int) -> Meeting:
        row = self.session.get(MeetingRow, meeting_id)
        if row is None:
            raise NotFound("meeting", meeting_id)
        return self._meeting(row)

    def for_panel(self, panel_id: int) -> list[Meeting]:
        query = select(MeetingRow).where(MeetingRow.panel_id == panel_id).order_by(MeetingRow.starts_at)
        return [self._meeting(r) for r in self.session.scalars(query)]

    def unfinished(self) -> list[Meeting]:
        """Meetings whose loop is not closed yet: no summary sent and not cancelled."""
        done = (MeetingStatus.SUMMARY_SENT.value, MeetingStatus.CANCELLED.value)
        query = select(MeetingRow).where(MeetingRow.status.not_in(done)).order_by(MeetingRow.starts_at)
        return [self._meeting(r) for r in self.session.scalars(query)]

    def _meeting(self, row: MeetingRow) -> Meeting:
        tasks = self._task_rows(row.id)
        return Meeting(
            id=row.id,
            panel_id=row.panel_id,
            starts_at=row.starts_at,
            leading_service_id=row.leading_service_id,
            tasks=[
                DevelopmentTask(t.text, TaskKind(t.kind), TaskCategory(t.category), from_store(t.translations))
                for t in tasks
            ],
            place=row.place,
            status=MeetingStatus(row.status),
            title=row.title,
            ends_at=row.ends_at,
            online_url=row.online_url,
            agenda=list(row.agenda or []),
            materials=[Material(m["title"], m["url"], from_store(m.get("translations"))) for m in row.materials or []],
            late=row.late,
            late_reason=row.late_reason,
            prebrief_sent_at=row.prebrief_sent_at,
            summary=row.summary,
            next_steps=list(row.next_steps or []),
            summary_approved_at=row.summary_approved_at,
            summary_approved_by=row.summary_approved_by,
            summary_sent_at=row.summary_sent_at,
            translations=from_store(row.translations),
            calendar_sequence=row.calendar_sequence,
            cancelled_reason=row.cancelled_reason,
            cancelled_at=row.cancelled_at,
        )


def _material_json(material: Material) -> dict[str, Any]:
    """A material as ``meetings.materials`` keeps it: its translations inside it (migration 0012)."""
    stored: dict[str, Any] = {"title": material.title, "url": material.url}
    if material.translations:
        stored["translations"] = material.translations.as_json()
    return stored
