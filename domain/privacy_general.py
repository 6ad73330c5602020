"""General talk about diseases and services, which is no disclosure: groups of patients ("people with asthma",
"diabetesta sairastavat"), services named after a disease ("the diabetes nurse"), statements about people in general.

Pure; ``domain.privacy_detectors`` asks ``is_general`` about each health span.
"""

from __future__ import annotations

import re

# A term right before one of these names a group or a service ("diabetesta sairastavat", "the diabetes nurse").
_GROUP_AFTER = re.compile(
    r"[\s-]*(?:sairastav(?:at|ien|ille|ia|iin|illa|ilta|ista)|sairastaneet|potevat|kärsivät|kärsivien|kärsiville|"
    r"sairastuneiden|sairastuneet|sairastuneille|sairastuneita|"
    r"kärsiviä|olevien|olevat|oleville|olevia|survivors'?|överlevare|selviytyjä\w*|"
    r"patients|sufferers|nurses?|clinics?|services?|society|societies|association|unit|ward|team|groups?|"
    r"symptoms?|signs|oireet|oireita|oireiden|symtom\w*|waiting|wait|jono\w*|queue\w*|köer|köerna|kö|"
    r"assessments?|utredning\w*|testing|users|käyttäjät|käyttäjille|käyttäjien|användare|support|tuki|tukea|stöd|stödet|equipment|utrustning\w*|"
    r"väntetid\w*|väntelist\w*|odotusaj\w*|"
    r"awareness|screening|research|campaigns?|guidelines|programmes?|programs?|prevention|drugs|medicines|"
    r"rehabilitation|rehabilitering\w*|kuntoutukse\w*|care|"
    r"patienter(?:na)?|mottagning\w*|sköterska\w*|förbund\w*|förening\w*|-?friendly|-?ystävälli\w*|-?vänlig\w*|"
    r"-\s+(?:och|ja|tai|and|eller)\s+\w*(?:förbund|liit|järjest|yhdisty|fören|societ|associat|federat)\w*|"
    r"\s+(?:and|och|ja)\s+\w+\s+(?:association|society|federation|förbund\w*|liit\w*|järjest\w*)|"
    r"\s+\w+\s+(?:nurses?|clinics?|services?|society|association|unit|ward|team|groups?|programmes?|"
    r"campaigns?|guidelines|homes?|units?|wards?|teams?|lists?)|"
    r"\s+\w*(?:palvelu|hoitaja|vastaanot|poliklinik|mottagning|tjänst|boende|neuvon|yksikk)\w*)(?!\w)",
    re.I,
)
# A term right after one of these belongs to a group ("people with asthma", "personer med diabetes").
_GROUP_BEFORE = re.compile(
    r"(?<!\w)(?:people|persons|patients|children|adults|those|anyone|everyone|families|residents|members|many|"
    r"personer|patienter|barn|de|alla|äldre|människor|många)\s+(?:living\s+)?(?:with|who have|who has|med|"
    r"som har|som lider av)\s+(?:\w+\s+)?(?:\w+\s+(?:och|and|eller|or)\s+)?$|"
    r"(?<!\w)(?:joilla|joille|joita|jotka)\s+(?:on\s+)?(?:\w+\s+)?$|"
    r"(?<!\w)(?:about|om|kring|tietoa|information|info|ehkäistä|förebygga|prevent|preventing)\s+$",
    re.I,
)
# Sentence-level signs of talk about people in general; they count only when no person is named.
_GENERAL = re.compile(
    r"(?<!\w)(?:ehkäi\w*|ennaltaehkäi\w*|förebygg\w*|prevent\w*|yleisellä tasolla|in general|generellt|"
    r"yleis\w+|lisääntyy|kasvaa|vanligare|vanlig|common|increasing|suomessa|sverige|finland|maailmassa|"
    r"väestö\w*|population|kansan\w*|tutkimu\w*|research|studies|study|miten|kuinka|how|hur|"
    r"vähentää|vähentämi\w*|reduce|reducing|minska\w*|kunta|kunnan|kommun\w*|council|municipality|"
    r"hyvinvointialue\w*|sote-alue\w*|region\w*|hinta\w*|hinnat|price\w*|pris|priset|kustannu\w*|costs?|saatavuu\w*|"
    r"\w*pula|\w*pulaa|shortages?|brist\w*|korvau\w*|reimburs\w*|subvention\w*|rokot\w*|vaccin\w*|"
    r"tavoite\w*|target\w*|viitearvo\w*|referens\w*|reference|suositu\w*|recommend\w*|rekommend\w*|normaali\w*|"
    r"yleensä|usually|vanligtvis|kalli\w*|expensive|dyr|dyra|seurataan|monitored|följs|tehdään|görs|done|"
    r"tarkoitet\w*|intended|avsedd\w*|huolto\w*|maintenance|underhåll\w*|pitäisi|should|borde|mielestäni|"
    r"minusta|toivoisin|toivon|ehdotan|think|suggest|opinion|tycker|föreslår|önskar|tarvitaan|tarvittaisiin|"
    r"needed|behövs|lisää|enemmän|koulutu\w*|koulute\w*|palautteen|feedback|valmistautumi\w*|preparing|förbered\w*|förändrat|changed|muuttanut|affects|training|utbildning\w*|tunnistami\w*|recogni\w*|kasvanut|"
    r"\w*suositu\w*|\w*rekommendation\w*|lånas|lainaan|lainataan|loaned|lent|\w*hjälpmedel\w*|"
    r"\w*apuväline\w*|paikko\w*|platser|waiting lists?|kräver|vaatii|requires|often|ofta|usein|frequently|"
    r"rarely|harvoin|sällan|undiagnosed|opereras|leikataan|oftare|useammin|drabbar|must|måste|täytyy|"
    r"normal|normala|normalt|siirtyy|siirtyvät|siirretään|flyttar|moves|moving|tiloihin|lokaler|risk|risks|riski\w*|risken|neuvoo|neuvotaan|sköter|hoitaa|advises|myydään|myy|säljs|sold|sells|loppunut|loppui|slut|vanligt|vanliga|redesign\w*|uudistet\w*|replaced|"
    r"korvannut|ersatt|paikoin|toivottiin|toivotaan|kysyttiin|kysytään|ehdotettiin|ehdotetaan|önskades|önskas|"
    r"efterfrågades|föreslogs|was requested|were requested|was asked|were asked|"
    r"määrä\w*|antal\w*|number of|amount|available|"
    r"saatavilla|tarjolla|"
    r"tillgänglig\w*|"
    r"suomalai\w*|finländare|finns|ihmis\w*|människor|people|potilai\w*|potilaat|patienter|patients|"
    r"palvelu\w*|service\w*|tjänst\w*|jono(?!tettiin)\w*|köer|queue\w*|waiting times?|väntetid\w*|"
    r"liittyv\w*|ohjaus\w*|ohjausta|related to|relaterad\w*|"
    r"moni|monet|monelle|många|many|several|useat|kaikki|alla|everyone|äldre|ikäihmis\w*|iäkkä\w*|nuorilla|"
    r"nuorten|unga|young people|lapsilla|children)(?!\w)",
    re.I,
)


def _word_end(text: str, end: int) -> int:
    while end < len(text) and text[end].isalnum():
        end += 1
    return end


# A word that itself names a group of patients: diabeetikot, reumapotilaat, muistisairaiden, asthmatics.
_GROUP_WORD = re.compile(
    r"\w*(?:sairaudet|sairauksien|sairauksiin|sairauksista|sairauksia|taudit|tautien|tauteja|syövät|syöpien|"
    r"diseases|conditions|sjukdomar|sjukdomarna|vammaiset|vammaisten|vammaisille|vammaisia|potilaat|potilaiden|potilaille|potilaita|potilaiksi|sairaat|sairaiden|sairaille|sairaita|diabeetikot|"
    r"diabeetikoiden|diabeetikoille|diabeetikoita|astmaatikot|astmaatikoiden|astmaatikoille|patients|diabetics|"
    r"asthmatics|sufferers|patienter|patienterna|diabetikerna)",
    re.I,
)


# The first half of a compound written once for two: "Astma- ja allergialiitto", "astma- och allergiförbundet".
_HALF_COMPOUND = re.compile(r"-\s+(?:ja|och|and|tai|eller)\s+([\w-]+)")
_SERVICE_HALF = re.compile(
    r"liit|järjest|yhdisty|förbund|fören|oireis|päiv|dag|koulu|skola|ryhmä|grupp|mottagning|vastaanot|hoitaja|"
    r"sköterska|poliklinik|keskus|central|palvelu|tjänst|society|association"
)
_FRIENDLY = re.compile(r"-(?:friendly|ystävälli|vänlig)", re.I)  # dementia-friendly, muistisairausystävällinen


# Procedures and medicines in the plural are talk about a service when no one is named: kaihileikkauksia tehdään,
# höftoperationer görs, hip replacements are done, syöpälääkkeet ovat kalliita.
_PLURAL = re.compile(
    r"\w*(?:kset|ksia|ksien|ksiin|kkeet|kkeitä|kkeiden|kkeille|hoidot|hoitoja|tabletit|tabletteja|ationer|"
    r"ationerna|ations|eries|ments|plants|drugs|medicines|medications|usten|laitteet|laitteita|laitteiden|apparater|"
    r"devices|machines|proteser|proteesit|proteeseja|kojeet|kojeiden|kojeita|haavojen|haavat|haavoja)",
    re.I,
)


# A diagnosis said of a thing, as a figure of speech: "projekti on ollut yhtä migreeniä", "ihan sydänkohtaus".
_FIGURATIVE = re.compile(r"(?<!\w)(?:ihan|aivan|yhtä|pelkkää|täyttä|täydellinen|a total|a complete|en ren)\s+$", re.I)


def is_general(text: str, start: int, end: int, *, sentence: str, person: bool) -> bool:
    """Is the term at ``start:end`` general talk: a group, a service named after it, or a sentence about people in
    general that names no one?"""
    if _GROUP_AFTER.match(text, end) or _GROUP_BEFORE.search(text[max(0, start - 40) : start]):
        return True
    if (half := _HALF_COMPOUND.match(text, end)) and (
        _SERVICE_HALF.search(half.group(1).casefold()) or _GROUP_AFTER.match(text, half.end())
    ):
        return True  # "Astma- ja allergiaoireisten lasten ...": the second half says what the compound is
    if _GROUP_WORD.fullmatch(text, start, _word_end(text, end)) or _FRIENDLY.search(text, start, _word_end(text, end)):
        return True
    if person:
        return False
    if _FIGURATIVE.search(text[max(0, start - 30) : start]):
        return True  # "Tilanne on ihan sydänkohtaus", "yhtä migreeniä": said of a thing
    return _PLURAL.fullmatch(text, start, _word_end(text, end)) is not None or _GENERAL.search(sentence) is not None
