"""The panel pages (``/panels``, ``/panels/{id}``) over HTTP on the API tests' two panels, on SQLite and PostgreSQL:
who sees what, the settings, a service and its representative, each by the use case the command line calls."""

from __future__ import annotations

from html import unescape

import pytest

from application.reads.views import list_panels, list_services
from domain.actors import Actor
from domain.events import Aggregate
from notifications import kinds
from notifications.render import Renderer
from tests.api.conftest import COORD, COORD_OTHER, MANAGER, OWNER, World
from tests.web.conftest import LEAKS, Signed, csrf, visible

pytestmark = pytest.mark.slow  # each test drives the whole web app, on SQLite and PostgreSQL


def test_a_coordinator_lists_their_panels_and_opens_one(signed_in: Signed, world: World) -> None:
    coordinator = signed_in(COORD, "en")

    listed = coordinator.get("/panels")

    assert listed.status_code == 200
    assert "Itäinen raati" in listed.text
    assert "Läntinen raati" not in listed.text
    assert "Create a panel" in listed.text  # a coordinator may create a panel (and then coordinates it)
    page = coordinator.get(f"/panels/{world.panel_a}")
    assert page.status_code == 200
    text = visible(page.text)
    assert "Suun terveydenhuolto" in text
    assert "suu@ita.example" in text
    assert 'name="lead_days"' in page.text
    assert 'value="7"' in page.text
    assert f"/panels/{world.panel_a}/members" in page.text
    assert not LEAKS.search(text)


def test_the_settings_are_saved_by_the_use_case_and_a_bad_email_is_named(
    signed_in: Signed, world: World, uow_factory
) -> None:
    coordinator = signed_in(COORD, "en")
    page = coordinator.get(f"/panels/{world.panel_a}").text
    form = {
        "csrf_token": csrf(page),
        "name": "Itäinen raati",
        "name_sv": "Östra panelen",
        "name_en": "",
        "contact_name": "Kaisa Koordinaattori",
        "contact_email": "kaisa@",
        "contact_phone": "",
    }

    refused = coordinator.post(f"/panels/{world.panel_a}/settings", data=form)

    assert refused.status_code == 422
    assert "Check “Contact person's email”" in unescape(refused.text)
    assert 'id="settings-contact_email"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert 'value="kaisa@"' in refused.text  # what was sent stays in the form
    panel = list_panels(actor=Actor.operator(), uow=uow_factory())[0]
    assert panel.contact is None  # nothing half-written

    saved = coordinator.post(f"/panels/{world.panel_a}/settings", data={**form, "contact_email": "kaisa@hel.example"})

    assert saved.status_code == 303
    after = coordinator.get(saved.headers["location"]).text
    assert "The panel's settings are saved." in unescape(after)
    panel = next(p for p in list_panels(actor=Actor.operator(), uow=uow_factory()) if p.id == world.panel_a)
    assert panel.contact is not None
    assert panel.contact.email == "kaisa@hel.example"
    assert panel.translations.as_json()["sv"]["name"] == "Östra panelen"


def test_a_service_and_its_representative_are_added(signed_in: Signed, world: World, uow_factory) -> None:
    coordinator = signed_in(COORD, "fi")
    token = csrf(coordinator.get(f"/panels/{world.panel_a}").text)

    empty = coordinator.post(f"/panels/{world.panel_a}/services", data={"csrf_token": token, "service_name": " "})
    assert empty.status_code == 422
    assert "on tyhjä" in empty.text or "tyhjä" in empty.text
    added = coordinator.post(f"/panels/{world.panel_a}/services", data={"csrf_token": token, "service_name": "Neuvola"})
    assert added.status_code == 303
    twice = coordinator.post(f"/panels/{world.panel_a}/services", data={"csrf_token": token, "service_name": "neuvola"})
    assert twice.status_code == 422

    services = list_services(str(world.panel_a), actor=Actor.operator(), uow=uow_factory())
    neuvola = next(s for s, _ in services if s.name == "Neuvola")
    bad = coordinator.post(
        f"/panels/{world.panel_a}/owners",
        data={"csrf_token": token, "service": str(neuvola.id), "email": "not an address"},
    )
    assert bad.status_code == 422
    assert f'id="owner-{neuvola.id}-email"' in bad.text
    assert 'aria-invalid="true"' in bad.text
    owner = coordinator.post(
        f"/panels/{world.panel_a}/owners",
        data={
            "csrf_token": token,
            "service": str(neuvola.id),
            "email": "neuvola@ita.example",
            "language": "sv",
            "welcome": "yes",
        },
    )
    assert owner.status_code == 303
    services = list_services(str(world.panel_a), actor=Actor.operator(), uow=uow_factory())
    owners = next(o for s, o in services if s.name == "Neuvola")
    assert [o.email for o in owners] == ["neuvola@ita.example"]
    # The new representative is welcomed in the language chosen for them, with the way to sign in.
    with uow_factory() as uow:
        (welcome,) = [m for m in uow.outbox.list() if m.kind == kinds.STAFF_WELCOME]
    assert (welcome.email, welcome.language) == ("neuvola@ita.example", "sv")
    mail = Renderer("http://127.0.0.1:8000").render(welcome.kind, welcome.language, [welcome.payload], links={})
    assert mail.subject == "Välkommen till Raati"
    assert "representant för tjänsten Neuvola" in mail.text
    assert "http://127.0.0.1:8000/sign-in" in mail.text
    assert world.emails[COORD] in mail.text  # who added them


def test_a_representative_added_without_the_welcome_gets_no_mail(signed_in: Signed, world: World, uow_factory) -> None:
    coordinator = signed_in(COORD, "en")
    page = coordinator.get(f"/panels/{world.panel_a}").text
    assert 'name="welcome" value="yes" checked' in page  # the welcome is offered by default
    service = next(s for s, _ in list_services(str(world.panel_a), actor=Actor.operator(), uow=uow_factory()))

    added = coordinator.post(
        f"/panels/{world.panel_a}/owners",
        data={"csrf_token": csrf(page), "service": str(service.id), "email": "hiljainen@ita.example"},
    )

    assert added.status_code == 303
    with uow_factory() as uow:
        assert [m for m in uow.outbox.list() if m.kind == kinds.STAFF_WELCOME] == []


def test_the_role_matrix_of_the_panel_pages(signed_in: Signed, world: World) -> None:
    other = signed_in(COORD_OTHER, "en")
    assert other.get(f"/panels/{world.panel_a}").status_code == 403
    token = csrf(other.get(f"/panels/{world.panel_b}").text)
    refused = other.post(f"/panels/{world.panel_a}/services", data={"csrf_token": token, "service_name": "Vieras"})
    assert refused.status_code == 403
    assert "Not allowed" in refused.text

    manager = signed_in(MANAGER, "en")
    both = manager.get("/panels").text
    assert "Itäinen raati" in both
    assert "Läntinen raati" in both
    read_only = manager.get(f"/panels/{world.panel_a}").text
    assert "Suun terveydenhuolto" in read_only
    assert "Save the settings" not in read_only
    assert "Add a service" not in read_only
    token = csrf(read_only)
    assert (
        manager.post(f"/panels/{world.panel_a}/services", data={"csrf_token": token, "service_name": "X"}).status_code
        == 403
    )

    owner = signed_in(OWNER, "en")
    own = owner.get(f"/panels/{world.panel_a}")
    assert own.status_code == 200
    assert "Save the settings" not in own.text
    assert owner.get(f"/panels/{world.panel_b}").status_code == 403
    assert owner.get("/panels/9999").status_code in (403, 404)


def test_a_coordinator_creates_a_panel_and_coordinates_it(signed_in: Signed, world: World, uow_factory) -> None:
    coordinator = signed_in(COORD, "en")
    token = csrf(coordinator.get("/panels").text)

    taken = coordinator.post("/panels", data={"csrf_token": token, "name": "läntinen RAATI"})
    assert taken.status_code == 422
    assert "“Name in Finnish” is already in use." in unescape(taken.text)

    created = coordinator.post("/panels", data={"csrf_token": token, "name": "Pohjoinen raati", "name_sv": "Norra"})

    assert created.status_code == 303
    page = coordinator.get(created.headers["location"])
    assert page.status_code == 200
    assert "The panel “Pohjoinen raati” is created." in unescape(page.text)
    assert "Save the timing" in page.text  # its coordinator: the forms are there
    listed = visible(coordinator.get("/panels").text)
    assert "Pohjoinen raati" in listed
    assert "Itäinen raati" in listed
    with uow_factory() as uow:
        user = uow.users.by_email(world.emails[COORD])
        assert user is not None
        new_id = next(p.id for p in uow.panels.list() if p.name == "Pohjoinen raati")
        assert new_id in user.panel_ids


@pytest.mark.parametrize("who", [MANAGER, OWNER])
def test_creating_a_panel_is_refused_in_words_for_managers_and_owners(
    signed_in: Signed, world: World, uow_factory, who: str
) -> None:
    user = signed_in(who, "en")
    listed = user.get("/panels").text
    assert "Create a panel" not in listed

    refused = user.post("/panels", data={"csrf_token": csrf(listed), "name": "Uusi raati"})

    assert refused.status_code == 403
    assert "Not allowed" in refused.text
    assert all(p.name != "Uusi raati" for p in list_panels(actor=Actor.operator(), uow=uow_factory()))


def test_the_timing_is_saved_and_a_number_out_of_range_is_named(signed_in: Signed, world: World, uow_factory) -> None:
    coordinator = signed_in(COORD, "fi")
    page = coordinator.get(f"/panels/{world.panel_a}").text
    form = {
        "csrf_token": csrf(page),
        "lead_days": "2",
        "summary_due_days": "10",
        "stale_days": "21",
        "progress_note_days": "30",
    }

    too_late = coordinator.post(f"/panels/{world.panel_a}/timing", data=form)

    assert too_late.status_code == 422
    assert 'id="timing-lead_days"' in too_late.text
    assert 'aria-invalid="true"' in too_late.text
    assert "3" in visible(too_late.text)
    not_a_number = coordinator.post(
        f"/panels/{world.panel_a}/timing", data={**form, "lead_days": "7", "stale_days": "x"}
    )
    assert not_a_number.status_code == 422
    assert 'aria-describedby="timing-stale_days-help timing-error"' in not_a_number.text or (
        'id="timing-stale_days"' in not_a_number.text and "aria-invalid" in not_a_number.text
    )
    panel = next(p for p in list_panels(actor=Actor.operator(), uow=uow_factory()) if p.id == world.panel_a)
    assert (panel.lead_days, panel.stale_days) == (7, 14)  # nothing half-written

    saved = coordinator.post(f"/panels/{world.panel_a}/timing", data={**form, "lead_days": "5"})

    assert saved.status_code == 303
    panel = next(p for p in list_panels(actor=Actor.operator(), uow=uow_factory()) if p.id == world.panel_a)
    assert (panel.lead_days, panel.summary_due_days, panel.stale_days, panel.progress_note_days) == (5, 10, 21, 30)
    with uow_factory() as uow:
        fields = uow.events.for_aggregate(Aggregate.PANEL, world.panel_a)[-1].data["fields"]
    assert set(fields) == {"lead_days", "summary_due_days", "stale_days", "progress_note_days"}
    other = signed_in(COORD_OTHER, "en")
    token = csrf(other.get(f"/panels/{world.panel_b}").text)
    assert other.post(f"/panels/{world.panel_a}/timing", data={**form, "csrf_token": token}).status_code == 403


def test_saving_the_settings_unchanged_changes_and_logs_nothing(signed_in: Signed, world: World, uow_factory) -> None:
    coordinator = signed_in(COORD, "en")
    page = coordinator.get(f"/panels/{world.panel_a}").text

    def logged() -> int:
        with uow_factory() as uow:
            return len(uow.events.for_aggregate(Aggregate.PANEL, world.panel_a))

    before = logged()
    form = {
        "csrf_token": csrf(page),
        "name": "Itäinen raati",
        "name_sv": "",
        "name_en": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
    }

    saved = coordinator.post(f"/panels/{world.panel_a}/settings", data=form)

    assert saved.status_code == 303
    assert logged() == before
    renamed = coordinator.post(f"/panels/{world.panel_a}/settings", data={**form, "name_en": "Eastern panel"})
    assert renamed.status_code == 303
    assert logged() == before + 1
