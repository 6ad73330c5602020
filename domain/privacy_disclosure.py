"""How people disclose health in fi/sv/en: a person (I, my father, hän) with a medical verb or frame ("todettiin",
"opererades för", "I'm on") and what it is about.

Pure: sentences in, spans out. ``domain.privacy_detectors`` combines these with the lexicon, the shape finders
(``domain.privacy_measures``, ``domain.privacy_shapes``) and what is general talk (``domain.privacy_general``).
"""

from __future__ import annotations

import re

from domain.privacy_measures import Detail, Span

# --- who: the writer, a family member or a named member ----------------------------------------------------

# The writer (Finnish leaves the pronoun out, so its first-person verbs say who), a named member or someone else
# in particular, and family.
_PERSON_WORD_LIST = (
    "minä mä minulla minulta minulle minut minua minun mulla multa mulle mut käytän käytin sairastan sairastin "
    "sairastuin otan otin syön söin aloitin sain poden kärsin olin olen jouduin pääsin kävin jag mig min mitt "
    "mina i'm i've i'd me my myself jäsen jäsenen jäsenellä jäsenelle jäseneltä raatilainen raatilaisen "
    "raatilaisella raatilaiselle hän hänellä hänelle häneltä hänen hänet medlem medlemmen sin sitt sina hon han "
    "henne honom hennes hans member she he her his him mamma mammas pappa pappas mormor farmor morfar farfar son "
    "sonen dotter dottern mannen fru frun make maken maka sambo bror brodern syster systern barnet mother mum mom "
    "father dad daughter husband wife partner brother sister grandmother grandfather grandma grandpa child aunt "
    "uncle our vår vårt våra meidän their heidän "
    "paranin toivun toivuin odotan odotin menin tarvitsen tarvitsin pelkään jäin "
    "mittasin mittaan lopetin lopetan unohdin unohdan vaihdoin vaihdan kokeilin kokeilen hain haen tilasin ostin "
    "ostan nostin vähensin vähennän jätin jätän lisäsin pistän pistin "
)
_PERSON_WORDS = frozenset(_PERSON_WORD_LIST.split())
# Finnish family words in any case: äidilläni, isälle, tyttärensä, puolisonsa.
_PERSON_STARTS = ("äiti", "äidi", "isä", "isoäi", "isoisä", "mummo", "mummi", "vaari", "ukki", "poika", "poja",
                  "tytär", "tyttäre", "mies", "miehe", "vaimo", "puoliso", "veli", "velje", "sisko", "sisar",
                  "anoppi", "appe")  # fmt: skip
# Finnish first-person possessive endings: äitini, isälläni, polveni; not Swedish "juni".
_MY = ("ni", "lleni", "llani", "ltani", "ssani", "stani", "kseni", "nsa", "nsä")  # and hers: ranteensa, lääkkeensä
_NOT_MY = frozenset(
    ("juni", "mini", "bikini", "alumni", "jenni", "sanni", "onni", "lenni", "yleensä", "kansa", "hansa", "ylipäänsä")
)


# Opinions and wishes are not disclosures: "mielestäni", "I think", "in my opinion", "jag tycker".
_OPINION_WORDS = frozenset(
    ("mielestäni", "käsittääkseni", "tietääkseni", "nähdäkseni", "toivoisin", "ehdotan", "ehdottaisin")
)
_OPINION_AFTER_I = frozenset(("think", "feel", "believe", "hope", "wish", "suggest", "would", "propose", "agree",
                              "want", "like", "tycker", "anser", "föreslår", "önskar", "hoppas"))  # fmt: skip


def names_a_person(words: list[str]) -> bool:
    """Does a sentence (its words) name the writer, a family member or a particular person? Not in an opinion
    ("I think", "mielestäni", "jag tycker", "in my opinion")."""
    for at, word in enumerate(words):
        after = words[at + 1].casefold() if at + 1 < len(words) else ""
        if word in ("I", "jag", "Jag") and after in _OPINION_AFTER_I:
            continue
        if word.casefold() in ("my", "min") and after in ("opinion", "view", "mind", "mening", "åsikt"):
            continue
        if word == "I" or word.startswith("I'"):
            return True
        w = word.casefold()
        if w in _OPINION_WORDS:
            continue
        if w in _PERSON_WORDS or w.startswith(_PERSON_STARTS):
            return True
        if word[0].isupper() and w.endswith(("lla", "llä")) and after in ("on", "oli"):  # "Liisalla on", a name
            return True
        # "äitini", "Polveni" at the start; a capitalised word later on is a name (Viviani, Jenni), not "my".
        if len(w) >= 5 and w.endswith(_MY) and w not in _NOT_MY and (at == 0 or not word[0].isupper()):
            return True
    return False


# --- frames: a medical verb and what it is about --------------------------------------------------------------

_SKIP = (
    r"(?:(?:viime|tänä|ensi|vuonna|keväällä|kesällä|syksyllä|talvella|keväänä|syksynä|talvena|kesänä|heti|myös|"
    r"jo|vasta|lopulta|sitten|yllättäen|\d{4}|last|this|in|early|also|then|finally|recently|i|förra|i år|"
    r"också|även|äntligen|nyligen|sen|en|ett|a|an|with|för|for|med|\w+kuussa|\w+kuun|minulle|mulle|hänelle|meille|"
    r"äidille|isälle|mig|honom|henne|me|him|her)\s+){0,3}"
)
_OBJECT = r"(?P<obj>[^\W\d_][\w'-]*(?:\s+(?:tauti|taudin|tautia|disease|syndrome|syndrooma|sjukdom|failure|cancer))?)"


def _first_words(verbs: str) -> frozenset[str]:
    """The first word of each alternative of a frame's verbs: a sentence without any of them cannot match."""
    firsts = set()
    for verb in verbs.split("|"):
        words = [w for w in re.findall(r"[a-zåäö']+", verb) if w not in ("on", "oli", "in", "på")] or ["on"]
        firsts.add(words[0])  # "on todettu" needs "todettu", "in hospital for" needs "hospital"
    return frozenset(firsts)


_POSSESSIVE = re.compile(
    r"(?<!\w)(?:[Mm]y|[Hh]is|[Hh]er|[Mm]in|[Mm]itt|[Ss]in|[Hh]ans|[Hh]ennes|[Hh]änen)\s+(?P<obj>[A-ZÅÄÖ][a-zåäö][\w-]+)"
)
Frame = tuple[re.Pattern[str], Detail, frozenset[str]]  # the pattern, what its object is, words one of which it needs
_VERB_FRAMES: tuple[Frame, ...] = tuple(
    (re.compile(rf"(?<!\w)(?:{verbs})\s+{_SKIP}{_OBJECT}", re.I), detail, _first_words(verbs))
    for verbs, detail in (
        (
            r"todettiin|diagnosoitiin|havaittiin|löydettiin|on todettu|oli todettu|on diagnosoitu|sairastan|"
            r"sairastin|sairastaa|sairasti|sairastui|sairastuin|sairastunut|potee|poden|kärsin|"
            r"fick diagnosen|diagnostiserades med|diagnostiserad med|behandlas för|behandlades för|lider av|"
            r"opererades för|opererad för|was diagnosed with|were diagnosed with|diagnosed with|treated for|"
            r"suffers from|suffer from|suffering from|in hospital for|in hospital with|på sjukhus för|born with|"
            r"föddes med|född med",
            Detail.DIAGNOSIS,
        ),
        (
            r"leikattiin|leikattu|operoitiin|operoitu|poistettiin|opererades|opererade bort|opererade|brutit|bröt|"
            r"opererat|opererats|genomgick|underwent|operated on|had surgery on",
            Detail.PROCEDURE,
        ),
        (r"asennettiin|istutettiin|fitted with|implanted with", Detail.DEVICE),
        (
            r"käytän|käyttää|käytti|käytin|käyttänyt|käyttäneet|syön|syö|söin|syönyt|otan|ottaa|otin|ottanut|"
            r"aloitin|aloitti|aloittanut|määrättiin|sain|pistän|pistää|pisti|pistin|injects|injecting|sprutar|"
            r"tar|tog|äter|åt|använder|står på|medicinerar med|i'm on|"
            r"i am on|is on|was on|been on|(?:i'm|is|was|been)\s+(?:now|still|also|currently)\s+on|take|takes|"
            r"took|taking|been taking|started on|prescribed|put on|use|"
            r"uses|used|using|get|gets|got|receive|receives|received|vaihdettiin|vaihdettu|switched to|byttes till|"
            r"vaihtoi|vaihdoin|vaihtaa|fick|använt|använde|tagit|ätit|käyttävänsä|käyttäneensä|syövänsä|ottavansa|"
            r"bytte till|määräsi|määräsivät|skrev ut|skrevs ut|ordinerade|ordinerades|förskrev|ätit|eats|ate|eaten",
            Detail.MEDICINE,
        ),
    )
)
_FRAMES: tuple[Frame, ...] = (
    *_VERB_FRAMES,
    # What comes before the frame: "sairaalassa keuhkokuumeen takia", "had my tonsils removed".
    (
        re.compile(r"sairaalassa\s+(?:\w+\s+){0,2}?(?P<obj>\w+)\s+(?:takia|vuoksi)", re.I),
        Detail.DIAGNOSIS,
        frozenset(("sairaalassa",)),
    ),
    # "Äitini polvi leikattiin": what was operated on, before the verb.
    (
        re.compile(
            r"(?P<obj>\w+)\s+(?:(?:on|oli)\s+)?(?:leikattiin|operoitiin|tähystettiin|amputoitiin|leikattu|operoitu|"
            r"tahdistettiin)(?!\w)",
            re.I,
        ),
        Detail.PROCEDURE,
        frozenset(("leikattiin", "operoitiin", "tähystettiin", "amputoitiin", "leikattu", "operoitu", "tahdistettiin")),
    ),
    # "Äitini lonkka on vaihdettu": a joint, valve or lens replaced.
    (
        re.compile(
            r"(?P<obj>(?:lonkka|polvi|olkapää|olkanivel|läppä|sydänläppä|mykiö|linssi|nivel)\w*)\s+(?:on|oli)\s+"
            r"(?:\w+\s+)?vaihdettu",
            re.I,
        ),
        Detail.PROCEDURE,
        frozenset(("vaihdettu",)),
    ),
    # "Minulta on poistettu toinen munuainen": a removal from a person (not "tiedot on poistettu").
    (
        re.compile(
            r"(?:minulta|multa|häneltä|\w+lta\w*|\w+ltä\w*)\s+(?:on\s+|oli\s+)?poistettu\s+"
            r"(?:(?:toinen|toisen|molemmat|yksi|osa)\s+)?(?P<obj>\w+)",
            re.I,
        ),
        Detail.PROCEDURE,
        frozenset(("poistettu",)),
    ),
    # "fel dos av sin Waran", "väärä annos Marevania", "the wrong dose of his Eliquis".
    (
        re.compile(
            r"(?:dos|dosen|annos|annosta|annoksen|dose|doses)\s+(?:of\s+|av\s+)?(?:sin\s+|min\s+|hans\s+|hennes\s+|"
            r"my\s+|his\s+|her\s+)?(?P<obj>[A-ZÅÄÖ][\w-]+)"
        ),
        Detail.MEDICINE,
        frozenset(("dos", "dosen", "annos", "annosta", "annoksen", "dose", "doses")),
    ),
    # "Äiti on ollut Waranilla vuosia", "olevansa Thyroxinilla": on a medicine, a foreign name with the linking i.
    (
        re.compile(
            r"(?<!\w)(?:on|oli|olen|olin|ollut|olleet|olevansa|olleensa|ovat)\s+(?:\w+\s+)?"
            r"(?P<obj>[A-ZÅÄÖ][\w-]*[a-zåäö](?<![aeiouyäö])i(?:lla|llä))(?!\w)"
        ),
        Detail.MEDICINE,
        frozenset(("on", "oli", "olen", "olin", "ollut", "olleet", "olevansa", "olleensa", "ovat")),
    ),
    # "Mulla on Targiniq ja Lyrica", "Minulla oli pitkään Diformin": what a person has, by its name.
    (
        re.compile(
            r"(?<!\w)(?i:mulla|minulla|hänellä|meillä|\w+llani|\w+lläni|\w+llaan|\w+llään)\s+(?:on|oli)\s+"
            r"(?:(?:pitkään|nyt|jo|myös|aina|vielä|taas|käytössä)\s+)?(?P<obj>[A-ZÅÄÖ][\w-]+)"
        ),
        Detail.MEDICINE,
        frozenset(("on", "oli")),
    ),
    # "his Ventoline", "hennes Waran", "hänen Xareltonsa": a person's own named thing, a medicine only beside other
    # health details (not "my Android phone", "hennes Volvo").
    (
        _POSSESSIVE,
        Detail.MEDICINE,
        frozenset(("my", "his", "her", "min", "mitt", "sin", "hans", "hennes", "hänen")),
    ),
    # "Elvanse changed my life", "Ventoline on aina taskussa": a name that changed a life or is carried (not one
    # that helps or comes along: people do).
    (
        re.compile(
            r"(?<=[^\W\d_]\s|,\s)(?P<obj>[A-ZÅÄÖ][\w-]+)\s+(?:on\s+|is\s+|är\s+|has\s+)?(?:changed my life|"
            r"(?:aina\s+|alltid\s+|always\s+)?(?:taskussa|laukussa|i fickan|in my pocket))(?!\w)"
        ),
        Detail.MEDICINE,
        frozenset(("changed", "taskussa", "laukussa", "fickan", "pocket")),
    ),
    # "Targiniq ja Lyrica kipuihin", "Opamox and Diapam for anxiety", "Alvedon mot värken": a name and its use.
    (
        re.compile(
            r"(?P<obj>[A-ZÅÄÖ][\w-]+)\s+(?:\w*kipuihin|\w*kipuun|\w*särkyyn|\w*kipuja varten|"
            r"(?:for|mot|against)\s+(?:my\s+|his\s+|her\s+|min\s+|sin\s+)?(?:anxiety|pain|sleep|depression|ångest|"
            r"smärt\w*|värk\w*|sömn\w*|oro|illamående|nausea|migraine|migrän))(?!\w)"
        ),
        Detail.MEDICINE,
        frozenset(("kipuihin", "kipuun", "särkyyn", "for", "mot", "against", "päänsärkyyn", "selkäkipuun")),
    ),
    # "fått en ny höft", "a new knee", "uuden polven": a joint replaced.
    (
        re.compile(
            r"(?<!\w)(?:ny|nya|nytt|new|uusi|uuden|uudet)\s+(?P<obj>höft|höften|höfter|knä|knät|knän|hip|hips|knee|"
            r"knees|lonkka\w*|lonkan\w*|polvi\w*|polven\w*|polvet\w*|kidney|liver|heart|lungs?|njure|lever|lunga|"
            r"munuai\w*|maksa|maksan|keuhko\w*|\w*klaff\w*|\w*läppä\w*|\w*läpän|\w*valve)(?![\w-])",
            re.I,
        ),
        Detail.PROCEDURE,
        frozenset(("ny", "nya", "nytt", "new", "uusi", "uuden", "uudet")),
    ),
    # "har typ 1", "has type 1": diabetes by its type.
    (
        re.compile(
            r"(?<!\w)(?:har|hade|has|have|had|sairastaa|sairastan)\s+(?P<obj>(?:typ|type|tyypin)\s+[12])(?!\w)", re.I
        ),
        Detail.DIAGNOSIS,
        frozenset(("har", "hade", "has", "have", "had", "sairastaa", "sairastan")),
    ),
    # "fick ett anfall", "had a seizure", "sai kohtauksen".
    (
        re.compile(
            r"(?<!\w)(?:fick|får|fått|sai|saa|saanut|had|has|have)\s+(?:ett\s+|a\s+|an\s+|uuden\s+|ny\s+|nytt\s+)?"
            r"(?P<obj>anfall|epilepsianfall|kohtauksen|kohtauksia|seizures?|fits?)(?!\w)",
            re.I,
        ),
        Detail.DIAGNOSIS,
        frozenset(("fick", "får", "fått", "sai", "saa", "saanut", "had", "has", "have")),
    ),
    # Walking and hearing aids of a person: "använder rullator", "his new wheelchair", "käyttää rollaattoria".
    (
        re.compile(
            r"(?<!\w)(?:använder|uses|use|using|käyttää|käytän|liikkuu|kulkee|his|her|my|min|sin|hans|hennes|hänen|"
            r"new|ny|nya|uusi|uuden|oma|oman)\s+(?:new\s+|ny\s+|uusi\s+|uuden\s+)?(?P<obj>wheelchairs?|rullator\w*|"
            r"rollator\w*|rullstol\w*|pyörätuoli\w*|rollaattori\w*|kävelyteline\w*|kävelykeppi\w*|"
            r"seisomateline\w*|hearing aids?|walking frame|walker)(?!\w)",
            re.I,
        ),
        Detail.DEVICE,
        frozenset(
            (
                "använder",
                "uses",
                "use",
                "using",
                "käyttää",
                "käytän",
                "liikkuu",
                "kulkee",
                "his",
                "her",
                "my",
                "min",
                "sin",
                "hans",
                "hennes",
                "hänen",
                "new",
                "ny",
                "nya",
                "uusi",
                "uuden",
                "oma",
                "oman",
            )
        ),
    ),
    (
        re.compile(r"(?P<obj>\w+)\s+(?:bortopererad\w*|borttagen|borttagna|opererades bort)(?!\w)", re.I),
        Detail.PROCEDURE,
        frozenset(("bortopererad", "bortopererade", "borttagen", "borttagna", "opererades")),
    ),
    (
        re.compile(r"(?P<obj>\w+)\s+(?:was|were)\s+(?:removed|taken out|operated on|replaced|amputated)", re.I),
        Detail.PROCEDURE,
        frozenset(("was", "were")),
    ),
    (
        re.compile(
            r"(?<!\w)had\s+(?:a|an|my|his|her|the)?\s*(?P<obj>[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+(?:surgery|operation|"
            r"removal|removed|out|fitted|implanted|transplant|replacement|replaced|amputated)(?!\w)",
            re.I,
        ),
        Detail.PROCEDURE,
        frozenset(("had",)),
    ),
)
_SENTENCE_WORDS = re.compile(r"[\w']+")
# Words after a frame that are no health detail: pronouns, articles, ordinary things people use or get.
_NOT_OBJECT = re.compile(
    r"(?:the|a|an|my|his|her|it|part|care|time|place|bus|train|car|phone|app|appointment|letter|call|look|"
    r"se|sen|sitä|ne|niitä|hänet|minut|apua|aikaa|ajan|aika|kirjeen|kirje|tietoa|palvelua|puhelinta|"
    r"paljon|vähän|usein|joka|kaksi|kolme|kotikäynti|kotona|hoitoa|hoitajan|lääkärin|lääkäriaikaa|"
    r"det|den|en|ett|hjälp|tid|bussen|buss|tåget|appen|brev|samtal|kontakt|vård|vården|"
    r"omaolo\w*|kanta\w*|wilma\w*|teams|zoom|facebook|whatsapp|google|bankkort\w*|tunnuksi\w*|"
    r"\w*palvelu\w*|\w*service\w*|\w*tjänst\w*|meeting|meetings|kokous\w*|part|osaa|osa|"
    r"week|weeks|day|days|month|months|night|nights|vecka|veckor|dagar|natt|viikon|viikkoa|päivää|yön|"
    r"(?-i:(?![A-ZÅÄÖ]\w*[^aeiouyäö\W]i(?:lla|llä)$))\w+(?:ssa|ssä|lla|llä)|\w+sti|esiin|esille|puheeksi|mukaan|huomioon|käyttöön|keväänä|syksynä|talvena|kesänä|viime|vuonna|\w+kuussa|eilen|tänään|yesterday|today|"
    r"last|ago|sitten|två|tre|kaksi|kolme|two|three|gånger|kertaa|times|once|twice|minulta|minulle|minulla|"
    r"häneltä|hänelle|hänellä|\w+lta|\w+ltä|\w+lle|jäsen\w*|member\w*|medlem\w*|raatilai\w*|henkilö\w*|person\w*|ja|tai|sekä|and|or|"
    r"och|eller|mutta|but|men|kun|että|that|att|tiedot|tieto\w*|nimi|nimen|teksti\w*|viesti\w*|tili\w*|kohta|"
    r"asia\w*|rivi\w*|ilmoitu\w*|data|details|name|text|message|account|uppgift\w*|namn|meddelande\w*)",
    re.I,
)
# Medicine frames take a name only with a hint that it is one: a medicine compound or words about taking it.
_MEDICINE_PART = re.compile(
    r"\s?-?(?:lääk|tablet|valmiste|piik|pistok|pistos|voide|suihke|inhalaattori|kapsel|tabletter|medicin|pills?|"
    r"tablets?|injection|inhaler|liuos|liuosta|geeli|gel|cream|drops|tipat|salva|kräm|droppar|spray|laastari|"
    r"patch|plåster)",
    re.I,
)
_MEDICINE_HINT = re.compile(
    r"(?<!\w)(?:resept\w*|recept\w*|prescription\w*|annos\w*|dos\w*|mg|tablet\w*|pill\w*|kipu\w*|särky\w*|"
    r"värk\w*|pain|ache|aamu\w*|illa\w*|morning\w*|evening\w*|daily|päivittäin|päivässä|dagligen|varje dag|"
    r"every day|twice|kahdesti|kerran|sivuvaikutu\w*|biverkning\w*|side effects?|apteek\w*|apotek\w*|"
    r"pharmacy|nukahta\w*|sömn\w*|sleep|verenohenn\w*|blodförtunn\w*|blood thinner\w*|mustelm\w*|prov\w*|"
    r"refills?|mot|against|lääk\w*|läkemedel\w*|medicin\w*|medication\w*|vuosia|vuotta|years|år|månader|"
    r"veckor|weeks|viikkoja|kuukau\w*|iltaisin|aamuisin|öisin|"
    r"months|since|sedan|alkaen|lähtien|\w+vaivo\w*|\w+kipuun|\w+särkyyn|när jag|när han|när hon|vid behov|"
    r"as needed|when i|tarvittaessa|akuten|päivystyksessä|päivystyksestä|emergency|sjukhuset|sairaalassa|"
    r"sova|somna|sleep|nukku\w*|ångest\w*|anxiety|ahdistu\w*|smärt\w*|oro|"
    r"anfall\w*|kohtau\w*|hurts?|aches?|sattuu|särkee|a day|per day|om dagen|päivässä|taskussa|"
    r"for anxiety|for pain)(?!\w)",
    re.I,
)


def speaks_of_medicine(sentence: str) -> bool:
    """Does the sentence say something about taking a medicine (a dose, a prescription, a pain, every morning)?"""
    return _MEDICINE_HINT.search(sentence) is not None


def frames(sentence: str, offset: int, *, health_nearby: bool = False) -> list[Span]:
    """What the sentence's medical frames are about: unknown medicine names after "käytän", a diagnosis after
    "todettiin", a procedure after "leikattiin"; ``offset`` is where the sentence starts in the text,
    ``health_nearby`` whether the sentence names other health details (a name after "käyttää" is then a medicine)."""
    found = []
    words = set(_SENTENCE_WORDS.findall(sentence.casefold()))
    for pattern, detail, needs in _FRAMES:
        if needs.isdisjoint(words) or (pattern is _POSSESSIVE and not health_nearby):
            continue  # most sentences hold none of a frame's words: skip its regex
        for m in pattern.finditer(sentence):
            start, end = m.span("obj")
            word = m.group("obj")
            medicine = detail is not Detail.MEDICINE or _medicine(m, sentence, health_nearby=health_nearby)
            if _NOT_OBJECT.fullmatch(word.split("-")[0]) or not medicine:
                continue
            found.append((offset + start, offset + end, detail))
            more = _AND_NAME.match(sentence, end) if detail is Detail.MEDICINE else None
            if more and not _ACTS_ON_SOMEONE.match(sentence, more.end("obj")):
                found.append((offset + more.start("obj"), offset + more.end("obj"), detail))
    return found


# A capitalised word joined to a medicine by "and" names one too: "Primaspan ja Atorvastatin", "Burana or Ipren".
_JOINED_AFTER = re.compile(r"\s+(?:ja|and|och|sekä|tai|or|eller|&)\s+(?P<obj>[A-ZÅÄÖ](?=[\w-]*[a-zåäö])[\w-]+)")
_JOINED_BEFORE = re.compile(r"(?P<obj>[A-ZÅÄÖ](?=[\w-]*[a-zåäö])[\w-]+)\s+(?:ja|and|och|sekä|tai|or|eller|&)\s+$")


# A joined word that does something to a person is a person: "Eliquis and Sarah drives him", "Anna auttaa häntä".
_ACTS_ON_SOMEONE = re.compile(
    r"(?:\s+[^\W\d_]+){1,3}?\s+(?:him|her|me|us|them|häntä|minua|meitä|heitä|henne|honom|mig|oss|dem)(?!\w)", re.I
)


def joined_names(text: str, medicines: list[Span], *, start: int, end: int) -> list[Span]:
    """Capitalised words joined by "and" to the ``medicines`` found in the sentence ``text[start:end]``, and the
    words joined to those: "Mulla on KOL ja Spiriva ja Symbicort käytössä"."""
    found: list[Span] = []
    todo = list(medicines)
    while todo:
        first, last, _ = todo.pop()
        more = [m for m in (_JOINED_AFTER.match(text, last, end), _JOINED_BEFORE.search(text, start, first)) if m]
        for m in more:
            span = (m.start("obj"), m.end("obj"), Detail.MEDICINE)
            word = m.group("obj")
            if span in found or any(s[0] == span[0] for s in medicines) or _NOT_OBJECT.fullmatch(word.split("-")[0]):
                continue
            if names_a_person([word]) or _ACTS_ON_SOMEONE.match(text, m.end("obj"), end):
                continue
            found.append(span)
            todo.append(span)
    return found


# "käytän Levolacia ja Movicolia": a second name joined to the first.
_AND_NAME = re.compile(r"[^\S\n]*(?:-\w+\s+)?(?:ja|and|och|sekä|&)\s+(?P<obj>[A-ZÅÄÖ](?=[\w-]*[a-zåäö])[\w-]+)")


_PRESCRIBES = re.compile(r"(?:skrev ut|skrevs ut|ordinerade|förskrev|prescribed)\s", re.I)
_EATS = re.compile(r"(?:syön|syö|söin|syönyt|äter|åt|ätit|eats|ate|eaten)\s", re.I)


# A Finnish verb of taking a medicine with a name in the partitive: "Äiti käyttää Furesisia", "otan Panacodia".
_FINNISH_TAKING = re.compile(r"(?:käytä|käyttä|käytt|syö|söi|ota|otta|oti|määrät|määräs|pistä|pisti)\w*\s", re.I)
_PARTITIVE = re.compile(r"[A-ZÅÄÖ][^\W\d_]{2,}(?:a|ä|ia|iä|ta|tä)")


def _medicine(m: re.Match[str], sentence: str, *, health_nearby: bool) -> bool:
    word, after = m.group("obj"), sentence[m.end("obj") :]
    if _FINNISH_TAKING.match(m.group()) and _PARTITIVE.fullmatch(word):
        return True
    if _MEDICINE_PART.match(after) or _MEDICINE_PART.search(word):
        return True
    if word[0].isupper() and _PRESCRIBES.match(m.group()):  # "skrev ut Imovane", "prescribed Zoloft"
        return True
    if word[0].isupper() and _EATS.match(m.group()):  # "syö Elvansea": a named thing one eats is a medicine
        return True
    named = word[0].isupper() or _INN_LIKE.fullmatch(word) is not None
    return named and (health_nearby or _MEDICINE_HINT.search(sentence) is not None)


# A lower-case word shaped like a medicine's international name: alendronate, sertraliini, bisoprolol.
_INN_LIKE = re.compile(
    r"[a-zåäö]{4,}(?:ate|aatti|ine|iini|ol|oli|il|iili|am|aami|an|aani|in|ide|idi|one|oni|mab|mabi|nib|nibi|pril|"
    r"priili|sartan|sartaani|statin|statiini|azole|atsoli|cillin|silliini|mycin|mysiini|floxacin|pine|piini|"
    r"tidine|zepam|tsepaami|profen|profeeni|fenac|oxetine|pramine)"
)
