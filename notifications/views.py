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
from domain.ideas import IdeaState
from notifications import kinds
from notifications.catalogs import Catalog, default_ground_rules, parse_moment, parse_when, to_helsinki
from notifications.content import Content, localized, localized_list

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
    """An idea's state as the glossary names it (``notifications/glossary.toml``)."""
    if not state:
        return None
    words: dict[str, str] = {
        IdeaState.RAISED: t.pgettext("idea state", "raised at the panel"),
        IdeaState.SENT_TO_SERVICE: t.pgettext("idea state", "sent to the service"),
        IdeaState.IN_PROGRESS: t.pgettext("idea state", "in progress"),
        IdeaState.IMPLEMENTED: t.pgettext("idea state", "implemented"),
        IdeaState.DECLINED: t.pgettext("idea state", "not going ahead"),
    }
    return words.get(state, state)


def _text_label(t: Catalog, state: str | None, *, other: str) -> str:
    """What a change's text is: the reason a declined idea stops, the outcome of an implemented one, or a note."""
    if state == IdeaState.DECLINED:
        return t("Why the idea is not going ahead")
    if state == IdeaState.IMPLEMENTED:
        return t("What was done")
    return other


def task_kind_words(t: Catalog, kind: str | None) -> str | None:
    words = {"question": t("A question for the panel"), "material": t("Material to comment on")}
    return words.get(kind or "")


def task_category_words(t: Catalog, category: str | None) -> str | None:
    words = {
        "communications": t("communications"),
        "web_services": t("web services"),
        "customer_instructions": t("customer instructions"),
        "other": t("another topic"),
    }
    return words.get(category or "")


def web_url(value: object) -> str | None:
    """A link that may go into an href: http(s) only, so no ``javascript:`` ever reaches a mail client."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    return url if url.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in url) else None


def _idea_url(base_url: str, idea_id: object) -> str:
    return f"{base_url}/ideas/{idea_id}"


def _meeting_url(base_url: str, meeting_id: object) -> str:
    return f"{base_url}/meetings/{meeting_id}"


def _change(t: Catalog, payload: Payload) -> dict[str, Any]:
    from_state, to_state = payload["from_state"], payload["to_state"]
    if payload["event_type"] == EventType.MOVED and to_state:
        if from_state:
            headline = t(
                "Status changed: {from_state} → {to_state}",
                from_state=state_words(t, from_state),
                to_state=state_words(t, to_state),
            )
        else:
            headline = t("Status now: {to_state}", to_state=state_words(t, to_state))
        # A final state's text is its reason or outcome, labelled so; other texts are notes.
        label = _text_label(t, to_state, other=t("More details"))
    else:
        current = state_words(t, to_state or from_state)
        headline = (
            t("The service tells how the idea is progressing (status: {state})", state=current)
            if current
            else t("The service tells how the idea is progressing")
        )
        label = t("More details")
    return {
        "headline": headline,
        "text_label": label,
        "text": localized(payload, "text", t.language),
        "at": t.format_when(payload["at"]),
        "to_state": to_state,
    }


def idea_groups(t: Catalog, payloads: Sequence[Payload]) -> list[dict[str, Any]]:
    """The changes, oldest first, gathered under their idea (in the order the ideas first changed)."""
    ordered = sorted(payloads, key=lambda p: (parse_moment(p["at"]), p["event_seq"]))
    groups: dict[object, dict[str, Any]] = {}
    for payload in ordered:
        title = localized(payload, "idea_title", t.language)
        group = groups.setdefault(payload["idea_id"], {"title": title, "service": None, "changes": []})
        group["title"] = title
        group["service"] = _optional(payload, "service_name") or group["service"]
        group["changes"].append(_change(t, payload))
    for group in groups.values():
        group["service_text"] = group["service"] or t("No service has been chosen yet")
    return list(groups.values())


def _panel(t: Catalog, payload: Payload) -> Content | None:
    return localized(payload, "panel_name", t.language)


def _single_panel(t: Catalog, payloads: Sequence[Payload]) -> Content | None:
    names = {_panel(t, p) for p in payloads}
    return names.pop() if len(names) == 1 else None


def idea_update(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    groups = idea_groups(t, payloads)
    count = len(groups)
    subject = t.ngettext(
        "News about the panel's idea: {title}",
        "News about {count} of the panel's ideas",
        count,
        title=groups[0]["title"],
    )
    context = {
        "groups": groups,
        "intro": t.ngettext(
            "There is news about one of the customer panel's ideas.",
            "There is news about {count} of the customer panel's ideas.",
            count,
        ),
    }
    return View(subject, context, _single_panel(t, payloads))


def digest(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    groups = idea_groups(t, payloads)
    count = len(groups)
    days = sorted(to_helsinki(parse_moment(p["at"])).date() for p in payloads)
    first, last = t.format_date(days[0]), t.format_date(days[-1])
    period = t.format_range(first, last)
    subject = t.ngettext(
        "Weekly digest: news about the panel's idea {title}",
        "Weekly digest: news about {count} of the panel's ideas",
        count,
        title=groups[0]["title"],
    )
    return View(
        subject,
        {
            "groups": groups,
            "intro": t("Here is this week's digest of the customer panel's ideas, for {period}.", period=period),
        },
        _single_panel(t, payloads),
    )


def idea_sent_to_service(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    respond_by = _optional(payload, "respond_by")
    context = {
        "title": localized(payload, "idea_title", t.language),
        "service": _optional(payload, "service_name"),
        "panel": _panel(t, payload),
        "note": localized(payload, "text", t.language),
        "idea_text": localized(payload, "idea_text", t.language),
        "deadline": t("Please respond by {date}.", date=t.format_when(respond_by))
        if respond_by
        else t("Please respond within the panel's usual response time."),
        "url": _idea_url(base_url, payload["idea_id"]),
    }
    return View(
        t("A new idea for your service: {title}", title=localized(payload, "idea_title", t.language)),
        context,
        _panel(t, payload),
    )


def meeting_task(t: Catalog, task: Payload) -> dict[str, Any]:
    """A task: its title and description in the reader's language where translated, and its kind and
    category in the reader's words, never the codes.

    Pre-briefs queued before the payload carried ``kind`` and ``category`` wrote them into the
    description as ``material · customer_instructions``; those are read back the same way.
    """
    description = localized(task, "description", t.language)
    kind, category = _optional(task, "kind"), _optional(task, "category")
    if description and kind is None and category is None:
        codes = [part.strip() for part in description.split("·")]
        if len(codes) == 2 and task_kind_words(t, codes[0]) and task_category_words(t, codes[1]):
            kind, category, description = codes[0], codes[1], None
    about = task_kind_words(t, kind)
    category_words = task_category_words(t, category)
    if about and category_words and category != "other":
        about = t("{kind}, about {category}", kind=about, category=category_words)
    return {"title": localized(task, "title", t.language), "about": about, "description": description}


def prebrief(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    starts = parse_moment(payload["starts_at"])
    ends = _optional(payload, "ends_at")
    context = {
        "meeting_title": localized(payload, "meeting_title", t.language),
        "when": t.format_span(starts, parse_moment(ends) if ends else None),
        "place": localized(payload, "place", t.language),
        "online_url": web_url(payload.get("online_url")),
        "leading_service": payload["leading_service_name"],
        "tasks": [meeting_task(t, task) for task in payload["tasks"]],
        "agenda": localized_list(payload, "agenda", t.language),
        "materials": [
            {"title": localized(m, "title", t.language), "url": web_url(m["url"])} for m in payload["materials"]
        ],
        "ground_rules": list(payload.get("ground_rules") or []),
    }
    subject = t("Before the meeting: customer panel on {date}", date=t.format_date(to_helsinki(starts).date()))
    return View(subject, context, _panel(t, payload))


def _where_it_went(t: Catalog, idea: Payload) -> str:
    """Where an idea of the meeting stands: its state, and the service once there is one; one fact, said once."""
    state, service = _optional(idea, "state"), _optional(idea, "service_name")
    if state in (None, IdeaState.RAISED):
        if service:
            return t("sent to the service: {service}", service=service)
        return t("the service will be chosen later")
    words = state_words(t, state) or ""
    return t("{state} – {service}", state=words, service=service) if service else words


def summary(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    held = parse_moment(payload["held_at"])
    ideas = [
        {
            "title": localized(idea, "title", t.language),
            "destination": _where_it_went(t, idea),
        }
        for idea in payload["ideas"]
    ]
    next_meeting = _optional(payload, "next_meeting_at")
    context = {
        "meeting_title": localized(payload, "meeting_title", t.language),
        "when": t.format_datetime(held, weekday=True),
        "leading_service": _optional(payload, "leading_service_name"),
        "discussion": localized(payload, "discussion", t.language),
        "ideas": ideas,
        "next_steps": localized_list(payload, "next_steps", t.language),
        "next_meeting": t("Next meeting: {when}", when=t.format_when(next_meeting, weekday=True))
        if next_meeting
        else None,
    }
    subject = t("Summary of the customer panel meeting on {date}", date=t.format_date(to_helsinki(held).date()))
    return View(subject, context, _panel(t, payload))


def welcome(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    next_meeting = _optional(payload, "next_meeting_at")
    context = {
        "panel": _panel(t, payload),
        "ground_rules": list(payload["ground_rules"]) or default_ground_rules(t.language),
        "next_meeting": t("Next meeting: {when}", when=t.format_when(next_meeting, weekday=True))
        if next_meeting
        else None,
        "rules_version": _optional(payload, "ground_rules_version"),
    }
    return View(t("Welcome to the customer panel!"), context, _panel(t, payload))


def topic_wish_scheduled(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    starts = parse_moment(payload["starts_at"])
    ends = _optional(payload, "ends_at")
    context = {
        "wish_text": payload["wish_text"],
        "meeting_title": localized(payload, "meeting_title", t.language),
        "when": t.format_span(starts, parse_moment(ends) if ends else None),
        "place": localized(payload, "place", t.language),
        "online_url": web_url(payload.get("online_url")),
    }
    subject = t(
        "Your topic wish is on the customer panel's agenda on {date}", date=t.format_date(to_helsinki(starts).date())
    )
    return View(subject, context, _panel(t, payload))


def topic_wish_declined(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    context = {"wish_text": payload["wish_text"], "note": payload["note"]}
    return View(t("Your topic wish to the customer panel"), context, _panel(t, payload))


def _meeting_change(t: Catalog, payload: Payload) -> dict[str, Any]:
    """A moved or cancelled meeting: its title, its time and where, as the pre-brief said them."""
    starts = parse_moment(payload["starts_at"])
    ends = _optional(payload, "ends_at")
    return {
        "meeting_title": localized(payload, "meeting_title", t.language),
        "when": t.format_span(starts, parse_moment(ends) if ends else None),
        "place": localized(payload, "place", t.language),
        "online_url": web_url(payload.get("online_url")),
    }


def meeting_rescheduled(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    previous = parse_moment(payload["previous_starts_at"])
    context = {**_meeting_change(t, payload), "previous_when": t.format_datetime(previous, weekday=True)}
    subject = t(
        "The customer panel meeting has moved to {date}",
        date=t.format_date(to_helsinki(parse_moment(payload["starts_at"])).date()),
    )
    return View(subject, context, _panel(t, payload))


def meeting_cancelled(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    context = {**_meeting_change(t, payload), "reason": payload["reason"]}
    subject = t(
        "The customer panel meeting on {date} is cancelled",
        date=t.format_date(to_helsinki(parse_moment(payload["starts_at"])).date()),
    )
    return View(subject, context, _panel(t, payload))


def _item(t: Catalog, item: Payload, base_url: str) -> dict[str, Any]:
    subject = str(item["subject"])
    days = int(item["days_overdue"])
    reminders = _optional(item, "reminders_sent")
    responsible = _optional(item, "responsible_name")
    # Each item links the page it is about: an idea's, or a meeting's (its pre-brief and summary).
    if _optional(item, "idea_id") is not None:
        url: str | None = _idea_url(base_url, item["idea_id"])
        link_text: str | None = t("Open the idea in Raati")
    elif _optional(item, "meeting_id") is not None:
        url, link_text = _meeting_url(base_url, item["meeting_id"]), t("Open the meeting in Raati")
    else:
        url, link_text = None, None
    return {
        "label": _item_label(t, subject),
        "title": localized(item, "title", t.language),
        "due": t("Due: {due}", due=t.format_when(item["due_at"])),
        "lateness": t.ngettext("{count} day overdue", "{count} days overdue", days)
        if days > 0
        else t("not overdue yet"),
        "service": _optional(item, "service_name"),
        "state": state_words(t, _optional(item, "state")),
        "responsible": t("Responsible: {name}", name=responsible) if responsible else None,
        "reminders": t.ngettext("{count} reminder sent", "{count} reminders sent", int(reminders))
        if reminders
        else None,
        "url": url,
        "link_text": link_text,
    }


def _item_label(t: Catalog, subject: str) -> str:
    """What is waiting: an idea, or a meeting's pre-brief or summary (the mail of that kind)."""
    labels: dict[str, str] = {
        "idea": t("Idea"),
        kinds.PREBRIEF: t("Meeting pre-brief"),
        kinds.SUMMARY: t("Meeting summary"),
    }
    return labels.get(subject, subject)


def _items(t: Catalog, payload: Payload, base_url: str) -> list[dict[str, Any]]:
    items = [_item(t, item, base_url) for item in payload["items"]]
    if not items:
        raise ValueError("a reminder or an escalation needs at least one item")
    return items


def _overview(t: Catalog, payload: Payload, base_url: str, *, escalated: bool) -> dict[str, str] | None:
    """Beside several items, the page that shows them all: the queue for ideas waiting on their reader (a service
    owner's or a coordinator's, both have one), else the panel's dashboard (coordinators and managers, who get the
    meeting reminders and the escalations). One item links only itself."""
    items = payload["items"]
    if len(items) < 2:
        return None
    if not escalated and all(_optional(item, "idea_id") is not None for item in items):
        return {"url": f"{base_url}/queue", "text": t("See all the ideas waiting for you")}
    return {"url": f"{base_url}/dashboard?panel={payload['panel_id']}", "text": t("See the panel's overview")}


def reminder(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    items = _items(t, payload, base_url)
    subject = t.ngettext(
        "Reminder: {title}", "Reminder: {count} items are waiting for you", len(items), title=items[0]["title"]
    )
    context = {
        "items": items,
        "intro": t("These customer panel items are waiting for you:"),
        "overview": _overview(t, payload, base_url, escalated=False),
    }
    return View(subject, context, _panel(t, payload))


def escalation(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    (payload,) = payloads
    items = _items(t, payload, base_url)
    subject = t.ngettext(
        "Needs attention: {title}", "Needs attention: {count} items are overdue", len(items), title=items[0]["title"]
    )
    intro = t(
        "These customer panel items are overdue although reminders were sent. "
        "Please sort out the situation with the coordinator or the service."
    )
    context = {"items": items, "intro": intro, "overview": _overview(t, payload, base_url, escalated=True)}
    return View(subject, context, _panel(t, payload))


def sign_in_link(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    """The one-time sign-in link (the link itself is the renderer's ``sign_in_url``): how long it works, in the
    reader's time and words, and what to do with a link they did not ask for."""
    (payload,) = payloads
    expires = parse_moment(payload["expires_at"])
    requested = _optional(payload, "requested_at")
    minutes = round((expires - parse_moment(requested)).total_seconds() / 60) if requested else 0
    when = t.format_datetime(expires)
    validity = (
        t.ngettext(
            "The link works only once and for {count} minute, until {when}.",
            "The link works only once and for {count} minutes, until {when}.",
            minutes,
            when=when,
        )
        if minutes > 0
        else t("The link works only once, until {when}.", when=when)
    )
    landing = _optional(payload, "next")
    context = {
        "validity": validity,
        "landing": t("After signing in you go straight to the page you were opening.")
        if landing and landing != "/"
        else None,
    }
    return View(t("Your sign-in link to Raati"), context, "Raati")


def staff_welcome(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    """A new coordinator's or service representative's first mail: which panel (and service), what they do in
    Raati, and how to sign in (the sign-in page; Raati mails a one-time link to their address)."""
    (payload,) = payloads
    panel = _panel(t, payload)
    service = _optional(payload, "service_name")
    owner = payload.get("role") == "service_owner"
    if owner:
        role = t("You have been added as the representative of {service} in Raati.", service=service or "")
        work = [
            t("When the panel sends an idea to your service, you get a mail and find the idea in your queue."),
            t("Record what becomes of each idea: start work on it, write progress notes, or explain why it is not "
              "going ahead. The panel members hear it."),
        ]  # fmt: skip
    else:
        role = t("You have been added as a coordinator of the customer panel in Raati.")
        work = [
            t("Plan the meetings, send the pre-briefs on time and write the summaries."),
            t("Send the ideas raised in meetings on to the services and follow what becomes of them."),
        ]
    added_by = _optional(payload, "added_by")
    context = {
        "role": role,
        "panel": panel,
        "service": service,
        "work": work,
        "added_by": t("You were added by {address}.", address=added_by) if added_by else None,
        "url": base_url.rstrip("/") + "/sign-in",
    }
    return View(t("Welcome to Raati"), context, panel)


def survey_invitation(t: Catalog, payloads: Sequence[Payload], base_url: str) -> View:
    """The invitation, or (``reminder_round`` 1, 2 …) a reminder that reads as one."""
    (payload,) = payloads
    minutes = _optional(payload, "estimated_minutes")
    url = web_url(payload["survey_url"])
    if url is None:
        raise ValueError(f"survey_url must be an http(s) link, got {payload['survey_url']!r}")
    title = localized(payload, "survey_title", t.language)
    reminder = bool(_optional(payload, "reminder_round"))
    if reminder:
        subject = t("Reminder: tell us what you think: {title}", title=title)
        intro = t(
            "A reminder: we have not yet had your answers to the survey below. "
            "If you have time, we would still like to hear from you."
        )
    else:
        subject = t("Tell us what you think: {title}", title=title)
        intro = t(
            "We would like to hear how taking part in the customer panel has felt. "
            "Your answers help us develop the panel's work."
        )
    context = {
        "survey_title": title,
        "intro": intro,
        "url": url,
        "closes": t("The survey closes on {when}.", when=t.format_when(payload["closes_at"])),
        "minutes": t("Answering takes about {minutes} minutes.", minutes=minutes) if minutes else None,
    }
    return View(subject, context, _panel(t, payload))


# The order of the groups in a progress report: the way an idea travels, ending well or not.
PROGRESS_STATES: tuple[IdeaState, ...] = tuple(IdeaState)


def _day(t: Catalog, value: str) -> str:
    """A date, or a moment shown as its Helsinki date."""
    when = parse_when(value)
    return t.format_date(to_helsinki(when).date() if isinstance(when, datetime) else when)


def _progress_idea(t: Catalog, idea: Payload) -> dict[str, Any]:
    state = idea["state"]
    text = localized(idea, "text", t.language)
    service = _optional(idea, "service_name")
    return {
        "title": localized(idea, "title", t.language),
        "service_text": service or t("No service has been chosen yet"),
        "updated": _day(t, idea["updated_at"]),
        "text_label": _text_label(t, state, other=t("Latest from the service")),
        # The promise: a declined idea always says why, or that the reason is still to come.
        "text": text if text or state != IdeaState.DECLINED else t("The reason has not been recorded yet."),
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
    period = t.format_range(start, end)
    context = {
        "intro": t(
            "Here is the progress report on the customer panel's ideas for {period}: "
            "every idea of the panel and what has become of each one.",
            period=period,
        ),
        "groups": groups,
        "total": t.ngettext("{count} idea in total", "{count} ideas in total", count),
        "count": count,
    }
    return View(
        t.ngettext(
            "Where the panel's ideas stand: {count} idea", "Where the panel's ideas stand: {count} ideas", count
        ),
        context,
        _panel(t, payload),
    )


VIEWS: Mapping[str, Callable[[Catalog, Sequence[Payload], str], View]] = {
    kinds.IDEA_UPDATE: idea_update,
    kinds.IDEA_SENT_TO_SERVICE: idea_sent_to_service,
    kinds.PREBRIEF: prebrief,
    kinds.SUMMARY: summary,
    kinds.WELCOME: welcome,
    kinds.REMINDER: reminder,
    kinds.ESCALATION: escalation,
    kinds.DIGEST: digest,
    kinds.SURVEY_INVITATION: survey_invitation,
    kinds.PROGRESS_REPORT: progress_report,
    kinds.TOPIC_WISH_SCHEDULED: topic_wish_scheduled,
    kinds.TOPIC_WISH_DECLINED: topic_wish_declined,
    kinds.SIGN_IN_LINK: sign_in_link,
    kinds.STAFF_WELCOME: staff_welcome,
    kinds.MEETING_RESCHEDULED: meeting_rescheduled,
    kinds.MEETING_CANCELLED: meeting_cancelled,
}
