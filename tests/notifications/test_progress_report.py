"""The quarterly progress report: every idea of the panel by state, declined ones with their reason."""

from __future__ import annotations

import re
from typing import Any

import pytest

from notifications import kinds
from notifications.render import Rendered, Renderer
from tests.notifications.samples import (
    BASE_URL,
    DECLINE_REASON,
    IMPLEMENTED_OUTCOME,
    MEMBER_LINKS,
    PROGRESS_NOTE,
    progress_ideas,
    sample,
)

LANGUAGES = ("fi", "sv", "en")
# The group headings in each language, in the order the report lists them.
HEADINGS = {
    "fi": ["Kirjattu raadissa", "Välitetty palvelulle", "Työn alla", "Toteutettu", "Ei etene"],
    "sv": ["Antecknad i kundrådet", "Skickad till tjänsten", "Under arbete", "Genomförd", "Går inte vidare"],
    "en": ["Raised at the panel", "Sent to the service", "In progress", "Implemented", "Not going ahead"],
}
SUBJECTS = {
    "fi": "Raadin ideoiden tilanne: 5 ideaa",
    "sv": "Läget för kundrådets idéer: 5 idéer",
    "en": "Where the panel's ideas stand: 5 ideas",
}
PROMISE = {
    "fi": "myös silloin, kun idea ei etene",
    "sv": "också när en idé inte går vidare",
    "en": "also when an idea does not go ahead",
}
PERIOD = {"fi": "1.10.2026–31.12.2026", "sv": "1.10.2026–31.12.2026", "en": "1 October 2026 – 31 December 2026"}
DECLINE_LABEL = {
    "fi": "Miksi idea ei etene",
    "sv": "Varför idén inte går vidare",
    "en": "Why the idea is not going ahead",
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(BASE_URL)


def report(ideas: list[dict[str, Any]] | None = None, **overrides: Any) -> dict[str, Any]:
    payload = sample(kinds.PROGRESS_REPORT)[0]
    if ideas is not None:
        payload["ideas"] = ideas
    return {**payload, **overrides}


def render(renderer: Renderer, language: str = "fi", payload: dict[str, Any] | None = None) -> Rendered:
    return renderer.render(kinds.PROGRESS_REPORT, language, [payload or report()], links=MEMBER_LINKS)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def idea(idea_id: int, state: str, text: str | None = None, **overrides: Any) -> dict[str, Any]:
    return {
        "idea_id": idea_id,
        "title": f"Idea {idea_id}",
        "state": state,
        "service_name": "Terveysasemat",
        "text": text,
        "updated_at": "2026-11-01T10:00:00+00:00",
        **overrides,
    }


def test_progress_report_is_member_mail_with_a_payload_contract() -> None:
    assert kinds.is_member_kind(kinds.PROGRESS_REPORT)
    assert kinds.PAYLOAD_TYPES[kinds.PROGRESS_REPORT] is kinds.ProgressReportPayload
    assert kinds.ProgressReportPayload.__required_keys__ == {
        "panel_id",
        "panel_name",
        "period_start",
        "period_end",
        "ideas",
    }
    assert kinds.ProgressReportPayload.__optional_keys__ == {
        "recipient_name",
        "greeting_name",
        "panel_contact",
        "translations",
    }
    assert set(progress_ideas()[0]) == kinds.ProgressIdea.__required_keys__


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_state_group_appears_in_order_in_text_and_html_in_every_language(
    renderer: Renderer, language: str
) -> None:
    rendered = render(renderer, language)
    html = visible_text(rendered.html)

    assert rendered.subject == SUBJECTS[language]
    assert rendered.html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in rendered.html
    for body in (rendered.text, html):
        positions = [body.index(f"{heading} (1)") for heading in HEADINGS[language]]
        assert positions == sorted(positions)
        for payload in progress_ideas():
            assert payload["title"] in body
        for text in (DECLINE_REASON, IMPLEMENTED_OUTCOME, PROGRESS_NOTE):
            assert text in body
        assert PERIOD[language] in body
        assert PROMISE[language] in body
    for heading in HEADINGS[language]:
        assert f"* {heading}: 1" in rendered.text
        assert f">{heading}</td>" in rendered.html
    for raw in ("sent_to_service", "in_progress", "declined", "implemented"):
        assert raw not in rendered.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_promise_comes_in_the_intro_and_the_decline_reason_under_its_label(
    renderer: Renderer, language: str
) -> None:
    rendered = render(renderer, language)

    assert rendered.text.index(PROMISE[language]) < rendered.text.index(HEADINGS[language][0] + " (1)")
    # The reason is the service's Finnish text: a Swedish or English reader is told so.
    note = {"fi": "", "sv": " (på finska)", "en": " (in Finnish)"}[language]
    assert f"{DECLINE_LABEL[language]}:{note}\n  {DECLINE_REASON}" in rendered.text
    marked = f'<span lang="fi">{DECLINE_REASON}</span>' if language != "fi" else DECLINE_REASON
    assert f"{DECLINE_LABEL[language]}:</span><br>\n{marked}" in rendered.html


def test_each_idea_shows_its_service_update_date_and_text(renderer: Renderer) -> None:
    text = render(renderer, "fi").text

    assert (
        "* Toimintaterapian esite odotustiloihin\n  Palvelu: Toimintaterapia\n  Päivitetty: 1.12.2026\n"
        f"  Viimeisin tieto palvelulta:\n  {PROGRESS_NOTE}"
    ) in text
    assert f"  Mitä tehtiin:\n  {IMPLEMENTED_OUTCOME}" in text
    assert "* Ohje myös ruotsiksi\n  Palvelu: ei vielä valittu\n  Päivitetty: 2.11.2026\n" in text


def test_counts_per_state_include_empty_states_and_the_total(renderer: Renderer) -> None:
    ideas = [
        idea(1, "declined", "Ei rahoitusta."),
        idea(2, "declined", "Lainsäädäntö estää."),
        idea(3, "implemented", "Tehty."),
    ]

    rendered = render(renderer, "fi", report(ideas))

    assert rendered.subject == "Raadin ideoiden tilanne: 3 ideaa"
    assert "* Kirjattu raadissa: 0\n* Välitetty palvelulle: 0\n* Työn alla: 0\n* Toteutettu: 1\n* Ei etene: 2\n" in (
        rendered.text
    )
    assert "Yhteensä 3 ideaa" in rendered.text
    assert "Ei etene (2)\n============" in rendered.text
    assert "Kirjattu raadissa (" not in rendered.text  # an empty state gets a count, not a section
    assert ">Ei etene</td><td" in rendered.html
    assert "Ei rahoitusta." in rendered.html
    assert "Lainsäädäntö estää." in rendered.html


def test_one_idea_is_singular_in_subject_and_total(renderer: Renderer) -> None:
    for language, subject, total in (
        ("fi", "Raadin ideoiden tilanne: 1 idea", "Yhteensä 1 idea"),
        ("sv", "Läget för kundrådets idéer: 1 idé", "Sammanlagt 1 idé"),
        ("en", "Where the panel's ideas stand: 1 idea", "1 idea in total"),
    ):
        rendered = render(renderer, language, report([idea(1, "raised")]))

        assert rendered.subject == subject
        assert total in rendered.text


def test_a_declined_idea_without_a_reason_says_the_reason_is_still_missing(renderer: Renderer) -> None:
    rendered = render(renderer, "fi", report([idea(1, "declined", None), idea(2, "in_progress", None)]))

    assert "Miksi idea ei etene:\n  Perustelua ei ole vielä kirjattu." in rendered.text
    assert "Perustelua ei ole vielä kirjattu." in rendered.html
    assert "Viimeisin tieto palvelulta" not in rendered.text  # no note, no label


def test_within_a_state_the_most_recently_updated_idea_comes_first(renderer: Renderer) -> None:
    ideas = [
        idea(1, "in_progress", updated_at="2026-10-02T10:00:00+00:00", title="Vanha"),
        idea(2, "in_progress", updated_at="2026-12-20", title="Uusi"),
        idea(3, "in_progress", updated_at="2026-11-15T10:00:00Z", title="Keskimmäinen"),
    ]

    text = render(renderer, "fi", report(ideas)).text

    assert text.index("* Uusi") < text.index("* Keskimmäinen") < text.index("* Vanha")


def test_html_in_titles_and_texts_is_escaped_in_html_and_readable_in_text(renderer: Renderer) -> None:
    script = "<script>alert(1)</script>"
    ideas = [idea(1, "declined", f"Ei etene. {script}\nToinen rivi.", title="Idea <b>lihavoituna</b> & muuta")]

    rendered = render(renderer, "fi", report(ideas, panel_name="Raati <i>&</i>"))

    assert script not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>\nToinen rivi." in rendered.html
    assert "Idea &lt;b&gt;lihavoituna&lt;/b&gt; &amp; muuta" in rendered.html
    assert "<b>lihavoituna</b>" not in rendered.html
    assert "Raati &lt;i&gt;&amp;&lt;/i&gt;" in rendered.html
    assert script in rendered.text
    assert "* Idea <b>lihavoituna</b> & muuta" in rendered.text


def test_a_panel_without_ideas_still_gets_a_report_that_says_so(renderer: Renderer) -> None:
    for language, words in (("fi", "Raadissa ei ole vielä kirjattu ideoita."), ("en", "has not raised any ideas")):
        rendered = render(renderer, language, report([]))

        assert words in rendered.text
        assert words in rendered.html
    assert render(renderer, "fi", report([])).subject == "Raadin ideoiden tilanne: 0 ideaa"


def test_a_state_the_report_does_not_know_is_listed_after_the_known_ones(renderer: Renderer) -> None:
    text = render(renderer, "fi", report([idea(1, "merged"), idea(2, "raised")])).text

    assert text.index("Kirjattu raadissa (1)") < text.index("Merged (1)")
    assert "* Merged: 1" in text


def test_a_one_day_period_and_moments_as_period_ends_are_written_as_dates(renderer: Renderer) -> None:
    same_day = render(renderer, "fi", report(period_start="2026-12-31", period_end="2026-12-31")).text
    # 22.30 UTC on 31 December is already 1 January in Helsinki.
    moments = render(
        renderer, "en", report(period_start="2026-09-30T21:00:00+00:00", period_end="2026-12-31T22:30:00+00:00")
    ).text

    assert "ajalta 31.12.2026:" in same_day
    assert "for 1 October 2026 – 1 January 2027:" in moments
