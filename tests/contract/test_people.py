"""Panels, services, members and staff users: what each store keeps, finds and refuses."""

from __future__ import annotations

import pytest

from application.ports.unit_of_work import UnitOfWork
from domain.errors import InvalidValue, NotFound
from domain.panels import Delivery, Member, Panel, Service, StaffUser
from domain.values import Language, Role
from tests.contract.conftest import REFUSED, add_members, add_panel, add_service


def test_a_panel_is_found_by_its_id_or_its_name_in_any_case(uow: UnitOfWork) -> None:
    first = add_panel(uow, "Pohjoinen raati")
    second = add_panel(uow, "Itäinen raati")

    with uow:
        assert first != second
        assert uow.panels.get(" pohjoinen RAATI ").id == first
        assert uow.panels.get(str(second)).name == "Itäinen raati"
        assert uow.panels.by_id(first).name == "Pohjoinen raati"
        assert [p.name for p in uow.panels.list()] == ["Pohjoinen raati", "Itäinen raati"]
        with pytest.raises(NotFound):
            uow.panels.get("Läntinen raati")
        with pytest.raises(NotFound):
            uow.panels.by_id(second + 1)


def test_a_panel_keeps_its_days(uow: UnitOfWork) -> None:
    with uow:
        panel_id = uow.panels.add(Panel(id=None, name="Raati", lead_days=10, summary_due_days=5)).id
        uow.commit()
    assert panel_id is not None

    with uow:
        panel = uow.panels.by_id(panel_id)
    assert (panel.lead_days, panel.summary_due_days, panel.stale_days, panel.progress_note_days) == (10, 5, 14, 45)


def test_a_second_panel_of_the_same_name_is_refused(uow: UnitOfWork) -> None:
    add_panel(uow, "Raati")

    with uow, pytest.raises(REFUSED):
        uow.panels.add(Panel(id=None, name="Raati"))


def test_services_are_found_by_name_within_a_panel_or_by_id(uow: UnitOfWork) -> None:
    north, east = add_panel(uow, "Pohjoinen"), add_panel(uow, "Itäinen")
    dental = add_service(uow, north, "Suun terveys")
    family = add_service(uow, north, "Perhekeskus")
    dental_east = add_service(uow, east, "Suun terveys")

    with uow:
        assert uow.services.get("suun TERVEYS", panel_id=north).id == dental
        assert uow.services.get("Suun terveys", panel_id=east).id == dental_east
        assert uow.services.get(str(family), panel_id=None).name == "Perhekeskus"
        assert uow.services.by_id(dental_east).panel_id == east
        assert [s.id for s in uow.services.for_panel(north)] == [dental, family]
        with pytest.raises(InvalidValue):  # in two panels: which one?
            uow.services.get("Suun terveys", panel_id=None)
        with pytest.raises(InvalidValue):  # the id of another panel's service
            uow.services.get(str(dental_east), panel_id=north)
        with pytest.raises(NotFound):
            uow.services.get("Kirjasto", panel_id=north)


def test_a_service_needs_its_panel_and_a_name_of_its_own_there(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    add_service(uow, panel_id, "Suun terveys")

    with uow, pytest.raises(REFUSED):
        uow.services.add(Service(id=None, panel_id=panel_id, name="Suun terveys"))
    with uow, pytest.raises(REFUSED):
        uow.services.add(Service(id=None, panel_id=panel_id + 1, name="Kirjasto"))


def test_members_are_listed_by_id_with_their_choices(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    other_panel = add_panel(uow, "Toinen raati")
    with uow:
        uow.members.add(Member(id=None, panel_id=panel_id, name="Aino", email="Aino@Example.fi"))
        uow.members.add(
            Member(
                id=None, panel_id=panel_id, name="Bertil", email="bertil@example.fi",
                language=Language.SV, delivery=Delivery.DIGEST,
            )
        )  # fmt: skip
        uow.members.add(Member(id=None, panel_id=panel_id, name="Chen", email="chen@example.fi", active=False))
        uow.members.add(Member(id=None, panel_id=other_panel, name="Dora", email="dora@example.fi"))
        uow.commit()

    with uow:
        members = uow.members.for_panel(panel_id)
        assert [(m.name, m.language, m.delivery, m.active, m.unsubscribed) for m in members] == [
            ("Aino", Language.FI, Delivery.IMMEDIATE, True, False),
            ("Bertil", Language.SV, Delivery.DIGEST, True, False),
            ("Chen", Language.FI, Delivery.IMMEDIATE, False, False),
        ]
        assert [m.name for m in uow.members.active_in_panel(panel_id)] == ["Aino", "Bertil"]
        assert uow.members.emails_in_panel(panel_id) == {"aino@example.fi", "bertil@example.fi", "chen@example.fi"}
        assert members[0].id is not None
        assert uow.members.get(members[0].id).email == "Aino@Example.fi"
        with pytest.raises(NotFound):
            uow.members.get(max(m.id or 0 for m in members) + 10)


def test_saving_a_member_keeps_their_choices_and_nothing_else(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    [member_id] = add_members(uow, panel_id, "Aino")

    with uow:
        member = uow.members.get(member_id)
        member.language, member.delivery, member.unsubscribed, member.active = (
            Language.EN, Delivery.DIGEST, True, False
        )  # fmt: skip
        member.name, member.email = "Somebody else", "else@example.fi"  # no use case renames a member
        uow.members.save(member)
        uow.commit()

    with uow:
        saved = uow.members.get(member_id)
        assert (saved.language, saved.delivery, saved.unsubscribed, saved.active) == (
            Language.EN, Delivery.DIGEST, True, False
        )  # fmt: skip
        assert (saved.name, saved.email) == ("Aino", "aino@example.fi")
        assert uow.members.active_in_panel(panel_id) == []
        with pytest.raises(NotFound):
            uow.members.save(Member(id=member_id + 1, panel_id=panel_id, name="Nobody", email="nobody@example.fi"))


def test_a_member_needs_their_panel_and_an_address_of_their_own_there(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    add_members(uow, panel_id, "Aino")

    with uow, pytest.raises(REFUSED):
        uow.members.add(Member(id=None, panel_id=panel_id, name="Aino again", email="aino@example.fi"))
    with uow, pytest.raises(REFUSED):
        uow.members.add(Member(id=None, panel_id=panel_id + 1, name="Bertil", email="bertil@example.fi"))


def test_staff_users_are_found_by_address_in_any_case_with_their_role_and_reach(uow: UnitOfWork) -> None:
    north, east = add_panel(uow, "Pohjoinen"), add_panel(uow, "Itäinen")
    dental = add_service(uow, north)
    with uow:
        coordinator = uow.users.add(
            StaffUser(id=None, email="coord@example.fi", role=Role.COORDINATOR, panel_ids={north})
        )
        uow.users.add(StaffUser(id=None, email="owner@example.fi", role=Role.SERVICE_OWNER, service_id=dental))
        uow.users.add(StaffUser(id=None, email="deputy@example.fi", role=Role.SERVICE_OWNER, service_id=dental))
        uow.users.add(StaffUser(id=None, email="manager@example.fi", role=Role.MANAGER))
        uow.commit()

    with uow:
        found = uow.users.by_email("COORD@example.FI")
        assert found is not None
        assert (found.id, found.role, found.panel_ids, found.service_id) == (
            coordinator.id,
            Role.COORDINATOR,
            {north},
            None,
        )
        assert uow.users.by_email("nobody@example.fi") is None
        assert [u.email for u in uow.users.owners_of(dental)] == ["owner@example.fi", "deputy@example.fi"]
        assert [u.email for u in uow.users.coordinators_of(north)] == ["coord@example.fi"]
        assert uow.users.coordinators_of(east) == []
        found.panel_ids = {north, east}
        uow.users.save(found)
        uow.commit()

    with uow:
        assert [u.email for u in uow.users.coordinators_of(east)] == ["coord@example.fi"]
        again = uow.users.by_email("coord@example.fi")
        assert again is not None
        assert again.panel_ids == {north, east}
        with pytest.raises(REFUSED):
            uow.users.add(StaffUser(id=None, email="manager@example.fi", role=Role.MANAGER))


def test_a_staff_user_refers_to_a_stored_service_and_stored_panels(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    service_id = add_service(uow, panel_id)

    with uow, pytest.raises(REFUSED):
        uow.users.add(StaffUser(id=None, email="owner@example.fi", role=Role.SERVICE_OWNER, service_id=service_id + 1))
    with uow, pytest.raises(REFUSED):
        uow.users.add(StaffUser(id=None, email="coord@example.fi", role=Role.COORDINATOR, panel_ids={panel_id + 1}))


def test_a_member_is_added_subscribed_and_unsubscribes_by_a_save(uow: UnitOfWork) -> None:
    panel_id = add_panel(uow)
    with uow:
        member = uow.members.add(
            Member(id=None, panel_id=panel_id, name="Aino", email="aino@example.fi", unsubscribed=True)
        )
        uow.commit()
    assert member.id is not None

    with uow:
        stored = uow.members.get(member.id)
        assert not stored.unsubscribed
        stored.unsubscribed = True
        uow.members.save(stored)
        uow.commit()

    with uow:
        assert uow.members.get(member.id).unsubscribed
