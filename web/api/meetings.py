"""``/api/v1/meetings``: the meetings within the caller's reach, and one meeting."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from application.reads import views
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.meetings import Meeting
from web.api.context import ApiContext
from web.api.problems import ProblemRoute, problem_responses
from web.api.schemas import MAX_ID, MaterialOut, MeetingOut, Ref, TaskOut


def meeting_out(meeting: Meeting) -> MeetingOut:
    def when(moment: datetime | None) -> datetime | None:
        return moment.astimezone(PANEL_TZ) if moment else None

    return MeetingOut(
        id=meeting.stored_id,
        panel=meeting.panel_id,
        title=meeting.display_title,
        starts_at=meeting.starts_at.astimezone(PANEL_TZ),
        ends_at=when(meeting.end),
        service=meeting.leading_service_id,
        tasks=[
            TaskOut(text=t.text, kind=t.kind, category=t.category, translations=t.translations.as_json())
            for t in meeting.tasks
        ],
        agenda=list(meeting.agenda),
        materials=[
            MaterialOut(title=m.title, url=m.url, translations=m.translations.as_json()) for m in meeting.materials
        ],
        place=meeting.place,
        online_url=meeting.online_url,
        status=meeting.status,
        late=meeting.late,
        late_reason=meeting.late_reason,
        prebrief_ready=meeting.prebrief_ready,
        prebrief_sent_at=when(meeting.prebrief_sent_at),
        summary=meeting.summary,
        next_steps=list(meeting.next_steps),
        summary_approved_at=when(meeting.summary_approved_at),
        summary_sent_at=when(meeting.summary_sent_at),
        translations=meeting.translations.as_json(),
        missing_translations=meeting.missing_translations(),
    )


def meetings_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix="/meetings", tags=["meetings"], route_class=ProblemRoute)
    Caller = Annotated[Actor, Depends(ctx.current_actor)]

    @router.get("", response_model=list[MeetingOut], responses=problem_responses(401, 403, 404, 422))
    def list_meetings(
        actor: Caller, panel: Annotated[Ref | None, Query(description="Panel id or name.")] = None
    ) -> list[MeetingOut]:
        """Meetings of the caller's panels (a manager: of all panels), by start time."""
        return [meeting_out(m) for m in views.list_meetings(panel, actor=actor, uow=ctx.uow_factory())]

    @router.get("/{meeting_id}", response_model=MeetingOut, responses=problem_responses(401, 403, 404, 422))
    def show_meeting(actor: Caller, meeting_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> MeetingOut:
        """One meeting: tasks, materials, pre-brief and summary status."""
        return meeting_out(views.get_meeting(meeting_id, actor=actor, uow=ctx.uow_factory()))

    return router
