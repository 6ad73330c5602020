"""A panel's members page (``/panels/{id}/members``) over HTTP on the API tests' two panels, on SQLite and
PostgreSQL: names and addresses for the panel's coordinators only; adding one; a CSV import that shows each bad row
by its line and imports nothing until the file is right or the bad rows are skipped."""

from __future__ import annotations

import re
from html import unescape

import pytest

from application.reads.views import list_members
from domain.actors import Actor
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL

BAD_CSV = (
    "name,email,language\n"
    "Eeva Esimerkki,eeva@example.org,fi\n"
    "Frans Fel,not-an-address,sv\n"
    ",tyhja@example.org,fi\n"
    "Aino Toinen,aino@example.org,en\n"  # already a member of panel A
    "Gustav Gott,gustav@example.org,de\n"
)
GOOD_CSV = "name,email,language\nEeva Esimerkki,eeva@example.org,fi\nFrans Fel,frans@example.org,sv\n"


def emails(uow_factory, panel: int) -> set[str]:
    return {m.email for m in list_members(str(panel), actor=Actor.operator(), uow=uow_factory())}


def upload(client, panel: int, token: str, text: str):
    return client.post(
        f"/panels/{panel}/members/import",
        data={"csrf_token": token},
        files={"file": ("members.csv", text.encode(), "text/csv")},
    )


def test_the_coordinator_sees_the_members_with_where_each_stands(signed_in: Signed, world: World) -> None:
    coordinator = signed_in(COORD, "en")

    page = coordinator.get(f"/panels/{world.panel_a}/members")

    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = visible(page.text)
    assert "Aino Asukas" in text
    assert "aino@example.org" in text
    assert "bengt@example.org" in text
    assert "chris@example.org" not in text  # panel B's member
    assert "Finnish" in text
    assert "As soon as something happens" in text
    assert "receives mail" in text
    assert "none yet" in text  # no meeting attended
    assert not LEAKS.search(text)


def test_only_the_panels_coordinators_see_its_members(signed_in: Signed, world: World) -> None:
    for who in (COORD_OTHER, OWNER, MANAGER):
        client = signed_in(who, "en")
        refused = client.get(f"/panels/{world.panel_a}/members")
        assert refused.status_code == 403, who
        assert "aino@example.org" not in refused.text
        assert "Aino" not in refused.text
        assert "Not allowed" in refused.text
    other = signed_in(COORD_OTHER, "en")
    token = csrf(other.get(f"/panels/{world.panel_b}/members").text)
    added = other.post(
        f"/panels/{world.panel_a}/members", data={"csrf_token": token, "name": "X", "email": "x@example.org"}
    )
    assert added.status_code == 403
    assert upload(other, world.panel_a, token, GOOD_CSV).status_code == 403


def test_a_member_is_added_and_a_bad_address_is_named_in_the_form(signed_in: Signed, world: World, uow_factory) -> None:
    coordinator = signed_in(COORD, "fi")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/members").text)
    form = {"csrf_token": token, "name": "Eeva Esimerkki", "email": "eeva@", "language": "sv"}

    refused = coordinator.post(f"/panels/{world.panel_a}/members", data=form)

    assert refused.status_code == 422
    assert 'id="add-email"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert "Sähköpostiosoite" in unescape(refused.text)
    assert "eeva@" not in emails(uow_factory, world.panel_a)
    taken = coordinator.post(f"/panels/{world.panel_a}/members", data={**form, "email": "aino@example.org"})
    assert taken.status_code == 422
    assert "Raadissa on jo jäsen, jolla on tämä sähköpostiosoite." in taken.text

    added = coordinator.post(f"/panels/{world.panel_a}/members", data={**form, "email": "eeva@example.org"})

    assert added.status_code == 303
    assert "eeva@example.org" in emails(uow_factory, world.panel_a)
    assert "Eeva Esimerkki on lisätty raatiin." in coordinator.get(added.headers["location"]).text


def test_a_bad_csv_imports_nothing_and_shows_each_bad_row_then_a_good_one_imports(
    signed_in: Signed, world: World, uow_factory
) -> None:
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/members").text)
    before = emails(uow_factory, world.panel_a)

    preview = upload(coordinator, world.panel_a, token, BAD_CSV)

    assert preview.status_code == 422
    text = unescape(visible(preview.text))
    assert "Check the file: nothing was imported" in text
    assert "4 rows of the file cannot be imported." in text
    for line in (3, 4, 5, 6):
        assert f"Line {line}:" in text
    assert "Line 2:" not in text
    assert "Check “Email address”: write a whole email address" in text
    assert "“Name” is empty: fill it in." in text
    assert "“Email address” is already in use." in text
    assert "“Language” must be fi, sv or en." in text
    assert emails(uow_factory, world.panel_a) == before
    kept = unescape(re.search(r'name="csv_text" value="([^"]*)"', preview.text, flags=re.S).group(1))
    assert kept == BAD_CSV  # the file travels back in the form, not in a file on the server

    not_ticked = coordinator.post(
        f"/panels/{world.panel_a}/members/import", data={"csrf_token": token, "csv_text": kept}
    )
    assert not_ticked.status_code == 422
    assert "Nothing was imported. Tick “Skip the bad rows”" in unescape(not_ticked.text)
    assert emails(uow_factory, world.panel_a) == before

    good = upload(coordinator, world.panel_a, token, GOOD_CSV)

    assert good.status_code == 303
    assert "2 members imported." in coordinator.get(good.headers["location"]).text
    assert emails(uow_factory, world.panel_a) == before | {"eeva@example.org", "frans@example.org"}


def test_the_good_rows_are_imported_when_the_bad_ones_are_skipped(signed_in: Signed, world: World, uow_factory) -> None:
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/members").text)
    preview = upload(coordinator, world.panel_a, token, BAD_CSV)
    kept = unescape(re.search(r'name="csv_text" value="([^"]*)"', preview.text, flags=re.S).group(1))

    skipped = coordinator.post(
        f"/panels/{world.panel_a}/members/import",
        data={"csrf_token": token, "csv_text": kept, "skip_invalid": "yes"},
    )

    assert skipped.status_code == 303
    after = coordinator.get(skipped.headers["location"]).text
    assert "1 member imported. 4 bad rows were skipped." in after
    assert "eeva@example.org" in emails(uow_factory, world.panel_a)


def test_a_file_that_is_no_member_list_is_refused_naming_the_file(signed_in: Signed, world: World) -> None:
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/members").text)

    no_header = upload(coordinator, world.panel_a, token, "nimi;sposti\nAino;a@example.org\n")
    assert no_header.status_code == 422
    assert "The file's first line must name the columns" in unescape(no_header.text)
    assert 'id="import-file"' in no_header.text
    assert 'aria-invalid="true"' in no_header.text
    latin = coordinator.post(
        f"/panels/{world.panel_a}/members/import",
        data={"csrf_token": token},
        files={"file": ("m.csv", "name,email\nÄke,ake@example.org\n".encode("latin-1"), "text/csv")},
    )
    assert latin.status_code == 422
    assert "Save the file as CSV in UTF-8" in latin.text
    large = upload(coordinator, world.panel_a, token, "name,email\n" + "x,y@example.org\n" * 20000)
    assert large.status_code == 422
    assert "The file is too large: at most 256 KiB." in large.text


def member_id(uow_factory, panel: int, email: str) -> int:
    members = list_members(str(panel), actor=Actor.operator(), uow=uow_factory())
    return next(m.stored_id for m in members if m.email == email)


def test_a_members_data_is_downloaded_by_their_coordinator_only(signed_in: Signed, world: World, uow_factory) -> None:
    aino = member_id(uow_factory, world.panel_a, "aino@example.org")
    coordinator = signed_in(COORD, "en")

    download = coordinator.get(f"/panels/{world.panel_a}/members/{aino}/export")

    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/json")
    assert download.headers["cache-control"] == "no-store"
    assert f'filename="raati-member-{aino}.json"' in download.headers["content-disposition"]
    document = download.json()
    assert document["format"] == "raati-member-export/1"
    assert document["member"]["email"] == "aino@example.org"
    assert coordinator.get(f"/panels/{world.panel_b}/members/{aino}/export").status_code == 404  # not of that panel
    for who in (COORD_OTHER, OWNER, MANAGER):
        refused = signed_in(who, "en").get(f"/panels/{world.panel_a}/members/{aino}/export")
        assert refused.status_code == 403, who
        assert "aino@example.org" not in refused.text


def test_erasing_a_member_says_what_happens_then_does_it(signed_in: Signed, world: World, uow_factory) -> None:
    aino = member_id(uow_factory, world.panel_a, "aino@example.org")
    other = signed_in(COORD_OTHER, "en")
    assert other.get(f"/panels/{world.panel_a}/members/{aino}/erase").status_code == 403
    coordinator = signed_in(COORD, "en")

    confirm = coordinator.get(f"/panels/{world.panel_a}/members/{aino}/erase")

    assert confirm.status_code == 200
    text = unescape(visible(confirm.text))
    assert "Erasing cannot be undone." in text
    assert f"“former member #{aino}”" in text
    assert "Yes, erase Aino Asukas for good" in text
    assert "aino@example.org" in emails(uow_factory, world.panel_a)  # asking changes nothing
    token = csrf(confirm.text)
    refused = other.post(
        f"/panels/{world.panel_a}/members/{aino}/erase", data={"csrf_token": csrf(other.get("/panels").text)}
    )
    assert refused.status_code == 403

    erased = coordinator.post(f"/panels/{world.panel_a}/members/{aino}/erase", data={"csrf_token": token})

    assert erased.status_code == 303
    assert "aino@example.org" not in emails(uow_factory, world.panel_a)
    after = unescape(coordinator.get(erased.headers["location"]).text)
    assert "The member is erased" in after
    assert "Aino Asukas" not in after


def test_the_welcome_mail_goes_once_to_each_member(signed_in: Signed, world: World) -> None:
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/members").text)

    sent = coordinator.post(f"/panels/{world.panel_a}/members/welcome", data={"csrf_token": token})

    assert sent.status_code == 303
    assert "The welcome mail goes out to 2 members." in coordinator.get(sent.headers["location"]).text
    again = coordinator.post(f"/panels/{world.panel_a}/members/welcome", data={"csrf_token": token})
    assert "Every member has had the welcome mail already." in coordinator.get(again.headers["location"]).text
    owner = signed_in(OWNER, "en")
    refused = owner.post(
        f"/panels/{world.panel_a}/members/welcome", data={"csrf_token": csrf(owner.get("/settings").text)}
    )
    assert refused.status_code == 403


def test_a_file_with_no_good_row_offers_no_import(signed_in: Signed, world: World) -> None:
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}/members").text)

    preview = upload(coordinator, world.panel_a, token, "name,email\nX,bad\n")

    assert preview.status_code == 422
    assert "Line 2:" in preview.text
    assert 'name="csv_text"' not in preview.text
    assert "Correct the file and upload it again." in preview.text
