"""``raati meeting``: scheduling and listing meetings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from application import meetings, views
from application.commands import ScheduleMeeting
from cli import context
from cli.options import AsOption, JsonOption
from cli.output import HELSINKI, local, print_json, say, table
from domain.errors import InvalidValue
from domain.meetings import Meeting

app = typer.Typer(help="Panel meetings.", no_args_is_help=True)


def parse_moment(value: str, *, field: str = "at") -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue(field, f"{value!r} is not an ISO 8601 date and time, e.g. 2026-12-10T17:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=HELSINKI)


def meeting_json(meeting: Meeting) -> dict[str, object]:
    return {
        "id": meeting.id,
        "panel": meeting.panel_id,
        "starts_at": meeting.starts_at.astimezone(HELSINKI).isoformat(),
        "service": meeting.leading_service_id,
        "tasks": [{"text": t.text, "kind": t.kind.value, "category": t.category.value} for t in meeting.tasks],
        "place": meeting.place,
        "status": meeting.status.value,
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
    place: Annotated[str, typer.Option(help="Where, or an online link.")] = "",
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Schedule a meeting led by one of the panel's services."""
    meeting = meetings.schedule_meeting(
        ScheduleMeeting(
            panel=panel,
            starts_at=parse_moment(at),
            service=service,
            tasks=tuple(task),
            task_kind=task_kind,
            category=category,
            place=place,
            actor=actor,
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
    found = views.list_meetings(panel, uow=context.uow())
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
