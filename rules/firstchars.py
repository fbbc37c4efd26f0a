"""The characters a regular expression can start a match with: an index that lets the engine
try each rule only at the word starts where its trigger can begin, instead of everywhere."""

from __future__ import annotations

import re
import re._constants as C
import re._parser as P
from functools import cache
from typing import Any

_RANGE_LIMIT = 256  # a wider class ([а-я] is fine, [^x] is not) means "any character"


@cache  # entries recur across a pack's patterns and prefilters
def first_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-cased characters a match of `pattern` can start with; None when it may start
    with any character or with nothing at all."""
    try:
        parsed = P.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    chars, nullable = _sequence(list(parsed))
    if chars is None or nullable:
        return None
    return frozenset(c.lower()[:1] for c in chars)


def _sequence(items: list) -> tuple[set[str] | None, bool]:
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _item(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _class_chars(items: Any) -> set[str] | None:
    """The characters of a character class; None when it holds a category ("\\d") or a
    range too wide to list."""
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.RANGE and av[1] - av[0] < _RANGE_LIMIT:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars


def _item(op: object, av: Any) -> tuple[set[str] | None, bool]:
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        return _class_chars(av), False
    if op is C.BRANCH:
        out: set[str] = set()
        nullable = False
        for alternative in av[1]:
            chars_, n = _sequence(list(alternative))
            if chars_ is None:
                return None, False
            out |= chars_
            nullable = nullable or n
        return out, nullable
    if op is C.SUBPATTERN:
        return _sequence(list(av[3]))
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, _hi, sub = av
        chars_, n = _sequence(list(sub))
        return chars_, n or lo == 0
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), True  # zero-width: adds no character, the next item decides
    return None, False


_STOP = "\0"  # marks an opening that cannot grow: the pattern goes on with unknown characters
_PREFIX_LIMIT = 512  # more distinct openings than this and the index is not worth keeping


@cache
def openings(pattern: str, flags: int = 0, depth: int = 3) -> frozenset[str] | None:
    """Lower-cased strings of up to `depth` characters one of which every match of `pattern`
    starts with (a shorter one where the pattern may end or go on with any character there);
    None when its first character is unknown or the openings are too many to list."""
    try:
        parsed = P.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    out = _openings(list(parsed), frozenset({""}), depth)
    if out is None:
        return None
    found = frozenset(h.rstrip(_STOP).lower() for h in out)
    return None if "" in found else found


def _openings(items: list, heads: frozenset[str], depth: int) -> frozenset[str] | None:
    """`heads` extended by the sequence `items`; a head stops growing at `depth` characters or
    at an item whose characters are not known. None when there are too many."""
    for op, av in items:
        growing = frozenset(h for h in heads if len(h) < depth and not h.endswith(_STOP))
        if not growing:
            break
        done = heads - growing
        grown = _item_openings(op, av, growing, depth)
        if grown is None:  # an item of unknown characters ends every head still growing
            return None if "" in growing else done | {h + _STOP for h in growing}
        heads = done | grown
        if len(heads) > _PREFIX_LIMIT:
            return None
    return heads


def _item_openings(op: object, av: Any, heads: frozenset[str], depth: int) -> frozenset[str] | None:
    if op is C.LITERAL:
        return frozenset(h + chr(av) for h in heads)
    if op is C.IN:
        chars = _class_chars(av)
        return None if chars is None else frozenset(h + c for h in heads for c in chars)
    if op is C.BRANCH:
        out: set[str] = set()
        for alternative in av[1]:
            grown = _openings(list(alternative), heads, depth)
            if grown is None:
                return None
            out |= grown
        return frozenset(out)
    if op is C.SUBPATTERN:
        return _openings(list(av[3]), heads, depth)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        out_r: set[str] = set(heads) if lo == 0 else set()
        current: frozenset[str] = heads
        # Past `depth` repeats no opening grows: enough to reach `lo` ("\\d{5}").
        for n in range(1, min(hi, max(lo, depth)) + 1):
            grown = _openings(list(sub), current, depth)
            if grown is None:
                return None
            current = grown
            if n >= lo:
                out_r |= current
            if len(out_r) > _PREFIX_LIMIT:
                return None
        return frozenset(out_r)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return heads  # zero-width: adds no character
    return None


# Openings of up to three characters, by length (three, two, one): a word start is worth a
# pattern's test only when the text there begins with one of them.
Openings = tuple[frozenset[str], frozenset[str], frozenset[str]]


def openings_of(patterns: list[tuple[str, int]]) -> Openings | None:
    """The openings of every pattern (source, flags) together; None when one may begin
    anywhere (the caller then tries every word start)."""
    found: set[str] = set()
    for pattern, flags in patterns:
        mine = openings(pattern, flags)
        if mine is None:
            return None
        found |= mine
    return (frozenset(o for o in found if len(o) == 3), frozenset(o for o in found if len(o) == 2),
            frozenset(o for o in found if len(o) == 1))


_LITERALS_LIMIT = 64  # more alternatives than this and a regex scan is as cheap as the tests


@cache
def required_literals(pattern: str, flags: int = 0) -> tuple[frozenset[str], ...] | None:
    """Sets of lower-cased strings such that the text of every match of `pattern` holds one
    string of each set ("\\d+ (years?|months?) ago" holds "year" or "month", and " ago");
    None when none is known. A text that misses a set needs no regex scan."""
    try:
        parsed = P.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    # each character lower-cased as textindex.lowered does it
    found = {frozenset("".join(c.lower()[:1] for c in w) for w in ws) for ws in _required(list(parsed))}
    # the most selective first (the longest shortest string), ties in a fixed order: set
    # iteration order would change with the hash seed from one process to the next
    return tuple(sorted(found, key=lambda ws: (-min(map(len, ws)), sorted(ws)))) or None


def _required(items: list) -> list[frozenset[str]]:
    """Every set a sequence requires: its runs of literal characters, and what its items that
    must match require (a branch: the union of one set of each alternative)."""
    out: list[frozenset[str]] = []
    run = ""
    for op, av in items:
        if op is C.LITERAL:
            run += chr(av)
            continue
        if run:
            out.append(frozenset({run}))
        run = ""
        if op is C.BRANCH:
            alternatives = [_required(list(a)) for a in av[1]]
            if all(alternatives):
                # one set per alternative: its most selective (longest shortest string)
                union = frozenset().union(*(max(a, key=lambda ws: min(map(len, ws))) for a in alternatives))
                if len(union) <= _LITERALS_LIMIT:
                    out.append(union)
        elif op is C.SUBPATTERN:
            out += _required(list(av[3]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            out += _required(list(av[2]))
    if run:
        out.append(frozenset({run}))
    return out
