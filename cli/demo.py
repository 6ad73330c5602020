"""``raati demo``: loads the pilot panel and prints its ideas' timelines and the outbox."""

from __future__ import annotations

from collections import defaultdict

from application import views
from application.demo import build_demo
from cli import context
from cli.ideas import show
from cli.output import say
from notifications.outbox import OutboxMessage
from persistence.settings import DatabaseSettings


def run_demo() -> None:
    settings = DatabaseSettings()
    say(f"Loading the demo panel into {settings.url}")
    result = build_demo(context.uow, now=context.clock().now())
    say(
        f"Panel {result.panel_id}: two meetings ({', '.join(map(str, result.meeting_ids))}), "
        f"{len(result.ideas)} ideas.\n"
    )
    for idea in result.ideas:
        show(views.show_idea(idea.id, uow=context.uow()), as_json=False)
        say("")
    rows = [m for m in views.list_outbox(None, uow=context.uow()) if m.panel_id == result.panel_id]
    by_recipient: dict[tuple[str, str, str], list[OutboxMessage]] = defaultdict(list)
    for message in rows:
        by_recipient[(message.email, message.recipient_kind.value, message.language)].append(message)
    say(f"Outbox: {len(rows)} notifications for {len(by_recipient)} recipients, pending delivery:")
    for (email, kind, lang), messages in sorted(by_recipient.items(), key=lambda item: (item[0][1], item[0][0])):
        say(f"  {email} ({kind}, {lang}): {len(messages)}: {', '.join(_about(m) for m in messages)}")
    say(
        "\nTry: raati idea list --panel "
        + str(result.panel_id)
        + "   raati idea show "
        + str(result.ideas[0].id)
        + "   raati outbox list --status pending"
    )


def _about(message: OutboxMessage) -> str:
    p = message.payload
    what = "note" if p.get("event_type") == "noted" else str(p.get("to_state"))
    return f"#{p.get('idea_id')} {what}"
