"""``raati outbox``: the notifications waiting to be delivered, and those delivered."""

from __future__ import annotations

from typing import Annotated

import typer

from application.reads import views
from cli import context
from cli.options import JsonOption
from cli.output import local, print_json, say
from domain.events import EventType
from notifications.outbox import OutboxMessage

app = typer.Typer(help="The notification outbox.", no_args_is_help=True)


def outbox_json(message: OutboxMessage) -> dict[str, object]:
    return {
        "id": message.id,
        "kind": message.kind,
        "recipient_kind": message.recipient_kind.value,
        "recipient_id": message.recipient_id,
        "email": message.email,
        "language": message.language,
        "status": message.status.value,
        "attempts": message.attempts,
        "created_at": message.created_at.isoformat(),
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "last_error": message.last_error,
        "idea": message.payload.get("idea_id"),
        "payload": message.payload,
    }


def describe(message: OutboxMessage) -> str:
    """What the row is about: an idea's change, or the meeting or survey it concerns."""
    p = message.payload
    if p.get("idea_id") is not None:
        change = p.get("to_state") if p.get("event_type") == EventType.MOVED else "note"
        return f"idea {p['idea_id']}: {change}"
    for key, label in (("meeting_id", "meeting"), ("survey_id", "survey"), ("wish_id", "wish")):
        if p.get(key) is not None:
            return f"{label} {p[key]}"
    return ""


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option("--status", help="pending, sent or failed.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List outbox rows, oldest first."""
    rows = views.list_outbox(status, actor=context.operator(), uow=context.uow())
    if as_json:
        print_json([outbox_json(m) for m in rows])
        return
    say(f"Outbox: {len(rows)} row(s)" + (f" with status {status}" if status else ""))
    for m in rows:
        what = f"{m.status.value:<7}  {m.kind:<20}  {describe(m):<28}"
        say(f"  {local(m.created_at)}  {what}  {m.email} ({m.language})  {m.id}")
