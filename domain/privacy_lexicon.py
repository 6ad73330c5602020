"""The health lexicon of the privacy guard: diagnoses, medications and procedures in Finnish, Swedish, English.

Data only; ``domain.privacy_detectors`` decides how a word matches. All entries are lower case.
"""

from __future__ import annotations

# Finnish stems: a word that begins with one counts, whatever case ending or compound follows
# (diabetes, diabeteksen, diabetekseen; masennus, masennukseen; syöpä, syövän, syöpään).
# Consonant gradation gives some words two stems (syöpä/syövä, leikkaus/leikkauks-).
FI_STEMS: tuple[str, ...] = (
    "diabete", "diabeetik", "sokeritau", "masennu", "masentunei", "insuliini", "leikkau", "syöpä", "syövä",
    "syöpi", "syövi", "kasvain", "kasvaime", "kasvaimi", "astma", "dementi", "muistisairau", "alzheimer",
    "parkinson", "aivoinfarkt", "aivoverenvuo", "aivohalvau", "sydäninfarkt", "sydänkohtau", "sydänsairau",
    "verenpainetau", "verenpainetaud", "verenpainelääk", "keuhkoahtaumatau", "epilepsi", "skitsofreni",
    "kaksisuuntai", "mielialahäiriö", "ahdistuneisuushäiriö", "paniikkihäiriö", "syömishäiriö", "anoreksi",
    "bulimi", "autismi", "autistis", "reuma", "nivelreuma", "nivelrik", "artroosi", "kihti", "hepatiit",
    "keliakia", "psoriaasi", "kemoterapi", "solunsalpaaj", "sytostaat", "sädehoi", "dialyysi", "tähystyk",
    "tähystys", "koepala", "biopsi", "magneettikuv", "tekonivel", "masennuslääk", "mielialalääk",
    "antidepressant", "unilääk", "kipulääk", "psyykenlääk", "kolesterolilääk", "lääkitys", "lääkityk",
    "metformiini", "varfariini", "marevan", "opioid", "morfiini", "oksikodon", "buprenorfiini", "metadoni",
    "korvaushoi", "alkoholismi", "alkoholiriippuvu", "päihderiippuvu", "huumeriippuvu", "psykoosi",
    "psykoott", "keskenmeno", "keskenmenoo", "abortt", "raskaudenkeskeyty", "aivovamma", "selkäydinvamma",
    "keuhkokuume", "sepelvaltimotau", "eteisvärinä", "statiini", "kortisoni", "antibioot", "migreeni",
    "uniapnea", "fibromyalgi", "endometrioosi", "mielenterveyshäiriö", "kemohoi", "sytostaattihoi",
    "ohitusleikkau", "pallolaajennu", "sydänkuntoutu", "sydäntahdistin", "kaihileikkau", "avanne",
    "avanteen", "avanteess",
    "munuaisten vajaatoimin", "syöpähoi", "sädehoido", "insuliinipump", "afasi", "ms-tau", "hiv-",
)  # fmt: skip

# Heads that also count at the end of a Finnish or Swedish compound (rintasyöpä, polvileikkaus, bröstcancer).
TAILS: tuple[str, ...] = (
    "syöpä", "syövä", "syöpi", "syövi", "leikkau", "diabete", "infarkt", "kasvain", "kasvaime", "reuma",
    "lääkitys", "lääkityk", "cancer", "operation",
)  # fmt: skip

# First parts that turn a compound head into something else: budget cuts, haircuts, a technical fault.
NOT_MEDICAL: tuple[str, ...] = (
    "säästö", "budjetti", "meno", "määräraha", "palkka", "hius", "hiusten", "nurmikon", "kustannus", "rahoitus",
    "palvelu", "resurssi", "vero", "tuki", "hinta", "tekninen", "teknine", "yhteys", "sähkö", "verkko",
    "järjestelmä", "kansan", "tarttuva", "tarttuvi", "lasten", "eläin", "kasvi", "kasvien", "jakelu", "liikenne",
    "toiminnan", "kone", "tieto", "äänen", "kuva", "yhteistyö", "kampanja", "mainos", "kriisi",
)  # fmt: skip

# Generic heads that count at a compound's end only after one of these first parts (sydäntauti, mielialahäiriö).
GENERIC_TAILS: tuple[str, ...] = ("tauti", "taudi", "häiriö")
GENERIC_TAIL_PREFIXES: tuple[str, ...] = (
    "sydän", "sokeri", "keuhko", "keuhkoahtauma", "maksa", "munuais", "kilpirauhas", "sepelvaltimo", "mieliala",
    "ahdistuneisuus", "paniikki", "syömis", "persoonallisuus", "uni", "keskittymis", "tarkkaavaisuus", "verenpaine",
    "alzheimerin", "parkinsonin", "ms-", "crohnin", "nivel", "autoimmuuni", "aineenvaihdunta", "rytmi",
)  # fmt: skip

# Compound parts that make the word general talk about services, not a person's health:
# diabeteshoitaja, syöpäjärjestö, leikkausjono, astmaohjeet.
SERVICE_PARTS: tuple[str, ...] = (
    "hoitaja", "vastaanot", "poliklinik", "neuvol", "yhdisty", "liito", "liitt", "järjestö", "ryhmä", "palvelu",
    "ohje", "kurssi", "luento", "seulon", "sairaala", "keskus", "kampanja", "viikko", "päivä", "sali", "jono",
    "tiimi", "osasto", "tutkimu", "opas", "oppa", "esite", "esitte", "valistu", "koulutu", "asiantuntij",
    "sivu", "mottagning", "förening", "skötare", "sköterska", "guide", "kö",
)  # fmt: skip

# Swedish and English words: the stem plus one of ENDINGS (plural, definite form, genitive).
WORDS: tuple[str, ...] = (
    # Swedish
    "diabetes", "diabetiker", "depression", "insulin", "operationen", "operationer", "cancer", "cancern",
    "tumör", "astma",
    "demens", "stroke", "hjärtinfarkt", "hjärnblödning", "epilepsi", "schizofreni", "reumatism", "artros",
    "cellgift", "cellgifter", "cytostatika", "strålbehandling", "dialys", "kemoterapi", "antidepressiva",
    "blodtrycksmedicin", "sömnmedicin", "magnetröntgen", "biopsi", "missfall", "abort", "psykos", "bipolär",
    "ångestsyndrom", "ätstörning", "hepatit", "höftoperation", "knäoperation", "bypassoperation", "demenssjukdom",
    "alzheimers", "parkinsons", "hjärtsvikt", "lunginflammation", "njursvikt", "morfin", "opioider", "reuma",
    "ledgångsreumatism", "bröstcancer", "prostatacancer", "tjocktarmscancer", "lungcancer", "hudcancer",
    # English
    "diabetic", "insulin", "surgery", "surgeries", "tumour", "tumor", "chemotherapy", "chemo", "radiotherapy",
    "asthma", "dementia", "alzheimer", "parkinson", "strokes", "epilepsy", "seizure", "schizophrenia",
    "anorexia", "bulimia", "arthritis", "rheumatism", "hypertension", "dialysis", "biopsy", "biopsies",
    "antidepressant", "antibiotic", "metformin", "warfarin", "statin", "opioid", "morphine", "methadone",
    "painkiller", "miscarriage", "abortion", "psychosis", "psychoses", "hepatitis", "autism", "alcoholism",
    "migraine", "pneumonia", "leukaemia", "leukemia", "lymphoma", "mastectomy", "hysterectomy", "colostomy",
    "angioplasty", "pacemaker", "osteoporosis", "cirrhosis", "endometriosis", "fibromyalgia", "psoriasis",
)  # fmt: skip
ENDINGS: tuple[str, ...] = ("", "s", "es", "'s", "n", "en", "et", "er", "erna", "ar", "arna", "na")

# Abbreviations that count as whole words only; Finnish inflects them after a colon (ADHD:n, HIV:tä).
ABBREVIATIONS: tuple[str, ...] = ("adhd", "hiv", "aids", "copd", "ibs", "ptsd", "ocd")

# Multi-word terms (regular expressions, matched case-insensitively on word boundaries).
PHRASES: tuple[str, ...] = (
    r"heart attacks?", r"heart failure", r"bipolar disorders?", r"eating disorders?", r"anxiety disorders?",
    r"panic disorders?", r"multiple sclerosis", r"hip replacements?", r"knee replacements?", r"sleeping pills?",
    r"blood pressure (?:medication|medicine|pills?|tablets?)", r"radiation therapy", r"high blood pressure",
    r"type [12] diabetes", r"bypass surgery", r"kidney failure", r"breast cancer", r"prostate cancer",
    r"alzheimerin tau\w*", r"parkinsonin tau\w*", r"sydämen vajaatoimin\w*", r"munuaisten vajaatoimin\w*",
    r"kohonn\w* verenpain\w*", r"korkea\w* verenpain\w*", r"tyypin [12] diabet\w*", r"typ [12]-diabetes",
    r"högt blodtryck\w*", r"multipel skleros\w*", r"cancer treatment", r"depression medication",
)  # fmt: skip
