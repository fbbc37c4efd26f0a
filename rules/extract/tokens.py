"""Word and digit-run tokens of a text, computed once and shared by the extractors.

Words keep inner apostrophes ("п'ять", "Dar'ia") and split at hyphens ("fifty-two").
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)
_DIGITS = re.compile(r"\d+")


Token = tuple[int, int, str]  # start, end, the word in lower case


@lru_cache(maxsize=16)
def words(text: str) -> list[Token]:
    """The words of `text` in order, lower-cased (cached: several extractors ask)."""
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=16)
def digit_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of digits in `text`."""
    return [m.span() for m in _DIGITS.finditer(text)]
