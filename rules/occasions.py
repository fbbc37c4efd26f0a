"""Mentions -> events: one event per type, certainty and occasion within an article.

Groups an article's mentions by the day they describe (undated lead mentions take the
lead's date or the publication date) and merges each group into one Event. Pure.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from operator import attrgetter
from typing import Protocol

from rules.match import Mention
from rules.model import (
    DEPORTATION,
    EXPECTED,
    PARDON,
    REARREST,
    RECOGNITION,
    REPORTED,
    TALLY,
    DateBasis,
    Event,
    built,
    replaced,
)
from rules.sentences import Sentence
from rules.textindex import Terms

# (enum members as module constants, as rules.model says why)
_RELEASES = (PARDON, DEPORTATION)
_PUBLISHED, _STATED, _NO_BASIS = DateBasis.published, DateBasis.stated, DateBasis.none
_BASIS = {str(b): b for b in DateBasis}


class _Occasion:
    """Mentions of one type and certainty that describe the same occasion."""

    def __init__(self, key: tuple, first: Mention) -> None:
        self.key = key
        self.mentions = [first]


def _key(m: Mention, doc: str, lead_end: int, mains: dict[object, date]) -> tuple:
    if m.type == TALLY:
        return ("total",)  # an article states one current total per source
    d = m.date
    if d is None:
        if m.sentence >= lead_end:
            return ("undated",)
        main = mains.get(_FAMILY.get(m.type, m.type))
        return ("date", main) if main is not None else ("lead",)
    if d.value is not None:
        return ("date", d.value)
    return ("vague", doc[d.start:d.end].lower())


def _group(mentions: list[Mention], doc: str, lead_end: int, mains: dict[object, date]
           ) -> list[_Occasion]:
    """`mentions` in the order of the text (_in_order)."""
    groups: dict[tuple, list[_Occasion]] = {}
    for m in mentions:
        kind = (m.type, m.certainty, m.source if m.type == TALLY else None)
        occ = groups.setdefault(kind, [])
        key = _key(m, doc, lead_end, mains)
        if key == ("undated",):
            # A later undated mention continues the occasion the article spoke of last;
            # a deportation with none of its own continues the last release.
            if occ:
                occ[-1].mentions.append(m)
                continue
            key = _release_of(m, groups.get((PARDON, m.certainty, None), [])) if m.type == DEPORTATION \
                else ("past",)
        for o in occ:
            if o.key == key:
                o.mentions.append(m)
                break
        else:
            occ.append(_Occasion(key, m))
    return [o for occ in groups.values() for o in occ]


def _release_of(m: Mention, pardons: list[_Occasion]) -> tuple:
    """The release an undated deportation continues: the one told with its day right
    before it, or the article's only release with a day (the lead's news of the day has
    one); when the article tells of several and the deportation is far from them, its day
    is unknown (EVENTS.md: `null`)."""
    if not pardons:
        return ("past",)
    last = pardons[-1]
    if any(0 <= m.sentence - x.sentence <= 1 and x.date is not None and x.date.value is not None
           for x in last.mentions):
        return last.key
    days = {o.key for o in pardons if o.key[0] in ("date", "lead")}
    return days.pop() if len(days) == 1 else ("past",)


# A release and the deportation of the freed are one occasion; other types stand alone.
_FAMILY = {PARDON: "release", DEPORTATION: "release"}


def _main_dates(mentions: list[Mention], lead_end: int) -> dict[object, date]:
    """Per family of types, the dated occasion the lead reports: undated lead mentions of
    that family belong to it. `mentions` in the order of the text (_in_order)."""
    out: dict[object, date] = {}
    for m in mentions:
        if m.sentence < lead_end and m.certainty == REPORTED and m.date is not None \
                and m.date.value is not None:
            out.setdefault(_FAMILY.get(m.type, m.type), m.date.value)
    return out


def _to_event(o: _Occasion, published: date | None) -> Event:
    ms = o.mentions
    first_type = ms[0].type
    dated = [m for m in ms if m.date is not None and m.date.value is not None]
    first_date = dated[0].date if dated else None
    if o.key[0] == "total":
        # The "as of" day of the first dated statement, else the day of publication.
        ms = dated[:1] + [m for m in ms if m not in dated[:1]]
        if first_date is not None:
            when, basis = first_date.value, _BASIS[str(first_date.basis)]
        else:
            when, basis = published, _PUBLISHED if published else _NO_BASIS
        dated = dated[:1]
    elif o.key[0] == "date":
        when = o.key[1]
        basis = _BASIS[str(first_date.basis)] if first_date is not None else _STATED
    elif o.key[0] in ("vague", "past"):
        when, basis = None, _NO_BASIS  # a past occasion the article does not date
    else:
        when, basis = published, _PUBLISHED if published else _NO_BASIS
    counted: list[Mention] = []
    names: list[str] = []
    evidence: list[str] = []
    place = None
    for m in ms:
        if m.count is not None:
            counted.append(m)
        names += m.people
        evidence.append(m.evidence)
        if place is None and m.place:
            place = m.place
    # A political-prisoner subset first (EVENTS.md), then counts stated beside a date, the title.
    if len(counted) > 1:
        count = min(counted, key=lambda m: (not m.subset, m not in dated, not m.in_title)).count
    else:
        count = counted[0].count if counted else None
    first = ms[0]
    return built(Event, type=first.type, certainty=first.certainty, count=count,
                  people=_distinct_people(names), date=when, place=place if first_type == DEPORTATION else None,
                  evidence=" … ".join(dict.fromkeys(evidence)) if len(evidence) > 1 else evidence[0],
                  date_basis=basis, source=first.source, period=None)


def _distinct_people(names: list[str]) -> tuple[str, ...]:
    """One entry per person ("Statkevich" and "Mikola Statkevich" are one), the fullest
    form kept, in order of first mention."""
    if len(names) < 2:
        return tuple(names)
    from rules.names import same_person

    out: list[str] = []
    for name in names:
        for i, kept in enumerate(out):
            if same_person(kept, name):
                if len(name.split()) > len(kept.split()):
                    out[i] = name
                break
        else:
            out.append(name)
    return tuple(out)


def _same_day(a: Event, b: Event) -> bool:
    return a.date is not None and a.date == b.date


def _merge(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    for e in events:
        for i, twin in enumerate(out):
            if twin.type == e.type and twin.certainty == e.certainty and _same_source(twin, e) \
                    and _same_day(twin, e):
                out[i] = replaced(
                    twin,
                    count=twin.count if twin.count is not None else e.count,
                    people=tuple(dict.fromkeys(twin.people + e.people)),
                    place=twin.place or e.place,
                    evidence=twin.evidence if e.evidence in twin.evidence else f"{twin.evidence} … {e.evidence}",
                    source=twin.source or e.source,
                )
                break
        else:
            out.append(e)
    return out


def _same_source(a: Event, b: Event) -> bool:
    """A total that names no source (a headline's) is the one its article attributes to a
    source when the figures agree; totals of two sources stay two (EVENTS.md)."""
    if a.source == b.source:
        return True
    return a.type == TALLY and (a.source is None or b.source is None) and a.count == b.count


def _finish(events: list[Event]) -> list[Event]:
    reported = [e for e in events if e.certainty == REPORTED]
    out = []
    for e in events:
        if e.type == TALLY and e.certainty == EXPECTED:
            continue  # a total offered only as a possibility is no tally (EVENTS.md)
        if e.certainty == EXPECTED and any(
            r.type == e.type and (e.count is not None and r.count == e.count
                                  or e.date is not None and r.date is not None and r.date >= e.date)
            for r in reported
        ):
            continue  # announced, then reported as under way: one reported event
        if e.type == DEPORTATION and e.count is None:
            twin = next((r for r in events if r.type == PARDON and r.certainty == e.certainty
                         and _same_day(r, e) and r.count is not None), None)
            if twin is not None:
                e = replaced(e, count=twin.count)
        out.append(e)
    return out


def _lead_end(doc: str, sentences: list[Sentence], title_end: int) -> int:
    """Index of the first sentence after the title and the first paragraph: the news of the day.
    (`sentences` in the order of the text, as split_sentences gives them.)"""
    first = bisect_left(sentences, title_end, key=_start)
    if first == len(sentences):
        return first
    para_end = doc.find("\n", sentences[first].start)
    return len(sentences) if para_end < 0 else bisect_right(sentences, para_end, key=_start)


_start = attrgetter("start")


def to_events(mentions: list[Mention], doc: str, sentences: list[Sentence], title_end: int,
              published: date | None) -> list[Event]:
    """The events of an article from all its mentions."""
    lead_end = _lead_end(doc, sentences, title_end)
    mentions = sorted(_rearrested_not_deported(_recognised_not_total(mentions)), key=_in_order)
    mains = _main_dates(mentions, lead_end)
    events = [_to_event(o, published) for o in _group(mentions, doc, lead_end, mains)]
    return _finish(_merge(events))


def _in_order(m: Mention) -> tuple[int, int]:
    return m.sentence, m.trigger[0]


def _rearrested_not_deported(mentions: list[Mention]) -> list[Mention]:
    """A person a sentence tells was re-arrested is behind bars in Belarus: the deportation
    the same sentence tells of ("the prisoners were deported - one, X, refused to leave and
    was re-arrested") is not theirs."""
    held = {(m.sentence, p) for m in mentions if m.type == REARREST for p in m.people}
    if not held:
        return mentions
    from rules.names import same_person

    return [replaced(m, people=tuple(p for p in m.people if not any(
                i == m.sentence and same_person(p, h) for i, h in held)))
            if m.type == DEPORTATION else m for m in mentions]


class _Person(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def name(self) -> str: ...


_OF_PERSONS = (PARDON, DEPORTATION, REARREST)
PRONOUN_REACH = 2  # words between "he"/"she" and the verb it is the subject of
ANTECEDENT_REACH = 2  # sentences back (within the paragraph) where "he"/"she" is named


def settle_mentions(mentions: list[Mention], groups: Mapping[str, Terms], doc: str,
                    sentences: list[Sentence], people: Callable[[], Sequence[_Person]],
                    numbers: Callable[[int], Sequence[_Number]]) -> list[Mention]:
    """What a mention's own words leave open, read from its sentence and the ones before:
    who is no subject (a speaker), which count is a political-prisoner subset, whom "he"
    or "she" stands for. `people` gives the article's named persons, `numbers(i)` the
    numbers of sentence i."""
    mentions = _without_speakers(mentions, groups, doc, sentences, people)
    mentions = _partitive_subsets(mentions, groups, doc, sentences, numbers)
    return with_antecedents(mentions, groups, doc, sentences, people)


class _Number(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def value(self) -> int: ...


def _partitive_subsets(mentions: list[Mention], groups: Mapping[str, Terms], doc: str,
                       sentences: list[Sentence], numbers: Callable[[int], Sequence[_Number]]
                       ) -> list[Mention]:
    """"27 of the freed were political prisoners", "из них 12 политзаключенных": a count
    that a part-of cue follows or opens, in a sentence that names political prisoners, is
    the political-prisoner subset of the release (EVENTS.md: the subset is the count)."""
    partof, subset = groups.get("partof"), groups.get("subset")
    if partof is None or subset is None:
        return mentions
    out = []
    cues: dict[int, list[tuple[int, int]]] = {}  # per sentence: its part-of cues
    for m in mentions:
        if m.type in _RELEASES and m.count is not None and not m.subset:
            s = sentences[m.sentence]
            if any(n.value == m.count and _partitive(_partof_cues(cues, partof, doc, m.sentence, s), s, n)
                   and _names_subset(partof, subset, doc, s, n) for n in numbers(m.sentence)):
                m = replaced(m, subset=True)
            elif m.sentence + 1 < len(sentences) and _partof_cues(cues, partof, doc, m.sentence + 1,
                                                           sentences[m.sentence + 1]):  # (a cue there)
                # "Lukashenko pardoned 30 convicts. 16 of them are political prisoners.": the
                # next sentence gives the subset of the same release.
                after, total = sentences[m.sentence + 1], m.count
                assert total is not None
                part = next((n for n in numbers(m.sentence + 1) if 0 < n.value < total
                             and _partitive(cues[m.sentence + 1], after, n)
                             and _names_subset(partof, subset, doc, after, n)), None)
                if part is not None:  # the evidence shows the sentence the count rests on
                    m = replaced(m, count=part.value, subset=True, evidence=f"{m.evidence} {after.text}")
        out.append(m)
    return out


def _partof_cues(memo: dict[int, list[tuple[int, int]]], partof: Terms, doc: str, i: int,
          s: Sentence) -> list[tuple[int, int]]:
    """The part-of cues of sentence i (s), found once per call: each one's first word and end."""
    found = memo.get(i)
    if found is None:
        found = memo[i] = [(s.word_index(c.start()), c.end()) for c in partof.finditer(doc, s.start, s.end)]
    return found


SUBSET_REACH = 10  # words from a partitive count to the political prisoners it says they are


def _names_subset(partof: Terms, subset: Terms, doc: str, s: Sentence,
                  n: _Number) -> bool:
    """Are the counted said to be political prisoners ("27 of the freed were political
    prisoners"), not listed among others ("114 of those released, including ... political
    prisoners")?"""
    term = subset.search(doc, n.end, s.end)
    if term is None or s.word_index(term.start()) - s.word_span((n.start, n.end))[1] > SUBSET_REACH:
        return False
    # the part-of cue right after the number is the partitive itself; another one lists
    cues = [c for c in partof.finditer(doc, n.end, term.start())]
    return len(cues) <= 1 and not (cues and s.word_index(cues[0].start()) - s.word_span(
        (n.start, n.end))[1] > 1)


def _partitive(cues: list[tuple[int, int]], s: Sentence, n: _Number) -> bool:
    """Does a part-of cue of the sentence (_partof_cues) follow the number ("27 of the freed") or
    open it ("из них 12")?"""
    if not cues:
        return False
    w0, w1 = s.word_span((n.start, n.end))
    for cw, end in cues:
        if cw == w1 + 1 or (end <= n.start and w0 - s.word_index(end - 1) == 1):
            return True
    return False


def with_antecedents(mentions: list[Mention], groups: Mapping[str, Terms], doc: str,
                     sentences: list[Sentence], people: Callable[[], Sequence[_Person]]
                     ) -> list[Mention]:
    """A release, deportation or re-arrest told of "he" or "she" alone ("so he was released")
    names the person the sentences before it name first, in the same paragraph, when the
    name agrees with the pronoun; `people` gives the article's named persons."""
    out = []
    for m in mentions:
        # (no sentence before it in its paragraph: no antecedent, whatever the pronoun)
        if m.type in _OF_PERSONS and not m.people and _follows_in_paragraph(m.sentence, doc, sentences):
            gender = _pronoun_before(m, groups, doc, sentences[m.sentence])
            if gender is not None:
                name = _antecedent(m.sentence, gender, doc, sentences, people())
                if name is not None:
                    m = replaced(m, people=(name,))
        out.append(m)
    return out


def _without_speakers(mentions: list[Mention], groups: Mapping[str, Terms], doc: str,
                      sentences: list[Sentence], people: Callable[[], Sequence[_Person]]
                      ) -> list[Mention]:
    """A re-arrest's subject may stand far from its verb, and so may the one who tells of
    it: a person whose name a speech verb follows ("Pavel Sapelka said on Monday that the
    activist was detained again") is the speaker, not the one detained."""
    speech, relative = groups.get("speech"), groups.get("relative")  # "X, who told ..."
    if speech is None or not any(m.type == REARREST and m.people for m in mentions):
        return mentions
    out = []
    for m in mentions:
        if m.type == REARREST and m.people:
            s = sentences[m.sentence]
            cues = [s.word_index(c.start()) for c in speech.finditer(doc, s.start, m.trigger[0])]
            speakers = {p.name for p in people() if s.start <= p.start and p.end <= m.trigger[0]
                        and any(0 < c - s.word_index(p.end - 1) <= SPEAKER_REACH for c in cues)
                        and not (relative is not None and relative.search(
                            doc, p.end, min(p.end + 12, m.trigger[0])))}
            m = replaced(m, people=tuple(n for n in m.people if n not in speakers))
        out.append(m)
    return out


SPEAKER_REACH = 2  # words from a name to the speech verb that makes it the speaker's


def _pronoun_before(m: Mention, groups: Mapping[str, Terms], doc: str, s: Sentence
                    ) -> str | None:
    """"he" or "she" when one is the subject right before the trigger, or the object right
    before an impersonal verb ("Его снова задержали": "him" they detained again; a word
    between, "его брата", makes it a possessive), else None."""
    t0 = s.word_index(m.trigger[0])
    for gender, group, reach in (("he", "he", PRONOUN_REACH), ("she", "she", PRONOUN_REACH),
                                 ("he", "him", 1), ("she", "her", 1)):
        pattern = groups.get(group)
        if pattern is not None and any(
                0 < t0 - s.word_index(p.start()) <= reach
                for p in pattern.finditer(doc, s.start, m.trigger[0])):
            return gender
    return None


def _follows_in_paragraph(index: int, doc: str, sentences: list[Sentence]) -> bool:
    """Does a sentence of the same paragraph come before sentence `index` (where _antecedent
    looks first)?"""
    return index > 0 and "\n" not in doc[sentences[index - 1].end:sentences[index].start]


def _antecedent(index: int, gender: str, doc: str, sentences: list[Sentence],
                people: Sequence[_Person]) -> str | None:
    for i in range(index - 1, max(-1, index - 1 - ANTECEDENT_REACH), -1):
        if not _follows_in_paragraph(i + 1, doc, sentences):
            return None  # another paragraph
        s = sentences[i]
        named = sorted((p for p in people if s.start <= p.start and p.end <= s.end),
                       key=lambda p: p.start)
        if named:
            first = named[0].name
            return first if _agrees(first, gender) else None
    return None


def _agrees(name: str, gender: str) -> bool:
    """Does the name fit "he" or "she"? Latin transliterations keep the nominative, where
    Belarusian and Russian feminine names end in -a ("Maria Kalesnikava", "Darya Losik").
    Cyrillic names are declined ("Игоря Лосика", "Марию Колесникову"): only a masculine
    nominative ("Ігар Лосік", "Алесь Бяляцкі") is sure, and it fits only "he"."""
    words = [w.lower() for w in name.split()]
    if _CYRILLIC.search(name):
        return gender == "he" and _MASCULINE.search(words[-1]) is not None and (
            len(words) == 1 or _MASCULINE_FIRST.search(words[0]) is not None)
    feminine = words[-1].endswith("a") or (len(words) > 1 and words[0].endswith("a"))
    return feminine == (gender == "she")


_CYRILLIC = re.compile("[а-яёіўїєґ]", re.IGNORECASE)
_MASCULINE = re.compile("(?:[бвгджзклмнпрстфхцчшщў]|[иыі]й|[цс]кі)$")
_MASCULINE_FIRST = re.compile("(?:[бвгджзклмнпрстфхцчшщў]|[еа]й|ь)$")


def _recognised_not_total(mentions: list[Mention]) -> list[Mention]:
    """A total read from the very words that tell of a recognition ("12 people were
    recognised as political prisoners on Monday") is the number recognised, not the total:
    the recognition keeps the number."""
    recognitions = [m for m in mentions if m.type == RECOGNITION]
    if not recognitions:
        return mentions
    out, claimed = [], {}
    for m in mentions:
        r = next((r for r in recognitions if m.type == TALLY and r.sentence == m.sentence
                  and r.trigger[0] < m.trigger[1] and m.trigger[0] < r.trigger[1]), None)
        if r is None:
            out.append(m)
        elif r.count is None and m.count is not None:
            claimed[id(r)] = m.count
    return [replaced(m, count=claimed[id(m)]) if id(m) in claimed else m for m in out]
