"""Article -> events: scope check, extractors, sentence matching, one event per occasion.

Pure: no I/O beyond the cached rule pack, no clock (the publication date is a parameter).
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from rules.lazy import lazy
from rules.match import Mention, Spans, first_match, match_rule, trigger_spans
from rules.model import (
    DEPORTATION,
    PARDON,
    REARREST,
    TALLY,
    Certainty,
    DateBasis,
    Event,
    EventType,
    replaced,
)
from rules.occasions import settle_mentions, to_events
from rules.pack import LanguagePack, RulePack, load_pack
from rules.sentences import Sentence, normalise, split_sentences
from rules.textindex import index_of

log = logging.getLogger(__name__)


def _safe(fn: Callable[..., list], *args: object) -> list:
    # The extractors promise not to raise; an article is still never lost if one does.
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001 - bad input must never break detection
        log.exception("extractor %s failed", getattr(fn, "__name__", fn))
        return []


class _ArticleSpans:
    """Extractor output, computed only when a rule asks for it (most sentences never do)."""

    def __init__(self, raw: str, lang: str, published: date | None, home: str) -> None:
        self.raw, self.lang, self.published, self.home = raw, lang, published, home

    @lazy
    def people(self) -> list:
        from rules.extract.people import find_people

        # Names need the whole article: a surname alone is known from its full form elsewhere.
        return _safe(find_people, self.raw, self.lang)


def _moved(span: Any, offset: int) -> Any:
    """A copy of an extractor span (a frozen dataclass) `offset` characters on."""
    return replaced(span, start=span.start + offset, end=span.end + offset)


class _SentenceSpans:
    """Numbers, dates and places of one sentence; people from the article."""

    def __init__(self, article: _ArticleSpans, s: Sentence) -> None:
        self.article, self.s = article, s

    def _shifted(self, found: list) -> list:
        return [_moved(x, self.s.start) for x in found]

    @lazy
    def numbers(self) -> list:
        from rules.extract.counts import find_numbers

        return self._shifted(_safe(find_numbers, self.s.text, self.article.lang))

    @lazy
    def dates(self) -> list:
        from rules.extract.dates import find_dates

        a = self.article
        return self._shifted(_safe(find_dates, self.s.text, a.lang, a.published))

    @lazy
    def places(self) -> list:
        from rules.extract.places import find_places

        found = _safe(find_places, self.s.text, self.article.lang)
        return self._shifted([p for p in found if p.place != self.article.home])

    @lazy
    def people(self) -> list:
        return [p for p in self.article.people if self.s.start <= p.start and p.end <= self.s.end]


def _spans_at(spans_of: dict[int, _SentenceSpans], i: int, article: _ArticleSpans,
             sentences: list[Sentence]) -> _SentenceSpans:
    """The spans of sentence i, made when first asked for."""
    found = spans_of.get(i)
    if found is None:
        found = spans_of[i] = _SentenceSpans(article, sentences[i])
    return found


def _extract(raw: str, sentences: list[Sentence], wanted: list[int], lang: str,
             published: date | None, home: str) -> dict[int, _SentenceSpans]:
    """Lazy extractor spans of the sentences `wanted` (the ones with a trigger)."""
    article = _ArticleSpans(raw, lang, published, home)
    return {i: _SentenceSpans(article, sentences[i]) for i in wanted}


def _stated(lang: object) -> str | None:
    """The base code of a stated language tag ("ru-RU" -> "ru"), None when there is none."""
    return lang.lower().split("-")[0] if isinstance(lang, str) and lang else None


def _language(doc: str, lang: str | None, pack: RulePack) -> str | None:
    stated = _stated(lang)
    if stated in pack.languages:
        return stated
    try:
        from rules.langdetect import detect_language

        guess = detect_language(doc)
    except Exception:  # noqa: BLE001
        log.exception("language detection failed")
        return None
    return guess if guess in pack.languages else None


def in_scope(doc: str, pack: RulePack, lang: str | None = None) -> bool:
    """Does the article speak of the pack's country at all (in any of its languages)? The
    stated language's cues are tried first: a miss scans the whole text."""
    country = pack.country
    stated = _stated(lang)
    mine = country.get(stated) if stated else None
    if mine is not None and mine.search(doc):
        return True
    return any(p.search(doc) for p in country.values() if p is not mine) or any(p.search(doc) for p in pack.topic)


def _sentence_at(sentences: list[Sentence], starts: list[int], offset: int) -> int | None:
    i = bisect_right(starts, offset) - 1
    return i if i >= 0 and offset < sentences[i].end else None


def find_mentions(pack: RulePack, lang: str, doc: str, sentences: list[Sentence],
                  spans_of: Mapping[int, Spans], title_end: int,
                  triggers_of: dict[int, dict[int, list[tuple[int, int]]]]) -> list[Mention]:
    """Every mention of the article's sentences, after the article-level checks (sums and
    what follows them, implied pardons, totals, other states, amnesties, headlines)."""
    lp = pack.languages[lang]
    out: list[Mention] = []
    aggregate_at: dict[EventType, int] = {}
    body_dropped: set[EventType] = set()
    about_home: bool | None = None  # does the headline or the lead name the pack's country?
    for i, s in enumerate(sentences):
        spans = spans_of.get(i)
        if spans is None:
            continue
        found: list[Mention] = []
        dropped: list[tuple[EventType, str | None]] = []
        # Other events' verbs may claim a date first; a tally's triggers are common words.
        # (verb forms that only announce, "after releasing them", date nothing of their own)
        memo: dict = {"\0triggers": [t for ri, ts in triggers_of.get(i, {}).items()
                                     if lp.rules[ri].type != TALLY
                                     and lp.rules[ri].keep != "expected" for t in ts],
                      "\0releases": [t for ri, ts in triggers_of.get(i, {}).items()
                                      if lp.rules[ri].type == PARDON for t in ts],
                      "\0before": sentences[i - 1] if i else None}
        for ri, triggers in sorted(triggers_of.get(i, {}).items()):
            found += match_rule(lp.rules[ri], lp, doc, s, i, spans, s.start < title_end, dropped,
                                memo, triggers)
        # A trigger inside a longer one of the same type ("held" in "bringing the number of
        # people held ... to") is read by the longer rule.
        found = [m for m in found if not any(
            o.type == m.type and o.trigger != m.trigger and o.trigger[0] <= m.trigger[0]
            and m.trigger[1] <= o.trigger[1] for o in found)]
        for etype, cue in dropped:
            if cue == "aggregate":
                aggregate_at[etype] = i
            if s.start >= title_end:
                body_dropped.add(etype)
        # An undated mention right after a sum of the same kind ("Among those released
        # are ...") names people of the sum, not a new occasion.
        found = [m for m in found if not (m.date is None and 0 < i - aggregate_at.get(m.type, -9) <= 2)]
        found = _without_history(found)
        found += _implied_pardons(lp, doc, s, found)
        # The total still behind bars is no count of a release told in the same sentence.
        totals = {m.count for m in found if m.type == TALLY and m.count is not None}
        found = [replaced(m, count=None) if m.type != TALLY and m.count in totals else m
                 for m in found]
        # Another state's release, told in the sentence or in the clause of the trigger
        # ("Russia freed a journalist; the deal did not involve Belarus"). A deportation names
        # another state anyway (its destination): it is another state's swap only in an
        # article whose headline and lead (its first sentences) do not name the pack's country
        # ("Russia and the US swap prisoners ... no Belarusian took part").
        if found and pack.foreign is not None and pack.foreign.search(doc, s.start, s.end):
            foreign = _is_foreign(pack, doc, s.start, s.end)
            if foreign and about_home is None:
                about_home = _lead_names_home(pack, doc, sentences, title_end)
            found = [m for m in found if (
                (not foreign or bool(about_home)) if m.type == DEPORTATION
                else not (foreign or _is_foreign(pack, doc, *_clause(lp, doc, s, m.trigger))))]
        out += found
    out = _amnesties_with_political_prisoners(lp, doc, sentences, out)
    # A headline only sums up its body: when the body tells the same kind of news with a cue
    # that makes it no event ("after fully serving his sentence"), the headline is none either.
    body_types = {m.type for m in out if not m.in_title}
    out = [m for m in out if not (m.in_title and m.type in body_dropped and m.type not in body_types)]
    return [m if m.type != TALLY else replaced(m, source=_source(pack, doc, sentences[m.sentence]))
            for m in out]


def rule_mentions(rule_id: str, text: str, lang: str, published: date | None = None,
                  pack: RulePack | None = None) -> list[Mention]:
    """What one rule alone finds in `text` (scope not checked): runs a rule's examples."""
    pack = pack or load_pack()
    lp = pack.languages[lang]
    rule = next(r for r in lp.rules if r.id == rule_id)
    doc = normalise(text)
    sentences = split_sentences(text)
    spans_of = _extract(text, sentences, list(range(len(sentences))), lang, published, pack.home_place)
    return [m for i, s in enumerate(sentences) for m in match_rule(
        rule, lp, doc, s, i, spans_of[i],
        memo={"\0before": sentences[i - 1] if i else None})]


def _amnesties_with_political_prisoners(lp: LanguagePack, doc: str, sentences: list[Sentence],
                                         mentions: list[Mention]) -> list[Mention]:
    """A general amnesty is a pardon only when political prisoners are among those freed:
    a release told with an amnesty and no political prisoner or name beside it stays only
    when another release in the article names them."""
    amnesty, subset = lp.groups.get("amnesty"), lp.groups["subset"]
    if amnesty is None:
        return mentions

    def named(m: Mention) -> bool:
        s = sentences[m.sentence]
        return bool(m.people) or subset.search(doc, s.start, s.end) is not None

    def general(m: Mention) -> bool:
        s = sentences[m.sentence]
        return m.type == PARDON and not named(m) and amnesty.search(doc, s.start, s.end) is not None

    if any(m.type == PARDON and named(m) for m in mentions):
        return mentions
    return [m for m in mentions if not general(m)]


LEAD_SENTENCES = 2  # sentences of the body that make its lead (a dateline or a tag line may open it)


def _lead_names_home(pack: RulePack, doc: str, sentences: list[Sentence], title_end: int) -> bool:
    """Do the headline or the lead of the body name the pack's country?"""
    lead = [s for s in sentences if s.start >= title_end][:LEAD_SENTENCES]
    end = lead[-1].end if lead else title_end
    return any(p.search(doc, 0, end) for p in pack.country.values())


def _is_foreign(pack: RulePack, doc: str, start: int, end: int) -> bool:
    """Does doc[start:end] speak of another state's prisoners (an actor of it, no cue of ours)?"""
    if pack.foreign is None or not pack.foreign.search(doc, start, end):
        return False
    return not any(p.search(doc, start, end) for p in pack.country.values())


def _without_history(found: list[Mention]) -> list[Mention]:
    """A release told beside a re-arrest with no day of its own ("X, whom they pardoned last
    year, was detained again") is the person's history, not an occasion (EVENTS.md)."""
    rearrests = [m for m in found if m.type == REARREST]
    if not rearrests:
        return found
    return [m for m in found if not (m.type == PARDON and (
        m.date is None or m.date.value is None or any(m.date == r.date for r in rearrests)))]


def _clause(lp: LanguagePack, doc: str, s: Sentence, trig: tuple[int, int]) -> tuple[int, int]:
    """The span of the clause of `s` (between clause breaks: ";", "—", ", but") that holds `trig`."""
    pattern = lp.groups.get("clause_break")
    start, end = s.start, s.end
    if pattern is not None:
        for m in pattern.finditer(doc, s.start, s.end):
            if m.end() <= trig[0]:
                start = m.end()
            elif m.start() >= trig[1]:
                end = m.start()
                break
    return start, end


def _implied_pardons(lp: LanguagePack, doc: str, s: Sentence, found: list[Mention]) -> list[Mention]:
    """"The freed prisoners were deported to Lithuania" reports the pardon too (EVENTS.md)."""
    if any(m.type == PARDON for m in found):
        return []
    freed = lp.groups.get("freed")
    for m in found:
        if m.type == DEPORTATION and freed is not None and freed.search(doc, s.start, s.end):
            return [replaced(m, rule=m.rule + "+pardon", type=PARDON, place=None)]
    return []


def _source(pack: RulePack, doc: str, s: Sentence) -> str | None:
    for canon, pattern in pack.sources:
        if first_match(pattern, doc, s):
            return canon
    return None


def detect_events(title: str, text: str, lang: str | None, published: date | None,
                  pack: RulePack | None = None) -> list[Event]:
    """The events an article reports or expects, one per type, certainty and occasion."""
    pack = pack or load_pack()
    title = title if isinstance(title, str) else ""
    text = text if isinstance(text, str) else ""
    raw = f"{title}\n\n{text}"
    # Rules match the folded text; extractors and evidence see the text as written.
    # Folding keeps every offset, so spans of one are spans of the other.
    doc = normalise(raw)
    if not in_scope(doc, pack, lang):
        return []
    language = _language(raw, lang, pack)
    if language is None:
        return []
    ix = index_of(doc)
    sentences = split_sentences(title, index=ix) + split_sentences(text, offset=len(title) + 2, index=ix)
    triggers_of: dict[int, dict[int, list[tuple[int, int]]]] = {}
    starts = [s.start for s in sentences]
    for ri, spans in trigger_spans(pack.languages[language], doc).items():
        for span in spans:
            i = _sentence_at(sentences, starts, span[0])
            if i is not None:
                triggers_of.setdefault(i, {}).setdefault(ri, []).append(span)
    spans_of = _extract(raw, sentences, sorted(triggers_of), language, published, pack.home_place)
    mentions = find_mentions(pack, language, doc, sentences, spans_of, len(title), triggers_of)
    if spans_of:  # "so he was released": a person named in a sentence with no trigger
        article = next(iter(spans_of.values())).article
        mentions = settle_mentions(mentions, pack.languages[language].groups, doc, sentences,
                                   lambda: article.people,
                                   lambda i: _spans_at(spans_of, i, article, sentences).numbers)
    return _with_periods(to_events(mentions, doc, sentences, len(title), published), mentions)


def _with_periods(events: list[Event], mentions: list[Mention]) -> list[Event]:
    """An undated event told with a vague reference ("last week", "in May 2020") gets the
    period that reference bounds: its mentions' (same type, certainty, evidence) vague
    dates, when they agree on one period."""
    out = []
    for e in events:
        # An expected occasion has no day yet: a past reference beside it dates something else.
        if e.date is None and e.date_basis == DateBasis.none and e.certainty == Certainty.reported:
            periods = {
                (m.date.lo, m.date.hi) for m in mentions
                if m.type == e.type and m.certainty == e.certainty and m.evidence in e.evidence
                and m.date is not None and m.date.value is None
                and m.date.lo is not None and m.date.hi is not None
            }  # fmt: skip
            if len(periods) == 1:
                lo, hi = periods.pop()
                assert lo is not None and hi is not None
                e = replaced(e, period=(lo, hi))
        out.append(e)
    return out
