"""Modality of a mention: which cue families (negation, demand, aggregate, future ...) reach
its trigger, within clause breaks; the cue positions of a sentence are found once."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from rules.model import EXPECTED, REARREST, REPORTED, Certainty, EventType
from rules.pack import LanguagePack, Modality
from rules.sentences import Sentence
from rules.textindex import DocIndex, at_head, index_of


def certainty_of(
    lp: LanguagePack, doc: str, s: Sentence, core: tuple[int, int], memo: dict | None = None,
    etype: EventType | None = None,
) -> tuple[Certainty | None, str | None]:
    """Certainty of the mention of type `etype` spanning `core` (trigger to its objects) and
    the cue family that decided it; certainty None when a drop cue (negation, demand,
    aggregate ...) covers it."""
    memo = memo if memo is not None else {}
    cues = memo.get("\0cues")
    if cues is None:  # cue positions of the sentence, found once for all its rules
        cues = memo["\0cues"] = _fixed_cues(lp, doc, s)
        memo["\0untried"] = list(lp.modalities_anywhere)
    untried = memo["\0untried"]
    # A family with loose cues is looked for in the sentence once a mention it applies to asks.
    for r in tuple(untried):
        types = lp.modalities[r].types
        if types is None or etype is None or etype in types:
            untried.remove(r)
            if _loose_found(lp, doc, s, r):
                cues = memo["\0cues"] = _with_loose(lp, doc, s, cues, r)
    c0, c1 = s.word_span(core)
    modalities = lp.modalities
    breaks: list[int] | None = None
    first: Modality | None = None
    for r, i in cues:  # (in the families' order: the first that reaches decides)
        mod = modalities[r]
        if not c0 - mod.before <= i <= c1 + mod.after or (
                mod.types is not None and etype is not None and etype not in mod.types):
            continue
        if mod.name not in ACROSS_BREAKS:  # clause breaks end a cue's reach, except for sums
            if breaks is None:
                breaks = breaks_of(lp, doc, s, memo)
            if any(i <= b < c0 or c1 <= b < i for b in breaks):
                continue
        if (mod.name == "aggregate" and etype == REARREST and i in _history(memo, s, c0)) or (
                mod.name == "rumour_denied" and not _denied(lp, doc, memo)):
            continue
        if first is None:
            first = mod
            if mod.name != "habitual":
                break
        # "will continue to pardon": a habit announced for the future is a prediction.
        elif mod.effect == "expected":
            return EXPECTED, "habitual"
    if first is None:
        return REPORTED, None
    return (None if first.effect == "drop" else EXPECTED), first.name


# Families whose cues reach over clause breaks: a sum ("since 2020 ...; 52 were freed"), a
# share of the freed who served their terms ("45 walked free, most of them having served
# their full terms") and a release with no political prisoner among the freed ("pardoned 30
# convicts, but no political prisoners were among them").
ACROSS_BREAKS = frozenset({"aggregate", "served_share", "none_political"})


def _denied(lp: LanguagePack, doc: str, memo: dict) -> bool:
    """Does the article say that what was reported did not happen ("the reports were not
    confirmed", "relatives denied")? Only then is a release told by rumour channels none."""
    if "\0denied" not in memo:
        pattern = lp.groups.get("denial")
        memo["\0denied"] = pattern is not None and pattern.search(doc) is not None
    return memo["\0denied"]


def _history(memo: dict, s: Sentence, c0: int) -> set[int]:
    """Word indexes (before `c0`) of the few words after each release trigger: "freed under
    an amnesty in 2024, ... sent back to prison" - the cue dates the person's earlier
    release, not the re-arrest (which presupposes one)."""
    out: set[int] = set()
    for start, _ in memo.get("\0releases", ()):
        w = s.word_index(start)
        out.update(range(w, min(w + HISTORY_REACH + 1, c0)))
    return out


HISTORY_REACH = 4  # words after a release trigger that still tell of that release


def _cues(lp: LanguagePack, doc: str, s: Sentence) -> list[tuple[Modality, int]]:
    """(cue family, word index) of every cue in `s`, in the families' order."""
    cues = _fixed_cues(lp, doc, s)
    for r in lp.modalities_anywhere:
        if _loose_found(lp, doc, s, r):
            cues = _with_loose(lp, doc, s, cues, r)
    return [(lp.modalities[r], w) for r, w in cues]


def _fixed_cues(lp: LanguagePack, doc: str, s: Sentence) -> list[tuple[int, int]]:
    """(family rank, word index) of every cue in `s` other than a loose one, in the families'
    order; each family is tried only at the word starts its cues can begin with."""
    found: list[tuple[int, int]] = []
    modalities = lp.modalities
    ix = index_of(doc)
    starts = s.word_starts
    end = s.end
    # Only the word starts that open a cue, each with its head: a plain text is tried by
    # heads, only the cues that can begin there.
    table = lp.cue_table if ix.plain else None
    tried: Iterable[tuple[int, str]]
    if lp.cue_openings is not None:
        tried = _opened(lp, ix, s)
    else:
        low = ix.low
        tried = [(p, low[p:p + 3]) for p in starts]
    for p, h in tried:
        if table is not None:
            entry = at_head(table, h)
            if entry is None or entry[0].match(doc, p, end) is None:
                continue
            families: Iterable[tuple[int, Any]] = entry[1]
        else:
            c = ix.low[p]
            prefilter = lp.cue_prefilter.get(c)
            if prefilter is None or prefilter.match(doc, p, end) is None:
                continue
            families = ((rank, modalities[rank].cues) for rank in lp.modalities_by_first[c])
        w = -1
        for rank, cues in families:
            if cues.match(doc, p, end) is None:
                continue
            mod = modalities[rank]
            if mod.unless is not None and _shielded(mod, doc, s, p):
                continue
            if w < 0:
                # A word of the sentence begins where one of the folded text does, but not
                # inside a word the sentence keeps whole ("fifty-two").
                w = bisect_right(starts, p) - 1
                if w < 0 or starts[w] != p:
                    break
            found.append((rank, w))
    found.sort()
    return found


def _loose_found(lp: LanguagePack, doc: str, s: Sentence, rank: int) -> bool:
    """Does one search find a loose cue (one that may start with any letter) of the family
    in `s`? (A search that the strings each such cue holds spare most sentences: Terms.needs;
    an article that lacks them spares all its sentences.)"""
    loose = lp.modalities[rank].loose
    assert loose is not None
    return _loose_in(lp, index_of(doc), rank) and loose.search(doc, s.start, s.end) is not None


def _with_loose(lp: LanguagePack, doc: str, s: Sentence, cues: list[tuple[int, int]],
                rank: int) -> list[tuple[int, int]]:
    """`cues` with the family's found at every word start of `s`: where its loose cues are."""
    mod = lp.modalities[rank]
    mine = [(rank, w) for w, p in enumerate(s.word_starts)
            if mod.cues.match(doc, p, s.end) and not _shielded(mod, doc, s, p)]
    return sorted([c for c in cues if c[0] != rank] + mine)


def _opened(lp: LanguagePack, ix: DocIndex, s: Sentence) -> Iterable[tuple[int, str]]:
    """The word starts of `s` that open a cue other than a loose one, each with its head."""
    keys = lp.cue_openings
    assert keys is not None
    starts = ix.starts
    return ix.opened_heads(keys, bisect_left(starts, s.start), bisect_left(starts, s.end))


def _loose_in(lp: LanguagePack, ix: DocIndex, rank: int) -> bool:
    """May the article hold a loose cue of the family (does it hold the strings its loose
    cues need)? Found once per article: a sentence lacks what its article lacks."""
    key = ("loose", lp.lang)
    kept = ix.memo.get(key)
    if kept is None or kept[0] is not lp:
        kept = ix.memo[key] = (lp, {})
    known: dict[int, bool] = kept[1]
    found = known.get(rank)
    if found is None:
        found = known[rank] = not lp.modalities[rank].loose.lacks(ix.doc)  # type: ignore[union-attr]
    return found


def _shielded(mod: Modality, doc: str, s: Sentence, at: int) -> bool:
    """A cue right after a shield word is no cue: "held since 2020" dates a detention."""
    if mod.unless is None:
        return False
    i = s.word_index(at)
    return any(0 <= i - s.word_index(u.end() - 1) <= 3 for u in mod.unless.finditer(doc, s.start, at))


def across_break(breaks: Sequence[int], a: int, b: int) -> bool:
    """Does a clause break (breaks_of) lie between words `a` and `b`?"""
    lo, hi = min(a, b), max(a, b)
    return any(lo <= x < hi for x in breaks)


def breaks_of(lp: LanguagePack, doc: str, s: Sentence, memo: dict) -> list[int]:
    """The clause breaks (";", "—", ", but") of `s`, found once: each as the index of the word
    it follows (a break b lies between words b and b + 1)."""
    if "\0breaks" not in memo:
        pattern = lp.groups.get("clause_break")
        memo["\0breaks"] = [] if pattern is None else [
            s.word_index(m.start()) for m in pattern.finditer(doc, s.start, s.end)]
    return memo["\0breaks"]
