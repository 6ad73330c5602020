"""A panel's ideas and meetings in words, as its members and the public read them (the members' panel page, the
public page and its JSON and Atom feed): what each step of an idea was and the words written to the members at it,
and the words both pages' templates (_panel_ideas.html, _panel_meetings.html) need."""

from __future__ import annotations

from typing import Any

from application.reads.member_panel import MemberStep
from domain.events import EventType
from domain.meetings import Meeting
from notifications.i18n import Catalog
from web.errors import state_name
from web.pages.meetings import meeting_title
from web.rendering import content_in


def step_heading(step: MemberStep, t: Catalog) -> str:
    """What a step was, in a few words: raised, moved to a state, or a progress note."""
    if step.type == EventType.RAISED:
        return t("Raised at the panel")
    if step.type == EventType.NOTED:
        return t("Progress note")
    return t("Now: {state}", state=state_name(step.to_state, t))


def step_words(step: MemberStep, t: Catalog) -> Any:
    """The words written to the members at this step, in the reader's language where translated; None if none."""
    if not step.text:
        return None
    return content_in({"text": step.text, "translations": step.translations}, "text", t.language)


def panel_words(t: Catalog) -> dict[str, Any]:
    """What _panel_ideas.html and _panel_meetings.html call, in the reader's language."""

    def other_tasks(meeting: Meeting, title: str) -> list[Any]:
        # A meeting without a title of its own is named after its first task: that task is not listed again.
        said = (content_in(task, "text", t.language) for task in meeting.tasks)
        return [text for text in said if text != title]

    return {
        "state_name": lambda value: state_name(value, t),
        "title_of": lambda meeting: meeting_title(meeting, t),
        "when": lambda meeting: t.format_datetime(meeting.starts_at, weekday=True),
        "day": lambda moment: t.format_date(moment),
        "step_heading": lambda step: step_heading(step, t),
        "step_words": lambda step: step_words(step, t),
        "other_tasks": other_tasks,
    }
