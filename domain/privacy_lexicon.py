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
    # issue 18: diagnoses, procedures and devices the first list did not hold
    "glaukoom", "silmänpainetau", "osteoporoo", "luukato", "anemi", "sepsi", "verenmyrky", "vyöruusu", "ekseema",
    "atooppi", "mahahaava", "koliitti", "divertikuliit", "umpilisäkkeentulehd", "tuberkuloo", "melanoom",
    "sarkoom", "myeloom", "lymfoom", "leukemi", "polyyp", "aneurysm", "valtimopullistum", "veritulp",
    "laskimotukok", "aivotärähdy", "iskias", "skolioo", "nivustyrä", "sappikivi", "munuaiskivi", "inkontinens",
    "virtsankarkailu", "lapsettomuu", "narkolepsi", "emfyseema", "keuhkoputkentulehd", "struuma", "rytmihäiriö",
    "takykardi", "neuropati", "retinopati", "lukihäiriö", "kehitysvamma", "hemofili", "kystinen fibroo",
    "selkärankareuma", "jännetulehd", "tinnitu", "työuupumu", "pakko-oireinen", "yliannostu", "nielurisatulehd",
    "infuusio", "verensiirto", "transfuusio", "ablaatio", "kardioversio", "amputaatio", "amputoi", "kuulokoje",
    "kuulokojee", "kuulolaite", "kuulolaitteen", "kuulolaitteet", "insuliinikyn", "katetri", "nivelpsoriaasi",
    "psoriaasi", "haimatulehd", "sappirakontulehd", "munuaistulehd", "virtsatietulehd", "keuhkoveritulp",
    "eteisvärin", "kaihi", "harmaakaih", "refluksi", "masentun", "tyrä", "saattohoi", "sairauslom", "happihoi",
    "nitro", "sydänvalvon", "jalkahaav", "painehaav", "makuuhaav", "änkyty", "tehohoido", "teho-osastol", "mammografi",
    "päihdekuntoutu", "katkaisuhoi", "salpaaj", "ehkäisypill",
    "peräpukam", "verensiir",
    "muistisairas", "kotihap", "anafylak",
    "hormonihoi", "immuunihoi", "insulin",
    "nielemisvaikeu", "hengitysvaikeu", "kävelyvaikeu", "muistivaikeu", "puhevaikeu",
    "kohdunulkoi", "paniikkikohtau",
    "psykoterap", "kipsi", "kipsin", "kipsiä", "kilpirauhassyöp", "lonkkamurtum", "rannemurtum",
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
    "alzheimerin", "parkinsonin", "ms-", "crohnin", "nivel", "autoimmuuni", "aineenvaihdunta", "rytmi", "puhe",
    "oppimis", "kehitys", "kielellinen", "käytös", "ahmimis",
)  # fmt: skip

# Compound parts that make the word general talk about services, not a person's health:
# diabeteshoitaja, syöpäjärjestö, leikkausjono, astmaohjeet.
SERVICE_PARTS: tuple[str, ...] = (
    "hoitaja", "vastaanot", "poliklinik", "neuvol", "yhdisty", "liito", "liitt", "järjestö", "ryhmä", "palvelu",
    "ohje", "kurssi", "luento", "seulon", "sairaala", "keskus", "kampanja", "viikko", "päivä", "sali", "jono",
    "tiimi", "osasto", "tutkimu", "opas", "oppa", "esite", "esitte", "valistu", "koulutu", "asiantuntij",
    "sivu", "mottagning", "förening", "skötare", "sköterska", "guide", "kö",
    "förbund", "liitto", "liiton", "yksikk", "ystävälli", "tarvik", "koordinaat", "klinik", "mottagn", "enhet",
    "avdelning", "sällskap", "viikko", "kampanj", "neuvon", "linja", "puhelin", "info", "koulu", "skola", "school",
    "leiri", "läger", "dag", "rokot", "vaccin",
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
    # issue 18: English and Swedish forms the first list did not hold
    "coeliac", "celiac", "lupus", "gout", "glaucoma", "cataract", "cataracts", "sclerosis", "angina", "anaemia",
    "anemia", "sepsis", "shingles", "tinnitus", "eczema", "ulcer", "ulcers", "colitis", "crohn's", "crohns",
    "diverticulitis", "appendicitis", "tuberculosis", "melanoma", "sarcoma", "carcinoma", "myeloma", "glioma",
    "polyp", "polyps", "cyst", "aneurysm", "thrombosis", "embolism", "concussion", "sciatica", "scoliosis",
    "hernia", "gallstones", "incontinence", "infertility", "insomnia", "narcolepsy", "apnoea", "apnea",
    "emphysema", "bronchitis", "obesity", "hypothyroidism", "hyperthyroidism", "arrhythmia", "fibrillation",
    "tachycardia", "cardiomyopathy", "neuropathy", "retinopathy", "dyslexia", "haemophilia", "hemophilia",
    "osteoarthritis", "spondylitis", "tendinitis", "delirium", "overdose", "tonsillitis", "pancreatitis",
    "ketoacidosis", "infusion", "infusions", "transfusion", "ablation", "cardioversion", "amputation",
    "catheter", "stent", "stents", "seizures", "concussions",
    "celiaki", "gikt", "glaukom", "benskörhet", "osteoporos", "kärlkramp", "blodbrist", "anemi", "bältros",
    "eksem", "magsår", "kolit", "divertikulit", "blindtarmsinflammation", "tuberkulos", "melanom", "sarkom",
    "myelom", "lymfom", "leukemi", "polyp", "polyper", "cysta", "trombos", "blodpropp", "hjärnskakning",
    "ischias", "skolios", "bråck", "gallsten", "njursten", "inkontinens", "infertilitet", "sömnapné", "emfysem",
    "bronkit", "fetma", "hypotyreos", "hypertyreos", "struma", "arytmi", "förmaksflimmer", "takykardi",
    "neuropati", "retinopati", "dyslexi", "utmattningssyndrom", "anorexi", "bulimi", "hjärninfarkt", "psoriasis",
    "tinnitus", "hjärtsvikten", "cytostatika", "kateter", "transfusion", "infusion", "ablation", "amputation",
    "hörapparat", "hörapparater", "hörapparaten", "starr", "höftbrott", "benbrott", "lårbensbrott", "armbrott",
    "handledsbrott", "celiaki", "glutenintolerans", "lithium", "litium", "raskaana", "pregnant", "gravid",
    "reflux", "refluxsjukdom", "pregnancy", "miscarriages", "asthmatic", "epileptic", "epileptiker", "astmatiker",
    "strålning", "strålningen", "blodförgiftning", "aphasia", "anaphylaxis", "anafylaxi", "immunterapi",
    "hjärtrehabilitering", "grommets", "bensår", "trycksår", "stammer", "stuttering", "stamning", "ryggmärgsskada",
    "hjärnskada", "nervskada", "intensiven", "intensivvården",
    "endometrios", "tourette", "tourettes", "hemorrhoids", "haemorrhoids", "hemorrojder", "hospice",
    "syrgas", "syrgasbehandling", "sjukskriven",
    "sjukskrivning", "palliativ", "migrän", "psychotherapy", "psykoterapi", "depressed",
    "deprimerad", "gips", "gipset",
    "blodförtunnande", "psykiatrisessa", "psykiatriseen",
    "psykiatrisesta",
)  # fmt: skip
ENDINGS: tuple[str, ...] = ("", "s", "es", "'s", "n", "en", "et", "er", "erna", "ar", "arna", "na")

# Abbreviations that count as whole words only; Finnish inflects them after a colon (ADHD:n, HIV:tä).
ABBREVIATIONS: tuple[str, ...] = ("adhd", "hiv", "aids", "copd", "ibs", "ptsd", "ocd", "kol", "als", "pcos", "ms",
                                  "cp", "dvt", "uti", "gerd", "ckd", "ibd", "tia", "ivf", "rls", "gtn",
                                  "cgm")  # fmt: skip

# Multi-word terms (regular expressions, matched case-insensitively on word boundaries).
PHRASES: tuple[str, ...] = (
    r"heart attacks?", r"heart failure", r"bipolar disorders?", r"eating disorders?", r"anxiety disorders?",
    r"panic disorders?", r"multiple sclerosis", r"hip replacements?", r"knee replacements?", r"sleeping pills?",
    r"blood pressure (?:medication|medicine|pills?|tablets?)", r"radiation therapy", r"high blood pressure",
    r"type [12] diabetes", r"bypass surgery", r"kidney failure", r"breast cancer", r"prostate cancer",
    r"alzheimerin tau\w*", r"parkinsonin tau\w*", r"sydämen vajaatoimin\w*", r"munuaisten vajaatoimin\w*",
    r"kohonn\w* verenpain\w*", r"korkea\w* verenpain\w*", r"tyypin [12] diabet\w*", r"typ [12]-diabetes",
    r"högt blodtryck\w*", r"multipel skleros\w*", r"cancer treatment", r"depression medication",
    r"grå starr\w*", r"grön starr\w*", r"hearing aids?", r"insulin pens?", r"cerebral palsy", r"spina bifida",
    r"cystic fibrosis", r"kidney stones?", r"atrial fibrillation", r"sleep apnoea", r"sleep apnea",
    r"kilpirauhasen (?:vajaa|liika)toimin\w*", r"crohnin tau\w*", r"haavai\w* paksusuolentulehd\w*",
    r"traumaperäi\w* stressihäiriö\w*", r"broken (?:hip|leg|arm|wrist|ankle|shoulder)s?",
    r"fractured (?:hip|leg|arm|wrist|ankle|shoulder)s?", r"insulin pumps?", r"oxygen concentrators?",
    r"hormone (?:therapy|treatment)", r"blood thinners?", r"anticoagulants?", r"immunotherapy",
    r"radiation treatment", r"hormonbehandling\w*", r"blodförtunnande \w+", r"panic attacks?",
    r"anxiety attacks?", r"panikattack\w*", r"ectopic pregnanc\w*", r"sick leave", r"oxygen therapy",
    r"palliative care", r"blood pressure (?:is|was) (?:\w+ )?(?:high|low)",
    r"blodtrycket (?:är|var) (?:\w+ )?(?:högt|lågt)",
    r"verenpaine\w* (?:on|oli) (?:\w+ )?(?:korkea|koholla|matala)", r"long covid", r"pitkittyn\w* korona\w*",
    r"underactive thyroid", r"overactive thyroid", r"kohonn\w* kolesterol\w*", r"korkea\w* kolesterol\w*",
    r"high cholesterol", r"högt kolesterol\w*", r"chronic pain", r"kroonine\w* kipu\w*", r"kroonista kipua",
    r"kronisk smärta", r"långvarig smärta", r"home oxygen", r"oxygen at home", r"förstorad prostata",
    r"enlarged prostate", r"eturauhasen liikakasvu\w*", r"slipped discs?", r"herniated discs?", r"diskbråck\w*",
    r"macular degeneration", r"makuladegeneration\w*", r"silmänpohjan ikärappeum\w*", r"wet amd", r"dry amd",
    r"p-piller\w*", r"mammograph\w*", r"leg ulcers?", r"pressure ulcers?", r"pressure sores?", r"glucose monitors?",
    r"continuous glucose monitoring", r"blood clots?",
)  # fmt: skip
