"""Realistic payloads of every notification kind, as producers store them on outbox rows."""

from __future__ import annotations

from typing import Any

from notifications import kinds

BASE_URL = "https://raati.example.fi"
MEMBER_LINKS = {
    "unsubscribe": f"{BASE_URL}/m/42/unsubscribe?token=abc",
    "preferences": f"{BASE_URL}/m/42/preferences?token=def",
    "panel": f"{BASE_URL}/m/42/panel?token=def",
    "unsubscribe_mailto": "mailto:unsubscribe@raati.example.fi?subject=unsubscribe%2042%20abc",
}
DECLINE_REASON = "Omaolon valikoita ei voi muuttaa, koska palvelu on valtakunnallinen ja sen ylläpitää DigiFinland."
IMPLEMENTED_OUTCOME = "Ajanvarauksen ohje kirjoitettiin selkokielelle, ja se on nyt terveysasemien aulassa."
# The sign-in link's row and nonce (secrets.token_hex(16)); the mail's link is derived from them and the key.
SIGN_IN_ID = 11
SIGN_IN_NONCE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
SIGN_IN_URL = f"{BASE_URL}/sign-in/link/sample-token"
PROGRESS_NOTE = "Pyysimme ohjeesta palautetta kolmelta asiakkaalta; uusi versio valmistuu huhtikuussa."


def idea_change(
    idea_id: int = 7,
    *,
    title: str = "Selkeämpi ohje Omaolon oirearvioon",
    seq: int = 3,
    event_type: str = "moved",
    from_state: str | None = "in_progress",
    to_state: str | None = "implemented",
    text: str | None = IMPLEMENTED_OUTCOME,
    service: str | None = "Terveysasemat",
    at: str = "2026-03-12T12:05:00+00:00",
) -> dict[str, Any]:
    return {
        "idea_id": idea_id,
        "idea_title": title,
        "meeting_id": 3,
        "panel_id": 1,
        "panel_name": "Itä-Helsingin asiakasraati",
        "service_id": 2 if service else None,
        "service_name": service,
        "event_seq": seq,
        "event_type": event_type,
        "from_state": from_state,
        "to_state": to_state,
        "text": text,
        "actor": "palvelu:terveysasemat",
        "at": at,
        "recipient_name": "Maija Meikäläinen",
    }


def declined(idea_id: int = 8, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Omaolon valikot suomeksi, ruotsiksi ja selkokielellä",
        "from_state": "sent_to_service",
        "to_state": "declined",
        "text": DECLINE_REASON,
        **overrides,
    }
    return idea_change(idea_id, **values)


def progress_note(idea_id: int = 9, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Toimintaterapian esite odotustiloihin",
        "event_type": "noted",
        "from_state": None,
        "to_state": None,
        "text": PROGRESS_NOTE,
        "service": "Toimintaterapia",
        **overrides,
    }
    return idea_change(idea_id, **values)


def progress_ideas() -> list[dict[str, Any]]:
    """One idea in every state, as the quarterly progress report lists them."""

    def idea(idea_id: int, title: str, state: str, service: str | None, text: str | None, at: str) -> dict[str, Any]:
        return {
            "idea_id": idea_id,
            "title": title,
            "state": state,
            "service_name": service,
            "text": text,
            "updated_at": at,
        }

    return [
        idea(10, "Ohje myös ruotsiksi", "raised", None, None, "2026-11-02T08:00:00+00:00"),
        idea(
            11, "Takaisinsoiton aika tekstiviestillä", "sent_to_service", "Terveysasemat", None, "2026-10-20T09:00:00Z"
        ),
        idea(9, "Toimintaterapian esite odotustiloihin", "in_progress", "Toimintaterapia", PROGRESS_NOTE, "2026-12-01"),
        idea(
            7, "Selkeämpi ohje Omaolon oirearvioon", "implemented", "Terveysasemat", IMPLEMENTED_OUTCOME, "2026-12-10"
        ),
        idea(
            8,
            "Omaolon valikot suomeksi, ruotsiksi ja selkokielellä",
            "declined",
            "Terveysasemat",
            DECLINE_REASON,
            "2026-10-05T12:00:00+00:00",
        ),
    ]


def staff_item(**overrides: Any) -> dict[str, Any]:
    return {
        "subject": "idea",
        "title": "Selkeämpi ohje Omaolon oirearvioon",
        "due_at": "2026-03-05",
        "days_overdue": 6,
        "idea_id": 7,
        "service_name": "Terveysasemat",
        "state": "sent_to_service",
        "responsible_name": "Pekka Palvelu",
        "reminders_sent": 2,
        **overrides,
    }


def sample(kind: str) -> list[dict[str, Any]]:
    """The payloads of one email of ``kind``."""
    panel = {"panel_id": 1, "panel_name": "Itä-Helsingin asiakasraati"}
    if kind in (kinds.IDEA_UPDATE, kinds.DIGEST):
        return [idea_change(), declined(at="2026-03-10T09:00:00+00:00"), progress_note()]
    if kind == kinds.IDEA_SENT_TO_SERVICE:
        payload = idea_change(from_state="raised", to_state="sent_to_service", text="Raati toivoo vastausta pian.")
        del payload["recipient_name"]
        return [{**payload, "respond_by": "2026-03-26"}]
    if kind == kinds.PREBRIEF:
        return [
            {
                **panel,
                "meeting_id": 3,
                "meeting_title": "Omaolon ohjeet asiakkaan silmin",
                "starts_at": "2026-03-19T15:00:00+00:00",
                "ends_at": "2026-03-19T17:00:00+00:00",
                "place": "Itäkeskuksen terveys- ja hyvinvointikeskus, neuvotteluhuone 2, Turunlinnantie 8",
                "online_url": "https://teams.example.fi/meet/123",
                "leading_service_name": "Terveysasemat",
                "tasks": [
                    {"title": "Omaolon oirearvion ohjeet", "description": "Ovatko ohjeet ymmärrettäviä?"},
                    {"title": "Ajanvarauksen tekstiviestit"},
                    {"title": "Asiakasohjeen luonnos", "kind": "material", "category": "customer_instructions"},
                ],
                "agenda": ["Tervetuloa ja kuulumiset", "Omaolon ohjeet", "Yhteenveto ja seuraava tapaaminen"],
                "materials": [{"title": "Ohjeluonnos (PDF)", "url": "https://example.fi/ohje.pdf"}],
                "coordinator_name": "Liisa Vastuuhenkilö",
                "coordinator_email": "liisa@example.fi",
                "recipient_name": "Maija Meikäläinen",
            }
        ]
    if kind == kinds.SUMMARY:
        return [
            {
                **panel,
                "meeting_id": 3,
                "meeting_title": "Omaolon ohjeet asiakkaan silmin",
                "held_at": "2026-03-19T15:00:00+00:00",
                "discussion": "Kävimme läpi oirearvion ohjeet.\n\nOhjeita pidettiin pitkinä ja vaikeina.",
                "ideas": [
                    {"idea_id": 7, "title": "Selkeämpi ohje Omaolon oirearvioon", "service_name": "Terveysasemat"},
                    {"idea_id": 10, "title": "Ohje myös ruotsiksi", "service_name": None, "state": "raised"},
                ],
                "next_steps": ["Terveysasemat vastaa ideoihin kahden viikon kuluessa."],
                "leading_service_name": "Terveysasemat",
                "next_meeting_at": "2026-04-16T14:00:00+00:00",
                "coordinator_name": "Liisa Vastuuhenkilö",
                "recipient_name": "Maija Meikäläinen",
            }
        ]
    if kind == kinds.WELCOME:
        return [
            {
                **panel,
                "ground_rules": ["Kunnioitamme toisiamme.", "Pidämme puheenvuorot lyhyinä."],
                "recipient_name": "Maija Meikäläinen",
                "coordinator_name": "Liisa Vastuuhenkilö",
                "coordinator_email": "liisa@example.fi",
                "next_meeting_at": "2026-03-19T15:00:00+00:00",
            }
        ]
    if kind in (kinds.REMINDER, kinds.ESCALATION):
        summary_item = staff_item(subject="summary", title="Tapaaminen 19.3.", idea_id=None, meeting_id=3)
        del summary_item["idea_id"]
        return [{**panel, "items": [staff_item(), summary_item], "recipient_name": "Pekka Palvelu"}]
    if kind == kinds.SURVEY_INVITATION:
        return [
            {
                **panel,
                "survey_id": 5,
                "survey_title": "Asiakasraadin arviointi, kevät 2026",
                "survey_url": "https://raati.example.fi/survey/one-time-token",
                "closes_at": "2026-04-30",
                "estimated_minutes": 5,
                "recipient_name": "Maija Meikäläinen",
            }
        ]
    if kind == kinds.PROGRESS_REPORT:
        return [
            {
                **panel,
                "period_start": "2026-10-01",
                "period_end": "2026-12-31",
                "ideas": progress_ideas(),
                "recipient_name": "Maija Meikäläinen",
            }
        ]
    if kind == kinds.TOPIC_WISH_SCHEDULED:
        return [
            {
                **panel,
                "wish_id": 4,
                "wish_text": "Miten Omaolon oirearvio toimii ruotsiksi?",
                "meeting_id": 3,
                "meeting_title": "Omaolon ohjeet asiakkaan silmin",
                "starts_at": "2026-03-19T15:00:00+00:00",
                "ends_at": "2026-03-19T17:00:00+00:00",
                "place": "Itäkeskuksen terveys- ja hyvinvointikeskus",
                "online_url": None,
                "recipient_name": "Maija Meikäläinen",
            }
        ]
    if kind == kinds.TOPIC_WISH_DECLINED:
        return [
            {
                **panel,
                "wish_id": 5,
                "wish_text": "Voisiko raati käsitellä pysäköintiä terveysaseman pihalla?",
                "note": "Pysäköinti kuuluu kiinteistön omistajalle, eikä raati voi vaikuttaa siihen. Kiitos!",
                "recipient_name": "Maija Meikäläinen",
            }
        ]
    if kind == kinds.SIGN_IN_LINK:
        return [
            {
                "sign_in_id": SIGN_IN_ID,
                "nonce": SIGN_IN_NONCE,
                "expires_at": "2026-03-12T12:15:00+00:00",
                "next": "/ideas/7",
                "recipient_name": "Pekka Palvelu",
            }
        ]
    if kind == kinds.STAFF_WELCOME:
        return [
            {
                **panel,
                "role": "service_owner",
                "service_name": "Suun terveydenhuolto",
                "added_by": "kaisa.koordinaattori@hel.example",
                "recipient_name": "Pekka Palvelu",
            }
        ]
    if kind in (kinds.MEETING_RESCHEDULED, kinds.MEETING_CANCELLED):
        meeting = {
            **panel,
            "meeting_id": 3,
            "meeting_title": "Omaolon ohjeet asiakkaan silmin",
            "starts_at": "2026-03-26T15:00:00+00:00",
            "ends_at": "2026-03-26T17:00:00+00:00",
            "place": "Itäkeskuksen terveys- ja hyvinvointikeskus, neuvotteluhuone 2",
            "online_url": "https://teams.example.fi/meet/123",
            "leading_service_name": "Terveysasemat",
            "agenda": ["Tervetuloa ja kuulumiset", "Omaolon ohjeet"],
            "sequence": 1,
            "issued_at": "2026-03-12T12:00:00+00:00",
            "recipient_name": "Maija Meikäläinen",
        }
        if kind == kinds.MEETING_RESCHEDULED:
            return [{**meeting, "previous_starts_at": "2026-03-19T15:00:00+00:00"}]
        return [{**meeting, "reason": "Terveysaseman remontti viivästyi, eikä tilaa saada käyttöön."}]
    raise AssertionError(f"no sample for {kind}")


def links_for(kind: str) -> dict[str, str]:
    """What the composer gives the renderer: a member's signed links, a staff user's sign-in link, else none."""
    if kinds.is_member_kind(kind):
        return dict(MEMBER_LINKS)
    return {"sign_in": SIGN_IN_URL} if kind == kinds.SIGN_IN_LINK else {}
