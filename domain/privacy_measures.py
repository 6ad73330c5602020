"""Health details found by their shape rather than a word list: medicine names from the FDA's list, laboratory
values with units, procedures and medical devices.

Each finder returns ``(start, end, detail)`` spans; ``domain.privacy_disclosure`` decides which of them are about a
person and ``domain.privacy_detectors`` turns them into findings.
"""

from __future__ import annotations

import re
from enum import StrEnum

from domain.privacy_medicines import BRANDS, SUBSTANCES
from domain.privacy_spelling import MIN_KEY, spelling_key, trie_pattern


class Detail(StrEnum):
    """What kind of health detail a finding is, so that the writer can be told what to say more generally."""

    DIAGNOSIS = "diagnosis"
    MEDICINE = "medicine"
    PROCEDURE = "procedure"
    DEVICE = "device"
    MEASUREMENT = "measurement"


Span = tuple[int, int, Detail]

# --- medicine names -----------------------------------------------------------------------------------------


def _final_vowels() -> dict[str, str]:
    """Each name's key and the final vowels its names end in ("" for a consonant): Cardene is key "karden" with an
    e, so "Cardenas" is no form of it, while "Xareltoa" is Xarelto with Finnish partitive a."""
    finals: dict[str, str] = {}
    for name in SUBSTANCES | BRANDS:
        spelled = spelling_key(name)
        key = spelled[:-1] if spelled[-1] in "aeiouyäöå" else spelled
        finals[key] = finals.get(key, "") + spelled[len(key) :]
    return finals


_FINALS = _final_vowels()
MEDICINE_KEYS = frozenset(_FINALS)
# The first four letters of every name as written and as keyed (cetirizine, setiritsiini): most words of a text
# start otherwise and skip the spelling key.
_STARTS = frozenset(name[:4] for name in SUBSTANCES | BRANDS) | frozenset(key[:4] for key in MEDICINE_KEYS)
_PART = re.compile(r"[^\W\d_]{5,}")  # letters only: a name or the first part of "Ozempic-piikit", "Eliquis:ia"
_VOWEL_END = frozenset("aeiouyäöå")
Token = tuple[int, int, str]  # a word of the text: where it starts and ends, and the word


def is_medicine_name(word: str) -> bool:
    """Does ``word`` (any case, Finnish/Swedish/English spelling and case ending) name a medicine on the list?"""
    return len(word) >= MIN_KEY and _is_listed(word)


def medicines(tokens: list[Token]) -> list[Span]:
    found = []
    for start, end, word in tokens:
        if len(word) < MIN_KEY or word.endswith(("ing", "ings")):  # English -ing words are no medicine names
            continue
        if word.isalpha():
            if _is_listed(word):
                found.append((start, end, Detail.MEDICINE))
            continue
        for m in _PART.finditer(word):
            if _is_listed(m.group()):
                found.append((start + m.start(), start + m.end(), Detail.MEDICINE))
                break
    return found


# A name joined to a word for a medicine: "Sinemet-annokset", "Humira-pistokset", "Opamox-tabletti".
_NAMED_MEDICINE = re.compile(
    r"([A-ZÅÄÖ][^\W\d_]{2,})-(?:lääk|tablet|annos|annoks|pistos|pistok|piik|voide|valmiste|kapsel|resept|liuos|"
    r"inhalaattor|tabletter|medicin|dos|kynä|kyn|pen|plåster|laastari|suihke|geeli|tipat|förpackning|pakkau|recept|"
    r"kortti|kort)"
)


# ... or followed by one: "my Panodil prescription", "Ventoline inhaler", "receptet på Waran".
_NAME_THEN_MEDICINE = re.compile(
    r"([A-ZÅÄÖ][a-zåäö]{3,})\s+(?:prescription|tablets?|pills?|inhaler|injections?|patches|capsules|drops|cream|doses?|"
    r"dosen|doseringen|annosta|annos|annoksen|"
    r"pistoks\w*|pistos|tabletit|tabletteja|tabletin|tablettia|kapseleita|kapselit|lääke|lääkettä|lääkkeen|"
    r"inhalaattori\w*|suihke\w*|voide\w*|tipat|tippoja|laastari\w*|tabletter|tabletten|sprutor|sprutorna|"
    r"injektioner|kapslar|droppar|salva|plåster)(?!\w)"
)
_PRESCRIPTION_FOR = re.compile(r"(?:recept\w*|prescription)\s+(?:på|för|for)\s+([A-ZÅÄÖ][\w-]{3,})")


def named_medicines(text: str, tokens: list[Token]) -> list[Span]:
    found = []
    for start, _, word in tokens:
        if "-" in word and (m := _NAMED_MEDICINE.match(word)):
            found.append((start, start + m.end(1), Detail.MEDICINE))
    found += [(m.start(1), m.end(1), Detail.MEDICINE) for m in _NAME_THEN_MEDICINE.finditer(text)]
    found += [(m.start(1), m.end(1), Detail.MEDICINE) for m in _PRESCRIPTION_FOR.finditer(text)]
    return found


def _is_listed(part: str) -> bool:
    if part[:4].casefold() not in _STARTS:
        return False
    if _listed_key(spelling_key(part), inn=part.islower()):
        return True
    # A name ending in c keeps its k sound before a Finnish ending: Ozempicia is Ozempic + ia, not "Ozempisia".
    folded = part.casefold()
    if "c" in folded and _listed_key(spelling_key(folded.replace("c", "k"))):
        return True
    # A name ending in -is inflects with -kse- in Finnish: Eliquis, Eliquiksen, Eliquikseen.
    stem = _KSE.match(folded)
    return stem is not None and _listed_key(spelling_key(stem.group(1) + "s"))


_KSE = re.compile(r"(\w{3,}i)kse\w*")


def _listed_key(key: str, *, inn: bool = False) -> bool:
    # The whole key, or a name's key and a case ending (Marevanilla, Xareltoon, Eliquisen), never any letters:
    # Zephyrine is no form of Zephyr. ``inn``: a lower-case word may also be the name's international form
    # (levothyrox, levotyroksiinia).
    for length in range(len(key), max(MIN_KEY, len(key) - 5) - 1, -1):
        stem, rest = key[:length], key[length:]
        if stem in MEDICINE_KEYS and (_is_ending(stem, rest) or (inn and _INN_FORM.fullmatch(rest) is not None)):
            return True
    return False


def _is_ending(key: str, rest: str) -> bool:
    """Is ``rest`` (spelled as keys are, double letters single) what may follow the name ``key`` in a Finnish,
    Swedish or English form: the name's own final vowel or the Finnish linking i (Marevan-i-lla), then a case or
    number ending, then a possessive suffix or clitic (Xareltoni, Marevaniakin)?"""
    if not rest:
        return True
    if (rest[0] == "i" or rest[0] in _FINALS[key]) and _AFTER_VOWEL.fullmatch(rest, 1):
        return True
    return _AFTER_CONSONANT.fullmatch(rest) is not None


_CLITIC = r"(?:ni|si|nsa|nsä|mme|kin|kaan|kään|han|hän|ko|kö)?"
_AFTER_VOWEL = re.compile(
    rf"(?:a|ä|n|t|ta|tä|na|nä|sa|sä|sta|stä|la|lä|lta|ltä|le|ksi|ja|jä|den|en|s){_CLITIC}|{_CLITIC}"
)
# A possessive suffix follows a vowel (Xareltoni, Marevanini): "Cabrini" is no "my Cabrio".
_AFTER_CONSONANT = re.compile(r"(?:s|ta|tä|en|et|er|ar|erna|arna|ens|ets|es)?(?:kin|kaan|kään|han|hän|ko|kö)?")
_INN_FORM = re.compile(r"ine?|ini(?:a|n|t|na|sta|la|lle|ksi)?")


# --- laboratory values and doses ----------------------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNITS = (
    r"mmol/mol|mmol/l|µmol/l|umol/l|μmol/l|nmol/l|pmol/l|mg/dl|mg/l|g/l|µg/l|ug/l|ng/ml|pg/ml|u/l|ky/l|iu/l|"
    r"mm\s?hg|fl|ng/l|mm/h|mg|µg|μg|mcg|ug|mikrog\w*|ky|iu|yksikköä|units|enheter"
)
_LABS = (
    r"hba1c|hb|hemoglobiini\w*|hemoglobin\w*|haemoglobin|kolesteroli\w*|kolesterol\w*|cholesterol|ldl\w*|hdl\w*|"
    r"verensokeri\w*|sokeriarvo\w*|blodsocker\w*|blood sugar|blood glucose|glukoosi\w*|glucose|psa\w*|crp\w*|inr\w*|"
    r"tsh\w*|kreatiniini\w*|kreatinin\w*|creatinine|egfr\w*|ferritiini\w*|ferritin|triglyseridi\w*|triglycerides?|"
    r"verenpaine\w*|blodtryck\w*|blood pressure|bp|saturaatio\w*|happisaturaatio\w*|b12\w*|d-vitamiini\w*|"
    r"vitamin d|d-vitamin\w*|kalium\w*|natrium\w*|potassium|sodium|leukosyyt\w*|trombosyyt\w*|pef\w*|fev1\w*|"
    r"spo2|pulssi\w*|syke|sykkee\w*|raskausviiko\w*|graviditetsveck\w*|leposyke\w*|heart rate|puls\w*|"
    r"ferritin\w*|iron|rauta-arvo\w*|vitamiini\w*|"
    r"sokeri\w*|långtidssocker\w*|socker\w*|sockervärde\w*|sugar levels?|sugars|kidney function|lung function|"
    r"munuaisten toiminta\w*|munuaisarvo\w*|keuhkojen toiminta\w*|njurfunktion\w*|lungfunktion\w*|"
    r"oxygen saturation|oxygen levels?|syremättnad\w*|happiarvo\w*|paino\w*|weight|vikt|vikten|bmi|järn\w*|"
    r"\w+(?:värde|värdet|värden|arvo|arvot|arvoni|arvonsa|arvoja)|njurar\w*|munuaiset|kidneys|silmänpaine\w*|"
    r"ögontryck\w*|eye pressure|luuntiheys|luuntiheyte\w*|bone density|bentäthet\w*|mcv|bnp|nt-probnp|alat|asat|"
    r"kuume\w*|feber|fever|temperature|lämpö\w*|afos|ldh|t4v|t3v|fp-gluk|p-gluk|u-alb|(?:f?[bpsu]|fp|cb|du)-(?:hb|krea|gluk|ferrit|k|na|tsh|t4v|alat|crp|la|pvk|"
    r"kol|ldl|hdl|trigly|alb|b12|folaat|ca|mg)\w*|\w+sokeri\w*|vasta-aine\w*|antibod\w*|antikropp\w*"
)
# "verenpaine oli 170/100", "HbA1c 72 mmol/mol", "my PSA was 8.5", "blodsocker låg på 14 mmol/l",
# "verensokerit ovat olleet 15–20", "my blood sugar is usually around 9": a few words between, not a year.
_LEVEL = (
    r"(?:(?:liian |för |too )?(?:lågt|högt|låg|hög|low|high|matala|korkea)|koholla|alhainen|laskeneet|laskenut|"
    r"nousseet|noussut|huonontuneet|huonontunut|heikentyneet|heikentynyt|gone up|gone down|risen|dropped|fallen|"
    r"stigit|sjunkit|försämrats|alentunut|alentuneet|reduced|rising|falling|nousee|laskee|stiger|sjunker|ökar|"
    r"vaihtelee|vaihtelevat|heittelee|varierar|fluctuates|fluctuating)(?!\w)"
)
_LAB_VALUE = re.compile(
    rf"(?:{_LABS})(?:-\w+)?(?:\s+[^\W\d]+){{0,4}}?\s*[:=]?\s*(?:~\s*)?(?:(?!(?:19|20)\d\d\b){_NUMBER}"
    rf"(?:\s*[–-]\s*{_NUMBER}|/\d{{2,3}})?(?:\s?(?:{_UNITS})(?!\w))?|{_LEVEL})",
    re.I,
)
_UNIT_VALUE = re.compile(rf"(?<![\w,.]){_NUMBER}(?:/\d{{2,3}})?\s?(?:{_UNITS})(?!\w)", re.I)
# A fever said number first: "39,8 asteen kuume", "39 graders feber", "a 39-degree fever".
_FEVER = re.compile(
    r"(?<![\w,.])(?:3[5-9]|4[0-2])(?:[.,]\d)?[\s-]*(?:asteen|astetta|graders?|degrees?|°c?)\s+(?:kuume\w*|feber|fever)",
    re.I,
)
# A value a person measured: "Mittasin aamulla 7,9", "I measured 8.4 this morning", "mätte 7,2".
_MEASURED = re.compile(
    r"(?<!\w)(?:mittasin|mittasi|mittaan|mittaa|mätte|mäter|measured)\s+(?:[^\W\d]+\s+){0,3}?\d+[.,]\d+(?![\d.,])",
    re.I,
)
# A blood pressure on its own: "150/95" (not a date or a score: the first number is the larger, 90-250).
_PRESSURE = re.compile(r"(?<![\w/.,])(\d{2,3})/(\d{2,3})(?![\w/.,]\d)")


_LAB_START_WORDS = (
    "hb hem haem kol chol ldl hdl ver sok blod bloo gluk gluc psa crp inr tsh krea crea egfr ferr trig bp sat "
    "happ b12 d-vi vita kali natr pota sodi leuk trom pef fev spo2 puls syke syk lepo hear lång kidn lung munu "
    "keuh njur sock suga iron raut oxyg syre pain weig rask grav vikt bmi järn silm ögon eye luun bone bent mcv "
    "bnp nt-p "
    "alat asat afos ldh t4v t3v fp-g p-gl u-al kuum febe feve temp lämp b-hb b-pv p-kr p-k p-na s-fe s-ts p-cr "
    "paas vast anti "
)
_LAB_STARTS = tuple(_LAB_START_WORDS.split())
# Values that are no measurement of a person: an average, a target, a limit, a grade, a price.
_NOT_LAB_VALUES = ("keski", "tavoite", "raja", "viite", "arvo", "kokonais", "hinta", "euro", "medel", "mål", "gräns",
                   "referens", "tilastoarvo", "mediaani", "odotusarvo", "arvio")  # fmt: skip
_VALUE_WORDS = ("värde", "värdet", "värden", "arvo", "arvot", "arvoni", "arvonsa", "arvoja")  # järnvärde, maksa-arvot


# A level said before the value's name: "low ferritin", "kohonnut kolesteroli", "förhöjt blodsocker".
_LEVEL_FIRST = frozenset(
    ("low", "high", "raised", "elevated", "matala", "korkea", "kohonnut", "lågt", "högt", "förhöjt")
)
_LEVEL_LAB = re.compile(rf"\w+\s+(?:{_LABS})(?!\w)", re.I)


def measurements(text: str, tokens: list[Token]) -> list[Span]:
    spans = []
    for start, _, word in tokens:
        if word.casefold() in _LEVEL_FIRST and (m := _LEVEL_LAB.match(text, start)):
            spans.append((m.start(), m.end(), Detail.MEASUREMENT))
        folded = word.casefold()
        named = folded[:4].startswith(_LAB_STARTS) or (
            folded.endswith(_VALUE_WORDS) and not folded.startswith(_NOT_LAB_VALUES)
        )
        if named and (m := _LAB_VALUE.match(text, start)):
            spans.append((m.start(), m.end(), Detail.MEASUREMENT))
    spans += [(m.start(), m.end(), Detail.MEASUREMENT) for m in _UNIT_VALUE.finditer(text)]
    spans += [(m.start(), m.end(), Detail.MEASUREMENT) for m in _FEVER.finditer(text)]
    spans += [(m.start(), m.end(), Detail.MEASUREMENT) for m in _MEASURED.finditer(text)]
    for m in _PRESSURE.finditer(text):
        high, low = int(m.group(1)), int(m.group(2))
        if 90 <= high <= 250 and 40 <= low < high:
            spans.append((m.start(), m.end(), Detail.MEASUREMENT))
    return spans


# --- procedures and devices ---------------------------------------------------------------------------------

# Anywhere in a word (mastektomia, polvileikkaus, gastroskopia, sydämentahdistin) or only at its start (stent, not
# konsistent; stoma, not stomach; protes-, not protest).
_PROCEDURE_PART_WORDS = (
    "ektomi ectomy ectomies otomi otomy ostomi ostomy plastia plastik plasty skopia skopi scopy bypass leikkau "
    "operation tähysty transplant siirtoleikkau infuusio infusion "
)
_PROCEDURE_PART = re.compile(trie_pattern(_PROCEDURE_PART_WORDS.split()))
_DEVICE_PART_WORDS = (
    "tahdistin tahdistim stentti implantti implantat korvaistute korvaistutte insuliinipump insulinpump "
    "defibrillaattori proteesi happirikastin kuulokoje kuulolait hörapparat sensori stimulaattori stimulator "
    "valvuri dreeni dränage tärykalvoputk "
)
_DEVICE_PART = re.compile(trie_pattern(_DEVICE_PART_WORDS.split()))
_DEVICE_START = re.compile(
    r"(?:icd$|pacemaker|cpap|stent(?:s|en|ar|ti)?$|implant|defibrillator|prosthe|protes(?:en|er)?$|stomi|stoma(?!ch)|"
    r"avan(?:ne|tee)|sensor(?:s|n|er)?$)"
)


_PROSTHESES = ("protes", "protesen", "proteser", "proteserna")  # höftprotes, knäprotesen


def procedures(tokens: list[Token]) -> list[Span]:
    spans = []
    for start, end, word in tokens:
        w = word.casefold()
        if _DEVICE_PART.search(w) or _DEVICE_START.match(w) or w.endswith(_PROSTHESES):
            spans.append((start, end, Detail.DEVICE))
        elif _PROCEDURE_PART.search(w):
            spans.append((start, end, Detail.PROCEDURE))
    return spans


# --- what a lexicon term is ---------------------------------------------------------------------------------

_MEDICINE_CUES = re.compile(
    r"lääk|medic|medicin|insulin|insuliin|pill|tablet|antibio|statiin|statin|opioid|morfi|morphin|metformi|"
    r"varfarii|warfarin|marevan|kortison|antidepress|painkiller|oksikodon|buprenorf|metado|methado|cytostat|"
    r"sytostaat|solunsalpaa|cellgift|läkemedel|thinner|blodförtunn|anticoagul|verenohenn"
)
_PROCEDURE_CUES = re.compile(
    r"leikka|operat|surger|hoit|therap|terapi|dialy|biops|biopsi|koepala|tähysty|magneet|röntgen|replacement|"
    r"bypass|ectom|ektom|kemo|chemo|strålbeh|behandling|treatment|pallolaajen|angioplast|kuntoutu|infu|transfu|"
    r"verensiirto|ablaati|ablation|kardioversio|cardioversion|amputa"
)
_DEVICE_CUES = re.compile(
    r"tahdistin|pacemaker|pump|cpap|stent|implant|tekonivel|avan|stomi|stoma|colostomy|kuulo|hearing aid|"
    r"hörapparat|sensor|insulin pen|insuliinikyn|katetri|kateter|catheter"
)


def detail_of(term: str) -> Detail:
    """The kind of detail a lexicon term names: a medicine, a device, a procedure or treatment, else a diagnosis."""
    t = term.casefold()
    if _DEVICE_CUES.search(t):
        return Detail.DEVICE
    if _MEDICINE_CUES.search(t):
        return Detail.MEDICINE
    if _PROCEDURE_CUES.search(t):
        return Detail.PROCEDURE
    return Detail.DIAGNOSIS
