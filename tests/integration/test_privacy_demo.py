"""The demo panel has a summary the privacy guard stopped until the coordinator edited it (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from application.demo import privacy_scene
from application.demo.pilot import build_demo
from domain.events import Aggregate
from domain.privacy_detectors import check_text
from persistence.unit_of_work import SqlAlchemyUnitOfWork


def test_the_demo_summary_was_stopped_for_a_phone_number_then_edited_and_approved(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
) -> None:
    result = build_demo(uow_factory, now=datetime(2026, 11, 28, 10, tzinfo=UTC))
    first = result.meeting_ids[0]
    phone_at = privacy_scene.FIRST_DRAFT.index("040")
    assert result.privacy.meeting_id == first
    assert result.privacy.stopped == [f"summary: phone at {phone_at}-{phone_at + 12}"]
    assert result.privacy.approved
    with uow_factory() as uow:
        meeting = uow.meetings.get(first)
        events = [e.type for e in uow.events.for_aggregate(Aggregate.MEETING, first)]
    assert meeting.summary == privacy_scene.EDITED
    assert check_text(meeting.summary) == []
    assert meeting.summary_approved_at is not None
    # The stopped draft left no trace: one draft (the edited one), then the approval.
    assert events.count("summary_drafted") == 1
    assert events.index("summary_drafted") < events.index("summary_approved")
