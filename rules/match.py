"""Sentence-level matching: trigger, required groups, modality, count, date, people, place.

Works on one sentence with the extractor spans already found; merging into events is detect.py's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Protocol

from rules.modality import across_break, breaks_of, certainty_of
from rules.model import (
    DEPORTATION,
    EXPECTED,
    RECOGNITION,
    REPORTED,
    TALLY,
    Certainty,
    EventType,
    built,
)
from rules.pack import BEFORE, SPECIAL_GROUPS, LanguagePack, Rule
from rules.sentences import Sentence
from rules.textindex import Terms, index_of

if TYPE_CHECKING:
    from rules.extract.dates import DateSpan

COUNT_REACH = 6  # extra words a count may sit beyond the rule window
DATE_REACH = 10  # words between a trigger and the date of its occasion


class Span(Protocol):
    """Any extractor span: offsets into the article."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Spans(Protocol):
    """Extractor output for one sentence, only spans inside it (absolute offsets); places
    exclude the home country."""

    @property
    def numbers(self) -> Sequence: ...
    @property
    def dates(self) -> Sequence: ...
    @property
    def people(self) -> Sequence: ...
    @property
    def places(self) -> Sequence: ...


@dataclass(frozen=True)
class Mention:
    """One rule that fired in one sentence: a candidate event, before merging."""

    rule: str
    type: EventType
    certainty: Certainty
    sentence: int  # index among the article's sentences
    trigger: tuple[int, int]
    count: int | None
    date: DateSpan | None  # the date of the occasion in the sentence, None when it has none
    people: tuple[str, ...]
    place: str | None
    evidence: str
    in_title: bool = False
    source: str | None = None
    subset: bool = False  # the count is a political-prisoner subset of a larger release


def _distance(s: Sentence, a: tuple[int, int], b: tuple[int, int]) -> int:
    a0, a1 = s.word_span(a)
    b0, b1 = s.word_span(b)
    if b0 > a1:
        return b0 - a1
    if a0 > b1:
        return a0 - b1
    return 0


def _with_words(s: Sentence, spans: Iterable[tuple[int, int]]) -> list[tuple[tuple[int, int], int, int]]:
    """Each span with the indexes of its first and last word (Sentence.words_of: most spans
    here are measured once, word_span's memo would not pay)."""
    return [(b, *s.words_of(b)) for b in spans]


_second = itemgetter(1)


def _near(s: Sentence, a: tuple[int, int], spans: list[tuple[tuple[int, int], int, int]], reach: int
          ) -> list[tuple[int, int]]:
    """The spans (from _with_words) no more than `reach` words from `a` (as _distance counts)."""
    a0, a1 = s.word_span(a)
    return [b for b, b0, b1 in spans if (b0 - a1 if b0 > a1 else a0 - b1 if a0 > b1 else 0) <= reach]


def counts_in(lp: LanguagePack, doc: str, s: Sentence, spans: Spans) -> list:
    """Numbers of people in `s`; vague plurals ("hundreds", "сотни") are no count."""
    vague = lp.groups.get("vague_number")
    found = [
        n for n in spans.numbers
        # ("более тысячи" is one thousand: the extractor reads the genitive so only after a cue)
        if n.kind == "count" and not (vague is not None and not n.approx and vague.fullmatch(doc, n.start, n.end))
        and not (n.words and n.value == 1)  # "one, opposition politician X, ..." is no count
    ]
    bound = lp.groups.get("bound")
    if not found or bound is None:
        return found
    bounds = [m.end() for m in bound.finditer(doc, s.start, s.end)]
    return [n for n in found if not any(0 <= n.start - b <= 1 for b in bounds)]  # "below 1,200"


def _counts(lp: LanguagePack, doc: str, s: Sentence, spans: Spans, memo: dict) -> list:
    """counts_in, found once per sentence (`memo` is the sentence's)."""
    found = memo.get("\0counts")
    if found is None:
        found = memo["\0counts"] = counts_in(lp, doc, s, spans)
    return found


def _group(name: str, lp: LanguagePack, doc: str, s: Sentence, spans: Spans, memo: dict
           ) -> list[tuple[int, int]]:
    """_group_spans, found once per sentence (`memo` is the sentence's)."""
    found = memo.get(name)
    if found is None:
        found = memo[name] = _group_spans(name, lp, doc, s, spans, memo)
    return found


def _group_words(name: str, lp: LanguagePack, doc: str, s: Sentence, spans: Spans, memo: dict
                 ) -> list[tuple[tuple[int, int], int, int]]:
    """_group with word indexes (_with_words), found once per sentence."""
    key = "\0words " + name
    found = memo.get(key)
    if found is None:
        found = memo[key] = _with_words(s, _group(name, lp, doc, s, spans, memo))
    return found


def _group_spans(name: str, lp: LanguagePack, doc: str, s: Sentence, spans: Spans,
                 memo: dict | None = None) -> list[tuple[int, int]]:
    if name == "NUMBER":
        return [(n.start, n.end) for n in _counts(lp, doc, s, spans, {} if memo is None else memo)]
    if name == "DATE":
        # A cited source's date "(Belta, July 8)" does not make a mention an occasion.
        return [(d.start, d.end) for d in spans.dates
                if d.value is not None and not _cited(doc, s, d)]
    if name == "PERSON":
        return [(p.start, p.end) for p in spans.people]
    if name == "PLACE":
        return [(p.start, p.end) for p in spans.places]
    return [m.span() for m in lp.groups[name].finditer(doc, s.start, s.end)]


def _closer_trigger(s: Sentence, trig: tuple[int, int], d: Span,
                    others: Iterable[tuple[int, int]], breaks: Sequence[int] = ()) -> bool:
    """Is another trigger of the sentence, in the date's clause, nearer to the date ("X, freed
    last week, is back in prison": "last week" dates the release, not the re-arrest)?"""
    span = (d.start, d.end)
    mine = _distance(s, trig, span)
    dw = s.word_index(d.start)
    return any(o[1] <= trig[0] or o[0] >= trig[1] for o in others
               if _distance(s, o, span) < mine and not across_break(breaks, s.word_index(o[0]), dw))


def _pick_count(
    lp: LanguagePack, doc: str, s: Sentence, anchors: list[tuple[int, int]], spans: Spans, reach: int,
    part_first: bool = False, memo: dict | None = None,
) -> tuple[int | None, bool]:
    """The count of the mention and whether it is a political-prisoner subset. With
    `part_first`, the part in "114 of the 123 released" wins (a deportation's destination
    figure, EVENTS.md)."""
    memo = {} if memo is None else memo
    numbers = _counts(lp, doc, s, spans, memo)
    if not numbers:
        return None, False
    if len(numbers) == 1:  # nothing to choose between: near enough or none (and no subset)
        n = numbers[0]
        d = min(_distance(s, a, (n.start, n.end)) for a in anchors)
        return (n.value if d <= reach else None), False
    counted = _group("counted", lp, doc, s, spans, memo)
    subset = _group("subset", lp, doc, s, spans, memo)
    parts = [g[0] for g in _group("partof", lp, doc, s, spans, memo)] if "partof" in lp.groups else []
    best: tuple[int, ...] | None = None
    value = None
    for n in numbers:
        span = (n.start, n.end)
        d = min(_distance(s, a, span) for a in anchors)
        if d > reach:
            continue
        # A number that counts people ("52 prisoners") beats one that does not ("2 days");
        # a political-prisoner subset of the same release beats its total.
        after = [c for c in counted if c[0] >= n.end and _distance(s, span, c) <= 3]
        # "22 people, including 20 political prisoners": a subset follows its total and a
        # part-of cue ("including", "в том числе", "у тым ліку").
        sub = [c for c in subset if c[0] >= n.end and _distance(s, span, c) <= 3] if any(
            o.end <= p <= n.start for p in parts for o in numbers if o is not n) else []
        part = part_first and any(
            n.end <= p and _distance(s, span, (p, p + 1)) <= 1 and any(
                o.start > p and _distance(s, (p, p + 1), (o.start, o.end)) <= 2 for o in numbers)
            for p in parts)
        score = (0 if sub else 1, 0 if part else 1, d, 0 if after else 1)
        if best is None or score < best:
            best, value = score, n.value
    return value, best is not None and best[0] == 0 and len(numbers) > 1


def _with_others(lp: LanguagePack, doc: str, s: Sentence, spans: Spans, memo: dict, count: int) -> bool:
    """Does the count follow a "together with" cue ("вместе с еще 25", "разам з 51
    іншым")? Then it counts the others, and the named person is one more."""
    if "with_others" not in lp.groups:
        return False
    cues = _group("with_others", lp, doc, s, spans, memo)
    return any(n.value == count and any(c[1] <= n.start and _distance(s, c, (n.start, n.end)) <= 2 for c in cues)
               for n in _counts(lp, doc, s, spans, memo))


def _people_near(s: Sentence, trig: tuple[int, int], people: Sequence, window: int) -> list:
    """People within `window` words of the trigger, and the rest of a list they open
    ("including A, B, C and D")."""
    ordered = sorted(people, key=lambda p: p.start)
    keep = [_distance(s, trig, (p.start, p.end)) <= window for p in ordered]
    for i in range(1, len(ordered)):  # a list runs on: each name close to the one before
        a, b = ordered[i - 1], ordered[i]
        if keep[i - 1] and _distance(s, (a.start, a.end), (b.start, b.end)) <= 5:
            keep[i] = True
    return [p for p, k in zip(ordered, keep, strict=True) if k]


def _nearest(items: Sequence, s: Sentence, trig: tuple[int, int]):
    return min(items, key=lambda x: _distance(s, trig, (x.start, x.end)), default=None)


def trigger_spans(lp: LanguagePack, doc: str, start: int = 0, end: int | None = None
                  ) -> dict[int, list[tuple[int, int]]]:
    """Rule index -> spans of its triggers in doc[start:end], one per word start (so two
    triggers of one rule may overlap). Each rule is tried only where it can begin."""
    end = len(doc) if end is None else end
    out: dict[int, list[tuple[int, int]]] = {}
    by_first, anywhere, rules = lp.rules_by_first, lp.rules_anywhere, lp.rules
    ix = index_of(doc)
    low, prefilter = ix.low, lp.prefilter
    lo, hi = ix.span(start, end)
    # A plain text is tried by heads: at each word start, only the entries that can begin there.
    table = lp.trigger_table if ix.plain else None
    if table is not None and lp.trigger_openings is not None:
        get = table.get
        for p, h in ix.opened_heads(lp.trigger_openings, lo, hi):
            entry = get(h) or get(h[:2]) or get(h[:1])  # (textindex.at_head, inline)
            if entry is None or entry[0].match(doc, p, end) is None:
                continue
            for ri, pattern in entry[1]:
                t = pattern.match(doc, p, end)
                if t is not None:
                    out.setdefault(ri, []).append(t.span())
        return out
    for p in ix.opened(None if anywhere else lp.trigger_openings, lo, hi):
        c = low[p]
        if not anywhere and (c not in prefilter or prefilter[c].match(doc, p, end) is None):
            continue
        # (a text the heads cannot tell: the rules whose triggers can begin with its letter)
        for ri in by_first.get(c, ()) + anywhere:
            t = rules[ri].triggers.match(doc, p, end)
            if t is not None:
                out.setdefault(ri, []).append(t.span())
    return out


@cache
def _words_first(alternatives: tuple[str, ...]) -> tuple[str, ...]:
    """The alternatives of a requirement, word groups before the extractors' groups."""
    return tuple(sorted(alternatives, key=lambda n: n in SPECIAL_GROUPS))


def match_rule(
    rule: Rule, lp: LanguagePack, doc: str, s: Sentence, index: int, spans: Spans,
    in_title: bool = False, dropped: list[tuple[EventType, str | None]] | None = None,
    memo: dict | None = None, triggers: list[tuple[int, int]] | None = None,
) -> list[Mention]:
    """Every mention `rule` makes in sentence `s` of `doc` (drop cues already applied);
    mentions a drop cue removed are noted in `dropped` as (type, cue family). `memo` is
    shared by the rules of one sentence so groups and cues are matched once; `triggers` are
    the rule's trigger spans in the sentence (see trigger_spans), found here when not given."""
    dropped = dropped if dropped is not None else []
    out: list[Mention] = []
    if triggers is None:
        rid = lp.rules.index(rule)
        triggers = trigger_spans(lp, doc, s.start, s.end).get(rid, [])
    found_triggers = [t for t in triggers if t[1] <= s.end]
    if not found_triggers:
        return out
    blocks: list[tuple[tuple[int, int], int, int]] | None = None  # found when first asked for
    cache = memo if memo is not None else {}
    window = rule.window
    for trig in found_triggers:
        anchors, near = [trig], [trig]
        ok, context = True, False
        t0, t1 = s.word_span(trig)
        for alternatives in rule.requires:
            found: list[tuple[tuple[int, int], int]] = []  # each span near the trigger, and how near
            before = False  # held by the sentence before: nothing near the trigger to add
            # Word groups first: the extractors run only when no word group settles it.
            for name in _words_first(alternatives):
                if found and name in SPECIAL_GROUPS:
                    break
                if name.startswith(BEFORE):
                    before = before or _in_sentence_before(name[len(BEFORE):], lp, doc, cache)
                    continue
                for g, g0, g1 in _group_words(name, lp, doc, s, spans, cache):
                    d = g0 - t1 if g0 > t1 else t0 - g1 if t0 > g1 else 0  # as _distance counts
                    if d <= window and g != trig:
                        found.append((g, d))
            if not found:
                if before:
                    context = True
                    continue
                ok = False
                break
            near.append(min(found, key=_second)[0])
            if alternatives[0] != "NUMBER":
                anchors += [g for g, _ in found]
        if not ok:
            continue
        if rule.block is not None:
            if blocks is None:
                blocks = _with_words(s, [b.span() for b in rule.block.finditer(doc, s.start, s.end)])
            if blocks and _near(s, trig, blocks, rule.window):
                continue
        core = (min(a[0] for a in near), max(a[1] for a in near))
        certainty, cue = certainty_of(lp, doc, s, core, cache, rule.type)
        background = certainty is None and cue == "background"
        if certainty is None and not background:
            dropped.append((rule.type, cue))
            continue
        if rule.keep == "expected" and certainty != EXPECTED:
            continue
        count, subset = _pick_count(lp, doc, s, anchors, spans, rule.window + COUNT_REACH,
                                    part_first=rule.type == DEPORTATION, memo=cache)
        breaks = breaks_of(lp, doc, s, cache)
        # A total's "as of" day may sit anywhere in its sentence.
        reach = len(s.word_starts) if rule.type == TALLY else DATE_REACH
        spoken = _spoken(lp, doc, s, spans, cache)
        dates = [d for d in spans.dates if not d.is_range_start
                 and _distance(s, trig, (d.start, d.end)) <= reach
                 and d.start not in spoken
                 # a date across a clause break dates another clause ("freed on 11 September
                 # — and back in prison")
                 and not across_break(breaks, t0, s.word_index(d.start))
                 and not _closer_trigger(s, trig, d, cache.get("\0triggers", ()), breaks)]
        if "\0opening" not in cache:
            cache["\0opening"] = _opening_date(doc, s, spans, spoken)
        date = _nearest(dates, s, trig) or cache["\0opening"]
        if background:
            # "earlier, on 11 September, 52 were freed": a day of its own makes history an occasion.
            if date is None or date.value is None:
                dropped.append((rule.type, cue))
                continue
        certainty = certainty or REPORTED  # background with a day of its own: reported
        # A list of names follows a recognition; elsewhere the people of the occasion stand
        # near its verb; a total names nobody.
        people = () if rule.type == TALLY else tuple(dict.fromkeys(
            p.name for p in _people_near(s, trig, spans.people,
                                         len(s.word_starts) if rule.type == RECOGNITION
                                         else rule.window)))
        if count is not None and people and _with_others(lp, doc, s, spans, cache, count):
            count += 1  # "X was freed together with 51 other prisoners": 52 people
        # Where freed people were taken: a deportation's alone (EVENTS.md).
        place_span = _nearest(spans.places, s, trig) if rule.type == DEPORTATION else None
        place = place_span.place if place_span is not None else None
        # What the sentence before told is part of the evidence ("... nine more political
        # prisoners. The total now stands at 1,150.").
        evidence = cache["\0before"].text + " " + s.text if context else s.text
        out.append(built(Mention, rule=rule.id, type=rule.type, certainty=certainty, sentence=index,
                         trigger=trig, count=count, date=date, people=people, place=place,
                         evidence=evidence, in_title=in_title, source=None, subset=subset))
    return out


def _in_sentence_before(group: str, lp: LanguagePack, doc: str, memo: dict) -> bool:
    """Does `group` occur in the sentence before (the memo's "\0before")?"""
    before = memo.get("\0before")
    return before is not None and lp.groups[group].search(doc, before.start, before.end) is not None


def _cited(doc: str, s: Sentence, d: Span) -> bool:
    """Is the date inside a parenthesis, as in "(Charter97, September 11)"?"""
    before = doc[s.start:d.start]
    return before.rfind("(") > before.rfind(")")


def _opening_date(doc: str, s: Sentence, spans: Spans, spoken: set[int]):
    """"On June 21, ... were released": a date that opens the sentence dates all of it;
    so does the date of the report the sentence cites at its end "(Belta, July 8)". `spoken`:
    the starts of the dates that follow a verb of speech (_spoken)."""
    for d in spans.dates:
        if d.is_range_start or d.start in spoken:
            continue
        if s.word_index(d.start) - s.word_index(s.start) <= 2:
            return d
        if _cited(doc, s, d) and not doc[d.end:s.end].strip(" )].;"):
            return d
    return None


def _spoken(lp: LanguagePack, doc: str, s: Sentence, spans: Spans, memo: dict) -> set[int]:
    """The starts of the sentence's dates that follow a verb of speech (_after_speech), found
    once per sentence (`memo` is the sentence's)."""
    found = memo.get("\0spoken")
    if found is None:
        found = memo["\0spoken"] = {d.start for d in spans.dates if _after_speech(lp, doc, s, d)}
    return found


def _after_speech(lp: LanguagePack, doc: str, s: Sentence, d: Span) -> bool:
    """"said on Friday" dates the report, not the occasion."""
    speech = lp.groups.get("speech")
    if speech is None:
        return False
    return any(0 <= s.word_index(d.start) - s.word_index(m.start()) <= 2
               for m in speech.finditer(doc, s.start, d.start))


def first_match(pattern: Terms, doc: str, s: Sentence) -> str | None:
    m = pattern.search(doc, s.start, s.end)
    return m.group() if m else None
