"""The shared token passes (rules/extract/tokens.py) agree with their plain definitions."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.extract.tokens import capitalised_pieces, is_written, written_set

_ALPHABET = st.sampled_from(list("abAБбі'’ʼ-_1 .½\n"))
_CAPITALISED_PLAIN = re.compile(r"(?<![^\W\d_])[A-ZÀ-ÖØ-ÞБІ][^\W\d_]*(?:['’ʼ][^\W\d_]+)*")


@given(st.text(_ALPHABET, max_size=40), st.text(_ALPHABET, max_size=5))
@settings(max_examples=600, deadline=None)
def test_is_written_is_membership_of_the_written_words(text: str, word: str) -> None:
    assert is_written(text, word) == (word in written_set(text))
    for w in written_set(text):
        assert is_written(text, w)


@given(st.text(_ALPHABET, max_size=40))
@settings(max_examples=400, deadline=None)
def test_capitalised_words_start_after_no_letter(text: str) -> None:
    expected = [(m.start(), m.end(), m.group().lower()) for m in _CAPITALISED_PLAIN.finditer(text)]
    assert _words_of(capitalised_pieces(text)) == expected


def _words_of(pieces: list[str]) -> list[tuple[int, int, str]]:
    """The capitalised words of capitalised_pieces, each (start, end, lower case)."""
    found, start = [], 0
    for i, piece in enumerate(pieces):
        if i % 2:
            found.append((start, start + len(piece), piece.lower()))
        start += len(piece)
    return found


def test_is_written_examples() -> None:
    text = "Free Belarus: they were free. O’Neil, d'arc"
    assert is_written(text, "free") and is_written(text, "Free")
    assert not is_written(text, "belarus") and not is_written(text, "arc") and not is_written(text, "re")
    assert is_written(text, "d'arc")


@given(st.text(_ALPHABET, max_size=40) | st.text(st.sampled_from(list("abAB'’_1 .-\n")), max_size=40)
       | st.text(st.characters(max_codepoint=127), max_size=40))
@settings(max_examples=600, deadline=None)
def test_capitalised_pieces_are_the_capitalised_words_and_the_text_between(text: str) -> None:
    pieces = capitalised_pieces(text)
    assert "".join(pieces) == text and len(pieces) % 2 == 1
    expected = [(m.start(), m.end(), m.group().lower()) for m in _CAPITALISED_PLAIN.finditer(text)]
    assert _words_of(pieces) == expected
