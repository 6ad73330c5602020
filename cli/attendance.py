"""``raati meeting attendance``: record which members attended a meeting."""

from __future__ import annotations

from typing import Annotated

import typer

from application.participation import attendance as use_cases
from cli import context
from cli.options import AsOption, JsonOption
from cli.output import print_json, say
from domain.errors import InvalidValue


def parse_ids(value: str, *, field: str) -> list[int]:
    """``1,2,3`` (spaces allowed) as member ids."""
    ids = []
    for part in value.split(","):
        text = part.strip()
        if not text:
            continue
        if not text.isdigit():
            raise InvalidValue(field, f"{text!r} is not a member id; give ids separated by commas, e.g. 1,2,3")
        ids.append(int(text))
    return ids


def attendance(
    meeting: Annotated[int, typer.Argument(help="The meeting id.")],
    member: Annotated[list[int] | None, typer.Option("--member", help="A member who attended; repeatable.")] = None,
    present: Annotated[str | None, typer.Option("--present", help="Members who attended: ids, e.g. 1,2,3.")] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record who attended (the whole list; recording again replaces it)."""
    if member is None and present is None:
        raise InvalidValue("present", "give the members who attended with --member ID (repeatable) or --present 1,2,3")
    ids = tuple(dict.fromkeys([*(member or ()), *parse_ids(present or "", field="present")]))
    attended = use_cases.record_attendance(
        use_cases.RecordAttendance(meeting_id=meeting, present=ids, actor=actor),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json({"meeting": meeting, "present": [{"id": m.id, "name": m.name} for m in attended]})
    else:
        say(f"Meeting {meeting}: {len(attended)} member(s) attended.")


def register(meeting_app: typer.Typer) -> None:
    meeting_app.command("attendance")(attendance)


def meeting_extras(meeting_id: int) -> dict[str, object]:
    """What ``raati meeting show`` adds: who attended and the topic wishes on the agenda."""
    from application.participation.topic_wishes import meeting_topic_wishes

    attended = use_cases.meeting_attendance(meeting_id, uow=context.uow())
    wishes = meeting_topic_wishes(meeting_id, uow=context.uow())
    return {
        "attendance": [{"id": m.id, "name": m.name} for m in attended],
        "topic_wishes": [{"id": w.id, "member": w.member_id, "text": w.text} for w in wishes],
    }


def say_meeting_extras(extras: dict[str, object]) -> None:
    attended = extras["attendance"]
    wishes = extras["topic_wishes"]
    assert isinstance(attended, list)
    assert isinstance(wishes, list)
    names = ", ".join(f"{m['name']} ({m['id']})" for m in attended)
    say(f"  attendance: {len(attended)} — {names}" if attended else "  attendance: not recorded")
    for wish in wishes:
        say(f"  topic wish {wish['id']} on the agenda: {wish['text']}")
