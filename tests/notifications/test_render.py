"""Rendering every kind in every language: the words members and staff actually read."""

from __future__ import annotations

import re
import typing
from typing import Any

import pytest

from notifications import kinds
from notifications.render import SUBJECT_MAX, Renderer, single_line
from tests.notifications.samples import (
    BASE_URL,
    DECLINE_REASON,
    IMPLEMENTED_OUTCOME,
    MEMBER_LINKS,
    PROGRESS_NOTE,
    declined,
    idea_change,
    links_for,
    progress_note,
    sample,
    staff_item,
)

LANGUAGES = ("fi", "sv", "en")
# A word each language uses in the footer of every email, and the others do not.
FOOTER_WORD = {"fi": "viesti", "sv": "meddelande", "en": "email"}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(BASE_URL + "/")


def render(renderer: Renderer, kind: str, language: str = "fi", payloads: list[dict[str, Any]] | None = None):
    return renderer.render(kind, language, payloads or sample(kind), links=links_for(kind))


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(kinds.ALL_KINDS))
def test_every_kind_renders_subject_text_and_html_in_every_language(
    renderer: Renderer, kind: str, language: str
) -> None:
    rendered = render(renderer, kind, language)

    assert rendered.language == language
    assert rendered.subject
    assert "\n" not in rendered.subject
    assert rendered.text.strip()
    assert "{" not in rendered.text
    assert rendered.html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in rendered.html
    assert ("Raati" if kind == kinds.SIGN_IN_LINK else "Itä-Helsingin asiakasraati") in rendered.text
    assert FOOTER_WORD[language] in rendered.text.lower()


@pytest.mark.parametrize("kind", sorted(kinds.MEMBER_KINDS))
def test_member_mail_links_to_preferences_unsubscribe_and_the_panel_page_in_both_bodies(
    renderer: Renderer, kind: str
) -> None:
    rendered = render(renderer, kind)

    for body in (rendered.text, rendered.html):
        assert MEMBER_LINKS["unsubscribe"] in body
        assert MEMBER_LINKS["preferences"] in body
        assert MEMBER_LINKS["panel"] in body


@pytest.mark.parametrize("kind", sorted(kinds.STAFF_KINDS))
def test_staff_mail_renders_without_links_and_offers_no_unsubscribe(renderer: Renderer, kind: str) -> None:
    rendered = renderer.render(kind, "fi", sample(kind), links=links_for(kind))

    assert "/unsubscribe" not in rendered.text + rendered.html
    assert "/panel?token" not in rendered.text + rendered.html
    assert "Peru sähköpostit" not in rendered.html
    assert "vastuuhenkilönä tai palvelun edustajana" in rendered.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_decline_reason_and_implementation_outcome_appear_in_both_bodies(renderer: Renderer, language: str) -> None:
    rendered = render(renderer, kinds.IDEA_UPDATE, language, [declined(), idea_change()])

    for body in (rendered.text, visible_text(rendered.html)):
        assert DECLINE_REASON in body
        assert IMPLEMENTED_OUTCOME in body


def test_decline_and_outcome_are_labelled_and_states_are_in_words(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.IDEA_UPDATE, "fi", [declined(), idea_change()])

    assert "Miksi idea ei etene:\n  " + DECLINE_REASON in rendered.text
    assert "Mitä tehtiin:\n  " + IMPLEMENTED_OUTCOME in rendered.text
    assert "Tila muuttui: välitetty palvelulle → ei etene" in rendered.text
    assert "Tila muuttui: työn alla → toteutettu" in rendered.text
    assert "declined" not in rendered.text
    assert "in_progress" not in rendered.text


def test_coalesced_update_lists_all_three_changes_and_counts_them_in_the_subject(renderer: Renderer) -> None:
    payloads = [idea_change(), declined(), progress_note()]

    rendered = render(renderer, kinds.IDEA_UPDATE, "fi", payloads)

    assert rendered.subject == "Uutta tietoa raadin 3 ideasta"
    for payload in payloads:
        assert payload["idea_title"] in rendered.text
        assert payload["idea_title"] in rendered.html
    for text in (DECLINE_REASON, IMPLEMENTED_OUTCOME, PROGRESS_NOTE):
        assert text in rendered.text
    assert rendered.text.count("Päivitetty:") == 3


def test_two_changes_of_one_idea_are_one_idea_in_the_subject_and_listed_oldest_first(renderer: Renderer) -> None:
    started = idea_change(
        seq=2, from_state="sent_to_service", to_state="in_progress", text=None, at="2026-03-01T10:00:00+00:00"
    )
    done = idea_change(seq=3)

    rendered = render(renderer, kinds.IDEA_UPDATE, "en", [done, started])

    assert rendered.subject == "News about the panel's idea: Selkeämpi ohje Omaolon oirearvioon"
    assert rendered.text.count("Idea: Selkeämpi ohje Omaolon oirearvioon") == 1
    assert rendered.text.index("sent to the service → in progress") < rendered.text.index("in progress → implemented")


def test_progress_note_says_the_service_reports_progress(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.IDEA_UPDATE, "sv", [progress_note(to_state="in_progress")])

    assert "Tjänsten berättar vad som händer med idén (läge: under arbete)" in rendered.text
    assert PROGRESS_NOTE in rendered.text


def test_html_in_an_idea_text_is_escaped_in_html_and_readable_in_text(renderer: Renderer) -> None:
    script = "<script>alert(1)</script>"
    payload = declined(text=f"Ei etene. {script}", title="Idea <b>lihavoituna</b>")

    rendered = render(renderer, kinds.IDEA_UPDATE, "fi", [payload])

    assert script not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<b>lihavoituna</b>" not in rendered.html
    assert script in rendered.text
    assert "Idea <b>lihavoituna</b>" in rendered.text


def test_line_breaks_in_an_idea_text_survive_as_br_in_html(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.IDEA_UPDATE, "fi", [declined(text="Ensimmäinen rivi.\nToinen rivi.")])

    assert "Ensimmäinen rivi.<br>\nToinen rivi." in rendered.html


@pytest.mark.parametrize("kind", [kinds.IDEA_UPDATE, kinds.IDEA_SENT_TO_SERVICE, kinds.DIGEST])
def test_subject_never_carries_cr_or_lf_even_with_a_malicious_title(renderer: Renderer, kind: str) -> None:
    title = "Hyvä idea\r\nBcc: x@evil.example\r\n\r\n<html>\x00\x1b\u2028loppu"
    payloads = [{**p, "idea_title": title} for p in sample(kind)[:1]]

    rendered = render(renderer, kind, "fi", payloads)

    assert not re.search(r"[\x00-\x1f\x7f\u2028\u2029]", rendered.subject)
    assert "Hyvä idea Bcc: x@evil.example <html> loppu" in rendered.subject


def test_a_very_long_title_is_cut_to_a_bounded_subject(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.IDEA_UPDATE, "fi", [idea_change(title="pitkä " * 100)])

    assert len(rendered.subject) <= SUBJECT_MAX
    assert rendered.subject.endswith("…")


def test_single_line_collapses_whitespace_and_replaces_controls_and_bidi_overrides() -> None:
    assert single_line(" a\tb\r\n\x0bc\u202ed  ") == "a b c d"
    assert single_line("x" * 200, limit=20) == "x" * 19 + "…"


def test_unknown_language_falls_back_to_finnish(renderer: Renderer) -> None:
    rendered = renderer.render(kinds.IDEA_UPDATE, "de", sample(kinds.IDEA_UPDATE), links=MEMBER_LINKS)

    assert rendered.language == "fi"
    assert rendered.subject.startswith("Uutta tietoa")


def test_regional_language_tag_uses_its_language(renderer: Renderer) -> None:
    rendered = renderer.render(kinds.WELCOME, "sv-FI", sample(kinds.WELCOME), links=MEMBER_LINKS)

    assert rendered.language == "sv"
    assert rendered.subject == "Välkommen till kundrådet!"


@pytest.mark.parametrize(
    ("kind", "fi", "sv", "en"),
    [
        (kinds.IDEA_UPDATE, "Uutta tietoa", "Nytt om", "News about"),
        (kinds.PREBRIEF, "Ennakkotiedot", "Förhandsinformation", "Before the meeting"),
        (kinds.SUMMARY, "Yhteenveto", "Sammanfattning", "Summary"),
        (kinds.WELCOME, "Tervetuloa", "Välkommen", "Welcome"),
        (kinds.REMINDER, "Muistutus", "Påminnelse", "Reminder"),
        (kinds.ESCALATION, "Vaatii huomiota", "Kräver uppmärksamhet", "Needs attention"),
        (kinds.DIGEST, "Viikkokooste", "Veckosammandrag", "Weekly digest"),
        (kinds.SURVEY_INVITATION, "Kerro mielipiteesi", "Berätta vad du tycker", "Tell us what you think"),
        (kinds.IDEA_SENT_TO_SERVICE, "Uusi idea", "En ny idé", "A new idea"),
    ],
)
def test_swedish_and_english_are_really_written_in_their_language(
    renderer: Renderer, kind: str, fi: str, sv: str, en: str
) -> None:
    texts = {language: render(renderer, kind, language) for language in LANGUAGES}

    assert texts["fi"].subject.startswith(fi)
    assert texts["sv"].subject.startswith(sv)
    assert texts["en"].subject.startswith(en)
    assert "Med vänliga hälsningar" in texts["sv"].text
    assert "Med vänliga hälsningar" not in texts["fi"].text
    assert "Kind regards" in texts["en"].text
    assert "Kind regards" not in texts["fi"].text
    assert texts["sv"].text != texts["fi"].text != texts["en"].text


def test_states_are_translated_in_each_language(renderer: Renderer) -> None:
    words = {"fi": "välitetty palvelulle → ei etene", "sv": "skickad till tjänsten → går inte vidare"}
    words["en"] = "sent to the service → not going ahead"

    for language, expected in words.items():
        assert expected in render(renderer, kinds.IDEA_UPDATE, language, [declined()]).text


def test_times_are_shown_in_helsinki_time_in_winter_and_summer(renderer: Renderer) -> None:
    winter = render(renderer, kinds.IDEA_UPDATE, "fi", [idea_change(at="2026-01-15T10:30:00Z")])
    summer = render(renderer, kinds.IDEA_UPDATE, "fi", [idea_change(at="2026-07-15T10:30:00+00:00")])
    late = render(renderer, kinds.IDEA_UPDATE, "fi", [idea_change(at="2026-03-12T22:30:00+00:00")])

    assert "15.1.2026 klo 12.30" in winter.text
    assert "15.7.2026 klo 13.30" in summer.text
    assert "13.3.2026 klo 0.30" in late.text


def test_prebrief_gives_local_time_place_online_link_tasks_materials_agenda_and_rules(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.PREBRIEF, "fi")

    assert rendered.subject == "Ennakkotiedot: asiakasraadin tapaaminen 19.3.2026"
    assert "Aika: torstai 19.3.2026 klo 17.00–19.00" in rendered.text
    assert "Paikka: Itäkeskuksen terveys- ja hyvinvointikeskus" in rendered.text
    assert "Etäyhteys: https://teams.example.fi/meet/123" in rendered.text
    assert "Tapaamisen valmistellut palvelu: Terveysasemat" in rendered.text
    assert "* Omaolon oirearvion ohjeet\n  Ovatko ohjeet ymmärrettäviä?" in rendered.text
    assert "3. Yhteenveto ja seuraava tapaaminen" in rendered.text
    assert '<a href="https://example.fi/ohje.pdf"' in rendered.html
    assert "puhumme omasta terveydestämme vain yleisellä tasolla" in rendered.text


def test_prebrief_lists_the_panels_own_rules_when_given_and_never_links_a_javascript_url(renderer: Renderer) -> None:
    payload = {
        **sample(kinds.PREBRIEF)[0],
        "ground_rules": ["Kunnioitamme toisiamme."],
        "materials": [{"title": "Vaarallinen", "url": "javascript:alert(1)"}],
    }

    rendered = render(renderer, kinds.PREBRIEF, "fi", [payload])

    assert "* Kunnioitamme toisiamme." in rendered.text
    assert "javascript:" not in rendered.html
    assert "Vaarallinen" in rendered.html


def test_summary_lists_each_idea_with_the_service_it_went_to_and_what_happens_next(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.SUMMARY, "fi")

    assert "* Selkeämpi ohje Omaolon oirearvioon\n  välitetty palvelulle: Terveysasemat" in rendered.text
    # One fact, said once: a raised idea's service is still to be chosen, with no "(tila: …)" repeating it.
    assert "* Ohje myös ruotsiksi\n  palvelu valitaan myöhemmin\n" in rendered.text
    assert "tila:" not in rendered.text
    assert "Mitä seuraavaksi:" in rendered.text
    assert "Seuraava tapaaminen: torstai 16.4.2026 klo 17.00" in rendered.text
    assert "<p>Kävimme läpi oirearvion ohjeet.</p>" in rendered.html


def test_welcome_lists_the_panels_ground_rules(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.WELCOME, "fi")

    assert "* Kunnioitamme toisiamme.\n* Pidämme puheenvuorot lyhyinä." in rendered.text
    assert "<li>Kunnioitamme toisiamme.</li>" in rendered.html


def test_welcome_without_rules_of_its_own_gets_the_models_default_rules(renderer: Renderer) -> None:
    payload = {**sample(kinds.WELCOME)[0], "ground_rules": []}

    swedish = render(renderer, kinds.WELCOME, "sv", [payload])

    assert "Vi talar om vår egen hälsa på ett allmänt plan, inte i detalj." in swedish.text


def test_idea_sent_to_service_says_what_to_do_by_when_and_links_the_idea(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.IDEA_SENT_TO_SERVICE, "fi")
    without_deadline = {**sample(kinds.IDEA_SENT_TO_SERVICE)[0]}
    del without_deadline["respond_by"]
    usual = render(renderer, kinds.IDEA_SENT_TO_SERVICE, "fi", [without_deadline])

    assert "Vastaathan viimeistään 26.3.2026." in rendered.text
    assert f"{BASE_URL}/ideas/7" in rendered.text
    assert f'href="{BASE_URL}/ideas/7"' in rendered.html
    assert "Kirjaa päätös Raatiin" in rendered.text
    assert "Vastaathan raadin tavanomaisessa vastausajassa." in usual.text


def test_reminder_and_escalation_say_how_overdue_and_link_each_item(renderer: Renderer) -> None:
    reminder = render(renderer, kinds.REMINDER, "fi")
    escalation = render(renderer, kinds.ESCALATION, "en")

    assert reminder.subject == "Muistutus: 2 asiaa odottaa sinua"
    assert "Määräaika: 5.3.2026 – 6 päivää myöhässä" in reminder.text
    assert f"{BASE_URL}/ideas/7" in reminder.text
    assert f"{BASE_URL}/meetings/3" in reminder.text
    assert "6 days overdue" in escalation.text
    assert "2 reminders sent" in escalation.text


def test_one_day_overdue_is_singular(renderer: Renderer) -> None:
    payload = {"panel_id": 1, "panel_name": "Raati", "items": [staff_item(days_overdue=1)]}

    assert "1 päivä myöhässä" in render(renderer, kinds.REMINDER, "fi", [payload]).text
    assert "1 day overdue" in render(renderer, kinds.REMINDER, "en", [payload]).text


def test_digest_is_framed_as_a_weekly_digest_with_its_period(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.DIGEST, "fi")

    assert rendered.subject == "Viikkokooste – uutta tietoa raadin 3 ideasta"
    assert "ajalta 10.3.2026–12.3.2026" in rendered.text
    assert DECLINE_REASON in rendered.text


def test_survey_invitation_carries_the_one_time_link_and_closing_date(renderer: Renderer) -> None:
    rendered = render(renderer, kinds.SURVEY_INVITATION, "fi")

    assert "https://raati.example.fi/survey/one-time-token" in rendered.text
    assert 'href="https://raati.example.fi/survey/one-time-token"' in rendered.html
    assert "Kysely sulkeutuu 30.4.2026." in rendered.text


def test_unknown_kind_is_refused(renderer: Renderer) -> None:
    with pytest.raises(ValueError, match="unknown notification kind 'newsletter'"):
        renderer.render("newsletter", "fi", [{}], links=MEMBER_LINKS)


def test_single_payload_kinds_refuse_several_payloads(renderer: Renderer) -> None:
    with pytest.raises(ValueError, match="exactly one payload"):
        renderer.render(kinds.WELCOME, "fi", sample(kinds.WELCOME) * 2, links=MEMBER_LINKS)


def test_member_mail_without_an_unsubscribe_link_is_refused(renderer: Renderer) -> None:
    with pytest.raises(ValueError, match="unsubscribe"):
        renderer.render(kinds.IDEA_UPDATE, "fi", sample(kinds.IDEA_UPDATE), links={"preferences": "https://x/p"})


def test_a_payload_missing_a_required_field_names_the_field(renderer: Renderer) -> None:
    payload = sample(kinds.PREBRIEF)[0]
    del payload["starts_at"]

    with pytest.raises(ValueError, match="starts_at"):
        render(renderer, kinds.PREBRIEF, "fi", [payload])


def _required_only(payload: dict[str, Any], payload_type: type) -> dict[str, Any]:
    """The payload with every NotRequired key removed, also from lists of nested TypedDicts."""
    hints = typing.get_type_hints(payload_type)
    result: dict[str, Any] = {}
    for key in payload_type.__required_keys__:  # type: ignore[attr-defined]
        value = payload[key]
        args = typing.get_args(hints[key])
        item_type = args[0] if len(args) == 1 else None
        if isinstance(value, list) and hasattr(item_type, "__required_keys__"):
            value = [_required_only(item, item_type) for item in value]
        result[key] = value
    return result


@pytest.mark.parametrize("kind", sorted(kinds.ALL_KINDS))
def test_every_kind_renders_from_only_the_required_fields_of_its_contract(renderer: Renderer, kind: str) -> None:
    payload_type = kinds.PAYLOAD_TYPES[kind]
    payloads = [_required_only(payload, payload_type) for payload in sample(kind)]

    rendered = render(renderer, kind, "fi", payloads)

    # A sign-in link is about no panel: its masthead is Raati's.
    assert rendered.text.startswith("Raati" if kind == kinds.SIGN_IN_LINK else "Itä-Helsingin asiakasraati")
    assert rendered.text.splitlines()[2] == "Hei,"
