"""Word and digit-run tokens of a text, computed once and shared by the extractors.

Words keep inner apostrophes ("п'ять", "Dar'ia") and split at hyphens ("fifty-two").
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import filterfalse

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_ASCII_DIGITS = re.compile(r"[0-9]+")  # the same runs in ASCII text, at a fraction of the cost
_APOSTROPHE = re.compile(r"['’ʼ]")


Token = tuple[int, int, str]  # start, end, the word in lower case


@lru_cache(maxsize=16)
def words(text: str) -> list[Token]:
    """The words of `text` in order, lower-cased (cached: several extractors ask)."""
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]


# Characters that never belong to a word (no letters, no apostrophes): stripped from the
# ends of a whitespace-separated piece, they leave its one word, if it has one.
_EDGES = ".,:;!?()[]{}«»\"“”„—–-/…•*%+0123456789"


@lru_cache(maxsize=16)
def word_set(text: str) -> frozenset[str]:
    """The distinct lower-case words of `text`, and the parts of words with apostrophes."""
    # Whitespace ends words too: most pieces are one word, or one with punctuation about
    # it; only the rest ("trump's", "rfe/rl") need the word pattern. Cheaper than it.
    found = set(_lower(text).split())
    odd = list(filterfalse(str.isalpha, found))
    found.difference_update(odd)
    for piece in odd:
        core = piece.strip(_EDGES)
        if core.isalpha():
            found.add(core)
        elif core:
            for w in _WORD.findall(core):
                found.add(w)
                if not w.isalpha():
                    found.update(_APOSTROPHE.split(w))
    return frozenset(found)


def find_words(text: str, keys: frozenset[str]) -> list[Token]:
    """The words of `text` that are in `keys` (lower case), in order.

    A set intersection says which keys occur and str.find locates just those: cheaper
    than walking every token in Python or compiling an alternation per text.
    """
    hits = keys & word_set(text)
    if not hits:
        return []
    low = _lower(text)
    if len(low) != len(text):  # lower() changed lengths ("İ"): offsets would drift
        return [t for t in words(text) if t[2] in keys]
    out: list[Token] = []
    n = len(low)
    for h in hits:
        pos = low.find(h)
        while pos >= 0:
            end = pos + len(h)
            if (pos == 0 or not low[pos - 1].isalpha()) and (end == n or not low[end].isalpha()):
                out.append((pos, end, h))
            pos = low.find(h, end)
    out.sort()
    return out


@lru_cache(maxsize=16)
def _lower(text: str) -> str:
    return text.lower()


def window(text: str, start: int, end: int) -> list[Token]:
    """The words between two offsets (the first may be cut)."""
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text, max(0, start), end)]


@lru_cache(maxsize=16)
def written_set(text: str) -> frozenset[str]:
    """The distinct words of `text` as written (case kept)."""
    return frozenset(_WORD.findall(text))


_LETTER = re.compile(r"[^\W\d_]")
_APOSTROPHES = "'’ʼ"


def is_written(text: str, word: str) -> bool:
    """Whether `word` is one of the words of `text` as written (`word in written_set(text)`),
    found with str.find: cheaper than a word pass when only a few words are asked about."""
    if not word:
        return False
    n = len(word)
    pos = text.find(word)
    while pos >= 0:
        # A word starts here unless a letter, or a letter and an apostrophe, run into it.
        if pos == 0 or not (_LETTER.match(text, pos - 1) or (
                text[pos - 1] in _APOSTROPHES and pos >= 2 and _LETTER.match(text, pos - 2))):
            m = _WORD.match(text, pos)
            if m is not None and m.end() == pos + n:
                return True
        pos = text.find(word, pos + 1)
    return False


# Upper-case letters of the Latin, Greek and Cyrillic blocks: Python's re has no \p{Lu}.
_UPPER = "".join(ch for ch in map(chr, range(0x41, 0x530)) if ch.isupper() and ch.isalpha())
# The capital first and the word-start check after it: a pattern that opens with a class
# lets the engine skip to candidate characters instead of trying every offset.
_CAPITALISED = re.compile(rf"[{re.escape(_UPPER)}](?<![^\W\d_].)[^\W\d_]*(?:['’ʼ][^\W\d_]+)*")


_CAPITALISED_PIECES = re.compile(f"({_CAPITALISED.pattern})")
# The same pattern for ASCII text, where its classes are these ranges: tested faster.
_CAPITALISED_PIECES_ASCII = re.compile(r"([A-Z](?<![A-Za-z].)[A-Za-z]*(?:'[A-Za-z]+)*)")


def capitalised_pieces(text: str) -> list[str]:
    """`text` cut at the words that start with a capital letter, case kept: the text before
    the first, the first word, the text between it and the next, ..., the text after the
    last. Words stand at the odd indices; a word starts at the length of all before it.
    (One split gives the words and the text between them.)"""
    return (_CAPITALISED_PIECES_ASCII if text.isascii() else _CAPITALISED_PIECES).split(text)


@lru_cache(maxsize=16)
def digit_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of digits in `text`."""
    digits = _ASCII_DIGITS if text.isascii() else _DIGITS
    return [m.span() for m in digits.finditer(text)]
