"""The command line's -sv and -en siblings, the panel's contact options and greeting names (SQLite and PostgreSQL).

A refused translation or contact exits 2 naming the option it came from.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.harness import Raati, Run

PANEL = "Itä-Helsingin asiakasraati"


def ok(run: Run) -> dict:
    assert run.code == 0, run.err
    return json.loads(run.out)


def refused(run: Run, option: str) -> str:
    assert run.code == 2, (run.out, run.err)
    assert option in run.err, run.err
    return run.err


@pytest.fixture
def panel(raati: Raati) -> dict:
    panel = ok(
        raati(
            "panel", "create", PANEL, "--name-sv", "Östra Helsingfors kundråd", "--name-en", "East Helsinki panel",
            "--contact-name", "Kaisa Koordinaattori", "--contact-email", "kaisa@hel.example",
            "--contact-phone", "+358 9 310 12345", "--json",
        )
    )  # fmt: skip
    ok(raati("service", "add", "Omaolo", "--panel", PANEL, "--json"))
    ok(raati("member", "add", "--panel", PANEL, "--name", "Karin Berg", "--email", "karin@example.org",
             "--language", "sv", "--greeting-name", "Kajsa", "--json"))  # fmt: skip
    meeting = ok(
        raati(
            "meeting", "schedule", "--panel", PANEL, "--at", "2030-03-01T17:00+02:00", "--service", "Omaolo",
            "--task", "Onko ohje selkeä?", "--task", "Mitä puuttuu?",
            "--task-sv", "Är anvisningen tydlig?", "--task-sv", "Vad saknas?", "--task-en", "Is the guide clear?",
            "--title", "Omaolo", "--title-sv", "Omaolo på svenska", "--place", "Kirjasto", "--place-sv", "Biblioteket",
            "--json",
        )
    )  # fmt: skip
    panel["meeting"] = meeting
    return panel


def test_panel_create_keeps_its_translated_names_and_contact(panel: dict) -> None:
    assert panel["translations"] == {"sv": {"name": "Östra Helsingfors kundråd"}, "en": {"name": "East Helsinki panel"}}
    assert panel["contact"] == {
        "name": "Kaisa Koordinaattori",
        "email": "kaisa@hel.example",
        "phone": "+358 9 310 12345",
    }


def test_meeting_schedule_translates_tasks_title_and_place(panel: dict) -> None:
    meeting = panel["meeting"]
    assert meeting["translations"] == {"sv": {"title": "Omaolo på svenska", "place": "Biblioteket"}}
    assert [t["translations"] for t in meeting["tasks"]] == [
        {"sv": {"text": "Är anvisningen tydlig?"}, "en": {"text": "Is the guide clear?"}},
        {"sv": {"text": "Vad saknas?"}},
    ]


def test_idea_raise_move_and_note_take_swedish_and_english(raati: Raati, panel: dict) -> None:
    meeting = str(panel["meeting"]["id"])
    idea = ok(raati("idea", "raise", "--meeting", meeting, "--title", "Isompi fontti", "--title-sv", "Större text",
                    "--title-en", "Bigger font", "--text", "Teksti on pieni.", "--text-en", "The text is small.",
                    "--json"))  # fmt: skip
    assert idea["translations"] == {
        "sv": {"title": "Större text"},
        "en": {"title": "Bigger font", "text": "The text is small."},
    }
    moved = ok(raati("idea", "move", str(idea["id"]), "sent_to_service", "--service", "Omaolo", "--note", "Lähetetty",
                     "--note-sv", "Skickad", "--note-en", "Sent", "--json"))  # fmt: skip
    assert moved["timeline"][-1]["translations"] == {"sv": {"text": "Skickad"}, "en": {"text": "Sent"}}
    noted = ok(raati("idea", "note", str(idea["id"]), "Työn alla", "--text-sv", "På gång", "--json"))
    assert noted["timeline"][-1]["translations"] == {"sv": {"text": "På gång"}}


def test_meeting_update_and_summary_take_swedish_and_english(raati: Raati, panel: dict) -> None:
    meeting = str(panel["meeting"]["id"])
    updated = ok(raati("meeting", "update", meeting, "--material", "Ohje=https://example.org/ohje.pdf",
                       "--material-sv", "Anvisning", "--agenda", "Alku", "--agenda-en", "Start",
                       "--title-sv", "", "--json"))  # fmt: skip
    assert updated["materials"][0]["translations"] == {"sv": {"title": "Anvisning"}}
    assert updated["translations"] == {"sv": {"place": "Biblioteket"}, "en": {"agenda": ["Start"]}}
    summary = ok(raati("meeting", "summary", meeting, "--text", "Keskusteltiin.", "--text-sv", "Vi diskuterade.",
                       "--next-step", "Korjataan", "--next-step-en", "To be fixed", "--json"))  # fmt: skip
    assert summary["translations"]["sv"]["summary"] == "Vi diskuterade."
    assert summary["translations"]["en"]["next_steps"] == ["To be fixed"]


def test_panel_update_changes_name_translations_and_contact(raati: Raati, panel: dict) -> None:
    updated = ok(raati("panel", "update", PANEL, "--name-en", "", "--contact-phone", "", "--contact-name",
                       "Kalle Koordinaattori", "--json"))  # fmt: skip
    assert updated["translations"] == {"sv": {"name": "Östra Helsingfors kundråd"}}
    assert updated["contact"] == {"name": "Kalle Koordinaattori", "email": "kaisa@hel.example", "phone": None}
    listed = ok(raati("panel", "list", "--json"))
    assert listed[0]["contact"]["name"] == "Kalle Koordinaattori"


def test_panel_update_changes_the_timing_and_names_a_bad_number(raati: Raati, panel: dict) -> None:
    refused(raati("panel", "update", PANEL, "--lead-days", "2"), "--lead-days")
    refused(raati("panel", "update", PANEL, "--stale-days", "0", "--lead-days", "5"), "--stale-days")
    unchanged = ok(raati("panel", "list", "--json"))[0]
    assert (unchanged["lead_days"], unchanged["stale_days"]) == (7, 14)

    updated = ok(raati("panel", "update", PANEL, "--lead-days", "5", "--progress-note-days", "30", "--json"))

    assert (updated["lead_days"], updated["progress_note_days"], updated["stale_days"]) == (5, 30, 14)


def test_member_greeting_names_are_given_and_changed(raati: Raati, panel: dict) -> None:
    members = ok(raati("member", "list", "--panel", PANEL, "--json"))
    assert members[0]["greeting_name"] == "Kajsa"
    changed = ok(raati("member", "prefs", str(members[0]["id"]), "--greeting-name", "", "--json"))
    assert changed["greeting_name"] == "Karin"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--contact-email", "not-an-address", "--contact-name", "K"), "--contact-email"),
        (("--contact-phone", "call me", "--contact-name", "K", "--contact-email", "k@hel.example"), "--contact-phone"),
        (("--contact-phone", "040 123 4567"), "--contact-name"),
        (("--name-sv", "Två\nrader"), "--name-sv"),
    ],
)
def test_bad_panel_input_exits_2_naming_the_option(raati: Raati, args: tuple[str, ...], option: str) -> None:
    refused(raati("panel", "create", "Toinen raati", *args), option)


def test_bad_translations_exit_2_naming_the_option(raati: Raati, panel: dict) -> None:
    meeting = str(panel["meeting"]["id"])
    refused(raati("idea", "raise", "--meeting", meeting, "--title", "T", "--title-sv", "x" * 201), "--title-sv")
    idea = ok(raati("idea", "raise", "--meeting", meeting, "--title", "T", "--json"))
    err = refused(raati("idea", "move", str(idea["id"]), "declined", "--note", "Ei", "--note-sv",
                        "Ring 040 123 4567"), "--note-sv")  # fmt: skip
    assert "identifiers" in err
    refused(raati("meeting", "schedule", "--panel", PANEL, "--at", "2030-04-01T17:00+02:00", "--service", "Omaolo",
                  "--task", "Yksi", "--task-sv", "En", "--task-sv", "Två"), "--task-sv")  # fmt: skip


def test_a_health_detail_in_a_swedish_note_needs_acknowledging(raati: Raati, panel: dict) -> None:
    meeting = str(panel["meeting"]["id"])
    idea = ok(raati("idea", "raise", "--meeting", meeting, "--title", "T", "--json"))
    err = refused(raati("idea", "move", str(idea["id"]), "declined", "--note", "Ei onnistu.",
                        "--note-sv", "Min diabetes gör att jag inte kan komma."), "--note-sv")  # fmt: skip
    assert "health" in err


def test_an_imported_member_list_may_give_greeting_names(raati: Raati, panel: dict, tmp_path) -> None:
    members = tmp_path / "members.csv"
    members.write_text("name,email,language,greeting_name\nMaija Meikäläinen,maija@example.org,fi,Maikki\n"
                       "Ville Virta,ville@example.org,,\n", encoding="utf-8")  # fmt: skip
    imported = ok(raati("member", "import", str(members), "--panel", PANEL, "--json"))["imported"]
    assert [m["greeting_name"] for m in imported] == ["Maikki", "Ville"]


def test_a_staff_user_gets_a_saved_language_and_greeting_name(raati: Raati, panel: dict) -> None:
    added = ok(raati("user", "add", "kaisa@hel.example", "--role", "coordinator", "--panel", PANEL, "--language", "sv",
                     "--json"))  # fmt: skip
    assert (added["language"], added["greeting_name"]) == ("sv", None)
    changed = ok(raati("user", "update", "kaisa@hel.example", "--language", "en", "--greeting-name", "Kaisa", "--json"))
    assert (changed["language"], changed["greeting_name"]) == ("en", "Kaisa")
    refused(raati("user", "update", "kaisa@hel.example", "--language", "de"), "language")
    other = ok(raati("user", "add", "omistaja@hel.example", "--role", "manager", "--json"))
    refused(raati("user", "update", other["email"], "--language", "fi", "--as", "kaisa@hel.example"), "permission")
