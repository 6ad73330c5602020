"""Words shaped like a health detail when a person is named: keuhkoveritulppa, appendicitis, nivelpsoriaasi,
Crohnin tauti, nesteenpoistolääke, immunoterapia, kohdunpoisto, "käy psykiatrilla".

Pure; ``domain.privacy_detectors`` runs ``medical_looking`` on the sentences that name someone.
"""

from __future__ import annotations

import re

from domain.privacy_measures import Detail, Span
from domain.privacy_spelling import trie_pattern

# Unknown words that look like a diagnosis by how they end; counted only where a person is named.
_MEDICAL_PART_WORDS = (
    "tulehdu tulehdus murtum infektio tauti taudi sairau vamm veritulp tukos ahtaum vajaatoimin allergi ihottum "
    "iitti iiti oosi itis osis sjukdom inflammation infektion svikt artrit syndrom syndrooma oireyhtymä apnea "
    "apnoea apné fibrillation arrhythmi arytmi polyyp polyp kysta cyst ruusu "
    "emboli flimmer förstoring blödning propp förkalkning tumör laajentuma suurentuma liikakasvu "
    "häiriö "
    "potilas potilaana "
    "alenema alenemaa nedsättning "
)
_MEDICAL_PART = re.compile(trie_pattern(_MEDICAL_PART_WORDS.split()))
# Compounds that name a medicine or a treatment by their head: nesteenpoistolääke, immunoterapia, adrenaliinikynä.
_MEDICINE_HEAD = re.compile(
    r"\w{3,}(?:lääke|lääkk|lääket|medicin|tabletti|tablett|kynä|kynän|kynää|poistaja|poistajaa|estäjä|salpaaja|"
    r"pistos|pistok|piikki|piikit|injektio)\w*"
)
# Allergies, said of a person: allerginen pähkinöille, allergic to penicillin, allergisk mot nötter.
_ALLERGY = re.compile(r"allergi\w*|allergy|allergies|korona\w*|covid\w*|influenssa\w*", re.I)  # and infections
# Seeing a specialist, said of a person: "käy psykiatrilla", "sees an oncologist".
_SPECIALIST = re.compile(
    r"(?:psykiatr|psychiatr|onkolog|oncolog|kardiolog|cardiolog|neurolog|reumatolog|rheumatolog|endokrinolog|"
    r"endocrinolog|urolog|gynekolog|gynaecolog|gynecolog|hematolog|haematolog|nefrolog|nephrolog)\w*"
)
# Compounds that name a removal or an imaging of the body: kohdunpoisto, varjoainekuvaus.
_BODY_PROCEDURE = re.compile(
    r"\w{3,}n?poisto\w*|\w{3,}nsiir(?:to|ro)\w*|(?:varjoaine|magneetti|tietokone|keuhko|sydän|ultraääni|isotooppi|luusto|aivo|thorax)"
    r"kuva\w*|[\w-]+-toimenpi\w*|\w{3,}behandling\w*|\w*tomografi\w*|\w*ultraääni\w*|\w*röntgen\w*|\w*rekonstrukti\w*|reconstruction"
)
_THERAPY = re.compile(r"(?:immuno|immun|puhe|hormoni|säde|kemo|biologi\w*|syto|lääke)(?:terapi\w*|therapy)")
# Two-word diagnoses and procedures: "kilpirauhasen vajaatoiminta", "välilevyn pullistuma", "eturauhasen poisto",
# "Crohn's disease", "Parkinsons sjukdom", "ranteensa murtui", "broke her hip".
_MEDICAL_PHRASE = re.compile(
    r"(?<!\w)(?:\w+n\s+(?:vajaatoimin|liikatoimin|tulehdu|murtum|syöp|syöv|kasvai|pullistum|rappeum|repeämä|"
    r"revähdy|ahtaum|\w*vika|\w*vian|\w*viat)\w*|"
    r"[A-ZÅÄÖ]\w+(?:n|'s|s|s')\s+(?:tau\w+|disease|sjukdom\w*|syndrom\w*|syndroom\w*|oireyhtymä\w*)|"
    r"(?:\w+\s+){1,2}(?:syndrome|syndrom|oireyhtymä\w*)|"
    r"\w+(?:poliklinika?n|klinikan|mottagningen|clinic)\s+(?:asiakkaana|potilaana|asiakas|potilas|patient)|"
    r"\w+\s+(?:murtui|murtunut|murtuivat|katkesi)|"
    r"(?:broke|broken|fractured)\s+(?:his|her|my|their)?\s*(?:hip|arm|leg|wrist|ankle|shoulder|back)|"
    r"bröt\s+(?:\w+\s+)?(?:armen|benet|höften|handleden|foten))(?!\w)"
)
_PROCEDURE_PHRASE = re.compile(
    r"(?<!\w)\w+n\s+(?:poisto|poistoleikkau|siirto|korjausleikkau|tähystys|tähystyk)\w*(?!\w)"
)
_PHRASE_HINTS = (
    "syndroom",
    "vika",
    "vian",
    "viat",
    "poliklinik",
    "klinikan",
    "mottagningen",
    "clinic","vajaatoimin", "liikatoimin", "tulehdu", "murtu", "syöp", "syöv", "kasvai", "tau", "disease",
                 "sjukdom", "syndrom", "oireyhtymä", "pullistum", "rappeum", "repeämä", "revähdy", "ahtaum",
                 "katkesi", "broke", "fractured", "bröt")  # fmt: skip
_PROCEDURE_HINTS = ("poisto", "siirto", "korjausleikkau", "tähysty")


_RESULTS = re.compile(r"\w*(?:laboratorio|veri|koe|testi|labra)tulo\w*|\w*provsvar\w*|\w*provresultat\w*")


# A person named by a condition: keliaakikko, astmaatikko, epileptikko, allergikko, diabetiker, asthmatic.
_PATIENT_NOUN = re.compile(
    r"(?:keliaak|astmaatik|epileptik|allergik|reumaatik|migreenik|diabetiker|astmatiker|epileptiker|allergiker|"
    r"asthmatic|epileptic|diabetic|coeliac|celiac)\w*"
)


def _shaped(w: str) -> Detail | None:
    """The kind of detail a word is shaped like, if any (``w`` in lower case)."""
    if _PATIENT_NOUN.fullmatch(w):
        return Detail.DIAGNOSIS
    if _RESULTS.fullmatch(w):  # laboratoriotulokseni, provsvaret: a person's results
        return Detail.MEASUREMENT
    part = _MEDICAL_PART.search(w, 2)
    if part and (not w.endswith(("ing", "ings")) or part.group().endswith("ing")):  # not "choosing"
        return Detail.DIAGNOSIS
    if _ALLERGY.fullmatch(w):
        return Detail.DIAGNOSIS
    if _MEDICINE_HEAD.fullmatch(w):
        return Detail.MEDICINE
    if _THERAPY.fullmatch(w) or _BODY_PROCEDURE.fullmatch(w) or _SPECIALIST.fullmatch(w):
        return Detail.PROCEDURE
    return None


def medical_looking(sentence: str, offset: int, tokens: list[tuple[int, int, str]]) -> list[Span]:
    """Words shaped like a diagnosis (keuhkoveritulppa, appendicitis, nivelpsoriaasi, Crohnin tauti); ``tokens``
    are the sentence's words with their places in the text."""
    found: list[Span] = []
    for start, end, word in tokens:
        if detail := _shaped(word.casefold()):
            found.append((start, end, detail))
    folded = sentence.casefold()
    if any(hint in folded for hint in _PHRASE_HINTS):
        found += [(offset + m.start(), offset + m.end(), Detail.DIAGNOSIS) for m in _MEDICAL_PHRASE.finditer(sentence)]
    if any(hint in folded for hint in _PROCEDURE_HINTS):
        found += [
            (offset + m.start(), offset + m.end(), Detail.PROCEDURE) for m in _PROCEDURE_PHRASE.finditer(sentence)
        ]
    return found
