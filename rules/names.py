"""Person names across scripts and transliterations: keys and same-person tests.

Pure functions used by deduplication and by "follow person". Unidecode gives the Latin
skeleton; spelling families (ts/c/ц, ch/č/ч, kh/h/g/х/г, ou/ŭ/ў ...) and Slavic case
endings are folded here; rapidfuzz scores what remains.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz.fuzz import ratio
from unidecode import unidecode

from rules.lang.first_names import FIRST_NAME_GROUPS, OTHER_FIRST_NAMES

_CYRILLIC = str.maketrans({
    "г": "h", "ґ": "g", "х": "kh", "ў": "w", "і": "i", "ї": "i", "ы": "y", "щ": "shch",
    "ё": "io", "е": "e", "э": "e", "є": "ie", "ь": "", "ъ": "", "'": "", "’": "", "ʼ": "",
})
_LATIN = str.maketrans({
    "č": "ch", "š": "sh", "ž": "zh", "ŭ": "w", "ł": "l", "ć": "ts", "ś": "s", "ź": "z",
    "ń": "n", "ż": "zh", "ř": "rzh", "ė": "e", "ą": "a", "ę": "e",
})
_FOLDS = (
    ("shch", "S"), ("sch", "S"), ("sz", "S"), ("cz", "H"), ("rz", "Z"), ("sh", "S"),
    ("zh", "Z"), ("ch", "H"), ("kh", "H"), ("h", "H"), ("g", "H"), ("dz", "d"), ("ts", "C"),
    ("tz", "C"), ("c", "C"), ("x", "ks"), ("w", "v"), ("ph", "f"), ("y", "i"), ("j", "i"),
)
_GLIDE_U = re.compile(r"(?<=[aoe])u(?![aeiou])")  # Belarusian ў after a vowel: "Tsikhanouski"
_DOUBLE = re.compile(r"(.)\1+")
# -ski/-ska/-cki in every case form; Polish spellings too ("Cichanouskiego", "Cichanouskiej").
_SK = re.compile(r"^(.*[sCZ]k)(ieHo|iemu|iei|oHo|aHo|aHa|omu|amu|ii|im|om|i|aia|oi|ai|uiu|a|u)$")
_SK_FEMININE = frozenset({"aia", "oi", "ai", "uiu", "a", "u", "iei"})
_ICH = re.compile(r"^(.*[ie]H)(ovi|a|u|em|om|am|e|i)?$")
_ENDING = re.compile(r"^(.{3,}?)(ovi|oHo|aHo|aHa|omu|amu|eia|iia|eiu|iiu|aiu|aia|aem|eem|oi|ei|ai|ii|im|om|em|am|iu|ia|u|a|e|i|o)$")
_VOWELS = re.compile(r"(?<=.)[aeiou]")
_TOKEN_SPLIT = re.compile(r"[\s,]+")


def _vowel_count(s: str) -> int:
    return sum(ch in "aeiou" for ch in s)


@lru_cache(maxsize=16384)
def _latin(word: str) -> str:
    word = unicodedata.normalize("NFC", word.lower()).translate(_CYRILLIC).translate(_LATIN)
    word = re.sub(r"[^a-z]", "", unidecode(word).lower())
    for a, b in _FOLDS:
        word = word.replace(a, b)
    return _DOUBLE.sub(r"\1", _GLIDE_U.sub("v", word))


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """The folded, case-ending-free form of one name token ("Статкевича" -> "statkeviH")."""
    w = _latin(word)
    if len(w) <= 3:
        return w
    if m := _SK.match(w):
        feminine = m[2] in _SK_FEMININE
        return m[1] + ("A" if feminine else "")
    if m := _ICH.match(w):
        return m[1]
    if m := _ENDING.match(w):
        return m[1]
    return w


@lru_cache(maxsize=8192)
def _skeleton(stem: str) -> str:
    return _VOWELS.sub("", stem.replace("C", "t"))


def _soft(stem: str) -> str:
    """Vowels folded for the fuzzy score: Belarusian akanne and ie/e/ia all compare alike."""
    return stem.replace("o", "a").replace("ia", "a").replace("ie", "e").replace("e", "i")


def _tokens(name: str) -> list[str]:
    """The words of a name, first name(s) first and the surname last, whatever the order
    written ("Бабарико Виктор", "Колесникова Мария Александровна" as in lists and courts)."""
    if not isinstance(name, str):
        return []
    toks = [t for t in _TOKEN_SPLIT.split(name.strip()) if any(ch.isalpha() for ch in t)]
    return _first_name_first(toks) if 2 <= len(toks) <= 3 else toks


# Patronymics in Cyrillic and Latin spellings, case endings included: "Александровна",
# "Дзмітрыевіч", "Viktorovich". Masculine -evich is also a surname ending, so it only
# counts after a first name (see _first_name_first).
_PATRONYMIC = re.compile(
    r"(?:[оеёа][вў](?:на|ны|не|ну|ной|най|ич|іч|ича|іча|ичу|ічу|ичем)|[иі]ч(?:на|ны|не|ну|ной|най)"
    r"|[eao]v(?:na|ny|nu|ich|ych|icha|ichu)|[iy]chn[ai]|[ae][ŭu]n[ai])$",
    re.IGNORECASE,
)


def is_patronymic(word: str) -> bool:
    """Whether `word` ends like an East Slavic patronymic ("Александровна", "Viktorovich")."""
    return isinstance(word, str) and len(word) > 5 and bool(_PATRONYMIC.search(word))


def _first_name_first(toks: list[str]) -> list[str]:
    """Surname, first name [, patronymic] -> first name [, patronymic], surname. A surname
    written first is not a known first name and is followed by one; written in capitals
    ("BIALIATSKI Ales") it counts as a surname too."""
    head, second = toks[0], toks[1]
    if second.isupper() or written_first_then_surname(head, second) is not False:
        return toks
    if len(toks) == 3 and not is_patronymic(toks[2]):
        return toks
    return toks[1:] + toks[:1]


def written_first_then_surname(head: str, second: str) -> bool | None:
    """False when two words read surname, first name: `second` is a known first name and
    `head` is not ("Бабарико Виктор"), or `head` is one only by its stem and ends like a
    surname while `second` is listed as written ("Ильин Станислав"), or `head` is in
    capitals ("BIALIATSKI Ales"). True when `head` is a first name; None otherwise."""
    if isinstance(head, str) and isinstance(second, str):
        return _written_first_then_surname(head, second)
    return _read_first_then_surname(head, second)


def _read_first_then_surname(head: str, second: str) -> bool | None:
    if not is_first_name(head):
        return False if is_first_name(second) else None
    if not is_first_name(second):
        return True
    if head.isupper() and len(head) > 2 and not second.isupper():
        return False
    if _is_listed_first(second) and not _is_listed_first(head) and has_surname_form(head):
        return False
    return True


# Pure in two words: find_people asks it of every run of two or three, article after article.
_written_first_then_surname = lru_cache(maxsize=16384)(_read_first_then_surname)


def _is_listed_first(word: str) -> bool:
    form = _soft(_latin(word))
    return form in _FIRST_FORMS or (form.endswith("a") and form[:-1] in _FIRST_FORMS)


def canonical_name(name: str) -> str:
    """A name as find_people and deduplication show it: words in the order first name(s),
    surname; a word written in capitals gets a capital initial ("BIALIATSKI Ales" ->
    "Ales Bialiatski"); case forms are kept as written."""
    return _canonical_name(name) if isinstance(name, str) else ""


@lru_cache(maxsize=8192)  # find_people names the same people mention after mention
def _canonical_name(name: str) -> str:
    return " ".join(_title(t) for t in _tokens(name))


def _title(word: str) -> str:
    if len(word) > 2 and word.isupper() and word.replace("-", "").isalpha():
        return "-".join(p[:1] + p[1:].lower() for p in word.split("-"))
    return word


def name_key(name: str) -> str:
    """Script- and transliteration-independent key of a name's surname.

    Equal keys are necessary for same_person, not sufficient.
    """
    return _name_key(name) if isinstance(name, str) else ""


@lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    toks = _tokens(name)
    return _skeleton(_stem(toks[-1])) if toks else ""


_FIRST_GROUP: dict[str, int] = {}  # soft stem -> family of equivalent first names
for _i, _line in enumerate(FIRST_NAME_GROUPS):
    for _n in _line.split():
        _FIRST_GROUP.setdefault(_soft(_stem(_n)), _i)


_ALL_FIRST = [n for line in FIRST_NAME_GROUPS for n in line.split()] + list(OTHER_FIRST_NAMES)
_FIRST_FORMS = frozenset(_soft(_latin(n)) for n in _ALL_FIRST)  # as listed (nominative)
_FIRST_STEMS = frozenset(_soft(_stem(n)) for n in _ALL_FIRST)  # for Slavic case forms
_CYRILLIC_CHAR = re.compile(r"[\u0400-\u04ff]")

# Endings of East Slavic and Baltic surnames as Unidecode spells them, case endings
# included: -ich, -ski/-skaya/-cki, -ov/-ou/-au/-ava, -enko/-enka, -uk, -iene/-aite are
# strong; -in, -ik/-ok/-ak, -iko/-ako ("Бабарико"), -ets, -ute are weak (common English
# words end so too).
_STRONG_SURNAME = re.compile(
    r"(?:[iy]c[hz](?:a|u|em|om|e|i|owi)?"
    r"|(?:s|ts|z|tz)k(?:i|ii|iy|ij|y|yi|aya|aja|aia|ai|a|ogo|oho|ago|aga|aha|omu|amu|im|ym|om|oi|oy|uiu|uyu|u|ei|ey|iego|iej)"
    r"|ck(?:i|a|iego|iej|iemu|im)"
    r"|.{3,}(?:ov|ev|ou|au|eu|av|aw|iov|ow|ew)(?:a|u|oi|oy|ym|im|ai|om|i|e|ei|ej)?"
    r"|[ae]nk(?:o|a|u|i)|[iy]?uk(?:a|u|om|e)?|iene|aite)$"
)
_WEAK_SURNAME = re.compile(
    r"(?:.{3,}(?:in|yn)(?:a|u|oi|oy|ym|im|e|om|ai)?|.{2,}[aeiouy]k(?:a|u|om|e|i)?|.{3,}[aiy]ko"
    r"|(?:ets|ec|ts)(?:a|u|em|e)?|[iuy]te|ow)$"
)


# Polish case endings of first names: "Siarhieja", "Swiatłany", "Marię", "Wiktarowi".
_LATIN_CASE_ENDING = re.compile(r"(?:ja|ji|ję|ją|ny|nę|ną|rię|rią|owi|em|ie)$")


def is_first_name(word: str) -> bool:
    """Whether `word` is a known first name (any script; Cyrillic in any case form)."""
    if not isinstance(word, str) or len(word) < 2:
        return False
    return _is_first_name(word)


@lru_cache(maxsize=16384)
def _is_first_name(word: str) -> bool:
    form = _soft(_latin(word))
    if form in _FIRST_FORMS or (form.endswith("a") and form[:-1] in _FIRST_FORMS):
        return True  # "Aliaksandra" is the feminine of a listed "Aliaksandr"
    if not _CYRILLIC_CHAR.search(word) and not _LATIN_CASE_ENDING.search(word):
        return False  # Latin: the listed nominative, or a Polish case form ("Siarhieja")
    return _soft(_stem(word)) in _FIRST_STEMS


@lru_cache(maxsize=16384)
def _plain(word: str) -> str:
    word = unicodedata.normalize("NFC", word.lower()).translate(_LATIN)
    return re.sub(r"[^a-z]", "", unidecode(word).lower())


def has_surname_form(word: str, *, strong: bool = False) -> bool:
    """Whether `word` ends like an East Slavic or Baltic surname ("Статкевича", "Kalesnikava");
    `strong` leaves out endings that common English words share (-in, -ik, -ow)."""
    if not isinstance(word, str):
        return False
    return _has_surname_form(word, strong)


@lru_cache(maxsize=16384)
def _has_surname_form(word: str, strong: bool) -> bool:
    for part in word.split("-"):
        plain = _plain(part)
        # "Review", "Overflow": English spells no -ev/-ov surname with a w
        english_w = part.lower().endswith(("ew", "ow"))
        # Cyrillic -ска/-ску is a place ("Минска"), never a Slavic surname in that script
        cyrillic_ska = bool(_CYRILLIC_CHAR.search(part)) and plain.endswith(("ska", "sku", "tska"))
        if (not english_w and not cyrillic_ska and _STRONG_SURNAME.search(plain)) or (
            not strong and _WEAK_SURNAME.search(plain)
        ):
            return True
    return False


def _same_surname(a: str, b: str) -> bool:
    sa, sb = _stem(a), _stem(b)
    if sa == sb:
        return True
    skeleton = _skeleton(sa)
    if skeleton != _skeleton(sb):
        return False
    fa, fb = _soft(sa), _soft(sb)
    if len(skeleton) <= 4 and _vowel_count(fa) != _vowel_count(fb):
        return False  # short names: "Losik" is not "Lasko"
    return ratio(fa, fb) >= 70


def _compatible_first(a: str, b: str) -> bool:
    if a.rstrip(".") and len(a.rstrip(".")) == 1 or len(b.rstrip(".")) == 1:
        return _latin(a)[:1] == _latin(b)[:1]
    sa, sb = _stem(a), _stem(b)
    ka, kb = _skeleton(sa), _skeleton(sb)
    if ka == kb or ratio(_soft(sa), _soft(sb)) >= 75:
        return True
    ga, gb = _FIRST_GROUP.get(_soft(sa)), _FIRST_GROUP.get(_soft(sb))
    return ga is not None and ga == gb


def same_person(a: str, b: str) -> bool:
    """Whether two written names denote the same person (surname must match; first names,
    when both present, must be compatible: fuzzy, an initial, or a known variant)."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    return _same_person(a, b)


@lru_cache(maxsize=65536)  # pure in two names: the extractor asks the same pairs article after article
def _same_person(a: str, b: str) -> bool:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb or not _same_surname(ta[-1], tb[-1]):
        return False
    if len(ta) > 1 and len(tb) > 1:
        return _compatible_first(ta[0], tb[0])
    return True


def match_person(query: str, names: Iterable[str]) -> str | None:
    """The first of `names` that is the same person as `query` (which may be a surname only)."""
    if not isinstance(query, str) or isinstance(names, str | bytes) or not isinstance(names, Iterable):
        return None
    for name in names:
        if same_person(query, name):
            return name
    return None
