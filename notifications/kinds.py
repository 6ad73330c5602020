"""The kinds of notification Raati sends, who they are for, and the payload each kind's template needs.

A payload is the JSON object stored on the outbox row. The TypedDicts below are the contract
for producers: every required key must be present; ``NotRequired`` keys may be left out and the
templates then say something sensible instead. Moments are ISO 8601 strings with a UTC offset
(``datetime.isoformat()``); dates are ``YYYY-MM-DD``. Member mail is rendered in the member's
language; staff mail in the staff user's saved language, else Finnish.

Every reader in their own language (issue 13), three ``NotRequired`` keys the producers add:

- ``translations``: ``{"sv": {field: text}, "en": {…}}`` on a payload and on each nested item that has
  translatable text (tasks, materials, summary ideas, progress ideas, overdue items). The inner keys are THE
  PAYLOAD'S (or item's) OWN FIELD NAMES: ``{"idea_title": "…", "text": "…", "panel_name": "…", "translations":
  {"sv": {"idea_title": "…", "text": "…", "panel_name": "…"}}}``; a list field (``agenda``, ``next_steps``)
  is translated as a whole list. A language or field that is missing means "use the Finnish" (the renderer
  falls back field by field: the reader's language, then Finnish). Only ``sv`` and ``en`` occur.
- ``panel_contact``: ``{"name": str, "email": str, "phone": str | None}`` on every member payload whose panel
  has a contact person (``PanelContact``); never on staff mail.
- ``greeting_name``: the recipient's given name (a member's or staff user's greeting name, else the first word
  of the member's name), wherever ``recipient_name`` is set, and on staff mail when the user has one.
"""

# No ``from __future__ import annotations`` here: on Python 3.11 it hides NotRequired from
# ``__required_keys__``, and producers and tests read the contract from those.
from enum import StrEnum
from typing import Any, NotRequired, TypedDict

# language ("sv", "en") → {the payload's own field name: its text, or a list of texts for a list field}
Translations = dict[str, dict[str, Any]]


class PanelContact(TypedDict):
    """The panel's contact person, named in every member mail (``panel_contact``)."""

    name: str
    email: str
    phone: str | None


class Kind(StrEnum):
    """A notification kind: the outbox row's ``kind``, and the name of its templates and catalog keys."""

    IDEA_UPDATE = "idea_update"
    IDEA_SENT_TO_SERVICE = "idea_sent_to_service"
    PREBRIEF = "prebrief"
    SUMMARY = "summary"
    WELCOME = "welcome"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    DIGEST = "digest"
    SURVEY_INVITATION = "survey_invitation"
    PROGRESS_REPORT = "progress_report"
    TOPIC_WISH_SCHEDULED = "topic_wish_scheduled"
    TOPIC_WISH_DECLINED = "topic_wish_declined"
    SIGN_IN_LINK = "sign_in_link"
    STAFF_WELCOME = "staff_welcome"
    MEETING_RESCHEDULED = "meeting_rescheduled"
    MEETING_CANCELLED = "meeting_cancelled"


# The members under their module-level names, which most producers and tests use (``kinds.DIGEST``).
IDEA_UPDATE = Kind.IDEA_UPDATE
IDEA_SENT_TO_SERVICE = Kind.IDEA_SENT_TO_SERVICE
PREBRIEF = Kind.PREBRIEF
SUMMARY = Kind.SUMMARY
WELCOME = Kind.WELCOME
REMINDER = Kind.REMINDER
ESCALATION = Kind.ESCALATION
DIGEST = Kind.DIGEST
SURVEY_INVITATION = Kind.SURVEY_INVITATION
PROGRESS_REPORT = Kind.PROGRESS_REPORT
TOPIC_WISH_SCHEDULED = Kind.TOPIC_WISH_SCHEDULED
TOPIC_WISH_DECLINED = Kind.TOPIC_WISH_DECLINED
SIGN_IN_LINK = Kind.SIGN_IN_LINK
STAFF_WELCOME = Kind.STAFF_WELCOME
MEETING_RESCHEDULED = Kind.MEETING_RESCHEDULED
MEETING_CANCELLED = Kind.MEETING_CANCELLED

# Mail to panel members: carries List-Unsubscribe and a link to the member's preferences.
MEMBER_KINDS: frozenset[Kind] = frozenset(
    {
        IDEA_UPDATE,
        PREBRIEF,
        SUMMARY,
        WELCOME,
        DIGEST,
        SURVEY_INVITATION,
        PROGRESS_REPORT,
        TOPIC_WISH_SCHEDULED,
        TOPIC_WISH_DECLINED,
        MEETING_RESCHEDULED,
        MEETING_CANCELLED,
    }
)
# Mail to coordinators and service owners about their work: no unsubscribe.
STAFF_KINDS: frozenset[Kind] = frozenset({IDEA_SENT_TO_SERVICE, REMINDER, ESCALATION, SIGN_IN_LINK, STAFF_WELCOME})
ALL_KINDS = MEMBER_KINDS | STAFF_KINDS
# Kinds where one email covers several payloads (coalesced changes, the weekly digest).
MULTI_PAYLOAD_KINDS: frozenset[Kind] = frozenset({IDEA_UPDATE, DIGEST})


def is_member_kind(kind: str) -> bool:
    return kind in MEMBER_KINDS


class IdeaChangePayload(TypedDict):
    """One idea event: a move (``event_type`` "moved") or a progress note ("noted").

    ``text`` is the member-facing text: the decline reason, the implementation outcome or the
    progress note. Produced by ``notifications.policy.idea_payload``.
    """

    idea_id: int
    idea_title: str
    meeting_id: int | None
    panel_id: int
    panel_name: str
    service_id: int | None
    service_name: str | None
    event_seq: int
    event_type: str
    from_state: str | None
    to_state: str | None
    text: str | None
    actor: str
    at: str
    recipient_name: NotRequired[str]
    idea_text: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]


class IdeaUpdatePayload(IdeaChangePayload):
    """``idea_update`` and ``digest``: one payload per change; one email lists them all."""


class IdeaSentToServicePayload(IdeaChangePayload):
    """``idea_sent_to_service``, to a service owner. ``respond_by`` is a date (``YYYY-MM-DD``)."""

    respond_by: NotRequired[str]


class MeetingTask(TypedDict):
    """A development task; ``kind`` and ``category`` are codes the mail shows in the reader's words."""

    title: str
    description: NotRequired[str]
    kind: NotRequired[str]
    category: NotRequired[str]
    translations: NotRequired[Translations]


class MeetingMaterial(TypedDict):
    title: str
    url: str
    translations: NotRequired[Translations]


class PrebriefPayload(TypedDict):
    """``prebrief``: advance information, sent at least three days before the meeting.

    ``place`` and ``online_url`` may both be given (a hybrid meeting); at least one should be.
    ``ground_rules``, when given, is listed; otherwise a short reminder of the meeting rules is shown.
    The email carries the meeting as ``meeting.ics`` (``notifications.calendar``): ``ends_at`` defaults
    to two hours after the start, and ``issued_at`` (when the pre-brief was issued, a moment) is the
    invitation's DTSTAMP; without it the start is used, so the bytes never depend on the clock.
    """

    panel_id: int
    panel_name: str
    meeting_id: int
    meeting_title: str
    starts_at: str
    leading_service_name: str
    tasks: list[MeetingTask]
    agenda: list[str]
    materials: list[MeetingMaterial]
    ends_at: NotRequired[str]
    place: NotRequired[str | None]
    online_url: NotRequired[str | None]
    ground_rules: NotRequired[list[str]]
    coordinator_name: NotRequired[str]
    coordinator_email: NotRequired[str]
    recipient_name: NotRequired[str]
    issued_at: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]
    sequence: NotRequired[int]  # the calendar entry's SEQUENCE (above 0 when the meeting was moved before)


class SummaryIdea(TypedDict):
    idea_id: int
    title: str
    service_name: str | None
    state: NotRequired[str]
    translations: NotRequired[Translations]


class SummaryPayload(TypedDict):
    """``summary``: the concise summary after a meeting. ``discussion`` may hold several paragraphs."""

    panel_id: int
    panel_name: str
    meeting_id: int
    meeting_title: str
    held_at: str
    discussion: str
    ideas: list[SummaryIdea]
    next_steps: list[str]
    leading_service_name: NotRequired[str]
    next_meeting_at: NotRequired[str]
    coordinator_name: NotRequired[str]
    recipient_name: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]


class WelcomePayload(TypedDict):
    """``welcome``: ``ground_rules`` are the panel's current rules in the member's language.

    An empty list falls back to the model's default rules (``catalogs.default_ground_rules``).
    ``ground_rules_version`` is the version listed; the email links to the member's page for
    acknowledging it (the composer adds the signed link ``ground_rules``, and ``topic_wish``).
    """

    panel_id: int
    panel_name: str
    ground_rules: list[str]
    ground_rules_version: NotRequired[int]
    recipient_name: NotRequired[str]
    coordinator_name: NotRequired[str]
    coordinator_email: NotRequired[str]
    next_meeting_at: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]


class OverdueItem(TypedDict):
    """Something waiting for staff. ``subject`` is "idea", "prebrief" or "summary".

    ``due_at`` is a date or a moment; ``days_overdue`` ≤ 0 means not yet late. The link goes to
    ``/ideas/{idea_id}`` for ideas and ``/meetings/{meeting_id}`` for meetings.
    """

    subject: str
    title: str
    due_at: str
    days_overdue: int
    idea_id: NotRequired[int]
    meeting_id: NotRequired[int]
    service_name: NotRequired[str]
    state: NotRequired[str]
    responsible_name: NotRequired[str]
    reminders_sent: NotRequired[int]
    translations: NotRequired[Translations]


class ReminderPayload(TypedDict):
    """``reminder``, to the person who should act."""

    panel_id: int
    panel_name: str
    items: list[OverdueItem]
    recipient_name: NotRequired[str]
    translations: NotRequired[Translations]
    greeting_name: NotRequired[str]


class EscalationPayload(TypedDict):
    """``escalation``, to a coordinator or manager when reminders did not help."""

    panel_id: int
    panel_name: str
    items: list[OverdueItem]
    recipient_name: NotRequired[str]
    translations: NotRequired[Translations]
    greeting_name: NotRequired[str]


class SurveyInvitationPayload(TypedDict):
    """``survey_invitation``: ``survey_url`` is the recipient's one-time link; ``closes_at`` a date or moment."""

    panel_id: int
    panel_name: str
    survey_id: int
    survey_title: str
    survey_url: str
    closes_at: str
    estimated_minutes: NotRequired[int]
    recipient_name: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]


class ProgressIdea(TypedDict):
    """One idea as it stands now. ``state`` is one of the idea states (``raised``, ``sent_to_service``,
    ``in_progress``, ``implemented``, ``declined``); ``text`` is the member-facing text of that state:
    the decline reason, the implementation outcome or the latest progress note. ``updated_at`` is a moment.
    """

    idea_id: int
    title: str
    state: str
    service_name: str | None
    text: str | None
    updated_at: str
    translations: NotRequired[Translations]


class ProgressReportPayload(TypedDict):
    """``progress_report``: every idea of the panel, grouped by state, for the period (dates, inclusive).

    The template writes the period in the member's language; ``ideas`` may be empty.
    """

    panel_id: int
    panel_name: str
    period_start: str
    period_end: str
    ideas: list[ProgressIdea]
    recipient_name: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]


class TopicWishScheduledPayload(TypedDict):
    """``topic_wish_scheduled``, to the member whose topic wish a coordinator put on a meeting's agenda."""

    panel_id: int
    panel_name: str
    wish_id: int
    wish_text: str
    meeting_id: int
    meeting_title: str
    starts_at: str
    ends_at: NotRequired[str]
    place: NotRequired[str | None]
    online_url: NotRequired[str | None]
    recipient_name: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]


class TopicWishDeclinedPayload(TypedDict):
    """``topic_wish_declined``, to the member whose topic wish the coordinators declined; ``note`` says why."""

    panel_id: int
    panel_name: str
    wish_id: int
    wish_text: str
    note: str
    recipient_name: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]


class SignInLinkPayload(TypedDict):
    """``sign_in_link``: a one-time sign-in link for a staff user, sent at once (never coalesced or held).

    The payload holds no secret: the composer derives the link's token from the link signing key, the
    ``sign_in_id`` and its ``nonce`` (``notifications.links.sign_in_token``); the database keeps only the
    token's hash. ``expires_at`` is a moment; ``next`` is the local path the link lands on after sign-in.
    The composer adds ``requested_at`` (the row's creation) for rendering, so the mail can say for how many
    minutes the link works; producers leave it out.
    """

    sign_in_id: int
    nonce: str
    expires_at: str
    next: NotRequired[str | None]
    recipient_name: NotRequired[str]
    greeting_name: NotRequired[str]


class MeetingChangePayload(TypedDict):
    """What a moved or cancelled meeting's mail and its ``meeting.ics`` need: the pre-brief's frame (its UID is
    ``meeting-{meeting_id}``) and ``sequence``, the calendar entry's new SEQUENCE; ``issued_at`` is its DTSTAMP."""

    panel_id: int
    panel_name: str
    meeting_id: int
    meeting_title: str
    starts_at: str
    leading_service_name: str
    sequence: int
    issued_at: str
    ends_at: NotRequired[str]
    place: NotRequired[str | None]
    online_url: NotRequired[str | None]
    agenda: NotRequired[list[str]]
    coordinator_email: NotRequired[str]
    recipient_name: NotRequired[str]
    translations: NotRequired[Translations]
    panel_contact: NotRequired[PanelContact]
    greeting_name: NotRequired[str]


class MeetingRescheduledPayload(MeetingChangePayload):
    """``meeting_rescheduled``: the meeting moved to ``starts_at`` from ``previous_starts_at`` (moments)."""

    previous_starts_at: str


class MeetingCancelledPayload(MeetingChangePayload):
    """``meeting_cancelled``: ``starts_at`` is when it would have been; ``reason`` is the coordinator's, for members."""

    reason: str


class StaffWelcomePayload(TypedDict):
    """``staff_welcome``: a coordinator or service representative has been added to a panel. ``role`` is
    ``coordinator`` or ``service_owner``; ``service_name`` the owner's service; ``added_by`` the adder's address
    (the local operator's is left out). The mail links to the sign-in page: a one-time link would expire before many
    read their mail."""

    panel_id: int
    panel_name: str
    role: str
    service_name: NotRequired[str]
    added_by: NotRequired[str]
    translations: NotRequired[Translations]
    greeting_name: NotRequired[str]


PAYLOAD_TYPES: dict[str, type] = {
    SIGN_IN_LINK: SignInLinkPayload,
    STAFF_WELCOME: StaffWelcomePayload,
    IDEA_UPDATE: IdeaUpdatePayload,
    IDEA_SENT_TO_SERVICE: IdeaSentToServicePayload,
    PREBRIEF: PrebriefPayload,
    SUMMARY: SummaryPayload,
    WELCOME: WelcomePayload,
    REMINDER: ReminderPayload,
    ESCALATION: EscalationPayload,
    DIGEST: IdeaUpdatePayload,
    SURVEY_INVITATION: SurveyInvitationPayload,
    PROGRESS_REPORT: ProgressReportPayload,
    TOPIC_WISH_SCHEDULED: TopicWishScheduledPayload,
    TOPIC_WISH_DECLINED: TopicWishDeclinedPayload,
    MEETING_RESCHEDULED: MeetingRescheduledPayload,
    MEETING_CANCELLED: MeetingCancelledPayload,
}
