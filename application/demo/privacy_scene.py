"""The demo panel's first summary: the privacy guard stops a draft with a phone number, the coordinator edits it.

``application.demo.pilot`` calls this after the first meeting; ``raati demo`` prints what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from application.commands import ApproveSummary, DraftSummary
from application.demo.texts import translations
from application.meetings.changes import approve_summary, draft_summary
from application.ports.unit_of_work import Clock, UnitOfWork
from domain.errors import PrivacyBlocked

_BODY = (
    "Kiitos kokouksesta! Kävimme läpi Omaolo-verkkopalvelun ohjeita. Raati ehdotti vaihe vaiheelta -kuvia, "
    "ohjeita samalle sivulle kolmella kielellä ja puhelinnumeroa jokaisen ohjeen loppuun; lisäksi raati toivoi "
    "omaa sivua kaupungin verkkosivuille. "
)
FIRST_DRAFT = _BODY + "Kysyttävää? Soita koordinaattorille numeroon 040 123 4567."
EDITED = _BODY + "Kysyttävää? Kysy koordinaattorilta seuraavassa kokouksessa tai terveysaseman neuvonnasta."
NEXT_STEPS = ("Omaolo-verkkopalvelu kertoo raadille, mitä ideoille tapahtuu.",)


@dataclass
class PrivacyDemo:
    meeting_id: int = 0
    stopped: list[str] = field(default_factory=list)  # "phone at 298-310": kinds and positions, never the text
    approved: bool = False


def stopped_summary(meeting_id: int, *, actor: str, uow: Callable[[], UnitOfWork], clock: Clock) -> PrivacyDemo:
    """Draft the summary with the coordinator's phone number in it, be stopped, remove it, approve."""
    found = PrivacyDemo(meeting_id=meeting_id)
    try:
        draft_summary(
            DraftSummary(meeting_id=meeting_id, text=FIRST_DRAFT, next_steps=NEXT_STEPS, actor=actor),
            uow=uow(),
            clock=clock,
        )
    except PrivacyBlocked as stopped:
        found.stopped = [f"{stopped.field}: {finding.position()}" for finding in stopped.findings]
    draft_summary(
        DraftSummary(
            meeting_id=meeting_id,
            text=EDITED,
            next_steps=NEXT_STEPS,
            actor=actor,
            translations=translations(text=EDITED, next_steps=NEXT_STEPS),
        ),
        uow=uow(),
        clock=clock,
    )
    approved = approve_summary(ApproveSummary(meeting_id=meeting_id, actor=actor), uow=uow(), clock=clock)
    found.approved = approved.summary_approved_at is not None
    return found
