"""The demo panel: the East Helsinki pilot, played through the real use cases.

Used by ``raati demo``; time moves on a clock of its own so that timelines read like a season.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from application.commands import (
    AddService,
    AddUser,
    CreatePanel,
    IdeaFilter,
    ImportMembers,
    MemberRow,
    MoveIdea,
    NoteIdea,
    RaiseIdea,
    ScheduleMeeting,
)
from application.demo import participation_scene, privacy_scene, survey_scene
from application.demo import texts as demo_texts
from application.demo.texts import translations
from application.ideas.changes import move_idea, note_idea, raise_idea
from application.meetings import follow_up, prebriefs
from application.meetings.changes import schedule_meeting
from application.people.roster import add_service, add_user, create_panel, import_members
from application.ports.unit_of_work import UnitOfWork
from application.reads import views
from application.reads.views import IdeaView
from application.timezone import PANEL_TZ
from domain.actors import Actor
from domain.ideas import IdeaState
from domain.values import Role

PANEL_NAME = "Itä-Helsingin monialainen asiakasraati"
COORDINATOR = "koordinaattori@raati.example.org"
OMAOLO = "Omaolo-verkkopalvelu"
OMAOLO_OWNER = "omaolo@raati.example.org"
THERAPY = "Toimintaterapia"
THERAPY_OWNER = "toimintaterapia@raati.example.org"
HEALTH_STATION = "Terveysasema"
PLACE = "Itäkeskuksen terveys- ja hyvinvointikeskus, kokoushuone 3"
SOCIAL = "Sosiaalineuvonta"

MEMBERS = [
    ("Aino Virtanen", "fi"),
    ("Eero Korhonen", "fi"),
    ("Leena Mäkinen", "fi"),
    ("Matti Nieminen", "fi"),
    ("Sirkka Hämäläinen", "fi"),
    ("Pekka Laine", "fi"),
    ("Tuula Heikkinen", "fi"),
    ("Karin Lindqvist", "sv"),
    ("Johan Björklund", "sv"),
    ("Ulla Sjöberg", "sv"),
    ("Amina Hassan", "en"),
    ("David Novak", "en"),
]


class DemoClock:
    """A clock the demo moves forward by hand.

    ``on_advance`` (delivery, in the command line) runs ``settle`` after the previous step,
    when what happened then has become due, and again at the end of each step.
    """

    def __init__(
        self,
        start: datetime,
        on_advance: Callable[[DemoClock], None] | None = None,
        settle: timedelta = timedelta(minutes=11),
    ) -> None:
        self.current = start
        self.on_advance = on_advance
        self.settle = settle

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        target = self.current + timedelta(**delta)
        if self.on_advance is not None:
            self.current = min(self.current + self.settle, target)
            self.on_advance(self)
        self.current = target
        if self.on_advance is not None:
            self.on_advance(self)


@dataclass
class DemoResult:
    panel_id: int
    meeting_ids: list[int] = field(default_factory=list)
    ideas: list[IdeaView] = field(default_factory=list)
    participation: participation_scene.ParticipationDemo = field(default_factory=participation_scene.ParticipationDemo)
    survey_id: int = 0
    privacy: privacy_scene.PrivacyDemo = field(default_factory=privacy_scene.PrivacyDemo)
    # Who can sign in to the web app (by the link mailed to them): a service owner first, then the coordinator.
    staff: tuple[str, ...] = ()


def _free_name(uow: UnitOfWork) -> tuple[str, str, str]:
    """The panel's name, an email tag and the suffix of both; a second demo gets "(2)" and "+2" addresses."""
    taken = {p.name for p in views.list_panels(actor=Actor.operator(), uow=uow)}
    name, n = PANEL_NAME, 1
    while name in taken:
        n += 1
        name = f"{PANEL_NAME} ({n})"
    return name, (f"+{n}" if n > 1 else ""), (f" ({n})" if n > 1 else "")


def build_demo(
    uow_factory: Callable[[], UnitOfWork],
    *,
    now: datetime,
    on_advance: Callable[[DemoClock], None] | None = None,
    settle: timedelta = timedelta(minutes=11),
    survey_base_url: str = "http://127.0.0.1:8000",
) -> DemoResult:
    """Create the pilot panel and walk its ideas through every state.

    The season starts eight weeks before ``now``; ``on_advance`` runs each time the demo's
    clock moves on (the command line delivers the mail that has become due). Loading the
    demo again into the same database makes a second panel with its own addresses.
    """
    # Meetings on the hour (13:00 Helsinki time), not at whatever minute the demo happens to run.
    start = (now - timedelta(weeks=8)).astimezone(PANEL_TZ).replace(hour=13, minute=0, second=0, microsecond=0)
    clock = DemoClock(start.astimezone(UTC), on_advance, settle)

    def uow() -> UnitOfWork:
        return uow_factory()

    def staff(address: str) -> str:
        local, _, domain = address.partition("@")
        return f"{local}{email_tag}@{domain}"

    name, email_tag, suffix = _free_name(uow())
    sv_name, en_name = demo_texts.PANEL_NAME
    panel = create_panel(
        CreatePanel(
            name=name,
            translations={"sv": {"name": sv_name + suffix}, "en": {"name": en_name + suffix}},
            contact_name=demo_texts.CONTACT_NAME,
            contact_email=staff(COORDINATOR),
            contact_phone=demo_texts.CONTACT_PHONE,
        ),
        uow=uow(),
        clock=clock,
    )
    ref = str(panel.id)
    add_user(AddUser(email=staff(COORDINATOR), role=Role.COORDINATOR, panel=ref), uow=uow(), clock=clock)
    coordinator = staff(COORDINATOR)
    owners = {OMAOLO: staff(OMAOLO_OWNER), THERAPY: staff(THERAPY_OWNER)}
    for name in (OMAOLO, THERAPY, HEALTH_STATION, SOCIAL):
        owner = (owners[name],) if name in owners else ()
        add_service(AddService(name=name, panel=ref, owners=owner, actor=coordinator), uow=uow(), clock=clock)
    rows = tuple(
        MemberRow(line=i + 2, name=name, email=_member_email(name, email_tag), language=lang)
        for i, (name, lang) in enumerate(MEMBERS)
    )
    import_members(ImportMembers(panel=ref, rows=rows, actor=coordinator), uow=uow(), clock=clock)
    result = DemoResult(panel_id=panel.stored_id, staff=(owners[OMAOLO], coordinator))

    def meeting(days: int, service: str, task: str, kind: str, category: str) -> int:
        m = schedule_meeting(
            ScheduleMeeting(
                panel=ref,
                starts_at=clock.now() + timedelta(days=days),
                service=service,
                tasks=(task,),
                task_kind=kind,
                category=category,
                place=PLACE,
                actor=coordinator,
                translations=translations(place=PLACE, task=[task]),
            ),
            uow=uow(),
            clock=clock,
        )
        result.meeting_ids.append(m.stored_id)
        return m.stored_id

    def raise_(meeting_id: int, title: str, text: str) -> int:
        return raise_idea(
            RaiseIdea(
                meeting_id=meeting_id,
                title=title,
                text=text,
                actor=coordinator,
                translations=translations(title=title, text=text),
            ),
            uow=uow(),
            clock=clock,
        ).id

    def move(idea: int, to: str, *, by: str, note: str | None = None, service: str | None = None) -> None:
        move_idea(
            MoveIdea(
                idea_id=idea,
                to=to,
                note=note,
                service=service,
                actor=by,
                translations=translations(note=note) if note else None,
            ),
            uow=uow(),
            clock=clock,
        )

    def note(idea: int, text: str, *, by: str) -> None:
        note_idea(
            NoteIdea(idea_id=idea, text=text, actor=by, translations=translations(text=text)), uow=uow(), clock=clock
        )

    first = meeting(
        10,
        OMAOLO,
        "Omaolo-verkkopalvelun ohjeet: mikä on vaikeaa ymmärtää ja miten ohjeita voisi selkeyttää?",
        "material",
        "customer_instructions",
    )
    second = meeting(
        31,
        THERAPY,
        "Toimintaterapian visiotyö: millaista toimintaterapiaa asukkaat toivovat terveysasemalle?",
        "question",
        "other",
    )
    # The panel starts: its rules and a welcome that names the first meeting.
    rights = result.participation = participation_scene.rules_and_welcome(ref, actor=coordinator, uow=uow, clock=clock)
    clock.advance(days=3)  # a week before the first meeting: its pre-brief (the send-prebriefs flow's work)
    prebriefs.send_due_prebriefs(uow_factory=uow, clock=clock)
    clock.advance(days=7, hours=3)  # the first meeting is held
    participation_scene.first_meeting(rights, first, actor=coordinator, uow=uow, clock=clock)
    pictures = raise_(first, "Kuvat Omaolon ohjeisiin", "Vaihe vaiheelta -kuvat helpottaisivat oirearvion tekoa.")
    languages = raise_(
        first,
        "Ohjeet samalle sivulle kolmella kielellä",
        "Ruotsin- ja englanninkielinen ohje samaan näkymään.",
    )
    phone = raise_(
        first,
        "Puhelinnumero jokaisen ohjeen loppuun",
        "Jos verkossa asiointi ei onnistu, numero löytyisi heti.",
    )
    page = raise_(
        first, "Asiakasraadille oma sivu kaupungin verkkosivuille", "Raadin työ näkyviin kaikille asukkaille."
    )
    clock.advance(days=1)
    for idea in (pictures, languages, phone):
        move(idea, IdeaState.SENT_TO_SERVICE, by=coordinator, service=OMAOLO)
    move(
        page,
        IdeaState.DECLINED,
        by=coordinator,
        note="Kaupungin verkkosivuille ei tehdä yksittäisten raatien sivuja; raadin kuulumiset julkaistaan "
        "terveysaseman uutiskirjeessä.",
    )
    participation_scene.wish_submitted(rights, uow=uow, clock=clock)
    result.privacy = privacy_scene.stopped_summary(first, actor=coordinator, uow=uow, clock=clock)
    follow_up.follow_up_meetings(uow_factory=uow, clock=clock)  # the approved summary goes to the members
    clock.advance(days=4)
    participation_scene.wish_taken_up(rights, second, actor=coordinator, uow=uow, clock=clock)
    move(pictures, IdeaState.IN_PROGRESS, by=owners[OMAOLO])
    note(phone, "Selvitämme, voiko numeron lisätä kaikkiin ohjeisiin kerralla.", by=owners[OMAOLO])
    clock.advance(days=6)
    move(
        languages,
        IdeaState.DECLINED,
        by=owners[OMAOLO],
        note="Omaolo on valtakunnallinen palvelu, eikä Helsinki voi muuttaa sen kieliversioiden rakennetta. "
        "Veimme toiveen palvelun kehittäjille.",
    )
    move(phone, IdeaState.IN_PROGRESS, by=owners[OMAOLO])
    clock.advance(days=3)
    prebriefs.send_due_prebriefs(uow_factory=uow, clock=clock)  # the second meeting's, with the wish on its agenda
    clock.advance(days=7, hours=3)  # the second meeting is held
    leaflet = raise_(second, "Toimintaterapian esite odotustiloihin", "Moni ei tiedä, mitä toimintaterapia on.")
    group = raise_(second, "Ryhmävastaanotto arjen apuvälineistä", "Apuvälineitä voisi kokeilla yhdessä.")
    booking = raise_(second, "Kotikäynnin ajanvaraus verkossa", "Ajan voisi varata ilman puhelinjonoa.")
    clock.advance(days=2)
    move(leaflet, IdeaState.SENT_TO_SERVICE, by=coordinator, service=THERAPY)
    move(group, IdeaState.SENT_TO_SERVICE, by=coordinator, service=THERAPY)
    clock.advance(days=3)
    move(leaflet, IdeaState.IN_PROGRESS, by=owners[THERAPY])
    note(leaflet, "Esitteen luonnos on valmis ja menee raadin kommentoitavaksi.", by=owners[THERAPY])
    move(
        pictures,
        IdeaState.IMPLEMENTED,
        by=owners[OMAOLO],
        note="Oirearvion ohjeisiin lisättiin vaihe vaiheelta -kuvat. Kiitos raadille ideasta!",
    )
    clock.advance(days=1)
    del booking  # stays raised: the coordinator has not yet chosen its service
    result.survey_id = survey_scene.closed_survey(
        ref, actor=coordinator, uow=uow, clock=clock, base_url=survey_base_url, advance=clock.advance
    )
    follow_up.follow_up_meetings(uow_factory=uow, clock=clock)  # the second summary awaits approval: a reminder
    result.ideas = views.list_ideas(IdeaFilter(panel=ref), actor=Actor.operator(), uow=uow())
    return result


def _member_email(name: str, tag: str) -> str:
    local = name.lower().replace(" ", ".")
    for plain, accented in (("a", "ä"), ("o", "ö"), ("a", "å")):
        local = local.replace(accented, plain)
    return f"{local}{tag}@asukas.example.org"
