"""Article -> events: scope check, extractors, sentence matching, one event per occasion.

Pure: no I/O beyond the cached rule pack, no clock (the publication date is a parameter).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cached_property

from rules.match import Mention, Spans, first_match, match_rule
from rules.model import Certainty, DateBasis, Event, EventType
from rules.pack import LanguagePack, RulePack, load_pack
from rules.sentences import Sentence, normalise, split_sentences

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

    @cached_property
    def people(self) -> list:
        from rules.extract.people import find_people

        # Names need the whole article: a surname alone is known from its full form elsewhere.
        return _safe(find_people, self.raw, self.lang)


class _SentenceSpans:
    """Numbers, dates and places of one sentence; people from the article."""

    def __init__(self, article: _ArticleSpans, s: Sentence) -> None:
        self.article, self.s = article, s

    def _shifted(self, found: list) -> list:
        return [replace(x, start=x.start + self.s.start, end=x.end + self.s.start) for x in found]

    @cached_property
    def numbers(self) -> list:
        from rules.extract.counts import find_numbers

        return self._shifted(_safe(find_numbers, self.s.text, self.article.lang))

    @cached_property
    def dates(self) -> list:
        from rules.extract.dates import find_dates

        a = self.article
        return self._shifted(_safe(find_dates, self.s.text, a.lang, a.published))

    @cached_property
    def places(self) -> list:
        from rules.extract.places import find_places

        found = _safe(find_places, self.s.text, self.article.lang)
        return self._shifted([p for p in found if p.place != self.article.home])

    @cached_property
    def people(self) -> list:
        return [p for p in self.article.people if self.s.start <= p.start and p.end <= self.s.end]


def _extract(raw: str, sentences: list[Sentence], wanted: list[int], lang: str,
             published: date | None, home: str) -> dict[int, _SentenceSpans]:
    """Lazy extractor spans of the sentences `wanted` (the ones with a trigger)."""
    article = _ArticleSpans(raw, lang, published, home)
    return {i: _SentenceSpans(article, sentences[i]) for i in wanted}


def _language(doc: str, lang: str | None, pack: RulePack) -> str | None:
    if lang:
        lang = lang.lower().split("-")[0]
        if lang in pack.languages:
            return lang
    try:
        from rules.langdetect import detect_language

        guess = detect_language(doc)
    except Exception:  # noqa: BLE001
        log.exception("language detection failed")
        return None
    return guess if guess in pack.languages else None


def in_scope(doc: str, pack: RulePack) -> bool:
    """Does the article speak of the pack's country at all (in any of its languages)?"""
    return any(p.search(doc) for p in pack.country.values())


def find_mentions(pack: RulePack, lang: str, doc: str, sentences: list[Sentence],
                  spans_of: dict[int, Spans], title_end: int) -> list[Mention]:
    lp = pack.languages[lang]
    out: list[Mention] = []
    aggregate_at: dict[EventType, int] = {}
    body_dropped: set[EventType] = set()
    for i, s in enumerate(sentences):
        spans = spans_of.get(i)
        if spans is None:
            continue
        found: list[Mention] = []
        dropped: list[tuple[EventType, str | None]] = []
        memo: dict = {}
        for rule in lp.rules:
            found += match_rule(rule, lp, doc, s, i, spans, s.start < title_end, dropped, memo)
        for etype, cue in dropped:
            if cue == "aggregate":
                aggregate_at[etype] = i
            if s.start >= title_end:
                body_dropped.add(etype)
        # An undated mention right after a sum of the same kind ("Among those released
        # are ...") names people of the sum, not a new occasion.
        found = [m for m in found if not (m.date is None and 0 < i - aggregate_at.get(m.type, -9) <= 2)]
        found += _implied_pardons(lp, doc, s, found)
        # The total still behind bars is no count of a release told in the same sentence.
        totals = {m.count for m in found if m.type == EventType.tally and m.count is not None}
        found = [replace(m, count=None) if m.type != EventType.tally and m.count in totals else m
                 for m in found]
        if _is_foreign(pack, doc, s):
            found = [m for m in found if m.type == EventType.deportation]
        out += found
    # A headline only sums up its body: when the body tells the same kind of news with a cue
    # that makes it no event ("after fully serving his sentence"), the headline is none either.
    body_types = {m.type for m in out if not m.in_title}
    out = [m for m in out if not (m.in_title and m.type in body_dropped and m.type not in body_types)]
    return [m if m.type != EventType.tally else replace(m, source=_source(pack, doc, sentences[m.sentence]))
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
    return [m for i, s in enumerate(sentences) for m in match_rule(rule, lp, doc, s, i, spans_of[i])]


def _is_foreign(pack: RulePack, doc: str, s: Sentence) -> bool:
    """Does the sentence speak of another state's prisoners (an actor of it, no cue of ours)?"""
    if pack.foreign is None or not pack.foreign.search(doc, s.start, s.end):
        return False
    return not any(p.search(doc, s.start, s.end) for p in pack.country.values())


def _implied_pardons(lp: LanguagePack, doc: str, s: Sentence, found: list[Mention]) -> list[Mention]:
    """"The freed prisoners were deported to Lithuania" reports the pardon too (EVENTS.md)."""
    if any(m.type == EventType.pardon for m in found):
        return []
    freed = lp.groups.get("freed")
    for m in found:
        if m.type == EventType.deportation and freed is not None and freed.search(doc, s.start, s.end):
            return [replace(m, rule=m.rule + "+pardon", type=EventType.pardon, place=None)]
    return []


def _source(pack: RulePack, doc: str, s: Sentence) -> str | None:
    for canon, pattern in pack.sources:
        if first_match(pattern, doc, s):
            return canon
    return None


class _Occasion:
    """Mentions of one type and certainty that describe the same occasion."""

    def __init__(self, key: tuple, first: Mention) -> None:
        self.key = key
        self.mentions = [first]


def _key(m: Mention, doc: str, lead_end: int, main: date | None) -> tuple:
    d = m.date
    if d is None:
        if m.type == EventType.tally:
            return ("lead",)  # a total without its "as of" day is the total of the day
        if m.sentence >= lead_end:
            return ("undated",)
        return ("date", main) if main is not None else ("lead",)
    if d.value is not None:
        return ("date", d.value)
    return ("vague", doc[d.start:d.end].lower())


def _group(mentions: list[Mention], doc: str, lead_end: int, main: date | None) -> list[_Occasion]:
    groups: dict[tuple, list[_Occasion]] = {}
    for m in sorted(mentions, key=lambda m: (m.sentence, m.trigger[0])):
        kind = (m.type, m.certainty, m.source if m.type == EventType.tally else None)
        occ = groups.setdefault(kind, [])
        key = _key(m, doc, lead_end, main)
        if key == ("undated",):
            # A later undated mention continues the occasion the article spoke of last;
            # a deportation with none of its own continues the last release.
            pardons = groups.get((EventType.pardon, m.certainty, None), [])
            if occ:
                occ[-1].mentions.append(m)
                continue
            key = pardons[-1].key if m.type == EventType.deportation and pardons else ("past",)
        for o in occ:
            if o.key == key:
                o.mentions.append(m)
                break
        else:
            occ.append(_Occasion(key, m))
    return [o for occ in groups.values() for o in occ]


def _main_date(mentions: list[Mention], lead_end: int) -> date | None:
    """The dated occasion the lead reports: undated lead mentions belong to it."""
    for m in sorted(mentions, key=lambda m: (m.sentence, m.trigger[0])):
        if m.sentence < lead_end and m.certainty == Certainty.reported and m.date is not None \
                and m.date.value is not None:
            return m.date.value
    return None


def _to_event(o: _Occasion, published: date | None) -> Event:
    ms = o.mentions
    first_type = ms[0].type
    dated = [m for m in ms if m.date is not None and m.date.value is not None]
    if o.key[0] == "date":
        when = o.key[1]
        basis = DateBasis(str(dated[0].date.basis)) if dated else DateBasis.stated
    elif o.key[0] in ("vague", "past"):
        when, basis = None, DateBasis.none  # a past occasion the article does not date
    else:
        when, basis = published, DateBasis.published if published else DateBasis.none
    # A political-prisoner subset first (EVENTS.md), then counts stated beside a date, the title.
    ranked = sorted(ms, key=lambda m: (not m.subset, m not in dated, not m.in_title))
    count = next((m.count for m in ranked if m.count is not None), None)
    people = tuple(dict.fromkeys(p for m in ms for p in m.people))
    place = next((m.place for m in ms if m.place), None) if first_type == EventType.deportation else None
    evidence = " … ".join(dict.fromkeys(m.evidence for m in ms))
    first = ms[0]
    return Event(first.type, first.certainty, count, people, when, place, evidence, basis, first.source)


def _same_day(a: Event, b: Event) -> bool:
    return a.date is not None and a.date == b.date


def _merge(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    for e in events:
        twin = next((x for x in out if x.type == e.type and x.certainty == e.certainty
                     and x.source == e.source and _same_day(x, e)), None)
        if twin is None:
            out.append(e)
            continue
        i = out.index(twin)
        out[i] = replace(
            twin,
            count=twin.count if twin.count is not None else e.count,
            people=tuple(dict.fromkeys(twin.people + e.people)),
            place=twin.place or e.place,
            evidence=twin.evidence if e.evidence in twin.evidence else f"{twin.evidence} … {e.evidence}",
        )
    return out


def _finish(events: list[Event]) -> list[Event]:
    reported = [e for e in events if e.certainty == Certainty.reported]
    out = []
    for e in events:
        if e.type == EventType.tally and e.certainty == Certainty.expected:
            continue  # a total offered only as a possibility is no tally (EVENTS.md)
        if e.certainty == Certainty.expected and any(
            r.type == e.type and e.count is not None and r.count == e.count for r in reported
        ):
            continue  # announced and already reported as under way: one reported event
        if e.type == EventType.deportation and e.count is None:
            twin = next((r for r in events if r.type == EventType.pardon and r.certainty == e.certainty
                         and _same_day(r, e) and r.count is not None), None)
            if twin is not None:
                e = replace(e, count=twin.count)
        out.append(e)
    return out


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
    if not in_scope(doc, pack):
        return []
    language = _language(raw, lang, pack)
    if language is None:
        return []
    sentences = split_sentences(title) + split_sentences(text, offset=len(title) + 2)
    any_trigger = pack.languages[language].any_trigger
    wanted = [i for i, s in enumerate(sentences) if any_trigger.search(doc, s.start, s.end)]
    spans_of = _extract(raw, sentences, wanted, language, published, pack.home_place)
    lead_end = _lead_end(doc, sentences, len(title))
    mentions = find_mentions(pack, language, doc, sentences, spans_of, len(title))
    main = _main_date(mentions, lead_end)
    events = [_to_event(o, published) for o in _group(mentions, doc, lead_end, main)]
    return _finish(_merge(events))


def _lead_end(doc: str, sentences: list[Sentence], title_end: int) -> int:
    """Index of the first sentence after the title and the first paragraph: the news of the day."""
    body = [i for i, s in enumerate(sentences) if s.start >= title_end]
    if not body:
        return len(sentences)
    first = sentences[body[0]]
    para_end = doc.find("\n", first.start)
    para_end = len(doc) if para_end < 0 else para_end
    return next((i for i in body if sentences[i].start > para_end), len(sentences))
