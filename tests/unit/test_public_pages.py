"""A panel's public page, the pure rules (domain/public_pages.py): the slug's form, the slug made from the name,
turning the page on and off, and who may."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.actors import Actor
from domain.errors import AlreadyExists, InvalidValue, PermissionDenied
from domain.panels import Panel
from domain.public_pages import public_slug, set_public_page, slug_from_name
from domain.values import Role

AT = datetime(2027, 1, 15, 12, tzinfo=UTC)
COORDINATOR = Actor("k@example.org", Role.COORDINATOR, frozenset({7}))


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Itäinen raati", "itainen-raati"),
        ("Åbo – Östra asiakasraati", "abo-ostra-asiakasraati"),
        ("  Raati 2027!  ", "raati-2027"),
        ("Ö", "raati"),  # too short: the fallback
    ],
)
def test_a_slug_is_made_from_the_name_without_marks_and_with_hyphens(name: str, slug: str) -> None:
    assert slug_from_name(name) == slug


def test_a_taken_slug_gets_a_number() -> None:
    assert slug_from_name("Itäinen raati", taken={"itainen-raati", "itainen-raati-2"}) == "itainen-raati-3"
    long = "a" * 70
    made = slug_from_name(long, taken={"a" * 60})
    assert made == "a" * 58 + "-2"


@pytest.mark.parametrize("bad", ["ab", "itä-raati", "raati--ita", "-raati", "raati_ita", "a" * 61, "raati ita"])
def test_a_slug_with_other_characters_or_length_is_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        public_slug(bad)
    assert refused.value.field == "public_slug"


def test_a_slug_is_trimmed_and_lowercased() -> None:
    assert public_slug("  Ita-Raati ") == "ita-raati"


def test_turning_on_without_a_slug_makes_one_and_logs_the_fields_changed() -> None:
    panel = Panel(id=7, name="Itäinen raati")

    event = set_public_page(panel, on=True, slug=None, taken=set(), actor=COORDINATOR, seq=4, at=AT)

    assert (panel.public_page, panel.public_slug) == (True, "itainen-raati")
    assert event is not None
    assert list(event.data["fields"]) == ["public_page", "public_slug"]
    assert set_public_page(panel, on=True, slug="", taken=set(), actor=COORDINATOR, seq=5, at=AT) is None


def test_turning_off_keeps_the_slug() -> None:
    panel = Panel(id=7, name="Itäinen raati", public_page=True, public_slug="ita")

    set_public_page(panel, on=False, slug=None, taken=set(), actor=COORDINATOR, seq=4, at=AT)

    assert (panel.public_page, panel.public_slug) == (False, "ita")


def test_another_panels_slug_is_refused() -> None:
    panel = Panel(id=7, name="Itäinen raati")
    with pytest.raises(AlreadyExists) as taken:
        set_public_page(panel, on=True, slug="lansi", taken={"lansi"}, actor=COORDINATOR, seq=4, at=AT)
    assert taken.value.field == "public_slug"
    assert not panel.public_page


@pytest.mark.parametrize(
    "actor",
    [
        Actor("other@example.org", Role.COORDINATOR, frozenset({8})),
        Actor("boss@example.org", Role.MANAGER),
        Actor("owner@example.org", Role.SERVICE_OWNER, frozenset({7}), service_id=1),
    ],
)
def test_only_the_panels_coordinators_turn_it_on(actor: Actor) -> None:
    panel = Panel(id=7, name="Itäinen raati")
    with pytest.raises(PermissionDenied):
        set_public_page(panel, on=True, slug=None, taken=set(), actor=actor, seq=4, at=AT)
    assert not panel.public_page
