"""Where the words of an article start, and how each begins: found once per article and
shared by the trigger, group and cue scans, which then test only the word starts that open
one of their entries (see firstchars.openings)."""

from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import compress
from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]  # the engine's own table (3.11+)
from typing import TypeVar

from rules.firstchars import Openings

# A word run: its start is a word start. (Scanning for "(?<!\w)\w" instead tries the
# pattern at every offset and costs ten times as much.)
_WORD = re.compile(r"\w+")
_START = re.Match.start
_V = TypeVar("_V")
_END = sys.maxsize
# Characters the engine's case-insensitive matching holds equal to a letter of another
# lower-case form ("ı" and "i", "ſ" and "s", "ᲀ" and "в"): outside plain Latin and Cyrillic.
_ODD = "".join(sorted({chr(c) for k, vs in _EXTRA_CASES.items() for c in (k, *vs)
                       if not (c < 0x80 or 0x400 <= c < 0x500)}))
ODD_CHAR = re.compile(f"[{re.escape(_ODD)}]")


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
    first three lower-case characters at each."""

    doc: str
    low: str
    starts: list[int]
    heads: list[str]  # the first three characters at each word start (fewer at the end)
    # No character of `low` is held equal to another letter by case-insensitive matching
    # (_ODD): a case-insensitive match of a plain string is then a substring of `low`.
    plain: bool = True
    # What scans derive from the text once and share: the heads that open a set of keys
    # (opening_heads), the distinct heads (as a set and in order), and the engine's own.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def opening_heads(self, keys: Openings) -> frozenset[str]:
        """The distinct heads of the text that open one of `keys` (found once per text)."""
        kept = self.memo.get(id(keys))
        if kept is None or kept[0] is not keys:
            three, two, one = keys
            distinct = self.memo.get("")
            if distinct is None:
                distinct = self.memo[""] = frozenset(self.heads)
                self.memo["\0sorted"] = sorted(distinct)
            ordered = self.memo["\0sorted"]
            heads = set(three & distinct)  # (two sets: the smaller one is walked)
            # The heads a shorter key begins are a run of the ordered heads: keys have few
            # shorter openings, a text has many heads.
            for k in (*two, *one):
                i = bisect_left(ordered, k)
                while i < len(ordered) and ordered[i].startswith(k):
                    heads.add(ordered[i])
                    i += 1
            kept = self.memo[id(keys)] = (keys, frozenset(heads))
        return kept[1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The index range of the word starts in [start, end)."""
        return bisect_left(self.starts, start), bisect_left(self.starts, end)

    def opened(self, keys: Openings | None, lo: int, hi: int) -> list[int]:
        """The word starts of the index range [lo, hi) that open one of `keys` (all of them
        when there are no keys)."""
        if keys is None:
            return self.starts[lo:hi]
        heads = self.heads[lo:hi]
        # The heads that open one of `keys`: most term lists open nowhere in a sentence, and one
        # set operation tells. (Keys with shorter openings: the text's distinct heads that open.)
        three, two, one = keys
        if two or one:
            three = self.opening_heads(keys)
        if three.isdisjoint(heads):
            return []
        # The filter runs in C: a Python loop over every word costs several times as much.
        return list(compress(self.starts[lo:hi], map(three.__contains__, heads)))

    def opened_heads(self, keys: Openings, lo: int, hi: int) -> list[tuple[int, str]]:
        """opened, each word start with its head."""
        heads = self.heads[lo:hi]
        three, two, one = keys  # (as in `opened`)
        if two or one:
            three = self.opening_heads(keys)
        if three.isdisjoint(heads):
            return []
        # (two filters, so that only the opened ones make pairs)
        kept = three.__contains__
        return list(zip(compress(self.starts[lo:hi], map(kept, heads)), compress(heads, map(kept, heads)), strict=True))


_RECENT: dict[int, DocIndex] = {}  # the last few texts' indexes: one article is read by many scans
_LAST = [DocIndex("", "", [], [])]  # the one read last: nearly every call asks for it again


def index_of(doc: str) -> DocIndex:
    """The DocIndex of `doc` (kept for the few texts read last)."""
    last = _LAST[0]
    if last.doc is doc:
        return last
    kept = _RECENT.get(id(doc))
    if kept is not None and kept.doc is doc:
        _LAST[0] = kept
        return kept
    low = lowered(doc)
    starts = list(map(_START, _WORD.finditer(doc)))
    heads = [low[p:p + 3] for p in starts]  # (half the cost of mapping slices over the starts)
    ix = DocIndex(doc, low, starts, heads, ODD_CHAR.search(low) is None)
    if len(_RECENT) >= 8:
        _RECENT.clear()
    _RECENT[id(doc)] = _LAST[0] = ix  # the index holds `doc`: its id is not reused while kept
    return ix


class Terms:
    """A compiled term list (pack.compile_terms): its regular expression, and, when every
    entry begins at a word start with a known letter, a scan of a text's DocIndex that tries
    only the word starts opening an entry, each with the entries of its first letter. The
    scan finds what the expression's finditer and search find, as the same spans."""

    __slots__ = ("regex", "pattern", "flags", "openings", "by_letter", "needs", "match", "fullmatch", "by_head")

    def __init__(self, regex: re.Pattern[str], openings: Openings | None = None,
                 by_letter: dict[str, re.Pattern[str]] | None = None,
                 needs: tuple[tuple[str, ...], ...] | None = None,
                 by_head: dict[str, re.Pattern[str]] | None = None) -> None:
        self.regex, self.pattern, self.flags = regex, regex.pattern, regex.flags
        self.openings, self.by_letter = openings, by_letter
        # Per opening, the entries that can begin with it (pack.head_patterns): a word start
        # of a plain text tries only those (at_head), not every entry of its first letter.
        self.by_head = by_head
        # Without a scan: sets of plain lower-case strings, one of each set in every match
        # (firstchars.required_literals), to look for in the lower-case text; a text that
        # misses every string of a set needs no regex scan.
        self.needs = needs
        # At one offset the expression itself answers (no Python call in between).
        self.match: Callable[..., re.Match[str] | None] = regex.match
        self.fullmatch: Callable[..., re.Match[str] | None] = regex.fullmatch

    def finditer(self, text: str, pos: int = 0, endpos: int = _END) -> Iterator[re.Match[str]]:
        if self.by_letter is None:
            if self.needs is not None and self._missing(text, pos, endpos):
                return iter(())
            return self.regex.finditer(text, pos, endpos)
        return iter(self._scan(text, pos, endpos))

    def search(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        if self.by_letter is None:
            if self.needs is not None and self._missing(text, pos, endpos):
                return None
            return self.regex.search(text, pos, endpos)
        # The first match among the word starts that open an entry, tried in order.
        end = min(endpos, len(text))
        ix = index_of(text)
        starts = ix.starts
        # (an article about something else: one set operation in `opened` says so)
        opened = ix.opened(self.openings, bisect_left(starts, pos), bisect_left(starts, end))
        low, by_head = ix.low, self.by_head
        if by_head is not None and ix.plain:
            get = by_head.get
            for p in opened:
                h = low[p:p + 3]
                pattern = get(h) or get(h[:2]) or get(h[:1])  # (at_head, inline)
                if pattern is not None and (m := pattern.match(text, p, end)) is not None:
                    return m
            return None
        by_letter = self.by_letter
        for p in opened:
            pattern = by_letter.get(low[p])
            if pattern is not None and (m := pattern.match(text, p, end)) is not None:
                return m
        return None

    def lacks(self, text: str) -> bool:
        """Does `text` surely hold no match (it misses every string of one of the `needs` sets)?"""
        return self.needs is not None and self._missing(text, 0, len(text))

    def _missing(self, text: str, pos: int, endpos: int) -> bool:
        """Does text[pos:endpos] miss every string of one of the `needs` sets?"""
        assert self.needs is not None
        ix = index_of(text)
        if not ix.plain:
            return False
        low = ix.low
        for strings in self.needs:  # (loops: a generator per call costs more than the tests)
            for w in strings:
                if low.find(w, pos, endpos) >= 0:
                    break
            else:
                return True
        return False

    def _scan(self, text: str, pos: int, endpos: int) -> list[re.Match[str]]:
        assert self.by_letter is not None
        end = min(endpos, len(text))
        ix = index_of(text)
        starts = ix.starts
        opened = ix.opened(self.openings, bisect_left(starts, pos), bisect_left(starts, end))
        out: list[re.Match[str]] = []
        if not opened:
            return out
        low, taken, by_head = ix.low, -1, self.by_head
        if by_head is not None and ix.plain:
            get = by_head.get
            for p in opened:
                if p < taken:
                    continue
                h = low[p:p + 3]
                pattern = get(h) or get(h[:2]) or get(h[:1])  # (at_head, inline)
                if pattern is not None and (m := pattern.match(text, p, end)) is not None:
                    out.append(m)
                    taken = m.end()
            return out
        by_letter = self.by_letter
        for p in opened:
            if p < taken:
                continue
            pattern = by_letter.get(low[p])
            if pattern is not None and (m := pattern.match(text, p, end)) is not None:
                out.append(m)
                taken = m.end()
        return out


def at_head(by_head: Mapping[str, _V], head: str) -> _V | None:
    """The pattern of the entries that can begin at a word start with `head` (its first three
    characters, lower case): by the head, else by its first two characters or its first."""
    return by_head.get(head) or by_head.get(head[:2]) or by_head.get(head[:1])
