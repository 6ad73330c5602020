"""``raati meeting``: scheduling and listing meetings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from application.commands import (
    ApproveSummary,
    CancelMeeting,
    DraftSummary,
    RescheduleMeeting,
    ScheduleMeeting,
    UpdateMeeting,
)
from application.meetings.changes import approve_summary, draft_summary, schedule_meeting, update_meeting
from application.meetings.rescheduling import MeetingChanged, cancel_meeting, reschedule_meeting
from application.reads import views
from cli import context
from cli.options import AcknowledgeHealthOption, AsOption, JsonOption
from cli.output import HELSINKI, local, print_json, say, table
from cli.translations import (
    AgendaEn,
    AgendaSv,
    MaterialEn,
    MaterialSv,
    NextStepEn,
    NextStepSv,
    PlaceEn,
    PlaceSv,
    TaskEn,
    TaskSv,
    TextEn,
    TextSv,
    TitleEn,
    TitleSv,
    options_named,
    texts,
)
from domain.errors import InvalidValue
from domain.meetings import Meeting
from domain.privacy_detectors import Kind, check_text

app = typer.Typer(help="Panel meetings.", no_args_is_help=True)


def parse_moment(value: str, *, field: str = "at") -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue(field, f"{value!r} is not an ISO 8601 date and time, e.g. 2026-12-10T17:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=HELSINKI)


def meeting_json(meeting: Meeting) -> dict[str, object]:
    def when(moment: datetime | None) -> str | None:
        return moment.astimezone(HELSINKI).isoformat() if moment else None

    return {
        "id": meeting.id,
        "panel": meeting.panel_id,
        "title": meeting.display_title,
        "starts_at": when(meeting.starts_at),
        "ends_at": when(meeting.end),
        "service": meeting.leading_service_id,
        "tasks": [
            {
                "text": t.text,
                "kind": t.kind.value,
                "category": t.category.value,
                "translations": t.translations.as_json(),
            }
            for t in meeting.tasks
        ],
        "agenda": meeting.agenda,
        "materials": [
            {"title": m.title, "url": m.url, "translations": m.translations.as_json()} for m in meeting.materials
        ],
        "place": meeting.place,
        "online_url": meeting.online_url,
        "status": meeting.status.value,
        "late": meeting.late,
        "late_reason": meeting.late_reason,
        "prebrief_ready": meeting.prebrief_ready,
        "prebrief_sent_at": when(meeting.prebrief_sent_at),
        "summary": meeting.summary,
        "next_steps": meeting.next_steps,
        "summary_approved_at": when(meeting.summary_approved_at),
        "summary_sent_at": when(meeting.summary_sent_at),
        "calendar_sequence": meeting.calendar_sequence,
        "cancelled_reason": meeting.cancelled_reason,
        "cancelled_at": when(meeting.cancelled_at),
        "translations": meeting.translations.as_json(),
        "missing_translations": meeting.missing_translations(),
    }


# The meeting's Finnish options whose -sv and -en siblings translate them.
OPTIONS = {
    "title": "--title",
    "place": "--place",
    "task": "--task",
    "agenda": "--agenda",
    "material": "--material",
    "text": "--text",
    "next_steps": "--next-step",
}


@app.command("schedule")
def schedule(
    panel: Annotated[str, typer.Option("--panel", help="Panel id or name.")],
    at: Annotated[str, typer.Option("--at", help="Start, ISO 8601; without an offset, Helsinki time.")],
    service: Annotated[str, typer.Option("--service", help="The leading service (id or name).")],
    task: Annotated[list[str], typer.Option("--task", help="A development task; repeatable.")],
    task_kind: Annotated[str, typer.Option(help="question or material.")] = "question",
    category: Annotated[
        str, typer.Option(help="communications, web_services, customer_instructions or other.")
    ] = "other",
    place: Annotated[str, typer.Option(help="Where the meeting is held.")] = "",
    online_url: Annotated[str | None, typer.Option("--online-url", help="Link for joining online.")] = None,
    title: Annotated[str | None, typer.Option(help="A short title (default: the first task).")] = None,
    agenda: Annotated[list[str] | None, typer.Option("--agenda", help="An agenda item; repeatable.")] = None,
    allow_late: Annotated[
        str | None,
        typer.Option("--allow-late", metavar="REASON", help="Schedule less than 3 days ahead; the reason is recorded."),
    ] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
    task_sv: TaskSv = None,
    task_en: TaskEn = None,
    title_sv: TitleSv = None,
    title_en: TitleEn = None,
    place_sv: PlaceSv = None,
    place_en: PlaceEn = None,
    agenda_sv: AgendaSv = None,
    agenda_en: AgendaEn = None,
) -> None:
    """Schedule a meeting led by one of the panel's services (at least 3 days ahead).

    Every text members read has -sv and -en siblings (--task-sv translates the tasks in the order given).
    """
    with options_named(OPTIONS):
        meeting = schedule_meeting(
            ScheduleMeeting(
                panel=panel,
                starts_at=parse_moment(at),
                service=service,
                tasks=tuple(task),
                task_kind=task_kind,
                category=category,
                place=place,
                actor=actor,
                late_reason=allow_late,
                title=title,
                online_url=online_url,
                agenda=tuple(agenda or ()),
                translations=texts(
                    task=(task_sv, task_en),
                    title=(title_sv, title_en),
                    place=(place_sv, place_en),
                    agenda=(agenda_sv, agenda_en),
                ),
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    if as_json:
        print_json(meeting_json(meeting))
    else:
        when = local(meeting.starts_at)
        say(f"Scheduled meeting {meeting.id} on {when} (Helsinki time).")


@app.command("list")
def list_(
    panel: Annotated[str, typer.Option("--panel", help="Panel id or name.")],
    as_json: JsonOption = False,
) -> None:
    """List a panel's meetings."""
    found = views.list_meetings(panel, actor=context.operator(), uow=context.uow())
    if as_json:
        print_json([meeting_json(m) for m in found])
    else:
        table(
            "Meetings",
            ["id", "starts (Helsinki)", "leading service", "status", "tasks"],
            [
                [
                    m.id,
                    local(m.starts_at),
                    m.leading_service_id,
                    m.status.value,
                    "; ".join(t.text for t in m.tasks),
                ]
                for m in found
            ],
        )


def _material(value: str) -> tuple[str, str]:
    title, sep, url = value.rpartition("=")
    if not sep or not title.strip():
        raise InvalidValue("material", f"{value!r} must be TITLE=URL")
    return title.strip(), url.strip()


@app.command("update")
def update(
    meeting: Annotated[int, typer.Argument(help="The meeting id.")],
    title: Annotated[str | None, typer.Option(help="A short title.")] = None,
    agenda: Annotated[list[str] | None, typer.Option("--agenda", help="An agenda item; repeatable (replaces).")] = None,
    place: Annotated[str | None, typer.Option(help="Where the meeting is held.")] = None,
    online_url: Annotated[str | None, typer.Option("--online-url", help="Link for joining online.")] = None,
    material: Annotated[
        list[str] | None, typer.Option("--material", help="TITLE=URL of material to read; repeatable (replaces).")
    ] = None,
    ends_at: Annotated[str | None, typer.Option("--ends-at", help="End time, ISO 8601 (default: 2 h).")] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
    title_sv: TitleSv = None,
    title_en: TitleEn = None,
    place_sv: PlaceSv = None,
    place_en: PlaceEn = None,
    agenda_sv: AgendaSv = None,
    agenda_en: AgendaEn = None,
    material_sv: MaterialSv = None,
    material_en: MaterialEn = None,
    task_sv: TaskSv = None,
    task_en: TaskEn = None,
) -> None:
    """Set what members read in the pre-brief: title, agenda, place or link, materials.

    Every text has -sv and -en siblings; an empty one ("") removes that translation. --material-sv gives the
    materials' titles in order; --task-sv translates the tasks given when the meeting was scheduled.
    """
    with options_named(OPTIONS):
        updated = update_meeting(
            UpdateMeeting(
                meeting_id=meeting,
                title=title,
                agenda=tuple(agenda) if agenda is not None else None,
                place=place,
                online_url=online_url,
                materials=tuple(_material(m) for m in material) if material is not None else None,
                ends_at=parse_moment(ends_at, field="ends_at") if ends_at else None,
                actor=actor,
                translations=texts(
                    title=(title_sv, title_en),
                    place=(place_sv, place_en),
                    agenda=(agenda_sv, agenda_en),
                    material=(material_sv, material_en),
                    task=(task_sv, task_en),
                ),
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    _done(updated, as_json, "updated")


@app.command("summary")
def summary(
    meeting: Annotated[int, typer.Argument(help="The meeting id.")],
    text: Annotated[str | None, typer.Option("--text", help="The summary for members.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the summary from a UTF-8 file.")] = None,
    next_step: Annotated[list[str] | None, typer.Option("--next-step", help="What happens next; repeatable.")] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
    text_sv: TextSv = None,
    text_en: TextEn = None,
    next_step_sv: NextStepSv = None,
    next_step_en: NextStepEn = None,
) -> None:
    """Write (or rewrite) a meeting's summary; it must be approved before it is sent."""
    if (text is None) == (file is None):
        raise InvalidValue("text", "give the summary with --text or --file (one of them)")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidValue("file", f"cannot read {file}: {error}") from None
    with options_named(OPTIONS):
        drafted = draft_summary(
            DraftSummary(
                meeting_id=meeting,
                text=text or "",
                next_steps=tuple(next_step or ()),
                actor=actor,
                translations=texts(text=(text_sv, text_en), next_steps=(next_step_sv, next_step_en)),
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    _done(drafted, as_json, "summary drafted; approve it with 'raati meeting approve'")
    health = [f.position() for f in check_text(drafted.summary) if f.kind is Kind.HEALTH]
    if health and not as_json:
        say(f"  The privacy guard found health details ({'; '.join(health)}): approving needs --acknowledge-health.")


@app.command("approve")
def approve(
    meeting: Annotated[int, typer.Argument(help="The meeting id.")],
    acknowledge_health: AcknowledgeHealthOption = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Approve the summary; the follow-up flow sends it to the members.

    The privacy guard checks the summary and next steps: identifiers are refused (exit 2); health details need
    --acknowledge-health from a coordinator, which is recorded.
    """
    approved = approve_summary(
        ApproveSummary(meeting_id=meeting, actor=actor, acknowledge_health=acknowledge_health),
        uow=context.uow(),
        clock=context.clock(),
    )
    _done(approved, as_json, "summary approved; it goes to the members with the next follow-up run")


@app.command("reschedule")
def reschedule(
    meeting: Annotated[int, typer.Argument(help="The meeting id.")],
    at: Annotated[str, typer.Option("--at", help="The new start, ISO 8601; without an offset, Helsinki time.")],
    ends_at: Annotated[
        str | None, typer.Option("--ends-at", help="The new end, ISO 8601 (default: the meeting keeps its length).")
    ] = None,
    allow_late: Annotated[
        str | None,
        typer.Option("--allow-late", metavar="REASON", help="Move it less than 3 days ahead; the reason is recorded."),
    ] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Move a coming meeting. Once the pre-brief has gone out, every member is told and their calendar entry is
    updated (the same UID, a higher SEQUENCE); before that, the pre-brief brings the new time."""
    changed = reschedule_meeting(
        RescheduleMeeting(
            meeting_id=meeting,
            starts_at=parse_moment(at),
            ends_at=parse_moment(ends_at, field="ends_at") if ends_at else None,
            late_reason=allow_late,
            actor=actor,
        ),
        uow=context.uow(),
        clock=context.clock(),
    )
    told = f"{changed.members_told} member emails queued" if changed.members_told else "the pre-brief will tell"
    _changed(changed, as_json, f"moved to {local(changed.meeting.starts_at)} (Helsinki time); {told}")


@app.command("cancel")
def cancel(
    meeting: Annotated[int, typer.Argument(help="The meeting id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why, in words the members read.")],
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Cancel a coming meeting: every member is told why, and their calendar entry is cancelled (METHOD:CANCEL).
    A cancelled meeting gets no pre-brief and no summary."""
    changed = cancel_meeting(
        CancelMeeting(meeting_id=meeting, reason=reason, actor=actor), uow=context.uow(), clock=context.clock()
    )
    _changed(changed, as_json, f"cancelled; {changed.members_told} member emails queued")


def _changed(changed: MeetingChanged, as_json: bool, what: str) -> None:
    if as_json:
        print_json({**meeting_json(changed.meeting), "queued_notifications": changed.members_told})
    else:
        say(f"Meeting {changed.meeting.id}: {what}.")


@app.command("show")
def show(meeting: Annotated[int, typer.Argument(help="The meeting id.")], as_json: JsonOption = False) -> None:
    """Show a meeting with its pre-brief and summary status."""
    from cli.attendance import meeting_extras, say_meeting_extras

    found = views.get_meeting(meeting, actor=context.operator(), uow=context.uow())
    extras = meeting_extras(meeting)
    if as_json:
        print_json({**meeting_json(found), **extras})
        return
    say(f"Meeting {found.id}: {found.display_title}")
    say(f"  {local(found.starts_at)}–{local(found.end)[11:]} · {found.place or found.online_url or 'no place yet'}")
    say(f"  status {found.status.value}" + (f" · LATE ({found.late_reason or 'pre-brief late'})" if found.late else ""))
    for item in found.agenda:
        say(f"  - {item}")
    prebrief = local(found.prebrief_sent_at) if found.prebrief_sent_at else "not sent"
    summary_state = "sent" if found.summary_sent_at else "approved" if found.summary_approved_at else (
        "draft" if found.summary else "not written")  # fmt: skip
    say(f"  pre-brief: {prebrief}; summary: {summary_state}")
    for language, names in found.missing_translations().items():
        if names:
            say(f"  only in Finnish for {language} readers: {', '.join(names)}")
    say_meeting_extras(extras)


def _done(meeting: Meeting, as_json: bool, what: str) -> None:
    if as_json:
        print_json(meeting_json(meeting))
    else:
        say(f"Meeting {meeting.id}: {what}.")
