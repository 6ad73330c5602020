"""A panel's public page as data for programs (issue 16): the JSON of ``/p/{slug}.json`` (the City's open-data
service reads it; its fields are listed in the README) and the Atom 1.0 feed of the ideas' changes,
``/p/{slug}/feed.atom``. Both hold what the HTML page shows and nothing more."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from application.reads.member_panel import MemberIdea, MemberStep
from application.reads.public_panel import PublicPanel
from domain.meetings import Meeting, MeetingStatus
from notifications.i18n import Catalog
from web.errors import state_name
from web.pages.idea_steps import step_heading, step_words
from web.pages.meetings import meeting_title
from web.rendering import content_in

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC, to the second: ``2027-01-15T15:00:00Z``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _text(source: Any, field: str, t: Catalog) -> dict[str, str]:
    found = content_in(source, field, t.language)
    return {field: str(found), f"{field}_language": found.lang}


def _step(step: MemberStep, t: Catalog) -> dict[str, Any]:
    words = step_words(step, t)
    return {
        "at": iso(step.at),
        "kind": step.type,
        "state": step.to_state,
        "state_label": state_name(step.to_state, t),
        "text": str(words) if words is not None else None,
        "text_language": words.lang if words is not None else None,
    }


def _idea(item: MemberIdea, t: Catalog) -> dict[str, Any]:
    return {
        "id": item.idea.stored_id,
        **_text(item.idea, "title", t),
        "state": item.idea.state.value,
        "state_label": state_name(item.idea.state.value, t),
        "service": item.service_name,
        "changed_at": iso(item.changed_at),
        "steps": [_step(s, t) for s in item.steps],
    }


def _meeting(meeting: Meeting, t: Catalog, *, summary: bool) -> dict[str, Any]:
    title = meeting_title(meeting, t)
    place = content_in(meeting, "place", t.language) if meeting.place else None
    shown: dict[str, Any] = {
        "id": meeting.stored_id,
        "title": str(title),
        "title_language": title.lang,
        "starts_at": iso(meeting.starts_at),
        "ends_at": iso(meeting.end),
        "place": str(place) if place is not None else None,
        "place_language": place.lang if place is not None else None,
        "cancelled": meeting.status is MeetingStatus.CANCELLED,
        "tasks": [
            {"text": str(said), "text_language": said.lang}
            for said in (content_in(task, "text", t.language) for task in meeting.tasks)
        ],
    }
    if summary:
        shown.update(_text(meeting, "summary", t))
    return shown


def as_json(shown: PublicPanel, t: Catalog, *, page_url: str) -> dict[str, Any]:
    """The public page's data in ``t``'s language: English snake_case keys, states as codes with a label beside."""
    panel, contact = shown.panel, shown.contact
    return {
        "language": t.language,
        "panel": {
            "slug": panel.public_slug,
            **_text(panel, "name", t),
            "url": page_url,
            "feed_url": f"{page_url}/feed.atom",
            "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone} if contact else None,
        },
        "updated": iso(shown.updated) if shown.updated else None,
        "counts": [
            {"state": state, "state_label": state_name(state, t), "count": count}
            for state, count in shown.counts.items()
        ],
        "ideas": [_idea(item, t) for item in shown.ideas],
        "meetings": {
            "coming": [_meeting(m, t, summary=False) for m in shown.coming],
            "past": [_meeting(m, t, summary=True) for m in shown.past],
        },
    }


def as_atom(shown: PublicPanel, t: Catalog, *, page_url: str, feed_url: str, authority: str) -> bytes:
    """An Atom 1.0 feed: an entry per public step of each idea, newest first. Entry ids are tag URIs
    (RFC 4151) from the panel's and idea's ids and the step's place among the idea's steps, so they never change."""
    panel = shown.panel
    name = content_in(panel, "name", t.language)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: t.language})
    _add(feed, "id", _tag(authority, f"panel-{panel.stored_id}"))
    _add(feed, "title", t("{panel}: ideas and what became of them", panel=name))
    _add(feed, "updated", iso(shown.updated or datetime(2000, 1, 1, tzinfo=UTC)))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": feed_url})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page_url})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", str(name))
    # A step's place among the idea's steps is as stable as the idea's log, which only grows.
    changes = sorted(
        ((item, number, step) for item in shown.ideas for number, step in enumerate(item.steps, start=1)),
        key=lambda change: change[2].at,
        reverse=True,
    )
    for item, number, step in changes:
        title = content_in(item.idea, "title", t.language)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", _tag(authority, f"panel-{panel.stored_id}/idea-{item.idea.stored_id}/step-{number}"))
        _add(entry, "title", f"{title}: {step_heading(step, t)}")
        _add(entry, "updated", iso(step.at))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page_url})
        words = step_words(step, t)
        _add(entry, "summary", str(words) if words is not None else step_heading(step, t))
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def _add(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element


def _tag(authority: str, specific: str) -> str:
    """A tag URI: the site's host and a fixed date (the scheme's rule: the name was the host's on that day)."""
    return f"tag:{authority},2026:raati/{specific}"
