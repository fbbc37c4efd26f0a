"""find_numbers: digits and words in en/ru/be (uk/pl basics), kinds, approximations, traps."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.extract.counts import NumberSpan, find_numbers


def counts(text: str, lang: str) -> list[int]:
    return [n.value for n in find_numbers(text, lang) if n.kind == "count"]


def kind_of(text: str, lang: str, value: int) -> str:
    kinds = [n.kind for n in find_numbers(text, lang) if n.value == value]
    assert kinds, f"{value} not found in {text!r}"
    return kinds[0]


COUNT_CASES = [
    # (lang, text, expected count values, why)
    ("en", "Belarus frees 52 prisoners", [52], "plain digits"),
    ("en", "there are 1,184 political prisoners", [1184], "comma thousands"),
    ("en", "1 184 political prisoners", [1184], "space thousands"),
    ("en", "1\u00a0184 political prisoners", [1184], "no-break space thousands"),
    ("en", "1\u202f184 political prisoners", [1184], "narrow no-break space"),
    ("en", "1\u2009184 political prisoners", [1184], "thin space"),
    ("en", "release 1.400 prisoners", [1400], "dot thousands"),
    ("en", "release 1'400 prisoners", [1400], "apostrophe thousands"),
    ("en", "fifty-two prisoners walked free", [52], "hyphenated compound"),
    ("en", "one hundred and fourteen were taken to Ukraine", [114], "hundred and"),
    ("en", "two hundred fifty people", [250], "hundred without and"),
    ("en", "a thousand prisoners", [1000], "a thousand"),
    ("en", "one thousand one hundred eighty-four prisoners", [1184], "long compound"),
    ("en", "two three four", [2, 3, 4], "a list is not one number"),
    ("en", "three thousand two hundred", [3200], "thousand compound"),
    ("en", "1.3 thousand prisoners", [1300], "decimal with multiplier"),
    ("en", "one of them was a journalist", [], "one of: pronoun"),
    ("en", "one day he was taken away", [], "one day"),
    ("en", "a one-off gesture", [], "one-off"),
    ("en", "a 16x9 image", [], "digits glued to letters"),
    ("en", "no one was freed", [], "no one"),
    ("en", "one prisoner was freed", [1], "one as a count"),
    ("en", "In 2020 thousands were detained", [], "year and vague plural"),
    ("en", "2000 people were detained", [2000], "four digits before a people noun"),
    ("en", "sentenced under Article 342 to 15 years", [], "article and duration"),
    ("en", "Articles 342 and 361 of the Criminal Code", [], "article chain"),
    ("en", "aged 52, she was freed", [], "age before"),
    ("en", "a 52-year-old journalist", [], "age after"),
    ("en", "blogger Ihar Losik, 32, and Mikola Statkevich (69) were freed", [], "ages in apposition"),
    ("en", "114 went to Ukraine (114) and Lithuania (9)", [114, 114, 9], "country counts in brackets are counts"),
    ("en", "fined $1,000", [], "money"),
    ("en", "a 10% rise", [], "percent"),
    ("en", "at 10:30 local time", [], "clock time"),
    ("en", "the 3rd time", [], "ordinal"),
    ("en", "on September 11, 52 prisoners were freed", [52], "date then count"),
    ("en", "on 18.09.2025 there were 1,184", [1184], "numeric date"),
    ("en", "By December 13, 123 prisoners were freed", [123], "comma after day is no separator"),
    ("en", "see https://example.org/news/340867-freed or #52", [], "digits in a link or a tag"),
    ("en", "held in IK-15 with 20 others", [20], "colony code"),
    ("ru", "Помилование получили 52 человека", [52], "digits"),
    ("ru", "пятьдесят два человека", [52], "compound words"),
    ("ru", "сто четырнадцать человек", [114], "hundred and teen"),
    ("ru", "тысяча сто восемьдесят четыре политзаключенных", [1184], "thousands compound"),
    ("ru", "ста двадцати трёх человек", [123], "genitive compound"),
    ("ru", "помиловал двух политзаключенных", [2], "genitive two"),
    ("ru", "освободили пятерых", [5], "collective numeral"),
    ("ru", "двоих отпустили", [2], "collective two"),
    ("ru", "трёх человек", [3], "ё form"),
    ("ru", "около 1 300 человек", [1300], "approx with space thousands"),
    ("ru", "2 тысячи человек", [2000], "digits with thousand word"),
    ("ru", "около полутора тысяч политзаключенных", [1500], "one and a half thousand"),
    ("be", "паўтары тысячы палітвязняў", [1500], "Belarusian one and a half thousand"),
    ("ru", "один из них журналист", [], "один из"),
    ("ru", "два десятка белорусов", [20], "tens word"),
    ("ru", "одних сажают, других отпускают", [], "одних means some"),
    ("ru", "сотни белорусских политзаключенных", [], "hundreds is vague"),
    ("ru", "по ст. 342 УК", [], "article abbreviation"),
    ("ru", "по статье 361 УК", [], "article word"),
    ("ru", "52-летний журналист", [], "age"),
    ("ru", "Игорь Лосик (32) вышел на свободу", [], "age in brackets"),
    ("ru", "к 15 годам колонии", [], "duration"),
    ("ru", "в 2020 году", [], "year"),
    ("ru", "с 2020 года", [], "year since"),
    ("ru", "штраф 500 рублей", [], "money"),
    ("ru", "в колонии № 17", [], "colony number"),
    ("ru", "штраф 1,5 млн рублей", [], "money with a million abbreviation"),
    ("ru", "3 млн человек", [3_000_000], "million abbreviation"),
    ("be", "вызвалілі 52 чалавекі", [52], "digits"),
    ("be", "пяцьдзясят два чалавекі", [52], "compound words"),
    ("be", "сто чатырнаццаць чалавек", [114], "hundred and teen"),
    ("be", "вызвалілі пяцёх палітвязняў", [5], "colloquial collective"),
    ("be", "дваіх палітвязняў", [2], "collective two"),
    ("be", "больш за 1 300 чалавек", [1300], "approx"),
    ("be", "адзін з іх журналіст", [], "адзін з"),
    ("be", "паводле артыкула 342", [], "article"),
    ("be", "52-гадовы журналіст", [], "age"),
    ("be", "з 2020 года", [], "year since"),
    ("be", "11 верасня 2025 года вызвалілі 52 чалавекі", [52], "date then count"),
    ("uk", "звільнили п'ятдесят два в'язні", [52], "Ukrainian words"),
    ("uk", "52 політв'язні", [52], "Ukrainian digits"),
    ("be", "Лукашэнка сказаў: «помиловал пятьдесят два человека»", [52], "Russian quoted in Belarusian"),
    ("ru", "«вызвалілі пяцьдзясят два»", [52], "Belarusian quoted in Russian"),
    ("uk", "звільнили п’ятдесят два", [52], "Ukrainian typographic apostrophe"),
    ("pl", "uwolniono pięćdziesiąt dwóch więźniów", [52], "Polish words"),
    ("ru", "остаются более тысячи человек", [1000], "genitive thousand after 'более'"),
    ("ru", "около тысячи политзаключенных", [1000], "genitive thousand after 'около'"),
    ("ru", "тысячи людей вышли на улицы", [], "plural thousands: no count"),
    ("be", "каля тысячы палітвязняў", [1000], "Belarusian genitive thousand after 'каля'"),
    ("be", "тысячы людзей", [], "Belarusian plural thousands: no count"),
    ("uk", "понад тисячу політв'язнів", [1000], "Ukrainian lone thousand after 'понад'"),
    ("uk", "близько тисячі політв'язнів", [1000], "Ukrainian genitive thousand after 'близько'"),
    ("uk", "тисячі людей вийшли на вулиці", [], "Ukrainian plural thousands: no count"),
    ("pl", "około tysiąca więźniów politycznych", [1000], "Polish genitive thousand after 'około'"),
    ("pl", "półtora tysiąca więźniów", [1500], "Polish one and a half thousand"),
    ("pl", "tysiące ludzi wyszły na ulice", [], "Polish plural thousands: no count"),
]


@pytest.mark.parametrize("lang,text,expected,why", COUNT_CASES, ids=[c[3] for c in COUNT_CASES])
def test_counts(lang: str, text: str, expected: list[int], why: str) -> None:
    assert counts(text, lang) == expected, why


APPROX_CASES = [
    ("en", "more than 75 people", 75, True),
    ("en", "over 1,000 remain", 1000, True),
    ("en", "about 1,300 prisoners", 1300, True),
    ("en", "almost 1,200", 1200, True),
    ("en", "nearly 1,150 people", 1150, True),
    ("en", "freed 52 people", 52, False),
    ("en", "1,000+ political prisoners", 1000, True),
    ("en", "a 1,000-plus list", 1000, True),
    ("ru", "1100 с лишним человек", 1100, True),
    ("en", "more than fifty prisoners", 50, True),
    ("ru", "более 1 100 человек", 1100, True),
    ("ru", "свыше 1 000 человек", 1000, True),
    ("ru", "почти 1 200 человек", 1200, True),
    ("ru", "больше 50 человек", 50, True),
    ("ru", "освободили 52 человека", 52, False),
    ("be", "каля 1 200 чалавек", 1200, True),
    ("be", "звыш 1 000 чалавек", 1000, True),
    ("be", "амаль 1 200 чалавек", 1200, True),
    ("be", "больш за 1300 чалавек", 1300, True),
]


@pytest.mark.parametrize("lang,text,value,approx", APPROX_CASES)
def test_approx(lang: str, text: str, value: int, approx: bool) -> None:
    found = [n for n in find_numbers(text, lang) if n.kind == "count"]
    assert [(n.value, n.approx) for n in found] == [(value, approx)]


KIND_CASES = [
    ("en", "in 2020 people protested", 2020, "year"),
    ("en", "Article 342 of the code", 342, "article"),
    ("en", "aged 52", 52, "age"),
    ("en", "$5,000 bail", 5000, "money"),
    ("en", "20 percent", 20, "percent"),
    ("en", "15 years in prison", 15, "time"),
    ("en", "on 11 September 2025", 11, "date"),
    ("ru", "ч. 3 ст. 361", 361, "article"),
    ("ru", "52-летний", 52, "age"),
    ("ru", "80 процентов", 80, "percent"),
    ("be", "артыкул 342", 342, "article"),
    ("be", "52-гадовы", 52, "age"),
]


@pytest.mark.parametrize("lang,text,value,kind", KIND_CASES)
def test_kinds(lang: str, text: str, value: int, kind: str) -> None:
    assert kind_of(text, lang, value) == kind


def test_word_span_slices_to_the_words() -> None:
    text = "In total, fifty-two prisoners were freed."
    (n,) = find_numbers(text, "en")
    assert text[n.start : n.end] == "fifty-two" and n.words and n.value == 52


def test_unknown_language_falls_back_to_english() -> None:
    assert counts("52 prisoners", "xx") == [52]


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from(["en", "ru", "be", "uk", "pl", "", "zz"]))
def test_arbitrary_text_never_raises_and_spans_are_inside(text: str, lang: str) -> None:
    for n in find_numbers(text, lang):
        assert isinstance(n, NumberSpan)
        assert 0 <= n.start < n.end <= len(text)
        assert n.value >= 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["52", "1,184", " ", "\u00a0", "тысяч", "fifty", "-", "two", "\x00", "\n", "."]), max_size=30))
def test_number_like_soup_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    for lang in ("en", "ru", "be"):
        for n in find_numbers(text, lang):
            assert text[n.start : n.end].strip() == text[n.start : n.end]


def test_megabyte_text_does_not_raise() -> None:
    text = ("Belarus freed 52 prisoners, more than 1,000 remain. \x00\x07" * 20000)[: 1 << 20]
    assert len([n for n in find_numbers(text, "en") if n.value == 52]) > 10000


def test_not_a_string_gives_nothing() -> None:
    assert find_numbers(None, "en") == []  # type: ignore[arg-type]


def test_corpus_counts_are_found(shared) -> None:
    """Every labelled count should be among the count values of its article (floor 95%)."""
    hit = total = 0
    for path in sorted((shared / "corpus").glob("dev-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            art = json.loads(line)
            values = set(counts(art["title"] + "\n" + art["text"], art["lang"]))
            for event in art["events"]:
                if event["counts"]:
                    total += 1
                    hit += bool(set(event["counts"]) & values)
    assert total > 50
    assert hit / total >= 0.95, (hit, total)


@pytest.mark.parametrize("lang", [None, 123, b"en", ["en"], "RU-ru", "xx"])
def test_odd_language_tags_never_raise(lang: object) -> None:
    assert counts("52 prisoners", lang) == [52]  # type: ignore[arg-type]
