"""The people, services and words of a simulated season (``application.simulation.season``)."""

from __future__ import annotations

COORDINATORS = ("koordinaattori@sim.raati.example.org", "varakoordinaattori@sim.raati.example.org")

# (name, owners): one service has two owners, one has none (its ideas are chased via the coordinators).
SERVICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Omaolo-verkkopalvelu", ("omaolo@sim.raati.example.org",)),
    ("Toimintaterapia", ("toimintaterapia@sim.raati.example.org",)),
    ("Terveysasema", ("terveysasema@sim.raati.example.org", "osastonhoitaja@sim.raati.example.org")),
    ("Sosiaalineuvonta", ()),
)

PLACE = "Itäkeskuksen terveys- ja hyvinvointikeskus, kokoushuone 3"

# (title, development task, task kind, category, leading service index)
TOPICS: tuple[tuple[str, str, str, str, int], ...] = (
    ("Omaolon ohjeet", "Mikä Omaolon ohjeissa on vaikeaa ymmärtää?", "material", "customer_instructions", 0),
    ("Toimintaterapian visio", "Millaista toimintaterapiaa asukkaat toivovat?", "question", "other", 1),
    ("Terveysaseman tiedotteet", "Tavoittavatko terveysaseman tiedotteet asukkaat?", "material", "communications", 2),
    ("Sosiaalineuvonnan verkkosivut", "Löytyykö neuvonta verkosta?", "question", "web_services", 3),
    ("Ajanvaraus", "Miten ajanvarausta voisi helpottaa?", "question", "web_services", 2),
    ("Kotikäynnit", "Mitä kotikäynnistä pitäisi kertoa etukäteen?", "material", "customer_instructions", 1),
)

IDEAS: tuple[tuple[str, str], ...] = (
    ("Kuvat ohjeisiin", "Vaihe vaiheelta -kuvat helpottaisivat."),
    ("Ohjeet kolmella kielellä", "Ruotsin- ja englanninkielinen ohje samaan näkymään."),
    ("Puhelinnumero ohjeen loppuun", "Jos verkossa asiointi ei onnistu, numero löytyisi heti."),
    ("Raadille oma verkkosivu", "Raadin työ näkyviin kaikille asukkaille."),
    ("Esite odotustiloihin", "Moni ei tiedä, mitä palvelu tarjoaa."),
    ("Ryhmävastaanotto apuvälineistä", "Apuvälineitä voisi kokeilla yhdessä."),
    ("Kotikäynnin ajanvaraus verkossa", "Ajan voisi varata ilman puhelinjonoa."),
    ("Selkokieliset tekstiviestit", "Muistutusviestit selkokielellä."),
    ("Takaisinsoiton aika näkyviin", "Tieto siitä, milloin soitetaan takaisin."),
    ("Opasteet aulaan", "Isommat opasteet hissien luo."),
    ("Iltavastaanotto kerran viikossa", "Työssäkäyvät pääsisivät paremmin."),
    ("Palautelaatikko verkkoon", "Palautteen voisi antaa nimettömänä."),
    ("Vertaistukiryhmä omaishoitajille", "Omaishoitajat jakaisivat kokemuksiaan."),
    ("Asiointiapu digipalveluihin", "Vapaaehtoiset auttaisivat verkkoasioinnissa."),
    ("Tulkkauksen tilaaminen helpommaksi", "Tulkin voisi pyytää ajanvarauksen yhteydessä."),
    ("Odotusaikojen seuranta", "Jonotilanne näkyisi verkossa."),
    ("Chat-palvelu iltaisin", "Neuvoa saisi myös virka-ajan jälkeen."),
    ("Esteetön sisäänkäynti", "Pyörätuolilla pääsy ilman apua."),
    ("Ryhmätapaamiset nuorille", "Nuoret tapaisivat toisiaan ohjatusti."),
    ("Kutsu vuositarkastukseen", "Ikäihmiset saisivat kutsun automaattisesti."),
    ("Videovastaanotto sosiaalineuvontaan", "Asia hoituisi kotoa käsin."),
    ("Lomakkeet selkokielelle", "Hakemukset olisivat helpompia täyttää."),
    ("Palveluopas kirjastoihin", "Painettu opas niille, jotka eivät käytä verkkoa."),
    ("Muistutus lääkkeiden uusimisesta", "Viesti ennen kuin resepti vanhenee."),
)

DECLINE_REASONS = (
    "Palvelu on valtakunnallinen, eikä Helsinki voi muuttaa sitä; toive vietiin kehittäjille.",
    "Idea ei mahdu tämän vuoden budjettiin; palaamme siihen ensi vuonna.",
    "Sama asia ratkaistaan jo kaupungin yhteisessä hankkeessa.",
    "Tiloja ei voi muuttaa vuokrasopimuksen vuoksi.",
)
OUTCOMES = (
    "Muutos on tehty. Kiitos raadille ideasta!",
    "Uusi ohje on käytössä kaikilla terveysasemilla.",
    "Kokeilu aloitettiin, ja palaute on ollut hyvää.",
)
NOTES = (
    "Selvitämme toteutusta tietohallinnon kanssa.",
    "Luonnos on valmis ja menee raadin kommentoitavaksi.",
    "Asia on esillä seuraavassa johtoryhmässä.",
)
LATE_REASONS = (
    "Palvelun edustaja pääsi vasta nyt; raati sopi ajasta viime kokouksessa.",
    "Edellinen kokous peruttiin tilaongelman vuoksi; korvaava kokous sovittiin raadin kanssa.",
)

MEMBER_NAMES: dict[str, tuple[str, ...]] = {
    "fi": (
        "Aino Virtanen", "Eero Korhonen", "Leena Mäkinen", "Matti Nieminen", "Sirkka Hämäläinen", "Pekka Laine",
        "Tuula Heikkinen", "Juha Koskinen", "Riitta Järvinen", "Kalevi Lehtonen", "Marja Saarinen", "Timo Salminen",
    ),
    "sv": ("Karin Lindqvist", "Johan Björklund", "Ulla Sjöberg", "Henrik Ekström", "Sofia Grönqvist"),
    "en": ("Amina Hassan", "David Novak", "Olena Kovalenko", "Ahmed Yusuf", "Maria Santos"),
}  # fmt: skip


def member_email(name: str) -> str:
    local = name.lower().replace(" ", ".")
    for plain, accented in (("a", "ä"), ("o", "ö"), ("a", "å")):
        local = local.replace(accented, plain)
    return f"{local}@asukas.sim.example.org"
