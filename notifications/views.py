"""From stored payloads to what a template shows: the subject and a complete, translated context.

Each kind has one view function. It reads the payload contract of ``notifications.kinds``, puts
every optional field in the context (None when absent, so the templates never meet an undefined
name), turns states into words and moments into Helsinki time. The text and HTML templates of a
kind then only lay the same context out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.events import EventType
from domain.ideas import TERMINAL, IdeaState
from notifications import kinds
from notifications.catalogs import Catalog, parse_moment, parse_when, to_helsinki

Payload = Mapping[str, Any]


@dataclass(frozen=True)
class View:
    subject: str
    context: dict[str, Any] = field(default_factory=dict)
    # The panel name at the top of the mail; None means the generic "customer panel".
    masthead: str | None = None


def _optional(payload: Payload, key: str) -> Any:
    value = payload.get(key)
    return None if value in (None, "") else value


def state_words(t: Catalog, state: str | None) -> str | None:
    if not state:
        return None
    key = f"state.{state}"
    return t(key) if key in t.messages else state


def web_url(value: object) -> str | None:
    """A link that may go into an href: http(s) only, so no ``javascript:`` ever reaches a mail client."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    return url if url.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in url) else None


def _idea_url(base_url: str, idea_id: object) -> str:
    return f"{base_url}/ideas/{idea_id}"


def _change(t: Catalog, payload: Payload) -> dict[str, Any]:
    from_state, to_state = payload["from_state"], payload["to_state"]
    if payload["event_type"] == EventType.MOVED and to_state:
        if from_state:
            headline = t("change.moved", from_state=state_words(t, from_state), to_state=state_words(t, to_state))
        else:
            headline = t("change.moved_to", to_state=state_words(t, to_state))
        # A final state's text is its reason or outcome, labelled so; other texts are notes.
        label_key = f"change.text.{to_state}" if to_state in TERMINAL else "change.text.other"
    else:
        current = state_words(t, to_state or from_state)
        headline = t("change.noted_state", state=current) if current else t("change.noted")
        label_key = "change.text.other"
    return {
        "headline": headline,
        "text_label": t(label_key),
        "text": _optional(payload, "text"),
        "at": t.format_when(payload["at"]),
        "to_state": to_state,
    }


def idea_groups(t: Catalog, payloads: Sequence[Payload]) -> list[dict[str, Any]]:
    """The changes, oldest first, gathered under their idea (in the order the ideas first changed)."""
    ordered = sorted(payloads, key=lambda p: (parse_moment(p["at"]), p["event_seq"]))
    groups: dict[object, dict[str, Any]] = {}
    for payload in ordered:
        group = groups.setdefault(payload["idea_id"], {"title": payload["idea_title"], "service": None, "changes": []})
        group["title"] = payload["idea_title"]
        group["service"] = _optional(payload, "service_name") or group["service"]
        group["changes"].append(_change(t, payload))
    for group in groups.values():
        group["service_text"] = group["service"] or t("change.no_service")
    return list(groups.values())


def _single_panel(payloads: Sequence[Payload]) -> str | None:
    names = {p["panel_name"] for p in payloads}
    return names.pop() if len(names) == 1 else None


def idea_update(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    groups = idea_groups(t, payloads)
    count = len(groups)
    subject = t.plural("idea_update.subject", count, title=groups[0]["title"])
    context = {"groups": groups, "intro": t.plural("idea_update.intro", count)}
    return View(subject, context, _single_panel(payloads))


def digest(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    groups = idea_groups(t, payloads)
    count = len(groups)
    days = sorted(to_helsinki(parse_moment(p["at"])).date() for p in payloads)
    first, last = t.format_date(days[0]), t.format_date(days[-1])
    period = first if first == last else t("fmt.date_range", start=first, end=last)
    subject = t.plural("digest.subject", count, title=groups[0]["title"])
    return View(subject, {"groups": groups, "intro": t("digest.intro", period=period)}, _single_panel(payloads))


def idea_sent_to_service(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    respond_by = _optional(payload, "respond_by")
    context = {
        "title": payload["idea_title"],
        "service": _optional(payload, "service_name"),
        "panel": payload["panel_name"],
        "note": _optional(payload, "text"),
        "deadline": t("to_service.respond_by", date=t.format_when(respond_by))
        if respond_by
        else t("to_service.respond_usual"),
        "url": _idea_url(base_url, payload["idea_id"]),
    }
    return View(t("to_service.subject", title=payload["idea_title"]), context, payload["panel_name"])


def task_description(t: Catalog, task: Payload) -> str | None:
    """A task's kind and category in the reader's words, then its description; never the codes.

    Pre-briefs queued before the payload carried ``kind`` and ``category`` wrote them into the
    description as ``material · customer_instructions``; those are read back the same way.
    """
    description = _optional(task, "description")
    kind, category = _optional(task, "kind"), _optional(task, "category")
    if description and kind is None and category is None:
        codes = [part.strip() for part in description.split("·")]
        if len(codes) == 2 and f"task.kind.{codes[0]}" in t.messages and f"task.category.{codes[1]}" in t.messages:
            kind, category, description = codes[0], codes[1], None
    about = None
    if kind and f"task.kind.{kind}" in t.messages:
        words = t(f"task.kind.{kind}")
        if category and category != "other" and f"task.category.{category}" in t.messages:
            words = t("task.kind_and_category", kind=words, category=t(f"task.category.{category}"))
        about = words
    parts = [part for part in (about, description) if part]
    return "\n".join(parts) or None


def prebrief(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    starts = parse_moment(payload["starts_at"])
    ends = _optional(payload, "ends_at")
    context = {
        "meeting_title": payload["meeting_title"],
        "when": t.format_span(starts, parse_moment(ends) if ends else None),
        "place": _optional(payload, "place"),
        "online_url": web_url(payload.get("online_url")),
        "leading_service": payload["leading_service_name"],
        "tasks": [{"title": task["title"], "description": task_description(t, task)} for task in payload["tasks"]],
        "agenda": list(payload["agenda"]),
        "materials": [{"title": m["title"], "url": web_url(m["url"])} for m in payload["materials"]],
        "ground_rules": list(payload.get("ground_rules") or []),
        "contact_name": _optional(payload, "coordinator_name"),
        "contact_email": _optional(payload, "coordinator_email"),
    }
    subject = t("prebrief.subject", date=t.format_date(to_helsinki(starts).date()))
    return View(subject, context, payload["panel_name"])


def summary(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    held = parse_moment(payload["held_at"])
    ideas = [
        {
            "title": idea["title"],
            "destination": t("summary.idea_service", service=idea["service_name"])
            if idea.get("service_name")
            else t("summary.idea_no_service"),
            "state": state_words(t, idea.get("state")),
        }
        for idea in payload["ideas"]
    ]
    next_meeting = _optional(payload, "next_meeting_at")
    context = {
        "meeting_title": payload["meeting_title"],
        "when": t.format_datetime(held, weekday=True),
        "leading_service": _optional(payload, "leading_service_name"),
        "discussion": payload["discussion"],
        "ideas": ideas,
        "next_steps": list(payload["next_steps"]),
        "next_meeting": t("summary.next_meeting", when=t.format_when(next_meeting, weekday=True))
        if next_meeting
        else None,
        "contact_name": _optional(payload, "coordinator_name"),
    }
    subject = t("summary.subject", date=t.format_date(to_helsinki(held).date()))
    return View(subject, context, payload["panel_name"])


def welcome(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    next_meeting = _optional(payload, "next_meeting_at")
    context = {
        "panel": payload["panel_name"],
        "ground_rules": list(payload["ground_rules"]) or list(t.ground_rules),
        "next_meeting": t("welcome.next_meeting", when=t.format_when(next_meeting, weekday=True))
        if next_meeting
        else None,
        "contact_name": _optional(payload, "coordinator_name"),
        "contact_email": _optional(payload, "coordinator_email"),
        "rules_version": _optional(payload, "ground_rules_version"),
    }
    return View(t("welcome.subject"), context, payload["panel_name"])


def topic_wish_scheduled(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    starts = parse_moment(payload["starts_at"])
    ends = _optional(payload, "ends_at")
    context = {
        "wish_text": payload["wish_text"],
        "meeting_title": payload["meeting_title"],
        "when": t.format_span(starts, parse_moment(ends) if ends else None),
        "place": _optional(payload, "place"),
        "online_url": web_url(payload.get("online_url")),
    }
    subject = t("topic_wish.subject", date=t.format_date(to_helsinki(starts).date()))
    return View(subject, context, payload["panel_name"])


def _item(t: Catalog, item: Payload, base_url: str) -> dict[str, Any]:
    subject = str(item["subject"])
    days = int(item["days_overdue"])
    reminders = _optional(item, "reminders_sent")
    responsible = _optional(item, "responsible_name")
    if _optional(item, "idea_id") is not None:
        url: str | None = _idea_url(base_url, item["idea_id"])
    elif _optional(item, "meeting_id") is not None:
        url = f"{base_url}/meetings/{item['meeting_id']}"
    else:
        url = None
    return {
        "label": t(f"item.{subject}") if f"item.{subject}" in t.messages else subject,
        "title": item["title"],
        "due": t("item.due", due=t.format_when(item["due_at"])),
        "lateness": t.plural("item.overdue", days) if days > 0 else t("item.due_soon"),
        "service": _optional(item, "service_name"),
        "state": state_words(t, _optional(item, "state")),
        "responsible": t("item.responsible", name=responsible) if responsible else None,
        "reminders": t.plural("item.reminders", int(reminders)) if reminders else None,
        "url": url,
    }


def _overdue(prefix: str) -> Callable[[Catalog, Sequence[Payload], str], View]:
    def view(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
        (payload,) = payloads
        items = [_item(t, item, base_url) for item in payload["items"]]
        if not items:
            raise ValueError(f"a {prefix} needs at least one item")
        subject = t.plural(f"{prefix}.subject", len(items), title=items[0]["title"])
        return View(subject, {"items": items, "intro": t(f"{prefix}.intro")}, payload["panel_name"])

    return view


def survey_invitation(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    minutes = _optional(payload, "estimated_minutes")
    url = web_url(payload["survey_url"])
    if url is None:
        raise ValueError(f"survey_url must be an http(s) link, got {payload['survey_url']!r}")
    context = {
        "survey_title": payload["survey_title"],
        "url": url,
        "closes": t("survey.closes", when=t.format_when(payload["closes_at"])),
        "minutes": t("survey.minutes", minutes=minutes) if minutes else None,
    }
    return View(t("survey.subject", title=payload["survey_title"]), context, payload["panel_name"])


# The order of the groups in a progress report: the way an idea travels, ending well or not.
PROGRESS_STATES: tuple[IdeaState, ...] = tuple(IdeaState)


def _day(t: Catalog, value: str) -> str:
    """A date, or a moment shown as its Helsinki date."""
    when = parse_when(value)
    return t.format_date(to_helsinki(when).date() if isinstance(when, datetime) else when)


def _progress_idea(t: Catalog, idea: Payload) -> dict[str, Any]:
    state = idea["state"]
    label_key = f"change.text.{state}" if state in TERMINAL else "progress_report.text.note"
    text = _optional(idea, "text")
    service = _optional(idea, "service_name")
    return {
        "title": idea["title"],
        "service_text": service or t("change.no_service"),
        "updated": _day(t, idea["updated_at"]),
        "text_label": t(label_key),
        # The promise: a declined idea always says why, or that the reason is still to come.
        "text": text if text or state != IdeaState.DECLINED else t("progress_report.no_reason"),
    }


def progress_report(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    by_state: dict[str, list[dict[str, Any]]] = {state: [] for state in PROGRESS_STATES}
    # Within a state, the most recently updated idea first.
    latest_first = sorted(payload["ideas"], key=lambda i: (parse_moment(i["updated_at"]), i["idea_id"]), reverse=True)
    for idea in latest_first:
        by_state.setdefault(idea["state"], []).append(_progress_idea(t, idea))
    groups = []
    for state, ideas in by_state.items():
        words = state_words(t, state) or state
        groups.append({"state": state, "heading": words[:1].upper() + words[1:], "count": len(ideas), "ideas": ideas})
    count = len(payload["ideas"])
    start, end = _day(t, payload["period_start"]), _day(t, payload["period_end"])
    period = start if start == end else t("fmt.date_range", start=start, end=end)
    context = {
        "intro": t("progress_report.intro", period=period),
        "groups": groups,
        "total": t.plural("progress_report.total", count),
        "count": count,
    }
    return View(t.plural("progress_report.subject", count), context, payload["panel_name"])


VIEWS: Mapping[str, Callable[[Catalog, Sequence[Payload], str], View]] = {
    kinds.IDEA_UPDATE: idea_update,
    kinds.IDEA_SENT_TO_SERVICE: idea_sent_to_service,
    kinds.PREBRIEF: prebrief,
    kinds.SUMMARY: summary,
    kinds.WELCOME: welcome,
    kinds.REMINDER: _overdue(kinds.REMINDER),
    kinds.ESCALATION: _overdue(kinds.ESCALATION),
    kinds.DIGEST: digest,
    kinds.SURVEY_INVITATION: survey_invitation,
    kinds.PROGRESS_REPORT: progress_report,
    kinds.TOPIC_WISH_SCHEDULED: topic_wish_scheduled,
}
