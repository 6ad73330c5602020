"""``raati idea``: raise ideas, move them through their states, read their timelines."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from application.commands import IdeaFilter, MoveIdea, NoteIdea, RaiseIdea
from application.ideas.changes import move_idea, note_idea, raise_idea
from application.reads import views
from application.reads.views import IdeaView, TimelineEntry
from cli import context
from cli.options import AcknowledgeHealthOption, AsOption, JsonOption
from cli.output import local, print_json, say, table
from cli.translations import NoteEn, NoteSv, TextEn, TextSv, TitleEn, TitleSv, options_named, texts
from domain.events import EventType

app = typer.Typer(help="Ideas raised in meetings.", no_args_is_help=True)

ServiceOption = Annotated[str | None, typer.Option("--service", help="Service id or name.")]


def show(view: IdeaView, *, as_json: bool) -> None:
    if as_json:
        print_json(view.to_dict())
        return
    service = f"{view.service_name} (service {view.service})" if view.service else "no service yet"
    say(f"Idea {view.id}: {view.title}")
    say(f"  {view.state}, version {view.version} · {view.panel_name} · {service} · meeting {view.meeting}")
    if view.text:
        say(f"  {view.text}")
    say(f"  next: {', '.join(view.allowed_next) or 'none (final)'}")
    say("  timeline:")
    for entry in view.timeline:
        say("    " + timeline_line(entry))
        if entry.text:
            say(f"         {entry.text}")


def timeline_line(entry: TimelineEntry) -> str:
    when = local(datetime.fromisoformat(entry.at))
    if entry.type == EventType.MOVED:
        what = f"{entry.from_state} → {entry.to_state}"
    elif entry.type == EventType.NOTED:
        what = f"progress note ({entry.to_state})"
    else:
        what = entry.type
    return f"{entry.seq:>2}  {when}  {what:<34} by {entry.actor}"


def _changed(view: IdeaView, *, as_json: bool) -> None:
    show(view, as_json=as_json)
    if not as_json:
        say(f"Queued {view.queued_notifications} notification(s).")


@app.command("raise")
def raise_(
    meeting: Annotated[int, typer.Option("--meeting", help="The meeting id.")],
    title: Annotated[str, typer.Option("--title")],
    text: Annotated[str | None, typer.Option("--text")] = None,
    service: ServiceOption = None,
    acknowledge_health: AcknowledgeHealthOption = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
    title_sv: TitleSv = None,
    title_en: TitleEn = None,
    text_sv: TextSv = None,
    text_en: TextEn = None,
) -> None:
    """Record an idea raised at a meeting (its title and text go into emails, so the privacy guard checks them)."""
    with options_named({"title": "--title", "text": "--text"}):
        view = raise_idea(
            RaiseIdea(
                meeting_id=meeting,
                title=title,
                text=text,
                service=service,
                actor=actor,
                acknowledge_health=acknowledge_health,
                translations=texts(title=(title_sv, title_en), text=(text_sv, text_en)),
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    show(view, as_json=as_json)


@app.command("move")
def move(
    idea: int,
    state: Annotated[str, typer.Argument(help="sent_to_service, in_progress, implemented or declined.")],
    note: Annotated[
        str | None,
        typer.Option("--note", help="Text for the members; required for declined and implemented."),
    ] = None,
    service: ServiceOption = None,
    expected_version: Annotated[
        int | None, typer.Option("--expected-version", help="Refuse if the idea has changed since.")
    ] = None,
    acknowledge_health: AcknowledgeHealthOption = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
    note_sv: NoteSv = None,
    note_en: NoteEn = None,
) -> None:
    """Move an idea to its next state; the members are told.

    The note (and its Swedish and English versions) is checked by the privacy guard: identity codes, phone
    numbers and emails are refused (exit 2); health details need --acknowledge-health from a coordinator.
    """
    with options_named({"note": "--note"}):
        view = move_idea(
            MoveIdea(
                idea_id=idea,
                to=state,
                note=note,
                service=service,
                expected_version=expected_version,
                actor=actor,
                acknowledge_health=acknowledge_health,
                translations=texts(note=(note_sv, note_en)),
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    _changed(view, as_json=as_json)


@app.command("note")
def note(
    idea: int,
    text: str,
    expected_version: Annotated[int | None, typer.Option("--expected-version")] = None,
    acknowledge_health: AcknowledgeHealthOption = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
    text_sv: TextSv = None,
    text_en: TextEn = None,
) -> None:
    """Add a progress note to an open idea; the members are told.

    Identifiers in the note are refused (exit 2); health details need --acknowledge-health from a coordinator.
    """
    with options_named({"text": "--text"}):
        view = note_idea(
            NoteIdea(
                idea_id=idea,
                text=text,
                expected_version=expected_version,
                actor=actor,
                acknowledge_health=acknowledge_health,
                translations=texts(text=(text_sv, text_en)),
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    _changed(view, as_json=as_json)


@app.command("show")
def show_(idea: int, as_json: JsonOption = False) -> None:
    """Show an idea with its timeline."""
    show(views.show_idea(idea, actor=context.operator(), uow=context.uow()), as_json=as_json)


@app.command("list")
def list_(
    panel: Annotated[str | None, typer.Option("--panel", help="Panel id or name.")] = None,
    service: ServiceOption = None,
    state: Annotated[str | None, typer.Option("--state")] = None,
    as_json: JsonOption = False,
) -> None:
    """List ideas, optionally by panel, service and state."""
    found = views.list_ideas(
        IdeaFilter(panel=panel, service=service, state=state), actor=context.operator(), uow=context.uow()
    )
    if as_json:
        print_json([{k: v for k, v in i.to_dict().items() if k != "timeline"} for i in found])
        return
    table(
        "Ideas",
        ["id", "state", "v", "service", "meeting", "title"],
        [[i.id, i.state, i.version, i.service_name or "", i.meeting, i.title] for i in found],
    )
