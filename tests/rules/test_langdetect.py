"""detect_language: letter heuristics and lingua for en/ru/be/uk/pl."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.langdetect import detect_language

CASES = [
    ("Belarus frees 52 political prisoners after US envoy visit", "en"),
    ("Lithuanian President Gitanas Nausėda confirmed the release", "en"),
    ("Помилование получили 52 человека, сидевшие по политическим статьям", "ru"),
    ("Николай Статкевич снова в колонии в Глубоком", "ru"),
    ("Памілаванне атрымалі 52 чалавекі, сярод іх Мікола Статкевіч", "be"),
    ("Палітвязні вызваленыя і вывезеныя ў Літву", "be"),
    ("Помилування отримали 52 людини, серед них Микола Статкевич", "uk"),
    ("Політв'язнів звільнили та вивезли до Литви", "uk"),
    ("Ułaskawienie otrzymało 52 więźniów politycznych, wśród nich Andrzej Poczobut", "pl"),
]


@pytest.mark.parametrize("text,lang", CASES)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "",
        "52",
        "!!!",
        "\x00\x01",
        "  \n",
        "Die Bundesregierung hat heute beschlossen, dass die Steuern im kommenden Jahr deutlich erhöht werden.",
        "Le gouvernement a décidé aujourd'hui d'augmenter les impôts sur le revenu des ménages en France.",
    ],
)
def test_unsure_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_not_a_string_gives_none() -> None:
    assert detect_language(None) is None  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    assert detect_language(text) in (None, "en", "ru", "be", "uk", "pl")


def test_megabyte_text() -> None:
    assert detect_language("Палітвязні вызваленыя. \x00" * 50000) == "be"


def test_corpus_languages(shared) -> None:
    right = total = 0
    for path in sorted((shared / "corpus").glob("dev-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            art = json.loads(line)
            total += 1
            right += detect_language(art["title"] + "\n" + art["text"]) == art["lang"]
    assert right / total >= 0.95, (right, total)
