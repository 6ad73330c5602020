"""The demo panel's content in Swedish and English, beside the Finnish the pilot writes (issue 13).

Keyed by the Finnish text, so that ``pilot.py`` reads as before: each helper there asks ``translations`` for
what it writes. Swedish as Helsinki writes it (Finland-Swedish: hälsostation, ergoterapi, Östra centrum), English
plain. A Finnish text without an entry here goes out untranslated, and the members then read it in Finnish.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

PANEL_NAME = ("Östra Helsingfors mångprofessionella kundråd", "East Helsinki multi-service customer panel")
CONTACT_NAME = "Satu Laaksonen"
CONTACT_PHONE = "09 310 12345"

# Finnish → (Swedish, English)
SV_EN: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # The meetings: place and tasks
        "Itäkeskuksen terveys- ja hyvinvointikeskus, kokoushuone 3": (
            "Östra centrums hälso- och välbefinnandecentral, mötesrum 3",
            "Itäkeskus Health and Wellbeing Centre, meeting room 3",
        ),
        "Omaolo-verkkopalvelun ohjeet: mikä on vaikeaa ymmärtää ja miten ohjeita voisi selkeyttää?": (
            "Anvisningarna i webbtjänsten Omaolo: vad är svårt att förstå och hur kunde anvisningarna bli tydligare?",
            "The instructions of the Omaolo online service: what is hard to understand, and how could they be clearer?",
        ),
        "Toimintaterapian visiotyö: millaista toimintaterapiaa asukkaat toivovat terveysasemalle?": (
            "Visionsarbetet för ergoterapin: hurdan ergoterapi önskar invånarna på hälsostationen?",
            "A vision for occupational therapy: what kind of occupational therapy do residents want at the health "
            "station?",
        ),
        # The ideas: titles and texts
        "Kuvat Omaolon ohjeisiin": ("Bilder i Omaolos anvisningar", "Pictures in the Omaolo instructions"),
        "Vaihe vaiheelta -kuvat helpottaisivat oirearvion tekoa.": (
            "Bilder steg för steg skulle göra det lättare att fylla i symtombedömningen.",
            "Step-by-step pictures would make the symptom check easier to do.",
        ),
        "Ohjeet samalle sivulle kolmella kielellä": (
            "Anvisningarna på samma sida på tre språk",
            "Instructions on the same page in three languages",
        ),
        "Ruotsin- ja englanninkielinen ohje samaan näkymään.": (
            "Den svenska och den engelska anvisningen i samma vy.",
            "The Swedish and the English instructions in the same view.",
        ),
        "Puhelinnumero jokaisen ohjeen loppuun": (
            "Ett telefonnummer i slutet av varje anvisning",
            "A phone number at the end of every instruction",
        ),
        "Jos verkossa asiointi ei onnistu, numero löytyisi heti.": (
            "Om det inte går att sköta ärendet på nätet hittar man numret genast.",
            "If using the service online does not work, the number is right there.",
        ),
        "Asiakasraadille oma sivu kaupungin verkkosivuille": (
            "En egen sida för kundrådet på stadens webbplats",
            "A page of its own for the panel on the City's website",
        ),
        "Raadin työ näkyviin kaikille asukkaille.": (
            "Kundrådets arbete ska synas för alla invånare.",
            "The panel's work should be visible to all residents.",
        ),
        "Toimintaterapian esite odotustiloihin": (
            "En broschyr om ergoterapi i väntrummen",
            "A leaflet on occupational therapy for the waiting rooms",
        ),
        "Moni ei tiedä, mitä toimintaterapia on.": (
            "Många vet inte vad ergoterapi är.",
            "Many people do not know what occupational therapy is.",
        ),
        "Ryhmävastaanotto arjen apuvälineistä": (
            "Gruppmottagning om hjälpmedel i vardagen",
            "A group session on assistive devices for everyday life",
        ),
        "Apuvälineitä voisi kokeilla yhdessä.": (
            "Man kunde prova hjälpmedlen tillsammans.",
            "People could try out the devices together.",
        ),
        "Kotikäynnin ajanvaraus verkossa": ("Boka hembesök på nätet", "Booking a home visit online"),
        "Ajan voisi varata ilman puhelinjonoa.": (
            "Man kunde boka tid utan att köa i telefon.",
            "You could book a time without queuing on the phone.",
        ),
        # What the staff told the members: moves and progress notes
        "Kaupungin verkkosivuille ei tehdä yksittäisten raatien sivuja; raadin kuulumiset julkaistaan "
        "terveysaseman uutiskirjeessä.": (
            "Stadens webbplats har inga egna sidor för enskilda kundråd. Nyheter från kundrådet publiceras i "
            "hälsostationens nyhetsbrev.",
            "The City's website has no pages for single panels. News from the panel is published in the health "
            "station's newsletter.",
        ),
        "Selvitämme, voiko numeron lisätä kaikkiin ohjeisiin kerralla.": (
            "Vi tar reda på om numret kan läggas till i alla anvisningar på en gång.",
            "We are finding out whether the number can be added to all the instructions at once.",
        ),
        "Omaolo on valtakunnallinen palvelu, eikä Helsinki voi muuttaa sen kieliversioiden rakennetta. "
        "Veimme toiveen palvelun kehittäjille.": (
            "Omaolo är en nationell tjänst och Helsingfors kan inte ändra hur dess språkversioner är uppbyggda. "
            "Vi har fört önskemålet vidare till dem som utvecklar tjänsten.",
            "Omaolo is a national service, and Helsinki cannot change how its language versions are built. "
            "We passed the wish on to the people who develop the service.",
        ),
        "Esitteen luonnos on valmis ja menee raadin kommentoitavaksi.": (
            "Ett utkast till broschyren är klart och skickas till kundrådet för kommentarer.",
            "A draft of the leaflet is ready and goes to the panel for comments.",
        ),
        "Oirearvion ohjeisiin lisättiin vaihe vaiheelta -kuvat. Kiitos raadille ideasta!": (
            "Anvisningarna för symtombedömningen har nu bilder steg för steg. Tack till kundrådet för idén!",
            "Step-by-step pictures were added to the symptom check instructions. Thank you to the panel for the idea!",
        ),
        # The first meeting's summary and its next step (privacy_scene)
        "Kiitos kokouksesta! Kävimme läpi Omaolo-verkkopalvelun ohjeita. Raati ehdotti vaihe vaiheelta -kuvia, "
        "ohjeita samalle sivulle kolmella kielellä ja puhelinnumeroa jokaisen ohjeen loppuun; lisäksi raati toivoi "
        "omaa sivua kaupungin verkkosivuille. Kysyttävää? Kysy koordinaattorilta seuraavassa kokouksessa tai "
        "terveysaseman neuvonnasta.": (
            "Tack för mötet! Vi gick igenom anvisningarna i webbtjänsten Omaolo. Kundrådet föreslog bilder steg för "
            "steg, anvisningar på samma sida på tre språk och ett telefonnummer i slutet av varje anvisning. "
            "Kundrådet önskade också en egen sida på stadens webbplats. Har du frågor? Fråga den ansvariga på nästa "
            "möte eller vid hälsostationens rådgivning.",
            "Thank you for the meeting! We went through the instructions of the Omaolo online service. The panel "
            "suggested step-by-step pictures, instructions on the same page in three languages, and a phone number at "
            "the end of every instruction. The panel also asked for a page of its own on the City's website. "
            "Questions? Ask the coordinator at the next meeting or at the health station's advice desk.",
        ),
        "Omaolo-verkkopalvelu kertoo raadille, mitä ideoille tapahtuu.": (
            "Webbtjänsten Omaolo berättar för kundrådet vad som händer med idéerna.",
            "The Omaolo online service will tell the panel what happens to the ideas.",
        ),
    }
)


def translations(**fields: str | list[str] | tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """``{"sv": {field: …}, "en": {…}}`` for the Finnish texts given by field (a list field: each item); a text
    without a translation here is left out (with a list, the whole list)."""
    out: dict[str, dict[str, Any]] = {"sv": {}, "en": {}}
    for name, finnish in fields.items():
        items = [finnish] if isinstance(finnish, str) else list(finnish)
        if not items or not all(item in SV_EN for item in items):
            continue
        for i, language in enumerate(("sv", "en")):
            translated = [SV_EN[item][i] for item in items]
            out[language][name] = translated[0] if isinstance(finnish, str) else translated
    return {language: texts for language, texts in out.items() if texts}
