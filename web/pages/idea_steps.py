"""An idea's steps in words, as its members and the public read them (the members' panel page, the public page
and its JSON and Atom feed): what each step was, and the words written to the members at it."""

from __future__ import annotations

from typing import Any

from application.reads.member_panel import MemberStep
from domain.events import EventType
from notifications.i18n import Catalog
from web.errors import state_name
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
