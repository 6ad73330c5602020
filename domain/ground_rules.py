"""Ground rules (pelisäännöt): versioned per panel, in Finnish, Swedish and English, acknowledged by members.

Until a coordinator publishes a version, a panel's rules are the model's default set as version 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from domain.actors import Actor
from domain.errors import InvalidValue
from domain.events import Aggregate, Event, EventType
from domain.panels import Member, Panel
from domain.values import Language, aware, bounded_text

MAX_RULES = 40
MAX_RULE = 500

# The customer panel model's rules (seed model: wished for by the members, and produced together with the
# panel), written out in each language. The last rule is the promise Raati exists to keep.
DEFAULT_RULES: Mapping[Language, tuple[str, ...]] = MappingProxyType(
    {
        Language.FI: (
            "Raati on palveluiden kumppani: teemme työtä yhteisen asian eteen.",
            "Sitoudumme raadin työhön.",
            "Käsittelemme asioita, joihin voimme vaikuttaa.",
            "Olemme avoimia ja pidämme yllä hyvää ryhmähenkeä: kunnioitamme toisiamme.",
            "Olemme avoimia uusille asioille ja toimintatavoille.",
            "Pidämme puheenvuorot lyhyinä.",
            "Keskustelun vetäjä jakaa puheenvuorot reilusti ja napakasti, jotta jokainen paikalla oleva "
            "pääsee osallistumaan.",
            "Puhumme omasta terveydestämme yleisellä tasolla, emme yksityiskohtaisesti.",
            "Vastuuhenkilöt suunnittelevat raadin työtä aktiivisesti ja hyvissä ajoin.",
            "Tiedot tulevista tapaamisista tulevat hyvissä ajoin, viimeistään kolme päivää ennen tapaamista.",
            "Tapaamisen jälkeen vastuuhenkilöt lähettävät tiiviin yhteenvedon.",
            "Vastuuhenkilöt kertovat, miten raadin työn tulokset etenevät – myös silloin, kun ideat eivät etene.",
        ),
        Language.SV: (
            "Kundrådet är en partner för tjänsterna: vi arbetar för en gemensam sak.",
            "Vi förbinder oss till kundrådets arbete.",
            "Vi behandlar frågor som vi kan påverka.",
            "Vi är öppna och håller uppe en god gruppanda: vi respekterar varandra.",
            "Vi är öppna för nya saker och arbetssätt.",
            "Vi håller våra inlägg korta.",
            "Samtalsledaren fördelar ordet rättvist och bestämt så att alla som är på plats får delta.",
            "Vi talar om vår egen hälsa på ett allmänt plan, inte i detalj.",
            "De ansvariga planerar kundrådets arbete aktivt och i god tid.",
            "Information om kommande möten kommer i god tid, senast tre dagar före mötet.",
            "Efter mötet skickar de ansvariga en kort sammanfattning.",
            "De ansvariga berättar hur resultaten av kundrådets arbete framskrider – också när idéer inte går vidare.",
        ),
        Language.EN: (
            "The panel is a partner for the services: we work together for a shared cause.",
            "We commit to the panel's work.",
            "We handle topics that we can influence.",
            "We are open and keep up a good group spirit: we respect each other.",
            "We are open to new things and ways of working.",
            "We keep our turns brief.",
            "The discussion leader shares turns fairly and firmly, so that everyone present can take part.",
            "We talk about our own health in general terms, not in detail.",
            "The responsible persons plan the panel's work actively and in good time.",
            "Information about coming meetings arrives well in advance, at least three days before each meeting.",
            "After each meeting the responsible persons send a concise summary.",
            "The responsible persons report how the results of the panel's work progress "
            "– also when ideas do not go ahead.",
        ),
    }
)


def default_rules(language: Language | str | None) -> tuple[str, ...]:
    """The model's rules in a language; anything unknown gets Finnish."""
    try:
        return DEFAULT_RULES[Language(language or Language.FI)]
    except ValueError:
        return DEFAULT_RULES[Language.FI]


@dataclass(frozen=True)
class GroundRules:
    """One version of a panel's rules. ``published_at`` is None for the model's default not yet stored."""

    panel_id: int
    version: int
    rules: Mapping[Language, tuple[str, ...]]
    published_at: datetime | None = None
    published_by: str = ""

    @property
    def stored(self) -> bool:
        return self.published_at is not None

    def in_language(self, language: Language | str | None) -> list[str]:
        """The rules in a member's language; a language the version lacks falls back to Finnish."""
        try:
            wanted = Language(language or Language.FI)
        except ValueError:
            wanted = Language.FI
        return list(self.rules.get(wanted) or self.rules[Language.FI])


@dataclass(frozen=True)
class Acknowledgement:
    panel_id: int
    version: int
    member_id: int
    at: datetime


def model_default(panel_id: int) -> GroundRules:
    """A panel's rules before anyone has published: the model's own, as version 1."""
    return GroundRules(panel_id=panel_id, version=1, rules=DEFAULT_RULES)


def current(panel_id: int, latest: GroundRules | None) -> GroundRules:
    return latest if latest is not None else model_default(panel_id)


def rule_set(rules: Mapping[str, Sequence[str]] | None) -> Mapping[Language, tuple[str, ...]]:
    """Validate rules per language: Finnish, Swedish and English all present, each a list of one-line rules."""
    if rules is None:
        return DEFAULT_RULES
    unknown = sorted(set(rules) - {lang.value for lang in Language})
    if unknown:
        raise InvalidValue("language", f"{', '.join(unknown)} is not one of fi, sv, en")
    checked: dict[Language, tuple[str, ...]] = {}
    for lang in Language:
        field = f"rules_{lang.value}"
        texts = [
            bounded_text(rule, field=field, maximum=MAX_RULE) for rule in rules.get(lang.value, ()) if rule.strip()
        ]
        if not texts:
            raise InvalidValue(field, "no rules given; every version has its rules in Finnish, Swedish and English")
        if len(texts) > MAX_RULES:
            raise InvalidValue(field, f"{len(texts)} rules; at most {MAX_RULES} are allowed")
        if any("\n" in text or "\r" in text for text in texts):
            raise InvalidValue(field, "a rule must be a single line")
        checked[lang] = tuple(texts)
    counts = {lang.value: len(texts) for lang, texts in checked.items()}
    if len(set(counts.values())) != 1:
        listed = ", ".join(f"{code} {n}" for code, n in counts.items())
        raise InvalidValue("rules", f"the languages must have the same rules, one for one; got {listed}")
    return MappingProxyType(checked)


def publish(
    panel: Panel,
    *,
    latest: GroundRules | None,
    rules: Mapping[str, Sequence[str]] | None,
    actor: Actor,
    seq: int,
    at: datetime,
) -> tuple[GroundRules, Event]:
    """A new version (the next number); ``rules`` None publishes the model's default set again."""
    actor.require_coordinator(panel.stored_id)
    checked = rule_set(rules)
    if latest is not None and dict(checked) == dict(latest.rules):
        raise InvalidValue("rules", f"are the same as the current version {latest.version}; nothing to publish")
    version = GroundRules(
        panel_id=panel.stored_id,
        version=latest.version + 1 if latest is not None else 1,
        rules=checked,
        published_at=aware(at),
        published_by=actor.name,
    )
    return version, _published(version, seq=seq, default=rules is None)


def adopt_default(panel_id: int, *, seq: int, at: datetime, by: str) -> tuple[GroundRules, Event]:
    """Store the implicit default as version 1 (when the first member acknowledges it)."""
    version = GroundRules(panel_id=panel_id, version=1, rules=DEFAULT_RULES, published_at=aware(at), published_by=by)
    return version, _published(version, seq=seq, default=True)


def _published(version: GroundRules, *, seq: int, default: bool) -> Event:
    assert version.published_at is not None
    return Event(
        aggregate=Aggregate.PANEL,
        aggregate_id=version.panel_id,
        seq=seq,
        type=EventType.GROUND_RULES_PUBLISHED,
        actor=version.published_by,
        at=version.published_at,
        data=MappingProxyType(
            {"version": version.version, "default": default, "rules": len(version.rules[Language.FI])}
        ),
    )


def acknowledge(
    rules: GroundRules, member: Member, *, version: int, already: bool, seq: int, at: datetime
) -> tuple[Acknowledgement, Event | None]:
    """A member acknowledges the current version; again is harmless (no second event)."""
    if member.panel_id != rules.panel_id:
        raise InvalidValue("member", f"member {member.stored_id} is not in panel {rules.panel_id}")
    if not member.active:
        raise InvalidValue("member", f"member {member.stored_id} is no longer an active member")
    if version != rules.version:
        raise InvalidValue("version", f"{version} is not the current version of the rules ({rules.version})")
    ack = Acknowledgement(panel_id=rules.panel_id, version=version, member_id=member.stored_id, at=aware(at))
    if already:
        return ack, None
    event = Event(
        aggregate=Aggregate.MEMBER,
        aggregate_id=member.stored_id,
        seq=seq,
        type=EventType.GROUND_RULES_ACKNOWLEDGED,
        actor=f"member:{member.stored_id}",
        at=ack.at,
        data=MappingProxyType({"panel_id": rules.panel_id, "version": version}),
    )
    return ack, event
