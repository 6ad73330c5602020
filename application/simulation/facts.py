"""What a season left behind, read back from the database: the facts the checks judge.

``sent`` is built from the outbox rows marked sent, one entry per Message-ID (a coalesced
update or a digest covers several rows); nothing here comes from the script that played it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from application.ports.unit_of_work import UnitOfWork
from domain.events import Aggregate, Event
from domain.ideas import Idea
from domain.meetings import Meeting
from domain.panels import Member, Panel, StaffUser
from notifications import kinds
from notifications.outbox import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class SentEmail:
    """One email as the outbox recorded it."""

    at: datetime
    kind: str
    to: str
    recipient_kind: str  # "member" or "staff"
    recipient_id: int
    panel_id: int
    message_id: str
    meeting: int | None = None
    ideas: tuple[int, ...] = ()
    # The idea changes it told of, as (idea id, event seq): idea updates and digests.
    changes: tuple[tuple[int, int], ...] = ()
    # What a reminder or escalation is about: "prebrief", "summary" or "idea".
    about: str | None = None
    rows: int = 1

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "to": self.to,
            "recipient": f"{self.recipient_kind}:{self.recipient_id}",
            "meeting": self.meeting,
        }
        if len(self.ideas) > 1:
            entry["ideas"] = list(self.ideas)
        else:
            entry["idea"] = self.ideas[0] if self.ideas else None
        if self.changes:
            entry["changes"] = [list(change) for change in self.changes]
        if self.about:
            entry["about"] = self.about
        entry["message_id"] = self.message_id
        return entry


def _subject_ids(row: OutboxMessage) -> tuple[int | None, list[int], str | None]:
    """The meeting, the ideas and (for staff reminders) the subject a row is about."""
    payload = row.payload
    if row.kind in (kinds.REMINDER, kinds.ESCALATION):
        items = payload.get("items") or []
        meeting = next((i["meeting_id"] for i in items if i.get("meeting_id") is not None), None)
        ideas = [i["idea_id"] for i in items if i.get("idea_id") is not None]
        return meeting, ideas, (items[0].get("subject") if items else None)
    if row.kind in (kinds.PREBRIEF, kinds.SUMMARY):
        return payload.get("meeting_id"), [i["idea_id"] for i in payload.get("ideas") or []], None
    if row.kind == kinds.PROGRESS_REPORT:
        return None, [i["idea_id"] for i in payload.get("ideas") or []], None
    if payload.get("idea_id") is not None:
        return None, [payload["idea_id"]], None
    return payload.get("meeting_id"), [], None


def sent_emails(rows: list[OutboxMessage], kinds_by_message_id: Mapping[str, str]) -> list[SentEmail]:
    """Group the sent rows by the Message-ID they went out under, oldest email first."""
    groups: dict[str, list[OutboxMessage]] = {}
    for row in rows:
        if row.status is OutboxStatus.SENT and row.sent_as:
            groups.setdefault(row.sent_as, []).append(row)
    emails = []
    for message_id, group in groups.items():
        group.sort(key=lambda r: (r.created_at, r.id))
        first = group[0]
        meeting: int | None = None
        ideas: list[int] = []
        about: str | None = None
        for row in group:
            row_meeting, row_ideas, row_about = _subject_ids(row)
            meeting = meeting if meeting is not None else row_meeting
            about = about or row_about
            ideas += [i for i in row_ideas if i not in ideas]
        changes = tuple(
            (int(r.payload["idea_id"]), int(r.payload["event_seq"]))
            for r in group
            if r.kind == kinds.IDEA_UPDATE and "event_seq" in r.payload
        )
        emails.append(
            SentEmail(
                at=max(r.sent_at or r.created_at for r in group),
                kind=kinds_by_message_id.get(message_id, first.kind),
                to=first.email,
                recipient_kind=first.recipient_kind.value,
                recipient_id=first.recipient_id,
                panel_id=first.panel_id,
                message_id=message_id,
                meeting=meeting,
                ideas=tuple(ideas),
                changes=changes,
                about=about,
                rows=len(group),
            )
        )
    emails.sort(key=lambda e: (e.at, e.kind, e.to))
    return emails


@dataclass
class SeasonFacts:
    now: datetime
    panels: list[Panel]
    meetings: list[Meeting]
    ideas: list[Idea]
    idea_events: dict[int, list[Event]]
    members: list[Member]
    member_events: dict[int, list[Event]]
    coordinators: dict[int, list[StaffUser]]  # by panel
    owners: dict[int, list[StaffUser]]  # by service
    outbox: list[OutboxMessage]
    sent: list[SentEmail]
    sink_message_ids: list[str] = field(default_factory=list)


def load_facts(
    uow_factory: Callable[[], UnitOfWork],
    *,
    now: datetime,
    kinds_by_message_id: Mapping[str, str],
    sink_message_ids: list[str],
) -> SeasonFacts:
    with uow_factory() as uow:
        panels = uow.panels.list()
        meetings, ideas, members = [], [], []
        coordinators, owners = {}, {}
        for panel in panels:
            panel_id = panel.stored_id
            meetings += uow.meetings.for_panel(panel_id)
            ideas += uow.ideas.list(panel_id=panel_id)
            members += uow.members.for_panel(panel_id)
            coordinators[panel_id] = uow.users.coordinators_of(panel_id)
            for service in uow.services.for_panel(panel_id):
                owners[service.stored_id] = uow.users.owners_of(service.stored_id)
        outbox = uow.outbox.list()
        return SeasonFacts(
            now=now,
            panels=panels,
            meetings=meetings,
            ideas=ideas,
            idea_events={i.stored_id: uow.events.for_aggregate(Aggregate.IDEA, i.stored_id) for i in ideas},
            members=members,
            member_events={m.stored_id: uow.events.for_aggregate(Aggregate.MEMBER, m.stored_id) for m in members},
            coordinators=coordinators,
            owners=owners,
            outbox=outbox,
            sent=sent_emails(outbox, kinds_by_message_id),
            sink_message_ids=sink_message_ids,
        )
