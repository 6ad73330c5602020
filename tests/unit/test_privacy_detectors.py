"""The privacy guard's detectors, one behaviour at a time, and generated identity codes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.privacy_detectors import (
    CENTURIES,
    CHECK_CHARS,
    Finding,
    Kind,
    Severity,
    check_char,
    check_text,
    is_identity_code,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind.value, f.text) for f in check_text(text)]


SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}


@st.composite
def identity_codes(draw: st.DrawFn, *, valid: bool = True) -> str:
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
    sign = draw(st.sampled_from(SIGNS[born.year // 100 * 100]))
    birth = born.strftime("%d%m") + f"{born.year % 100:02d}"
    individual = f"{draw(st.integers(min_value=2, max_value=899)):03d}"
    check = check_char(birth, individual)
    if not valid:
        check = draw(st.sampled_from([c for c in CHECK_CHARS if c != check]))
    return birth + sign + individual + check


@given(identity_codes(), st.sampled_from(["Tunnus {} kirjattiin.", "{}", "ID: {}, ", "({})"]))
def test_a_valid_identity_code_is_always_found_whatever_its_century_sign(code, template):
    text = template.format(code)
    found = [f for f in check_text(text) if f.kind is Kind.IDENTITY_CODE]
    assert [(f.text, f.severity) for f in found] == [(code, Severity.BLOCK)]
    assert text[found[0].start : found[0].end] == code
    assert not any(f.kind is Kind.PHONE for f in check_text(text))


@given(identity_codes(valid=False))
def test_an_identity_code_with_a_wrong_check_character_is_never_found(code):
    assert not any(f.kind is Kind.IDENTITY_CODE for f in check_text(f"Tunnus {code} kirjattiin."))
    assert not is_identity_code(code)


def test_every_century_sign_of_2023_is_known():
    assert set(CENTURIES) == set("+-YXWVUABCDEF")
    assert is_identity_code("010594Y9021")
    assert is_identity_code("010594-9021")


@pytest.mark.parametrize("code", ["310290-123T", "290223A456Y", "001085-234J", "151385-3457"])
def test_an_identity_code_with_an_impossible_date_is_not_one(code):
    assert not is_identity_code(code)


def test_the_leap_day_of_2000_is_a_date():
    assert is_identity_code("290200A321N")


@pytest.mark.parametrize(
    "phone",
    ["+358 40 123 4567", "+358401234567", "+358 (0)40 123 4567", "00358 50 765 4321", "040-1234567",
     "040 123 4567", "0401234567", "050 765 43 21", "09 310 12345", "(09) 123 456", "09-310 123", "0800 96 046",
     "+44 20 7946 0958", "+46 8 123 456 78"],
)  # fmt: skip
def test_finnish_and_international_phone_numbers_are_found_whole(phone):
    assert kinds(f"Soita {phone}, kiitos.") == [("phone", phone)]


def test_numbers_next_to_each_other_are_found_each_whole():
    assert kinds("Numerot 040 123 4567 050 765 4321") == [("phone", "040 123 4567"), ("phone", "050 765 4321")]
    assert kinds("+358 40 123 4567 +358 50 765 4321") == [("phone", "+358 40 123 4567"), ("phone", "+358 50 765 4321")]
    assert kinds("Soita 040 1234567 2025 alkaen") == [("phone", "040 1234567")]


@pytest.mark.parametrize(
    "text",
    ["Kokous 12.3.2025 klo 17.00–19.00.", "Uusi päivä 03-12-2025.", "Seuraava kokous 2025-11-20.",
     "Budjetti on 1 250 000 euroa.", "Maksu 4 500 € vuodessa.", "Idea 45 ja idea #0123.", "Vuonna 2019–2025.",
     "00530 Helsinki", "Y-tunnus 0201256-6", "IBAN FI21 1234 5600 0007 85", "Huone 3012, versio 2.0.1",
     "Palaute 1.–15.10.", "ma–pe 8–20", "Asiakkaita 2 400.", "+1 000 000 euroa lisää", "45 %"],
)  # fmt: skip
def test_dates_years_amounts_and_numbers_are_not_phone_numbers(text):
    assert kinds(text) == []


@pytest.mark.parametrize("address", ["aino.virtanen@hel.fi", "a.b+raati@example.com", "palaute(at)hel.fi",
                                     "matti.mäkinen@asukas.example.org"])  # fmt: skip
def test_email_addresses_are_found_without_the_sentence_stop(address):
    assert kinds(f"Kirjoita osoitteeseen {address}.") == [("email", address)]


@pytest.mark.parametrize(
    "word",
    ["diabetes", "diabeteksen", "diabetekseen", "diabetesta", "masennus", "masennukseen", "masennuksen",
     "insuliini", "insuliinia", "leikkaus", "leikkauksessa", "syöpä", "syövän", "syöpään", "rintasyöpään",
     "polvileikkauksen", "sädehoidossa", "muistisairauden", "ADHD:n", "antibiootteja",
     "diabetesen", "cancern", "operationen", "insulinet", "bröstcancer", "höftoperationen",
     "surgeries", "cancers", "antidepressants", "biopsies", "Alzheimer's"],
)  # fmt: skip
def test_health_words_are_found_in_their_inflected_forms(word):
    assert kinds(f"Hän kertoi: {word} oli vaikeaa.") == [("health", word)]


def test_a_multi_word_health_term_is_one_finding():
    assert kinds("Hänellä on kaksisuuntainen mielialahäiriö.") == [("health", "kaksisuuntainen mielialahäiriö")]
    assert kinds("After the heart attack he rested.") == [("health", "heart attack")]


@pytest.mark.parametrize(
    "text",
    ["Terveysaseman ajanvaraus onnistuu chatissa.", "Hoitaja soitti takaisin.", "Lääkärin vastaanotto oli nopea.",
     "Diabeteshoitajan vastaanotto on tiistaisin.", "Syöpäjärjestöjen vertaistuki esiteltiin.",
     "Budjettileikkaukset huolestuttivat.", "Tekninen häiriö esti kirjautumisen.", "Hiustenleikkaus maksaa 30 €.",
     "Tidsbokningen till hälsostationen.", "Booking an appointment at the health centre.",
     "Rokotusajan varaaminen oli helppoa.", "Reseptin uusiminen Omaolossa.", "Toimintaterapian visiotyö."],
)  # fmt: skip
def test_general_talk_about_services_is_not_a_health_detail(text):
    assert kinds(text) == []


def test_findings_come_in_order_with_their_severity():
    text = "Aino (aino@hel.fi, 040 123 4567) kertoi diabeteksestaan; tunnus 131052-308T."
    found = check_text(text)
    assert [f.kind for f in found] == [Kind.EMAIL, Kind.PHONE, Kind.HEALTH, Kind.IDENTITY_CODE]
    assert [f.severity for f in found] == [Severity.BLOCK] * 2 + [Severity.ACKNOWLEDGE, Severity.BLOCK]
    assert all(text[f.start : f.end] == f.text for f in found)
    assert found[0].position() == "email at 6-17"
    assert "aino" not in found[0].position()


def test_a_clean_text_has_no_findings():
    assert check_text("") == []
    assert check_text("Raati kokoontuu taas ensi kuussa.") == []


def test_finding_serialises_with_the_public_field_names():
    finding = Finding(Kind.PHONE, 1, 4, "040", Severity.BLOCK)
    assert finding.to_dict() == {"kind": "phone", "start": 1, "end": 4, "text": "040", "severity": "block"}


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1900, max_value=2100))
def test_numbers_and_dates_in_running_text_are_never_identifiers(number, year):
    day = date(2025, 1, 1) + timedelta(days=number % 365)
    text = f"Idea {number} käsiteltiin {day.day}.{day.month}.{year} ja maksoi {number} 000 euroa vuonna {year}."
    assert [f for f in check_text(text) if f.severity is Severity.BLOCK] == []
