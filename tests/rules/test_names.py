"""same_person / name_key / match_person across scripts, transliterations and case forms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.names import (
    canonical_name,
    has_surname_form,
    is_first_name,
    is_patronymic,
    match_person,
    name_key,
    same_person,
)

SAME = [
    ("Statkevich", "Statkevič", "Latin č"),
    ("Statkevich", "Statkievič", "Łacinka ie"),
    ("Statkevich", "Статкевич", "Russian"),
    ("Statkevich", "Статкевіч", "Belarusian"),
    ("Statkevich", "Статкевича", "genitive"),
    ("Статкевіча", "Statkevich", "Belarusian genitive"),
    ("Bialiatski", "Беляцкий", "Russian -ий"),
    ("Bialiatski", "Бяляцкі", "Belarusian -і"),
    ("Бяляцкага", "Ales Bialiatski", "Belarusian genitive -ага"),
    ("Беляцкого", "Bialiatski", "Russian genitive -ого"),
    ("Mikola Statkevich", "Николай Статкевич", "first-name variants"),
    ("Мікалай Статкевіч", "Mikola Statkevich", "Belarusian first name"),
    ("Мікалая Статкевіча", "Mikalai Statkevich", "both genitive"),
    ("Ihar Losik", "Игорь Лосик", "г ~ h ~ g"),
    ("Ігар Лосік", "Ihar Losik", "Belarusian і"),
    ("Sergei Tsikhanouski", "Сергей Тихановский", "ts ~ т, ou ~ ов"),
    ("Serhiy Tikhanovsky", "Siarhei Tsikhanouski", "two transliterations"),
    ("Сяргей Ціханоўскі", "Sergei Tsikhanouski", "ў"),
    ("Сергея Тихановского", "Siarhei Tsikhanouski", "genitive"),
    ("Ryhor Kastusioŭ", "Rygor Kastusev", "ŭ and ev"),
    ("Ryhor Kastusiou", "Рыгор Кастусёў", "ё and ў"),
    ("Maria Kolesnikova", "Мария Колесникова", "Russian"),
    ("Maria Kolesnikova", "Марыя Калеснікава", "Belarusian akanne"),
    ("Maryia Kalesnikava", "Марию Колесникову", "accusative"),
    ("Viktar Babaryka", "Виктор Бабарико", "indeclinable -о"),
    ("Viktor Babariko", "Віктар Бабарыка", "ы ~ i"),
    ("Andrzej Poczobut", "Андрэй Пачобут", "Polish cz"),
    ("Mikola Dziadok", "Мікола Дзядок", "dz"),
    ("Vladimir Matskevich", "Уладзімір Мацкевіч", "Vladimir ~ Uladzimir"),
    ("Vasil Parfyankow", "Парфянков", "w ~ в"),
    ("I. Losik", "Ihar Losik", "initial"),
    ("Lukashenko", "Лукашэнка", "o ~ a ending"),
    ("Трампа", "Trump", "genitive, u ~ а"),
    ("Бабарико Виктор", "Viktar Babaryka", "surname first"),
    ("Колесникова Мария Александровна", "Марыя Калеснікава", "surname, name, patronymic"),
    ("Ales BIALIATSKI", "Bialiatski Ales", "capitals, either order"),
    ("Статкевич Николай", "Mikola Statkevich", "-ich surname first"),
    ("Марии Колесниковой", "Марыі Калеснікавай", "genitive feminine ru ~ be"),
    ("М. Колесникова", "Maria Kolesnikova", "Cyrillic initial"),
    ("Siarhieja Cichanouskiego", "Siarhei Tsikhanouski", "Polish genitive -iego"),
    ("Swiatłany Cichanouskiej", "Sviatlana Tsikhanouskaya", "Polish feminine genitive -iej"),
    ("Marię Kalesnikawą", "Maria Kolesnikova", "Polish accusative -ę/-ą"),
    ("Alesia Białackiego", "Алесь Бяляцкі", "Polish Białacki"),
    ("Statkiewiczowi", "Статкевіч", "Polish dative -owi"),
]
DIFFERENT = [
    ("Kolesnik", "Kalesnikava", "fuzzy alone would join these"),
    ("Maria Kolesnikova", "Мария Колесник", "different surname length"),
    ("Sviatlana Tsikhanouskaya", "Siarhei Tsikhanouski", "wife and husband"),
    ("Tsikhanouskaya", "Tsikhanouski", "feminine vs masculine"),
    ("Mikola Statkevich", "Vladimir Matskevich", "rhyming surnames"),
    ("Mikola Statkevich", "Mikola Dziadok", "same first name"),
    ("Ihar Losik", "Anton Losik", "different first names"),
    ("Ihar Losik", "Ihar Karnei", "same first name only"),
    ("Losik", "Lasko", "short different"),
    ("", "Losik", "empty"),
    ("Бабарико Виктор", "Виктор Лосик", "surname first is not the first name's person"),
    ("Колесникова Мария", "Мария Лосик", "first names alone do not join"),
    ("Cichanouskiej", "Tsikhanouski", "Polish feminine is not the husband"),
]


@pytest.mark.parametrize("a,b,why", SAME, ids=[c[2] for c in SAME])
def test_same_person(a: str, b: str, why: str) -> None:
    assert same_person(a, b) and same_person(b, a), why
    assert name_key(a) == name_key(b), why


@pytest.mark.parametrize("a,b,why", DIFFERENT, ids=[c[2] for c in DIFFERENT])
def test_different_people(a: str, b: str, why: str) -> None:
    assert not same_person(a, b) and not same_person(b, a), why


def test_match_person_surname_query() -> None:
    names = ["Ihar Losik", "Мікола Статкевіч", "Maria Kolesnikova"]
    assert match_person("Statkevich", names) == "Мікола Статкевіч"
    assert match_person("Калеснікава", names) == "Maria Kolesnikova"
    assert match_person("Kolesnik", names) is None
    assert match_person("Bialiatski", []) is None


@pytest.mark.parametrize(
    "written,canonical",
    [
        ("Бабарико Виктор", "Виктор Бабарико"),
        ("Колесникова Мария Александровна", "Мария Александровна Колесникова"),
        ("Колесниковой Марии", "Марии Колесниковой"),
        ("BIALIATSKI Ales", "Ales Bialiatski"),
        ("Ales BIALIATSKI", "Ales Bialiatski"),
        ("Николай Викторович Статкевич", "Николай Викторович Статкевич"),
        ("Ihar Losik", "Ihar Losik"),
        ("Losik", "Losik"),
        ("В.Д. Бабарико", "В.Д. Бабарико"),
        ("Anna Maria", "Anna Maria"),
    ],
)
def test_canonical_name(written: str, canonical: str) -> None:
    assert canonical_name(written) == canonical
    assert name_key(written) == name_key(canonical)


def test_follow_person_typed_surname_first() -> None:
    # /follow person keys what the chat types; the alert may spell the name either way.
    assert match_person("Бабарико Виктор", ["Ihar Losik", "Viktar Babaryka"]) == "Viktar Babaryka"
    assert match_person("Viktar Babaryka", ["Бабарико Виктор Дмитриевич"]) == "Бабарико Виктор Дмитриевич"
    assert match_person("KOLESNIKOVA Maria", ["Марыя Калеснікава"]) == "Марыя Калеснікава"


def test_patronymics() -> None:
    assert is_patronymic("Александровна") and is_patronymic("Дмитриевич") and is_patronymic("Viktorovich")
    assert is_patronymic("Аляксандраўна") and not is_patronymic("Мария") and not is_patronymic("Losik")


def test_first_names_and_surname_forms() -> None:
    assert is_first_name("Сергея") and is_first_name("Мікалая") and is_first_name("Ihar")
    assert not is_first_name("Chinese") and not is_first_name("Communist")
    assert has_surname_form("Статкевича") and has_surname_form("Kalesnikava")
    assert has_surname_form("Гаеўскі-Ханада") and not has_surname_form("Code")
    assert has_surname_form("Бяляцкага", strong=True) and has_surname_form("Kastusioŭ", strong=True)
    assert not has_surname_form("Overflow", strong=True) and not has_surname_form("Review")
    assert has_surname_form("Losik") and not has_surname_form("Losik", strong=True)
    assert is_first_name("Aliaksandra") and not is_first_name("Wadi")
    assert is_first_name("Siarhieja") and is_first_name("Swiatłany") and not is_first_name("Kennedy")


def test_keys_are_script_independent() -> None:
    assert len({name_key(n) for n in ("Бяляцкі", "Bialiatski", "Беляцкий", "Bialiacki")}) == 1


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_arbitrary_names_never_raise(a: str, b: str) -> None:
    assert same_person(a, b) == same_person(b, a)
    assert isinstance(name_key(a), str)
    if a.strip() and any(ch.isalpha() for ch in a):
        assert same_person(a, a) or not name_key(a)


_PARTS = ["Ihar", "Игорь", "Losik", "Лосика", "Statkevič", "Статкевіча", "Мікалай", "Kalesnikava",
          "Kolesnik", "Ціханоўская", "Tsikhanouski", "-", "'", " ", "ŭ", "Бяляцкага", "O'Leary"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=4), st.lists(st.sampled_from(_PARTS), min_size=1, max_size=4))
def test_same_person_implies_equal_keys(a: list[str], b: list[str]) -> None:
    """Deduplication uses name_key as a necessary filter before same_person."""
    x, y = " ".join(a), " ".join(b)
    if same_person(x, y):
        assert name_key(x) == name_key(y)


def test_bad_input_never_raises() -> None:
    assert name_key(None) == ""  # type: ignore[arg-type]
    assert not same_person(None, "Losik")  # type: ignore[arg-type]
    assert match_person("Losik", ["", "\x00", None, "Ihar Losik"]) == "Ihar Losik"  # type: ignore[list-item]
    assert match_person("Losik", None) is None  # type: ignore[arg-type]
    assert match_person("Losik", "Ihar Losik") is None
    assert name_key("x" * (1 << 20)) is not None
