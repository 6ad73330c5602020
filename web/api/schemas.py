"""The API's request and response bodies as Pydantic models, so that /openapi.json describes them exactly."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from domain.ideas import REQUIRED_TEXT, IdeaState
from domain.meetings import MeetingStatus, TaskCategory, TaskKind
from domain.panels import Delivery
from domain.values import MAX_NAME, MAX_TEXT, MAX_TITLE, Language, Role
from notifications.outbox import OutboxStatus, RecipientKind

# Ids are 32-bit in the database; larger numbers cannot name anything.
MAX_ID = 2**31 - 1


def _utf8(value: str) -> str:
    # A lone surrogate (valid in JSON's \u escapes) cannot be stored or emailed.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a character that is not valid Unicode text (a lone surrogate)") from None
    return value


# The domain trims texts with str.strip(), whose whitespace is exactly these characters (str.isspace); a text of
# only these is empty. Spelled out: the regex engines that read the patterns (pydantic's, the document's readers)
# do not agree on what \s means.
SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# The rules of domain.values.bounded_text and single_line as patterns, so that the OpenAPI document states them:
# no NUL; something besides whitespace (required texts); no line break (titles).
NO_NUL = r"^[^\x00]*$"
SOME_TEXT = rf"^[^\x00]*[^{SPACE}\x00][^\x00]*$"
ONE_LINE = rf"^[^\r\n\x00]*[^{SPACE}\x00][^\r\n\x00]*$"

Text = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=NO_NUL), AfterValidator(_utf8)]
RequiredText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_TEXT, pattern=SOME_TEXT), AfterValidator(_utf8)
]
Title = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TITLE, pattern=ONE_LINE), AfterValidator(_utf8)]
# A panel or service given by its id or its name, as on the command line.
Ref = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]+$"), AfterValidator(_utf8)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# An idea's version counts its events; it is stored in a 32-bit column like the ids.
Version = Annotated[int, Field(ge=0, le=MAX_ID)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Translated texts (issue 13): a body's "translations" maps "sv" and "en" to the body's own Finnish field names.
# The domain checks them again (domain.translations) and names a refused one as translations.sv.note.
Translated = dict[str, dict[str, Any]]
TRANSLATIONS_DOC = (
    'The texts in Swedish and English beside the Finnish ones: {"sv": {field: text}, "en": {...}}, with this '
    "body's own field names; a missing one means the Finnish is used."
)


class RaiseTexts(_In):
    title: Title | None = None
    text: Text | None = None


class RaiseTranslations(_In):
    sv: RaiseTexts | None = None
    en: RaiseTexts | None = None


class NoteTexts(_In):
    note: Text | None = None


class TransitionTranslations(_In):
    sv: NoteTexts | None = None
    en: NoteTexts | None = None


class ProgressTexts(_In):
    text: Text | None = None


class NoteTranslations(_In):
    sv: ProgressTexts | None = None
    en: ProgressTexts | None = None


class PanelTexts(_In):
    name: (
        Annotated[str, StringConstraints(max_length=MAX_NAME, pattern=r"^[^\r\n\x00]*$"), AfterValidator(_utf8)] | None
    ) = None


class PanelTranslations(_In):
    sv: PanelTexts | None = None
    en: PanelTexts | None = None


def given_translations(body: BaseModel | None) -> Translated | None:
    """A body's translations as the use cases take them: the languages and fields given (None left out)."""
    if body is None:
        return None
    return {k: v for k, v in body.model_dump(exclude_none=True).items() if v} or None


class FieldError(BaseModel):
    field: str = Field(description="The field the error is about (a body field, query or path parameter).")
    reason: str


class Problem(BaseModel):
    """An error as RFC 9457 problem details; conflicts add ``allowed`` or ``current_version``."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []
    allowed: list[str] | None = Field(None, description="On an illegal transition: the states the idea may move to.")
    current_state: str | None = None
    current_version: int | None = Field(None, description="On a stale expected_version: the idea's version now.")
    request_id: str | None = Field(None, description="The request's id, as in its X-Request-ID header and the log.")


class TimelineEntryOut(BaseModel):
    seq: int
    type: str
    from_state: str | None
    to_state: str | None
    actor: str
    text: str | None
    at: str
    translations: Translated = Field(default_factory=dict, description="The text in Swedish and English.")


class IdeaSummaryOut(BaseModel):
    """An idea as ``raati idea list --json`` prints it (no timeline)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    text: str
    state: IdeaState
    version: int
    panel: int
    panel_name: str
    service: int | None
    service_name: str | None
    meeting: int
    allowed_next: list[IdeaState]
    queued_notifications: int = Field(description="Notifications the change that returned this queued (0 on reads).")
    translations: Translated = Field(default_factory=dict, description="The title and text in Swedish and English.")


class IdeaOut(IdeaSummaryOut):
    """An idea as ``raati idea show --json`` prints it, with its timeline."""

    timeline: list[TimelineEntryOut]


def _note_required(schema: dict[str, Any]) -> None:
    # The same rule as TransitionIn._note_for_the_members, in the document: to these states, a note that says something.
    schema["if"] = {"properties": {"to": {"enum": [state.value for state in REQUIRED_TEXT]}}, "required": ["to"]}
    schema["then"] = {"properties": {"note": TypeAdapter(RequiredText).json_schema()}, "required": ["note"]}


class TransitionIn(_In):
    model_config = ConfigDict(json_schema_extra=_note_required)

    to: IdeaState
    note: Text | None = Field(
        None,
        validate_default=True,
        description="For the members; required (not blank) for declined and implemented.",
    )
    expected_version: Version = Field(description="The version the caller read; a stale one is refused (409).")
    service: Ref | None = Field(None, description="Service id or name, when a raised idea is sent to a service.")
    acknowledge_health: bool = Field(
        False, description="Health details in the note go out anyway: a coordinator's recorded word (privacy check)."
    )
    translations: TransitionTranslations | None = Field(None, description=TRANSLATIONS_DOC)

    @field_validator("note")
    @classmethod
    def _note_for_the_members(cls, note: str | None, info: ValidationInfo) -> str | None:
        # The domain's rule (domain.ideas.REQUIRED_TEXT) checked with the body, so that the document can state it.
        to = info.data.get("to")  # absent when it was itself invalid
        if isinstance(to, IdeaState) and to in REQUIRED_TEXT and not (note or "").strip():
            raise PydanticCustomError("note_required", REQUIRED_TEXT[to])
        return note


class NoteIn(_In):
    text: RequiredText
    expected_version: Version | None = None
    acknowledge_health: bool = Field(False, description="Health details in the text go out anyway (coordinators).")
    translations: NoteTranslations | None = Field(None, description=TRANSLATIONS_DOC)


class RaiseIn(_In):
    meeting_id: Id
    title: Title
    text: Text | None = None
    service: Ref | None = None
    acknowledge_health: bool = Field(False, description="The text mentions health on purpose (privacy check).")
    translations: RaiseTranslations | None = Field(None, description=TRANSLATIONS_DOC)


class TaskOut(BaseModel):
    text: str
    kind: TaskKind
    category: TaskCategory
    translations: Translated = Field(default_factory=dict, description="The text in Swedish and English.")


class MaterialOut(BaseModel):
    title: str
    url: str
    translations: Translated = Field(default_factory=dict, description="The title in Swedish and English.")


class ContactOut(BaseModel):
    name: str
    email: str
    phone: str | None


# The domain's rules for a contact (domain.values.email, domain.panels.phone) as patterns, a little stricter: no "="
# in an address (the domain refuses "=?", an encoded word), so that whatever the document allows, the domain accepts.
EMAIL = (
    r"^[A-Za-z0-9!#$%&'*+/?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
PHONE = r"^$|^\+?[0-9]([ ()-]*[0-9]){5,14}$"


class ContactIn(_In):
    """The panel's contact person; it replaces the one before (a phone left out: none)."""

    name: Title
    email: Annotated[str, StringConstraints(max_length=254, pattern=EMAIL)]
    phone: Annotated[str, StringConstraints(max_length=40, pattern=PHONE)] | None = Field(
        None, description="6 to 15 digits, with an optional + and spaces, hyphens or brackets between."
    )


class PanelOut(BaseModel):
    id: int
    name: str
    lead_days: int
    summary_due_days: int
    translations: Translated = Field(default_factory=dict, description="The name in Swedish and English.")
    contact: ContactOut | None = Field(description="The person members may ask; named in every member mail.")


class PanelUpdateIn(_In):
    """Change a panel's name, its translations (an empty text removes one) or its contact (fields given replace)."""

    name: Title | None = None
    translations: PanelTranslations | None = Field(None, description=TRANSLATIONS_DOC)
    contact: ContactIn | None = None


class MeetingOut(BaseModel):
    id: int
    panel: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    service: int = Field(description="The leading service.")
    tasks: list[TaskOut]
    agenda: list[str]
    materials: list[MaterialOut]
    place: str
    online_url: str
    status: MeetingStatus
    late: bool
    late_reason: str
    prebrief_ready: bool
    prebrief_sent_at: datetime | None
    summary: str
    next_steps: list[str]
    summary_approved_at: datetime | None
    summary_sent_at: datetime | None
    translations: Translated = Field(
        default_factory=dict, description="Title, place, agenda, summary and next steps in Swedish and English."
    )
    missing_translations: dict[str, list[str]] = Field(
        default_factory=dict,
        description='What members would read only in Finnish, by language: {"sv": ["summary", "tasks[0]"], ...}.',
    )


class MemberOut(BaseModel):
    id: int
    panel: int
    name: str
    email: str
    language: Language
    delivery: Delivery
    active: bool
    unsubscribed: bool


class FailedMessageOut(BaseModel):
    id: str
    kind: str
    panel: int
    recipient_kind: RecipientKind
    recipient_id: int
    attempts: int
    created_at: datetime
    reason: str | None = Field(description="Why delivery failed for good.")
    idea: int | None


class OutboxStatusOut(BaseModel):
    counts: dict[OutboxStatus, int]
    oldest_pending_at: datetime | None
    oldest_pending_age_seconds: float | None
    failed: list[FailedMessageOut] = Field(description="The most recent failed rows (at most 100).")


class MeOut(BaseModel):
    email: str
    role: Role
    panels: list[int]
    service: int | None
    language: Language | None = Field(None, description="The saved UI language; null when not chosen.")
