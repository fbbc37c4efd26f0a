"""find_people: 2-3 word names per script, stop words, officials from people.toml, traps."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.extract.people import find_people, load_people, parse_people
from rules.names import name_key, same_person

CASES = [
    # (lang, text, expected names, why)
    ("en", "Among those freed was opposition blogger Ihar Losik.", ["Ihar Losik"], "Latin name"),
    ("en", "Mikalai Statkevich refused to leave.", ["Mikalai Statkevich"], "sentence-initial name"),
    ("en", "Sergei Tsikhanouski, the husband of the opposition leader, was freed", ["Sergei Tsikhanouski"], "name then clause"),
    ("en", "Nobel laureate Ales Bialiatski and Maria Kolesnikova were freed", ["Ales Bialiatski", "Maria Kolesnikova"], "two names"),
    ("en", "Ryhor Kastusioŭ was pardoned", ["Ryhor Kastusioŭ"], "Latin diacritics"),
    ("en", "Mikola Statkevič was pardoned", ["Mikola Statkevič"], "č in a surname"),
    ("en", "Alexander Lukashenko pardoned 52 people", [], "official"),
    ("en", "US President Donald Trump thanked Lukashenko's government", [], "official, possessive"),
    ("en", "envoy John Coale met Viasna in Minsk", [], "official, organisation, city"),
    ("en", "Sviatlana Tsikhanouskaya welcomed the release of Siarhei Tsikhanouski", ["Siarhei Tsikhanouski"], "politician vs husband"),
    ("en", "The Human Rights Center Viasna said on Thursday", [], "organisation and weekday"),
    ("en", "Radio Free Europe reported that prisoners walked free", [], "word seen in lower case"),
    ("en", "The Criminal Code of Belarus", [], "not a name"),
    ("en", "Questions Posted On Stack Overflow Review", [], "title-case words ending like surnames"),
    ("en", "Iona Senior Services said", [], "institution after a first name"),
    ("en", "Aliaksandra Mikhailenka was recognised", ["Aliaksandra Mikhailenka"], "feminine first name"),
    ("en", "Ryhor Kastusioŭ and Vasil Parfyankow", ["Ryhor Kastusioŭ", "Vasil Parfyankow"], "ŭ and -ow surnames"),
    ("en", "Statkevich was returned to the colony; Mikola Statkevich refused", ["Statkevich", "Mikola Statkevich"], "surname mention after a full name"),
    ("en", "Ales Bialiatski Freed After Years In Prison", ["Ales Bialiatski"], "title-case headline"),
    ("en", "Lukashenko Pardons Opposition Figure Maria Kolesnikova", ["Maria Kolesnikova"], "headline with official"),
    ("ru", "Среди помилованных — Игорь Лосик.", ["Игорь Лосик"], "Cyrillic name"),
    ("ru", "Николай Викторович Статкевич освобожден", ["Николай Викторович Статкевич"], "patronymic"),
    ("ru", "Николай Статкевич снова в колонии", ["Николай Статкевич"], "sentence start"),
    ("ru", "по просьбе Дональда Трампа", [], "official in genitive"),
    ("ru", "решение принял Александр Лукашенко", [], "official"),
    ("ru", "освобождение Сергея Тихановского", ["Сергея Тихановского"], "genitive as written"),
    ("ru", "по данным «Нашей Нивы»", [], "outlet in quotes"),
    ("ru", "Правозащитный центр «Весна» сообщил", [], "organisation"),
    ("ru", "Литовский президент Гитанас Науседа написал", [], "official after adjective"),
    ("be", "Сярод вызваленых Мікола Статкевіч і Алесь Бяляцкі", ["Мікола Статкевіч", "Алесь Бяляцкі"], "Belarusian names"),
    ("be", "вызвалены Акіхіра Гаеўскі-Ханада", ["Акіхіра Гаеўскі-Ханада"], "hyphenated surname"),
    ("be", "Аляксандр Лукашэнка памілаваў", [], "official"),
    ("be", "паводле Вясны", [], "organisation case form"),
    ("ru", "съезд Компартии Советского Союза и Совет Республики", [], "organisations with adjectives"),
    ("ru", "утвердили Генплан Минска", [], "city in the genitive"),
    ("uk", "Микола Статкевич знову в колонії", ["Микола Статкевич"], "Ukrainian"),
    ("pl", "Andrzej Poczobut został zatrzymany", ["Andrzej Poczobut"], "Polish"),
    # Other written forms come out first name first, surname last (one form per person).
    ("ru", "Бабарико Виктор был освобожден.", ["Виктор Бабарико"], "surname first, sentence start"),
    ("ru", "В списке: Колесникова Мария Александровна, Бабарико Виктор Дмитриевич.",
     ["Мария Александровна Колесникова", "Виктор Дмитриевич Бабарико"], "surname, name, patronymic"),
    ("be", "Сярод іх Бабарыка Віктар і Калеснікава Марыя.", ["Віктар Бабарыка", "Марыя Калеснікава"], "Belarusian list"),
    ("be", "Ціханоўская Святлана заявіла", [], "official written surname first"),
    ("en", "Freed: Bialiatski Ales, Losik Ihar.", ["Ales Bialiatski", "Ihar Losik"], "Latin surname first"),
    ("ru", "Виктор Бабарико вышел. Бабарико Виктор Дмитриевич был осужден.",
     ["Виктор Бабарико", "Виктор Дмитриевич Бабарико"], "surname known from its full form"),
    ("en", "Ales BIALIATSKI was released", ["Ales Bialiatski"], "surname in capitals"),
    ("en", "BIALIATSKI Ales was freed", ["Ales Bialiatski"], "capitals first"),
    ("en", "Mikhail PRACH was freed", ["Mikhail Prach"], "capitals after a first name"),
    ("ru", "освобождение Марии Колесниковой", ["Марии Колесниковой"], "genitive feminine"),
    ("be", "вызваленне Марыі Калеснікавай", ["Марыі Калеснікавай"], "Belarusian genitive feminine"),
    ("ru", "М. Колесникова вышла", ["М. Колесникова"], "initial"),
    ("en", "A. Bialiatski was freed", ["A. Bialiatski"], "Latin initial"),
    ("ru", "В. Д. Бабарико и В.Д. Бабарико", ["В. Д. Бабарико", "В.Д. Бабарико"], "two initials"),
    ("ru", "помилована Мария\nКолесникова", ["Мария Колесникова"], "split by a line break"),
    ("en", "Maria\nKolesnikova", ["Maria Kolesnikova"], "line break, Latin"),
    # ... and ordinary capitalised words stay out.
    ("en", "BREAKING: BELARUS FREES 52 PRISONERS", [], "headline in capitals"),
    ("en", "ALES BIALIATSKI FREED", [], "a name in a capitals headline is not taken"),
    ("en", "NATO Ivan said", [], "acronym before a first name"),
    ("en", "CNN Maria said", [], "short acronym"),
    ("ru", "Впервые Мария сказала", [], "adverb before a first name"),
    ("ru", "Белорусский Виктор", [], "adjective before a first name"),
    ("ru", "Лукашенко Александр помиловал", [], "official written surname first"),
    ("ru", "Москва. Колесникова", [], "a sentence end is no initial"),
    ("ru", "в т. ч. Колесникова", [], "abbreviation in lower case is no initial"),
    ("ru", "Мария\n\nВ Минске", [], "a paragraph break ends a name"),
    ("en", "Ivan\nThe court", [], "a line break before a common word"),
    ("uk", "Радіо Свобода пише, що Марія Колеснікова", ["Марія Колеснікова"], "Ukrainian outlet"),
    ("pl", "Gazeta Wyborcza pisze, że Maria Kalesnikawa", ["Maria Kalesnikawa"], "Polish outlet"),
    ("pl", "w tym laureata Pokojowej Nagrody Nobla Alesia Białackiego, Marię Kalesnikawą i Wiktara Babarykę",
     ["Alesia Białackiego", "Marię Kalesnikawą", "Wiktara Babarykę"], "Polish case forms"),
    ("pl", "opozycjonistę Siarhieja Cichanouskiego, męża Swiatłany Cichanouskiej",
     ["Siarhieja Cichanouskiego"], "Polish genitive; the official in her case form"),
]


@pytest.mark.parametrize("lang,text,expected,why", CASES, ids=[c[3] for c in CASES])
def test_people(lang: str, text: str, expected: list[str], why: str) -> None:
    assert [p.name for p in find_people(text, lang)] == expected, why


def test_spans_slice_to_names() -> None:
    text = "Freed: Ihar Losik, Mikola Dziadok and Elena Ramanauskiene."
    people = find_people(text, "en")
    assert [text[p.start : p.end] for p in people] == [p.name for p in people]
    assert len(people) == 3


def test_name_like_capitals_soup_never_raises() -> None:
    for text in ("IHAR Losik", "Ihar LOSIK-IHAR", "А. Б. В. Г.", "Ihar\nIhar\nLosik", "X. Y", "Ⅸ. Losik"):
        for p in find_people(text, "en"):
            assert _same_words(p.name, text[p.start : p.end])


def test_extra_officials_are_left_out() -> None:
    text = "Ihar Losik and Pavel Sapelka spoke"
    assert [p.name for p in find_people(text, "en", officials=["Pavel Sapelka"])] == ["Ihar Losik"]


def test_people_toml_is_data_with_reasons() -> None:
    pack = load_people()
    assert len(pack.officials) >= 20
    assert any(same_person("Лукашэнка", o) for o in pack.officials)
    assert "viasna" in pack.non_names


@pytest.mark.parametrize(
    "raw,field",
    [
        ('[[official]]\nname = "A B"\n', "why"),
        ('[[official]]\nname = "A B"\nwhy = "x"\nalso = "C"\n', "also"),
        ('[[official]]\nname = "A B"\nwhy = "x"\nwhy_not = 1\n', "why_not"),
        ("[[official]]\nname = \n", "people.toml"),
        ('[officials]\nname = "A"\n', "officials"),
    ],
)
def test_bad_people_file_names_the_mistake(raw: str, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        parse_people(raw, "people.toml")


def _same_words(name: str, span: str) -> bool:
    """A person's name is its span's words, maybe reordered and with capitals folded."""
    return sorted(w.lower() for w in name.split()) == sorted(w.lower() for w in span.split())


def test_names_are_their_spans() -> None:
    text = "Бабарико Виктор, Ales BIALIATSKI, М. Колесникова и Мария\nКолесникова"
    people = find_people(text, "ru")
    assert len(people) == 4
    assert all(_same_words(p.name, text[p.start : p.end]) for p in people)


def test_one_form_per_person_across_orders() -> None:
    # Dedup and /follow person key a name on its surname: every written order gives one key.
    keys = {name_key(p.name) for t in ("Бабарико Виктор", "Виктор Бабарико", "БАБАРИКО Виктор",
                                          "В. Бабарико") for p in find_people(t + " вышел", "ru")}
    assert keys == {name_key("Viktar Babaryka")}


@settings(max_examples=150, deadline=None)
@given(st.text(), st.sampled_from(["en", "ru", "be", "uk", "pl", "", "zz"]))
def test_arbitrary_text_never_raises(text: str, lang: str) -> None:
    for p in find_people(text, lang):
        assert 0 <= p.start < p.end <= len(text)
        assert _same_words(p.name, text[p.start : p.end])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Ihar", "Losik", "Игорь", "Лосик", " ", "'s", "-", "«", ".", "Free", "free", "\x00"]), max_size=25))
def test_name_like_soup_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    for lang in ("en", "ru"):
        for p in find_people(text, lang):
            assert _same_words(p.name, text[p.start : p.end])


def test_megabyte_text_does_not_raise() -> None:
    text = ("Opposition blogger Ihar Losik was freed by Alexander Lukashenko. \x00" * 16000)[: 1 << 20]
    names = {p.name for p in find_people(text, "en")}
    assert "Ihar Losik" in names and not any("Lukashenko" in n for n in names)


def test_corpus_people_are_found(shared) -> None:
    """Every labelled person matches some name found in the article (floor 95%)."""
    hit = total = 0
    for path in sorted((shared / "corpus").glob("dev-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            art = json.loads(line)
            names = [p.name for p in find_people(art["title"] + "\n" + art["text"], art["lang"])]
            for event in art["events"]:
                for person in event["people"]:
                    total += 1
                    hit += any(same_person(person, n) for n in names)
    assert total > 100
    assert hit / total >= 0.95, (hit, total)
