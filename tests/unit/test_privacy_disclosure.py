"""Health details found by how people disclose them (issue 18): frames, medicine names, measurements, procedures and
devices, and general talk that stays unflagged; each finding names its kind of detail."""

from __future__ import annotations

import time

import pytest

from bench.privacy_eval import load, load_split, note, score
from domain.privacy_detectors import Kind, check_text
from domain.privacy_measures import Detail, is_medicine_name
from domain.privacy_medicines import BRANDS, SUBSTANCES
from domain.privacy_spelling import name_key, word_keys


def health(text: str) -> list[tuple[str, Detail | None]]:
    return [(f.text, f.detail) for f in check_text(text) if f.kind is Kind.HEALTH]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Käytän Primaspania joka aamu, ja resepti pitäisi uusia.", ("Primaspania", Detail.MEDICINE)),
        ("Sain Ozempic-piikit, mutta apteekista ne olivat loppu.", ("Ozempic", Detail.MEDICINE)),
        ("Mieheni syö Elvansea ja keskittyminen on parantunut.", ("Elvansea", Detail.MEDICINE)),
        ("Jag tar Waran och måste ta prover varannan vecka.", ("Waran", Detail.MEDICINE)),
        ("My father is on Eliquis after the operation.", ("Eliquis", Detail.MEDICINE)),
        ("Minulla todettiin viime keväänä uniapnea.", ("uniapnea", Detail.DIAGNOSIS)),
        ("Olin sairaalassa viikon keuhkoveritulpan takia.", ("keuhkoveritulpan", Detail.DIAGNOSIS)),
        ("Min syster diagnostiserades med MS när hon var trettio.", ("MS", Detail.DIAGNOSIS)),
        ("I suffer from Crohn's disease and need a toilet nearby.", ("Crohn's disease", Detail.DIAGNOSIS)),
        ("Minulta poistettiin kilpirauhanen vuonna 2019.", ("kilpirauhanen", Detail.PROCEDURE)),
        ("I had my tonsils removed as an adult.", ("tonsils", Detail.PROCEDURE)),
        ("Vaimolleni tehtiin mastektomia keväällä.", ("mastektomia", Detail.PROCEDURE)),
        ("Äidilleni asennettiin tahdistin marraskuussa.", ("tahdistin", Detail.DEVICE)),
        ("I use a CPAP machine every night.", ("CPAP", Detail.DEVICE)),
        ("Tyttäreni HbA1c oli 72 mmol/mol viime kontrollissa.", ("HbA1c oli 72 mmol/mol", Detail.MEASUREMENT)),
        ("Mitt blodtryck var 165/98 vid kontrollen.", ("blodtryck var 165/98", Detail.MEASUREMENT)),
        ("My cholesterol was 6.9 mmol/l at the check-up.", ("cholesterol was 6.9 mmol/l", Detail.MEASUREMENT)),
    ],
)
def test_a_disclosure_is_found_and_named_by_its_kind_of_detail(text: str, found: tuple[str, Detail]) -> None:
    assert found in health(text)


@pytest.mark.parametrize(
    "text",
    [
        "People with asthma benefit from smoke-free parks.",
        "The diabetes nurse service moves to the second floor.",
        "Diabetesta sairastavien määrä kasvaa Suomessa.",
        "Ihmiset, joilla on astma, hyötyvät savuttomista ulkotiloista.",
        "Reumapotilaat toivovat, että painikkeet olisivat isompia.",
        "Personer med diabetes behöver tydliga instruktioner.",
        "Astma- ja allergialiiton edustaja osallistui kokoukseen.",
        "Sote-alueen budjettileikkaukset huolestuttivat raatia.",
        "Käytän Omaoloa ja Kanta-palvelua usein.",
        "The council discussed dementia-friendly transport.",
        "Kokous on 12.3. kello 17, ja budjetti on 150/200 käytetty.",
    ],
)
def test_general_talk_about_diseases_groups_and_services_stays_unflagged(text: str) -> None:
    assert health(text) == []


def test_a_medicine_name_matches_in_finnish_swedish_and_english_spelling_and_case_endings() -> None:
    assert {"warfarin", "simvastatin", "omeprazole", "cetirizine"} <= SUBSTANCES
    assert {"eliquis", "xarelto", "panadol", "burana"} <= BRANDS
    for word in ("varfariinia", "simvastatiinin", "omepratsolia", "setiritsiini", "Eliquista", "Xareltoa"):
        assert is_medicine_name(word), word
    assert name_key("levothyroxine") in word_keys("levotyroksiinia")
    for word in ("kokouksessa", "palvelu", "accord", "para", "terveysasema"):  # common words are not medicines
        assert not is_medicine_name(word), word


def test_identifiers_keep_no_detail_and_a_health_finding_says_its_detail_in_its_dict() -> None:
    found = check_text("Soita 040 123 4567, isälläni todettiin eteisvärinä.")
    assert [f.detail for f in found if f.kind is Kind.PHONE] == [None]
    assert found[-1].to_dict()["detail"] == "diagnosis"
    assert "detail" not in found[0].to_dict()


def test_the_development_split_is_recalled_and_the_first_set_keeps_its_targets() -> None:
    dev = score(load_split("disclosure-dev"))[Kind.HEALTH]
    first = score(load())[Kind.HEALTH]
    assert dev.recall >= 0.95, dev.misses
    assert dev.precision >= 0.95, dev.false_alarms
    assert first.recall >= 0.9, first.misses
    assert first.precision >= 0.9, first.false_alarms


def test_a_4000_character_note_is_checked_in_well_under_a_second() -> None:
    text = note(load() + load_split("disclosure-dev"))
    check_text(text)
    start = time.perf_counter()
    for _ in range(10):
        check_text(text)
    # The target is 5 ms (bench/privacy_eval.py prints it); a shared CI machine gets a generous margin here.
    assert (time.perf_counter() - start) / 10 < 0.05


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Isoäiti on ollut Primaspanilla jo kymmenen vuotta.", ("Primaspanilla", Detail.MEDICINE)),
        ("Hänellä on Oxynorm ja Panacod kipuihin.", ("Oxynorm", Detail.MEDICINE)),
        ("Hänellä on Oxynorm ja Panacod kipuihin.", ("Panacod", Detail.MEDICINE)),
        ("Min pappa fick Trombyl och Alvedon efter operationen.", ("Alvedon", Detail.MEDICINE)),
        ("I take Panodil or Ipren when my back hurts.", ("Ipren", Detail.MEDICINE)),
        ("Min dotter tar Concerta mot sin ADHD.", ("Concerta", Detail.MEDICINE)),
        ("His Lyrica dose was doubled last month.", ("Lyrica", Detail.MEDICINE)),
        ("Melatoniini on auttanut minua nukahtamaan.", ("Melatoniini", Detail.MEDICINE)),
        ("Veljeni sai kohtauksen kaupassa.", ("kohtauksen", Detail.DIAGNOSIS)),
        ("My husband has type 2 and checks his sugar every day.", ("type 2", Detail.DIAGNOSIS)),
        ("Olen astmaatikko ja tuoksut kokoustilassa haittaavat.", ("astmaatikko", Detail.DIAGNOSIS)),
        ("Pojallani on pähkinäallergia.", ("pähkinäallergia", Detail.DIAGNOSIS)),
        ("Hon använder rullator sedan fallet.", ("rullator", Detail.DEVICE)),
        ("Hänen uusi lonkkansa toimii hyvin.", ("lonkkansa", Detail.PROCEDURE)),
        ("Mittasin eilen 8,4 ennen aamupalaa.", ("Mittasin eilen 8,4", Detail.MEASUREMENT)),
        ("Olin raskausviikolla 30, kun kokous oli.", ("raskausviikolla 30", Detail.MEASUREMENT)),
        ("Läkaren skrev ut Imovane till mig.", ("Imovane", Detail.MEDICINE)),
        ("Min man har ätit Alvedon i veckor.", ("Alvedon", Detail.MEDICINE)),
        ("Lääkäri määräsi minulle Panacodia.", ("Panacodia", Detail.MEDICINE)),
        ("Pistän Lantusta iltaisin ja Novorapidia ruoan kanssa.", ("Novorapidia", Detail.MEDICINE)),
        ("He is waiting for a new kidney.", ("kidney", Detail.PROCEDURE)),
        ("Pappa fick en ny aortaklaff i maj.", ("aortaklaff", Detail.PROCEDURE)),
        ("I have Crohn’s and sometimes need a toilet urgently.", ("Crohn’s", Detail.DIAGNOSIS)),
    ],
)
def test_names_joined_to_medicines_being_on_one_and_what_helps_are_found(text: str, found: tuple[str, Detail]) -> None:
    assert found in health(text)


@pytest.mark.parametrize(
    "text",
    [
        "Anna ja Pekka ehdottivat uutta aikaa.",
        "Minulla on Teams ja Zoom käytössä.",
        "Hänen Volvonsa on aina pihassa.",
        "My colleague Alex and Sam helped a lot.",
        "Liisalla on uusi puhelin.",
        "Olen ollut Helsingissä vuosia.",
        "Olin Jussilla kylässä.",
        "Projekti on ollut ihan painajainen, ihan sydänkohtaus.",
        "Kokouksessa toivottiin lisää tietoa diabeteksesta.",
        "Meillä on uusi polvi- ja lonkkaryhmä.",
        "Cancer survivors' peer groups meet on Mondays.",
        "Mulla on Elisa ja DNA käytössä.",
        "Hän määräsi Pekan puheenjohtajaksi.",
        "Sain Mattia kiinni puhelimella.",
        "My Android phone has been slow for years.",
        "Hennes Volvo har stått still sedan i våras.",
    ],
)
def test_names_things_and_figures_of_speech_are_no_medicine(text: str) -> None:
    assert health(text) == []


def test_an_inflected_name_must_end_in_a_case_ending_of_that_name() -> None:
    for word in ("Eliquista", "Xareltoon", "Ozempicia", "levotyroksiinia", "Panadolit", "Buranaa"):
        assert is_medicine_name(word), word
    for word in ("Zephyrine", "Cardenas", "Castellanos", "Losekann", "Cabrini"):  # names, not Zephyr or Cardene
        assert not is_medicine_name(word), word


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("My dad takes Eliquis and Sarah drives him to the clinic.", "Sarah"),
        ("Hänellä on Parkinson ja Anna auttaa häntä.", "Anna"),
        ("My mother has dementia and Mary helps her every day.", "Mary"),
    ],
)
def test_a_person_joined_to_a_health_detail_is_no_medicine(text: str, person: str) -> None:
    found = health(text)
    assert found
    assert person not in [word for word, _ in found]
