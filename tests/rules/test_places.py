"""find_places: countries in any case form, canonical English names, no adjectives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.extract.places import find_places

CASES = [
    ("en", "were taken to Lithuania", ["Lithuania"], "plain"),
    ("en", "driven to the Lithuanian border", ["Lithuania"], "border adjective"),
    ("en", "six Lithuanian nationals", [], "nationality adjective"),
    ("en", "114 went to Ukraine and nine to Lithuania", ["Ukraine", "Lithuania"], "two"),
    ("en", "the US embassy; let us go", ["United States"], "US only after the"),
    ("en", "they arrived in Vilnius", ["Lithuania"], "capital city"),
    ("ru", "прибыли в Вильнюс", ["Lithuania"], "capital city"),
    ("ru", "пересекли границу Беларуси с Литвой", ["Belarus", "Lithuania"], "instrumental"),
    ("ru", "вывезены в Украину", ["Ukraine"], "accusative"),
    ("ru", "«Украинская правда» сообщила", [], "adjective is not the country"),
    ("ru", "на литовскую границу", ["Lithuania"], "border adjective"),
    ("ru", "в Польше", ["Poland"], "prepositional"),
    ("be", "вывезлі ва Украіну і ў Літву", ["Ukraine", "Lithuania"], "Belarusian"),
    ("be", "у Польшчы", ["Poland"], "Belarusian Poland"),
    ("uk", "вивезли до Литви", ["Lithuania"], "Ukrainian"),
    ("pl", "przewiezieni na Litwę", ["Lithuania"], "Polish"),
]


@pytest.mark.parametrize("lang,text,expected,why", CASES, ids=[c[3] for c in CASES])
def test_places(lang: str, text: str, expected: list[str], why: str) -> None:
    assert [p.place for p in find_places(text, lang)] == expected, why


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from(["en", "ru", "be", "uk", "pl", "", "zz"]))
def test_arbitrary_text_never_raises(text: str, lang: str) -> None:
    for p in find_places(text, lang):
        assert 0 <= p.start < p.end <= len(text)


def test_megabyte_text_does_not_raise() -> None:
    text = ("Freed prisoners were taken to Lithuania. \x00" * 30000)[: 1 << 20]
    assert len(find_places(text, "en")) > 20000


def test_not_a_string_gives_nothing() -> None:
    assert find_places(b"Lithuania", "en") == []  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", [None, 7, "be-BY", "xx"])
def test_odd_language_tags_never_raise(lang: object) -> None:
    assert isinstance(find_places("Літва і Lithuania", lang), list)  # type: ignore[arg-type]
