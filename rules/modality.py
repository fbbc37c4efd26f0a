"""Modality of a mention: which cue families (negation, demand, aggregate, future ...) reach
its trigger, within clause breaks; the cue positions of a sentence are found once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rules.model import Certainty, EventType
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
        cues = memo["\0cues"] = _cues(lp, doc, s)
    c0, c1 = s.word_span(core)
    breaks = breaks_of(lp, doc, s, memo)  # clause breaks end a cue's reach, except for sums
    history = _history(memo, s, c0) if etype == EventType.rearrest else ()
    reaching = [mod for mod, i in cues if c0 - mod.before <= i <= c1 + mod.after and (
        mod.types is None or etype is None or etype in mod.types) and (
        mod.name in ACROSS_BREAKS or not any(i <= b < c0 or c1 <= b < i for b in breaks))
        and not (mod.name == "aggregate" and i in history)
        and not (mod.name == "rumour_denied" and not _denied(lp, doc, memo))]
    if not reaching:
        return Certainty.reported, None
    first = reaching[0]
    # "will continue to pardon": a habit announced for the future is a prediction.
    if first.name == "habitual" and any(m.effect == "expected" for m in reaching):
        return Certainty.expected, "habitual"
    return (None if first.effect == "drop" else Certainty.expected), first.name


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
    """(cue family, word index) of every cue in `s`, in the families' order; each family is
    tried only at the word starts its cues can begin with."""
    found: list[tuple[int, int, Modality]] = []
    by_first, prefilter, modalities = lp.modalities_by_first, lp.cue_prefilter, lp.modalities
    ix = index_of(doc)
    # A family with loose cues (that may start with any letter) is tried at every word start,
    # but only in a sentence where one search finds a loose cue of it (a search that the
    # strings each such cue holds spare most sentences: Terms.needs; an article that lacks
    # them spares all its sentences).
    live = [r for r in _loose_in(lp, ix) if modalities[r].loose.search(doc, s.start, s.end)]  # type: ignore[union-attr]
    low = ix.low
    starts = s.word_starts
    lo, hi = ix.span(s.start, s.end)
    # Only the word starts that open a cue (loose families, when live, everywhere), each with
    # its head: a plain text is tried by heads, only the cues that can begin there.
    table = lp.cue_table if ix.plain else None
    if lp.cue_openings is not None:
        tried = ix.opened_heads(lp.cue_openings, lo, hi)
    else:
        tried = [(p, low[p:p + 3]) for p in starts]
    for p, h in tried:
        if table is not None:
            entry = table.get(h) or at_head(table, h)
            if entry is None or entry[0].match(doc, p, s.end) is None:
                continue
            families: Iterable[tuple[int, Any]] = entry[1]
        else:
            c = low[p]
            if c not in prefilter or prefilter[c].match(doc, p, s.end) is None:
                continue
            families = ((rank, modalities[rank].cues) for rank in by_first[c])
        for rank, cues in families:
            if rank in live:
                continue
            mod = modalities[rank]
            if cues.match(doc, p, s.end) and not _shielded(mod, doc, s, p):
                # A word of the sentence begins where one of the folded text does, but not
                # inside a word the sentence keeps whole ("fifty-two").
                w = s.word_index(p)
                if starts[w] == p:
                    found.append((rank, w, mod))
    for rank in live:
        mod = modalities[rank]
        for w, p in enumerate(starts):
            if mod.cues.match(doc, p, s.end) and not _shielded(mod, doc, s, p):
                found.append((rank, w, mod))
    return [(mod, w) for _, w, mod in sorted(found, key=lambda x: (x[0], x[1]))]


def _loose_in(lp: LanguagePack, ix: DocIndex) -> list[int]:
    """The families with loose cues whose needed strings the article holds (found once per
    article; a sentence lacks what its article lacks)."""
    key = ("loose", lp.lang)
    found = ix.memo.get(key)
    if found is None:
        found = ix.memo[key] = [r for r in lp.modalities_anywhere
                                if not lp.modalities[r].loose.lacks(ix.doc)]  # type: ignore[union-attr]
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
