"""``raati panel update PANEL --public-page on|off [--public-slug SLUG]`` (issue 16): the same use case as the
panel page's form; a bad or taken slug, or other settings in the same command, exit 2 naming the option and write
nothing."""

from __future__ import annotations

import json

from tests.cli.harness import Raati, Run

PANEL = "Itä-Helsingin asiakasraati"


def ok(run: Run) -> dict:
    assert run.code == 0, run.err
    return json.loads(run.out)


def refused(run: Run, option: str) -> None:
    assert run.code == 2, (run.out, run.err)
    assert option in run.err, run.err


def test_the_public_page_is_turned_on_with_a_slug_from_the_name_and_off_again(raati: Raati) -> None:
    ok(raati("panel", "create", PANEL, "--json"))

    on = ok(raati("panel", "update", PANEL, "--public-page", "on", "--json"))
    assert (on["public_page"], on["public_slug"]) == (True, "ita-helsingin-asiakasraati")
    renamed = ok(raati("panel", "update", PANEL, "--public-slug", "ita-helsinki", "--json"))
    assert renamed["public_slug"] == "ita-helsinki"
    off = ok(raati("panel", "update", PANEL, "--public-page", "off", "--json"))
    assert (off["public_page"], off["public_slug"]) == (False, "ita-helsinki")


def test_a_bad_or_taken_slug_is_refused_naming_the_option(raati: Raati) -> None:
    ok(raati("panel", "create", PANEL, "--json"))
    ok(raati("panel", "create", "Länsi", "--json"))
    ok(raati("panel", "update", "Länsi", "--public-page", "on", "--public-slug", "lansi", "--json"))

    refused(raati("panel", "update", PANEL, "--public-page", "on", "--public-slug", "Itä raati"), "--public-slug")
    refused(raati("panel", "update", PANEL, "--public-page", "on", "--public-slug", "lansi"), "public_slug")
    refused(raati("panel", "update", PANEL, "--public-page", "maybe"), "--public-page")
    refused(raati("panel", "update", PANEL, "--public-page", "on", "--lead-days", "5"), "--public-page")

    listed = {p["name"]: p for p in ok(raati("panel", "list", "--json"))}
    assert (listed[PANEL]["public_page"], listed[PANEL]["public_slug"], listed[PANEL]["lead_days"]) == (False, None, 7)
