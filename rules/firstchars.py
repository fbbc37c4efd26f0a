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


def _item(op: object, av: Any) -> tuple[set[str] | None, bool]:
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.add(chr(sub_av))
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < _RANGE_LIMIT:
                chars.update(chr(c) for c in range(sub_av[0], sub_av[1] + 1))
            else:
                return None, False
        return chars, False
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
