"""Sentence splitting and offset-preserving text normalisation for the rules engine.

Owns only text geometry (sentences, word positions); knows nothing of events.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rules.lazy import lazy
from rules.model import built
from rules.textindex import DocIndex

# One character in, one character out, so every offset stays valid after normalising.
# Belarusian "ў" is "у" after a vowel ("ва Ўкраіну", "у/ў Менску"): rules see one letter.
# str.replace per folded character: most texts hold few of them, and a translate table
# costs a dictionary look-up for every character of a Cyrillic text.
_FOLD = (("ё", "е"), ("Ё", "Е"), ("ў", "у"), ("Ў", "У"), ("ʼ", "'"), ("’", "'"), ("‘", "'"), ("`", "'"), ("\u00a0", " "), ("\u202f", " "))

# Words that end in a dot without ending a sentence.
_ABBREV = frozenset(
    "mr mrs ms dr st prof gen col lt sgt jr sr vs etc no nos art approx inc ltd co corp dept gov "
    "sen rep u.s u.k u.n e.g i.e a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec "
    "г гг ул им т.е т.д т.п др проф ст вул св тыс млн млрд".split()
)
# Sentence ends ("[.!?…]+ closing-quotes white-space", or a line break), written to open
# with a character class so the engine skips straight to candidate characters.
_END = re.compile(r"[.!?…\n](?:(?<=\n)\s*|(?<=[.!?…])[.!?…]*[\"»”')\]]*\s+)")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# What joins two word runs into one word (_WORD); the class first lets the engine skip to it.
_JOINER = re.compile(r"[-'’](?<=\w.)(?=\w)")
# Characters whose folding (normalise) changes whether they join or belong to a word.
_UNFOLDED = re.compile("[ʼ‘`]")
_START = re.Match.start
_NEXT_START = re.compile(r"[\"«“'(\[]*[A-ZА-ЯЁІЎЄЇҐ0-9]")
_LAST_WORD = re.compile(r"([\w.]+)$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its span in the article text and its word starts."""

    start: int
    end: int
    text: str
    # The word index of the whole article's folded text, when the article has one: the
    # sentence's words are read off it instead of found again.
    index: DocIndex | None = field(default=None, compare=False, repr=False)

    @lazy
    def word_starts(self) -> tuple[int, ...]:
        """Absolute offsets of each word start (found on first use: most sentences of an
        article never need them)."""
        ix = self.index
        if ix is None or _UNFOLDED.search(self.text):
            return tuple(map(self.start.__add__, map(_START, _WORD.finditer(self.text))))
        # The index starts a word at every word-character run; a sentence's word runs on
        # over one hyphen or apostrophe between word characters ("fifty-two", "п'ять").
        lo, hi = ix.span(self.start, self.end)
        joined = [self.start + m.end() for m in _JOINER.finditer(self.text)]
        if not joined:
            return tuple(ix.starts[lo:hi])
        inner = set(joined)
        return tuple(p for p in ix.starts[lo:hi] if p not in inner)

    def word_index(self, offset: int) -> int:
        """Index of the word at (or just before) absolute `offset`."""
        i = bisect_right(self.word_starts, offset)
        return i - 1 if i else 0

    @lazy
    def _word_spans(self) -> dict[tuple[int, int], tuple[int, int]]:
        return {}

    def word_span(self, span: tuple[int, int]) -> tuple[int, int]:
        """Indexes of the first and last word of `span` (absolute offsets); the rules measure
        the same spans against each other many times, so each is found once."""
        words = self._word_spans.get(span)
        if words is None:
            words = self._word_spans[span] = self.words_of(span)
        return words

    def words_of(self, span: tuple[int, int]) -> tuple[int, int]:
        """word_span without the memo (word_index of either end, without two more calls)."""
        starts = self.word_starts
        a, b = bisect_right(starts, span[0]), bisect_right(starts, max(span[0], span[1] - 1))
        return a - 1 if a else 0, b - 1 if b else 0


def normalise(text: str) -> str:
    """Fold ё/е, ў/у and apostrophe variants; the result has the same length as the input."""
    for a, b in _FOLD:
        if a in text:
            text = text.replace(a, b)
    return text


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _LAST_WORD.search(text[max(0, dot - 24):dot])
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    # Initials ("A. Lukashenko") and listed abbreviations.
    return (len(word) == 1 and word.isalpha()) or word in _ABBREV


def split_sentences(text: str, offset: int = 0, index: DocIndex | None = None) -> list[Sentence]:
    """Split `text` into sentences; every Sentence carries absolute offsets (text starts at
    `offset`). `index`: the word index of the folded article (normalise) the text is part of."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        cut = m.end()
        if "\n" not in m.group():
            if not _NEXT_START.match(text, cut):
                continue
            if text[m.start()] == "." and _is_abbreviation(text, m.start()):
                continue
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        stripped = chunk.strip()
        if not stripped:
            continue
        abs_start = offset + s + len(chunk) - len(chunk.lstrip())
        # (rules.model.built: a frozen dataclass made without a setattr call per field)
        out.append(built(Sentence, start=abs_start, end=abs_start + len(stripped), text=stripped, index=index))
    return out
