"""Polish lexicon (the cheap part): numerals, months, weekdays, relative days, cue phrases."""

from __future__ import annotations

from rules.lang.forms import case_forms as _forms

NUMBERS: dict[str, int] = _forms({
    1: "jeden jedna jedno jednego jednej", 2: "dwa dwie dwóch dwaj dwoje dwojga dwom",
    3: "trzy trzech trzej troje", 4: "cztery czterech czterej czworo", 5: "pięć pięciu pięcioro",
    6: "sześć sześciu sześcioro", 7: "siedem siedmiu siedmioro", 8: "osiem ośmiu ośmioro",
    9: "dziewięć dziewięciu", 10: "dziesięć dziesięciu", 11: "jedenaście jedenastu",
    12: "dwanaście dwunastu", 13: "trzynaście trzynastu", 14: "czternaście czternastu",
    15: "piętnaście piętnastu", 16: "szesnaście szesnastu", 17: "siedemnaście siedemnastu",
    18: "osiemnaście osiemnastu", 19: "dziewiętnaście dziewiętnastu", 20: "dwadzieścia dwudziestu",
    30: "trzydzieści trzydziestu", 40: "czterdzieści czterdziestu", 50: "pięćdziesiąt pięćdziesięciu",
    60: "sześćdziesiąt sześćdziesięciu", 70: "siedemdziesiąt siedemdziesięciu",
    80: "osiemdziesiąt osiemdziesięciu", 90: "dziewięćdziesiąt dziewięćdziesięciu",
    100: "sto stu", 200: "dwieście dwustu", 300: "trzysta trzystu", 400: "czterysta czterystu",
    500: "pięćset pięciuset", 600: "sześćset", 700: "siedemset", 800: "osiemset", 900: "dziewięćset",
})
MULTIPLIERS: dict[str, int] = _forms({1000: "tysiąc tysiąca tysiące tysięcy tys", 1_000_000: "milion miliony milionów mln"})
HALVES: frozenset[str] = frozenset({"półtora", "półtorej"})
CONNECTORS: frozenset[str] = frozenset({"i"})
ONE_WORDS: frozenset[str] = frozenset(_forms({1: "jeden jedna jedno jednego jednej"}))
ONE_STOP_NEXT: frozenset[str] = frozenset("z ze dzień raz razem tylko".split())
ONE_STOP_PREV: frozenset[str] = frozenset("ani jeszcze nie".split())
MONTHS: dict[str, int] = _forms({
    1: "styczeń stycznia styczniu", 2: "luty lutego lutym", 3: "marzec marca marcu",
    4: "kwiecień kwietnia kwietniu", 5: "maj maja maju", 6: "czerwiec czerwca czerwcu",
    7: "lipiec lipca lipcu", 8: "sierpień sierpnia sierpniu", 9: "wrzesień września wrześniu",
    10: "październik października październiku", 11: "listopad listopada listopadzie",
    12: "grudzień grudnia grudniu",
})
AMBIGUOUS_MONTHS: frozenset[str] = frozenset({"luty", "maj"})
WEEKDAYS: dict[str, int] = _forms({
    0: "poniedziałek poniedziałku", 1: "wtorek wtorku", 2: "środę środa", 3: "czwartek czwartku",
    4: "piątek piątku", 5: "sobotę sobota", 6: "niedzielę niedziela",
})
WEEKDAY_PREFIX_THIS: tuple[str, ...] = ("w ten", "w tę", "w tym")
WEEKDAY_PREFIX_LAST: tuple[str, ...] = ("w zeszły", "w zeszłą", "w ubiegły", "w ubiegłą", "w ostatni", "w ostatnią")
RELATIVE_DAYS: dict[str, int] = {"przedwczoraj": -2, "wczoraj": -1, "dzisiaj": 0, "dziś": 0}
VAGUE: tuple[str, ...] = (
    "w zeszłym miesiącu", "w ubiegłym miesiącu", "w zeszłym tygodniu", "w ubiegłym tygodniu",
    "w tym roku", "w zeszłym roku", "niedawno", "dni temu", "tygodni temu", "miesięcy temu",
)
# The period a vague phrase names, resolved against publication by rules.extract.dates.
VAGUE_PERIODS: dict[str, str] = {
    "w zeszłym tygodniu": "last_week", "w ubiegłym tygodniu": "last_week",
    "w zeszłym miesiącu": "last_month", "w ubiegłym miesiącu": "last_month",
    "w tym roku": "this_year", "w zeszłym roku": "last_year",
}
# Cues before a month or year that name a bound, not the period itself ("until 2020").
BOUND_BEFORE: tuple[str, ...] = ("do",)
RANGE_START: tuple[str, ...] = ("począwszy od", "od")
MONTH_PREFIX: tuple[str, ...] = ("w", "we", "od", "do", "na początku", "pod koniec")
# A lone "thousand": singular forms, and the genitive read as one after an APPROX cue.
THOUSAND_ONE: tuple[str, ...] = ('tysiąc',)
THOUSAND_OF: tuple[str, ...] = ('tysiąca',)
APPROX: tuple[str, ...] = ("ponad", "przeszło", "około", "prawie", "blisko", "niemal", "co najmniej", "ok.", "więcej niż", "do")
AGE_BEFORE: tuple[str, ...] = ("w wieku", "lat", "wiek")
AGE_AFTER: str = r"-?\s*(?:letn\w*|latek|latka)"
ARTICLE_BEFORE: tuple[str, ...] = ("art.", "artykuł", "artykułu", "§", "ust.", "pkt", "nr")
MONEY_BEFORE: tuple[str, ...] = ("$", "€", "£")
MONEY_AFTER: str = r"(?:zł\w*|złot\w*|dolar\w*|euro|rubl\w*|\$|€|usd|pln)"
PERCENT_AFTER: str = r"(?:%|proc\w*)"
TIME_AFTER: str = r"(?:lat|lata|rok|roku|miesi\w*|tygod\w*|dni|dzień|godzin\w*|minut\w*)"
YEAR_AFTER: str = r"(?:rok\w*|r\.)"
ORDINAL_AFTER: str = r"-(?:ego|ej|go|y|a|i)\b"
PEOPLE_NOUNS: str = r"(?:osób|ludzi|osoby|więźni\w*|więzień|zatrzyman\w*|obywatel\w*)"
STOP_NAMES: frozenset[str] = frozenset(
    """w we na i ale a po z ze do dla od przy po jak co to ten ta oni my wy ja jego jej ich
    tam tu gdzie kiedy także wśród jednak prezydent premier minister szef lider ambasador sąd
    mińsk wilno warszawa kijów moskwa waszyngton białoruś białorusi litwa litwy litwie litwę
    ukraina ukrainy ukrainie polska polski polsce rosja rosji łotwa usa unia wiasna wiosna
    poniedziałek wtorek środa czwartek piątek sobota niedziela""".split()
)

PLACES: dict[str, str] = {
    "Lithuania": r"Litw(?:a|y|ie|ę|ą)",
    "Ukraine": r"Ukrain(?:a|y|ie|ę|ą)",
    "Poland": r"Polsk(?:a|i|ę|ą)|Polsce",
    "Latvia": r"Łotw(?:a|y|ie|ę|ą)",
    "Russia": r"Rosj(?:a|i|ę|ą)",
    "Belarus": r"Białoru(?:ś|si|sią)",
    "Germany": r"Niem(?:cy|iec|czech|cami)",
    "United States": r"USA|Stan(?:y|ów|ach) Zjednoczon\w+",
}
