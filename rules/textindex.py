"""Where the words of an article start, and how each begins: found once per article and
shared by the trigger, group and cue scans, which then test only the word starts that open
one of their entries (see firstchars.openings)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from rules.firstchars import Openings

_WORD_START = re.compile(r"(?<!\w)\w")


def lowered(doc: str) -> str:
    """`doc` in lower case with every offset kept: a letter whose lower case is longer ("İ")
    takes the first character of it, as the regular expression engine folds it."""
    low = doc.lower()
    if len(low) != len(doc):
        low = "".join([c.lower()[:1] for c in doc])
    return low


@dataclass(frozen=True)
class DocIndex:
    """The word starts of one text (every word character after a non-word one), with the
    first one, two and three lower-case characters at each."""

    doc: str
    low: str
    starts: list[int]
    heads: tuple[list[str], list[str], list[str]]  # three, two and one characters

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The index range of the word starts in [start, end)."""
        return bisect_left(self.starts, start), bisect_left(self.starts, end)

    def opened(self, keys: Openings | None, lo: int, hi: int) -> list[int]:
        """The word starts of the index range [lo, hi) that open one of `keys` (all of them
        when there are no keys)."""
        if keys is None:
            return self.starts[lo:hi]
        three, two, one = keys
        starts, (h3, h2, h1) = self.starts, self.heads
        if not two and not one:
            return [starts[i] for i in range(lo, hi) if h3[i] in three]
        return [starts[i] for i in range(lo, hi) if h3[i] in three or h2[i] in two or h1[i] in one]


_RECENT: list[DocIndex] = []  # the last few texts' indexes: one article is read by many scans


def index_of(doc: str) -> DocIndex:
    """The DocIndex of `doc` (kept for the few texts read last)."""
    for ix in _RECENT:
        if ix.doc is doc:
            return ix
    low = lowered(doc)
    starts = [m.start() for m in _WORD_START.finditer(doc)]
    h3 = [low[p:p + 3] for p in starts]
    ix = DocIndex(doc, low, starts, (h3, [h[:2] for h in h3], [h[:1] for h in h3]))
    _RECENT.insert(0, ix)
    del _RECENT[4:]
    return ix
