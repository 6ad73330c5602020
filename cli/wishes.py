"""``raati wish add|list|schedule|decline``: members' topic wishes, taking them up onto a meeting's agenda or
declining them with a note to the member."""

from __future__ import annotations

from typing import Annotated

import typer

from application.participation import topic_wishes as use_cases
from cli import context
from cli.options import AcknowledgeHealthOption, AsOption, JsonOption
from cli.output import local, print_json, say, table
from domain.errors import InvalidValue
from domain.topic_wishes import TopicWish, WishStatus

app = typer.Typer(help="Topic wishes: topics members would like the panel to work on.", no_args_is_help=True)


def wish_json(wish: TopicWish) -> dict[str, object]:
    return {
        "id": wish.id,
        "panel": wish.panel_id,
        "member": wish.member_id,
        "text": wish.text,
        "status": wish.status.value,
        "meeting": wish.meeting_id,
        "submitted_at": wish.submitted_at.isoformat(),
        "submitted_by": wish.submitted_by,
        "scheduled_at": wish.scheduled_at.isoformat() if wish.scheduled_at else None,
        "declined_at": wish.declined_at.isoformat() if wish.declined_at else None,
        "decline_note": wish.decline_note or None,
    }


@app.command("add")
def add(
    text: Annotated[str, typer.Argument(help="The topic, as the member put it.")],
    panel: Annotated[str, typer.Option("--panel", help="Panel id or name.")],
    member: Annotated[int | None, typer.Option("--member", help="Whose wish it is (a member id).")] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a topic wish for a member (or for the panel as a whole)."""
    wish = use_cases.add_topic_wish(
        use_cases.AddTopicWish(panel=panel, text=text, member_id=member, actor=actor),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json(wish_json(wish))
    else:
        say(f"Recorded topic wish {wish.id}.")


@app.command("list")
def list_(
    panel: Annotated[str, typer.Option("--panel", help="Panel id or name.")],
    status: Annotated[str | None, typer.Option("--status", help="open, scheduled or declined.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List a panel's topic wishes, oldest first."""
    wanted = None
    if status is not None:
        try:
            wanted = WishStatus(status.strip().lower())
        except ValueError:
            raise InvalidValue("status", f"{status!r} is not one of open, scheduled, declined") from None
    wishes = [w for w in use_cases.list_topic_wishes(panel, uow=context.uow()) if wanted in (None, w.status)]
    if as_json:
        print_json([wish_json(w) for w in wishes])
        return
    table(
        "Topic wishes",
        ["id", "member", "submitted", "status", "meeting", "text"],
        [[w.id, w.member_id or "", local(w.submitted_at), w.status.value, w.meeting_id or "", w.text] for w in wishes],
    )


@app.command("schedule")
def schedule(
    wish: Annotated[int, typer.Argument(help="The wish id.")],
    meeting: Annotated[int, typer.Argument(help="The meeting whose agenda takes it up.")],
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take a wish up onto a coming meeting's agenda; its member is told by email."""
    result = use_cases.schedule_topic_wish(
        use_cases.ScheduleTopicWish(wish_id=wish, meeting_id=meeting, actor=actor),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json({**wish_json(result.wish), "queued_notifications": result.queued_notifications})
    else:
        told = "its member will be told by email" if result.queued_notifications else "no member to tell by email"
        say(f"Topic wish {wish} is on the agenda of meeting {meeting}; {told}.")


@app.command("decline")
def decline(
    wish: Annotated[int, typer.Argument(help="The wish id.")],
    note: Annotated[
        str | None, typer.Option("--note", help="Why the panel will not take the topic up (sent to the member).")
    ] = None,
    acknowledge_health: AcknowledgeHealthOption = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Decline an open wish with a note; its member is told by email.

    Identifiers in the note are refused (exit 2); health details need --acknowledge-health from a coordinator.
    """
    result = use_cases.decline_topic_wish(
        use_cases.DeclineTopicWish(wish_id=wish, note=note or "", acknowledge_health=acknowledge_health, actor=actor),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json({**wish_json(result.wish), "queued_notifications": result.queued_notifications})
    else:
        told = "its member will be told by email" if result.queued_notifications else "no member to tell by email"
        say(f"Topic wish {wish} is declined; {told}.")
