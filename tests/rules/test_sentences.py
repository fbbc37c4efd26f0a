"""Sentence splitting and folding (rules/sentences.py) agree with their plain definitions."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.sentences import _WORD, normalise, split_sentences
from rules.textindex import index_of

_FOLD_TABLE = str.maketrans({"ё": "е", "Ё": "Е", "ʼ": "'", "’": "'", "‘": "'", "`": "'",
                             "\u00a0": " ", "\u202f": " "})
_END_PLAIN = re.compile(r"[.!?…]+[\"»”')\]]*\s+|\n\s*")
_ALPHABET = st.sampled_from(list("ab Ёё.!?…\n\t\u00a0\u202f\"»”')]’ʼ‘`-'Aб12 "))


@given(st.text(_ALPHABET, max_size=60))
@settings(max_examples=400, deadline=None)
def test_normalise_folds_each_character_alone(text: str) -> None:
    assert normalise(text) == text.translate(_FOLD_TABLE)


@given(st.text(_ALPHABET, max_size=60))
@settings(max_examples=400, deadline=None)
def test_sentence_ends_and_word_starts(text: str) -> None:
    from rules import sentences

    assert [m.span() for m in sentences._END.finditer(text)] == [m.span() for m in _END_PLAIN.finditer(text)]
    for offset in (0, 7):
        for s in split_sentences(text, offset=offset):
            assert text[s.start - offset:s.end - offset] == s.text
            # each sentence's words, found in the sentence alone
            assert s.word_starts == tuple(s.start + w.start() for w in _WORD.finditer(s.text))


@given(st.text(_ALPHABET, max_size=40), st.text(_ALPHABET, max_size=60))
@settings(max_examples=400, deadline=None)
def test_word_starts_read_off_the_article_index(title: str, text: str) -> None:
    # An article's sentences find their words in its folded text's index (detect_events):
    # the same words as in each sentence alone.
    raw = f"{title}\n\n{text}"
    ix = index_of(normalise(raw))
    for s in split_sentences(title, index=ix) + split_sentences(text, offset=len(title) + 2, index=ix):
        assert s.word_starts == tuple(s.start + w.start() for w in _WORD.finditer(s.text))


def test_word_index() -> None:
    (s,) = split_sentences("Freed on Friday, 52 people.")
    assert [s.word_index(o) for o in (0, 4, 6, 9, 27, 100)] == [0, 0, 1, 2, 4, 4]
