"""People's names are no health details: first names and surnames (Finnish, Swedish, English and names from
elsewhere, some of them spelled like a medicine brand on the FDA list) in neutral sentences in fi/sv/en."""

from __future__ import annotations

import pytest

from domain.privacy_detectors import Kind, check_text

FIRST_NAMES = """
Aino Eino Helmi Väinö Aada Onni Elsa Leevi Siiri Eetu Lilja Veeti Kerttu Aatu Hilla Niilo Iida Oiva Venla Toivo
Pirjo Seppo Tuula Pekka Marjatta Jorma Ritva Kalevi Sirpa Raimo Hellevi Esko Annikki Arvo Kaarina Reijo Anneli
Jouni Päivi Jukka Satu Harri Minna Jarmo Tiina Kimmo Sanna Juha Jenni Ville Henna Tuomas Noora Lauri Kasper Quentin
Astrid Ebba Gunnar Ingrid Sixten Maj-Britt Torbjörn Signe Birger Gerd Ulla Håkan Vegard Sigrid Leif Solveig Björn
Margareta Stig Barbro Ragnar Linnea Axel Tove Elof Britt-Marie Kjell Maud Tia Allegra Armin Zoran Galina Rosalva
Oliver Charlotte George Amelia Harry Imogen Jack Olivia Arthur Florence Henry Poppy Edward Grace Hugh Beatrice
Ahmed Fatima Mohamed Amina Hussein Leyla Abdullahi Hodan Farah Yusuf Zeynep Mehmet Ayşe Dariush Shirin Reza Parisa
Nguyen Thi Linh Minh Anh Olga Sergei Tatjana Dmitri Irina Svetlana Artan Celestina Cesar Jelena Nikola Kateryna
Bohdan Oksana Mai Liis Jaan Priit Kaja Tõnu Giorgi Nino Kwame Ama Chinedu Ngozi Priya Arjun Sunita Rahul Mei Wei
Hiroshi Yuki Carlos Lucía Mateo Sofía João Ana Amadou Aïssata Kofi Esi Diego Valentina Pablo Camila
"""
SURNAMES = """
Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen Lehtinen Saarinen
Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen
Mattila Savolainen Lahtinen Ahonen Oksanen Zephyrine-Oksanen Lantus Kettunen Väisänen Pelkonen Hyvönen Ikonen
Räsänen Huttunen Lindqvist Lindholm Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson
Gustafsson Lindberg Wikström Sjöberg Öberg Grahn Nyberg Blomqvist Holmström Åkerman Enqvist Smith Jones Williams
Taylor Brown Davies Evans Wilson Thomas Roberts Johnson Walker Wright Robinson Thompson Hughes Green Parker
Underwood Werner Belmonte Ariasso Legros Talts Kenter Trubin Miralles Spier Verdone Cabrini Viviani Casas Castellanos
Cardenas Losekann Almansa Bonnin Breton Prince Tirado Camino Palladio Zetticci Hassan Ali Abdi Warsame Farah Yilmaz
Kaya Demir Hosseini Ahmadi Karimi Nguyen Tran Pham Ivanov Petrova Smirnov Kuznetsova Volkov Kovalenko Shevchenko
Tamm Saar Sepp Mägi Kask Rebane Ilves Beridze Mensah Okafor Adeyemi Sharma Patel Gupta Chen Wang Tanaka Sato
Garcia Rodriguez Fernández Silva Santos Diallo Traoré Mwangi Osei Haddad Khalil Mansour Novak Kowalski Nowak
"""

TEMPLATES = (
    "{} ehdotti tätä.",
    "{} toivoi parempaa ajanvarausta.",
    "Kiitos, {}!",
    "Puheenjohtajana toimi {}.",
    "{} föreslog detta.",
    "Mötet leddes av {}.",
    "{} chaired the meeting.",
    "Thanks to {} for the minutes.",
)


def _names() -> list[str]:
    first, last = FIRST_NAMES.split(), SURNAMES.split()
    full = [f"{given} {last[at % len(last)]}" for at, given in enumerate(first)]
    full += [f"{first[(at * 7) % len(first)]} {family}" for at, family in enumerate(last)]
    return first + full


def test_the_list_is_long_and_varied() -> None:
    assert len(set(FIRST_NAMES.split())) + len(set(SURNAMES.split())) >= 300
    assert len(_names()) >= 500


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_health_finding_comes_from_a_persons_name(template: str) -> None:
    flagged = {}
    for name in _names():
        text = template.format(name)
        found = [f.text for f in check_text(text) if f.kind is Kind.HEALTH]
        if found:
            flagged[text] = found
    assert flagged == {}


@pytest.mark.parametrize(
    "text",
    [
        "Kasper Lantus käyttää insuliinia.",  # the name is no medicine, insulin is
        "Quentin Zephyrine-Oksanen sairastaa diabetesta.",
        "Allegra Virtanen kertoi, että hänen Xareltonsa annos muuttui.",
    ],
)
def test_a_name_beside_a_health_detail_is_not_flagged_itself(text: str) -> None:
    found = [f.text for f in check_text(text) if f.kind is Kind.HEALTH]
    assert found
    assert not any(part in " ".join(found) for part in ("Kasper", "Lantus", "Zephyrine", "Allegra"))


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Äitini käyttää Lantus Solostar -kynää.", "Lantus"),  # a brand beside a capitalised word, in a frame
        ("Aloitin Cipralexin syksyllä, ja uni on parantunut.", "Cipralexin"),
        ("Jag tar Eliquis varje morgon.", "Eliquis"),
        ("Xarelto aiheutti mustelmia.", "Xarelto"),
        ("Käytän levotyroksiinia joka aamu.", "levotyroksiinia"),
        ("Min GERD har blivit värre.", "GERD"),
    ],
)
def test_medicines_and_diagnoses_beside_capitalised_words_are_still_found(text: str, word: str) -> None:
    assert word in [f.text for f in check_text(text) if f.kind is Kind.HEALTH]
