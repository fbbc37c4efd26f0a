"""English lexicon: number words, months, weekdays, relative days and cue phrases."""

from __future__ import annotations

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}

NUMBERS: dict[str, int] = {w: i for i, w in enumerate(_UNITS) if i} | _TENS | {"dozen": 12}
# Multiplying words: "one hundred", "two thousand".
MULTIPLIERS: dict[str, int] = {
    "hundred": 100, "thousand": 1000, "million": 1_000_000, "mln": 1_000_000, "billion": 1_000_000_000,
}
HALVES: frozenset[str] = frozenset()
CONNECTORS: frozenset[str] = frozenset({"and"})
# "one" is a pronoun or article-like more often than a count.
ONE_WORDS: frozenset[str] = frozenset({"one"})
ONE_STOP_NEXT: frozenset[str] = frozenset(
    "of day night time another more thing way side hand point who that which in off".split()
)
ONE_STOP_PREV: frozenset[str] = frozenset("no the this that every any which each someone anyone no-one".split())

MONTHS: dict[str, int] = {}
for _i, _m in enumerate(
    "january february march april may june july august september october november december".split(), 1
):
    MONTHS[_m] = _i
    MONTHS[_m[:3]] = _i
MONTHS.update({"sept": 9, "febr": 2})
# Month words that are ordinary words too: only taken with a day or a year beside them.
AMBIGUOUS_MONTHS: frozenset[str] = frozenset({"may", "mar", "jan", "sept", "dec"})

WEEKDAYS: dict[str, int] = {
    w: i for i, w in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
}
WEEKDAY_PREFIX_THIS: tuple[str, ...] = ("this",)
WEEKDAY_PREFIX_LAST: tuple[str, ...] = ("last", "past")

RELATIVE_DAYS: dict[str, int] = {
    "the day before yesterday": -2,
    "yesterday": -1,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this evening": 0,
    "this afternoon": 0,
}
VAGUE: tuple[str, ...] = (
    "last month", "last week", "last year", "earlier this year", "earlier this month",
    "earlier this week", "this month", "this week", "this year", "recently", "last summer",
    "last spring", "last autumn", "last fall", "last winter", "a few days ago", "days ago",
    "weeks ago", "months ago", "the previous week", "the previous month",
)
# The period a vague phrase names, resolved against publication by rules.extract.dates.
VAGUE_PERIODS: dict[str, str] = {
    "last week": "last_week", "this week": "this_week",
    "earlier this week": "this_week", "last month": "last_month", "this month": "this_month",
    "earlier this month": "this_month", "last year": "last_year", "this year": "this_year",
    "earlier this year": "this_year", "a few days ago": "few_days",
}
# Cues before a month or year that name a bound, not the period itself ("until 2020").
BOUND_BEFORE: tuple[str, ...] = ("by", "until")
RANGE_START: tuple[str, ...] = ("since", "starting from", "starting in", "from")
# Words that put a month-only or year-only reference in the past vaguely ("in June").
MONTH_PREFIX: tuple[str, ...] = ("in", "since", "from", "by", "until", "of", "early", "late", "mid")

APPROX: tuple[str, ...] = (
    "more than", "over", "about", "around", "almost", "nearly", "approximately", "roughly",
    "some", "at least", "up to", "close to", "upwards of", "in excess of", "fewer than",
    "less than", "under", "just over", "just under", "well over", "some of the",
)
AGE_BEFORE: tuple[str, ...] = ("aged", "age", "ages")
AGE_AFTER: str = r"-?\s*(?:years?|yrs?)[\s-]*old|-year-old|-month-old|-years-old"
ARTICLE_BEFORE: tuple[str, ...] = ("article", "articles", "art.", "part", "paragraph", "section", "no.", "number", "№", "colony", "prison", "camp")
MONEY_BEFORE: tuple[str, ...] = ("$", "€", "£", "usd", "eur", "byn", "us$")
MONEY_AFTER: str = r"(?:dollars?|euros?|rubles?|roubles?|pounds|usd|eur|byn|\$|€|million dollars)"
PERCENT_AFTER: str = r"(?:%|percent|per cent)"
TIME_AFTER: str = r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|a\.m\.|p\.m\.|am|pm|-year|-month|-day|-hour)"
YEAR_AFTER: str = r"(?:year)"
ORDINAL_AFTER: str = r"(?:st|nd|rd|th)\b"
# A four-digit number followed by one of these is a count, not a year.
PEOPLE_NOUNS: str = r"(?:people|persons|prisoners|political|detainees|inmates|protesters|men|women|activists|names|cases|of\s+them)"

STOP_NAMES: frozenset[str] = frozenset(
    """the a an and but or if in on at of for to from by with as after before during since until
    this that these those there then than he she it they we you i his her its their our my
    mr mrs ms dr president prime minister foreign interior justice leader opposition
    state department embassy secretary general envoy special ambassador spokesman spokeswoman
    former acting deputy head chief judge court supreme minsk vilnius warsaw kyiv kiev moscow
    washington brussels belarus belarusian belarusians lithuania lithuanian ukraine ukrainian
    poland polish russia russian latvia latvian germany german france french britain british
    european union eu us usa u.s. united states america american national security council
    human rights center centre viasna vyasna dissidentby baj belta reuters ap afp rfe rl rfe/rl
    radio free europe liberty nasha niva tut.by zerkalo euroradio belsat kgb omon kremlin
    white house senate congress parliament government ministry news agency press
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december however meanwhile according
    also among both some many several most all other others another new old last next first
    second third one two three four five six seven eight nine ten political prisoners prisoner
    free freed released pardoned pardon amnesty deported jailed detained arrested sentenced
    colony penal correctional pretrial detention centre street square nobel peace prize
    prize laureate christian democratic party front movement committee foundation fund
    organization organisation group association union coalition office cabinet council
    when where while what who why how yes no not senator sen rep representative governor gov
    mayor director chairman chairwoman chair ceo founder general colonel captain officer
    sergeant lieutenant major professor prof sir lord lady king queen prince princess pope
    saint st mount county lane street road avenue square park island bay river lake valley
    pike bridge hall tower centre center review magazine times post journal daily weekly
    week day speech desk bank group company inc ltd corp university college school institute
    services service senior junior express airlines airport hospital clinic""".split()
)

# Country name -> stems with their allowed endings; adjectives only in "<adj> border".
PLACES: dict[str, str] = {
    "Lithuania": r"Lithuania|Lithuanian border|Vilnius",
    "Ukraine": r"Ukraine|Ukrainian border|Kyiv|Kiev|Chernihiv",
    "Poland": r"Poland|Polish border|Warsaw",
    "Latvia": r"Latvia|Latvian border|Riga",
    "Russia": r"Russia|Russian border",
    "Belarus": r"Belarus",
    "Germany": r"Germany",
    "United States": r"United States|(?<=the )U\.S\.|(?<=the )US|USA",
}
