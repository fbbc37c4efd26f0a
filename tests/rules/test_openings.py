"""The openings index (rules.firstchars.openings, rules.textindex) lets a scan skip word starts;
it must never skip one where a pattern matches. And Belarusian in either orthography."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.detect import detect_events
from rules.extract.places import _PATTERNS as _PLACE_PATTERNS
from rules.extract.places import find_places
from rules.firstchars import openings, openings_of, required_literals
from rules.pack import _needs, load_pack, optional_soft_sign
from rules.sentences import normalise, split_sentences
from rules.textindex import Terms, index_of, lowered

PACK = load_pack()


def test_openings_of_simple_patterns() -> None:
    assert openings(r"(?<!\w)(?:(?:pardon)\w*|(?:freed)\b)", re.I) == {"par", "fre"}
    assert openings(r"(?:x){0,2}yz") == {"yz", "xyz", "xxy"}  # "yz" may be the whole match
    assert openings(r"ab{5}c") == {"abb"}
    assert openings(r"a\d{5}") == {"a"}  # a digit class is no known character: "a" alone
    assert openings(r"PoM", re.I) == {"pom"}
    assert openings(r"\w+ years") is None and openings(r"(?:a)?") is None
    assert openings_of([("ab", 0), (r"\d+", 0)]) is None
    assert openings_of([("abc", 0), ("de", 0), ("f", 0)]) == ({"abc"}, {"de"}, {"f"})


_ALPHABET = "pardonfre ввызвалпом.,-'ьсзн\nIİ"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_the_index_never_skips_a_match(text: str) -> None:
    patterns = [r"(?<!\w)(?:(?:pardon)\w*|(?:freed)\b)", r"(?<!\w)(?:пом\w*|выз\w*)", r"(?<!\w)f", r"(?<!\w)(?:ab)?i"]
    ix = index_of(text)
    assert len(ix.low) == len(text)
    for p in patterns:
        keys = openings_of([(p, re.I)])
        assert keys is not None
        opened = set(ix.opened(keys, 0, len(ix.starts)))
        for m in re.compile(p, re.I).finditer(text):
            assert m.start() in opened, (p, text, m.start())


def _every_terms(pack) -> list[tuple[str, Terms]]:
    out: list[tuple[str, Terms]] = [(f"country {k}", v) for k, v in pack.country.items()]
    out += [(f"source {k}", v) for k, v in pack.sources] + [("topic", t) for t in pack.topic]
    for lp in pack.languages.values():
        out += [(f"{lp.lang} group {k}", v) for k, v in lp.groups.items()]
        out += [(f"{lp.lang} {r.id}", t) for r in lp.rules for t in (r.triggers, r.block) if t is not None]
        out += [(f"{lp.lang} cues {m.name}", t) for m in lp.modalities
                for t in (m.cues, m.unless, m.loose) if t is not None]
    return out


def test_every_scan_finds_what_its_expression_finds() -> None:
    """Every term list of the pack, over every rule example and every sentence of them: the
    word-start scan gives the spans the regular expression's finditer and search give."""
    terms = _every_terms(PACK)
    assert sum(t.by_letter is not None for _, t in terms) > len(terms) // 2  # most scan
    texts = [x for lp in PACK.languages.values() for r in lp.rules for x in r.examples + r.counterexamples]
    for text in texts:
        doc = normalise(text)
        bounds = [(0, len(doc))] + [(s.start, s.end) for s in split_sentences(text)]
        for name, t in terms:
            for start, end in bounds:
                want = [m.span() for m in t.regex.finditer(doc, start, end)]
                assert [m.span() for m in t.finditer(doc, start, end)] == want, (name, text)
                first = t.regex.search(doc, start, end)
                got = t.search(doc, start, end)
                assert (got and got.span()) == (first and first.span()), (name, text)


def test_required_literals_of_simple_patterns() -> None:
    assert required_literals(r"\d+ (years?|months?) (ago|earlier)\b") == (
        frozenset({"year", "month"}), frozenset({"ago", "earlier"}), frozenset({" "}))
    assert required_literals(r"(\w+ )?(год|лет) Назад", re.I) == (frozenset({" назад"}), frozenset({"год", "лет"}))
    assert required_literals(r"(?:a|\d)x") == (frozenset({"x"}),)  # a branch with a class adds nothing
    assert required_literals(r"(?=abc)\w+") is None  # what a look-ahead sees is not consumed
    assert required_literals(r"(?:ab){2}|cd") == (frozenset({"ab", "cd"}),)
    assert required_literals(r"\w+") is None


def test_needs_skip_a_set_another_implies() -> None:
    # A text that holds " in " holds "in ": the second gate goes to a set that tells more.
    assert _needs(re.compile(r" in (?:xa|yb)in ", re.IGNORECASE)) == ((" in ",), ("xa", "yb"))


def test_required_literals_order_is_the_same_in_every_process() -> None:
    # Sets of equal selectivity come in a fixed order, not the hash seed's: the strings a
    # term list is gated by (and so the engine's work) do not change from run to run.
    code = ("from rules.firstchars import required_literals as r; "
            "print([sorted(ws) for ws in r('(?:on|at) (?:ef|gh) (?:ab|cd)')])")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4")}
    assert len(seen) == 1
    assert seen.pop().strip() == "[['ab', 'cd'], ['at', 'on'], ['ef', 'gh'], [' ']]"


# Pieces of the loose cues and clause breaks, letters the engine folds to others ("ı", "ſ",
# "ᲀ"), and filler: the gate by required strings must never hide a match.
_LOOSE_PIECES = ["two ", "years", "YEARS", "ago", "earlier", "month", "5 ", "12", " in ", "May", "june",
                 " и ", "года ", "год", " назад", "НАЗАД", "суток", "гады ", " таму", ", but", ";",
                 "ı", "ſ", "ᲀ", "К", "x", " ", ".", "\n", "-day ", "days "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LOOSE_PIECES), max_size=14))
def test_required_strings_never_hide_a_match(pieces: list[str]) -> None:
    doc = normalise("".join(pieces))
    gated = [(name, t) for name, t in _every_terms(PACK) if t.needs is not None]
    assert any("назад" in t.pattern for _, t in gated)  # the loose cue families are gated
    for name, t in gated:
        for start, end in ((0, len(doc)), (len(doc) // 3, len(doc))):
            first = t.regex.search(doc, start, end)
            got = t.search(doc, start, end)
            assert (got and got.span()) == (first and first.span()), (name, doc)
            assert [m.span() for m in t.finditer(doc, start, end)] == [
                m.span() for m in t.regex.finditer(doc, start, end)], (name, doc)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Lithuania", "Литвы", "Літвы", "Польшу", "the US", "US", "U.S.",
                                 "Vilnius", "x", "1", " ", "'", "-", "Kyiv", "ł", "Łotwy"]), max_size=12),
       st.sampled_from(sorted(_PLACE_PATTERNS)))
def test_places_are_found_where_the_whole_pattern_finds_them(pieces: list[str], lang: str) -> None:
    text = "".join(pieces)
    pattern, names, _ = _PLACE_PATTERNS[lang]
    want = [(m.start(), m.end(), names[int((m.lastgroup or "p0")[1:])]) for m in pattern.finditer(text)]
    assert [(p.start, p.end, p.place) for p in find_places(text, lang)] == want


def test_lowered_keeps_offsets() -> None:
    assert lowered("İstanbul ПОМ") == "istanbul пом"
    assert len(lowered("İİ")) == 2


def test_soft_sign_is_optional_in_belarusian_terms() -> None:
    assert optional_soft_sign("палітвязн") == "палітвязь?н"
    assert optional_soft_sign("вязьн") == "вязь?н"
    assert optional_soft_sign("[сз]в") == "[сз]в"  # classes as written
    assert optional_soft_sign(r"\d+ чалав") == r"\d+ чалав"
    pattern = re.compile(optional_soft_sign("зняволен"), re.I)
    assert pattern.match("зьняволеных") and pattern.match("зняволеных")


def test_both_orthographies_report_the_same_release() -> None:
    published = date(2025, 9, 12)
    official = ("Учора «Вясна» паведаміла: вызвалены 52 палітвязні, іх вывезлі ва Украіну, "
                "у Літву.")
    classical = ("Учора «Вясна» паведаміла: вызваленыя 52 палітвязьні, іх вывезьлі ва Ўкраіну, "
                 "у Літву.")
    one = {(str(e.type), e.count, e.date) for e in detect_events("", official, "be", published)}
    two = {(str(e.type), e.count, e.date) for e in detect_events("", classical, "be", published)}
    assert one and one == two


def test_classical_month_and_weekday_names_give_dates() -> None:
    from rules.extract.dates import find_dates

    got = [d.value for d in find_dates("На 30 верасьня і ў чацьвер", "be", date(2026, 10, 3))]
    assert got == [date(2026, 9, 30), date(2026, 10, 1)]


def _cue_words() -> list[str]:
    words = {w for lp in PACK.languages.values() for r in lp.rules
             for x in r.examples + r.counterexamples for w in x.split()}
    return sorted(words)[::3][:300] + ["not", "will", "may", "no", "since", "не", "будут", "не", " ", ", ", "\n",
                                       "ı", "ſ"]  # (texts scanned by first letters, not by heads)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_cue_words()), min_size=1, max_size=30),
       st.sampled_from(sorted(PACK.languages)))
def test_cue_scan_by_heads_finds_each_family_wherever_its_cues_match(words: list[str], lang: str) -> None:
    """The cue scan (modality._cues, by heads on a plain text) gives, per family, every word of
    the sentence where one of its cues matches (and no shield word stands right before)."""
    from rules.modality import _cues, _shielded

    lp = PACK.languages[lang]
    text = " ".join(words)
    doc = normalise(text)
    ix = index_of(doc)
    for s in split_sentences(text, index=ix):
        want = [(mod.name, w) for mod in lp.modalities for w, p in enumerate(s.word_starts)
                if mod.cues.match(doc, p, s.end) and not _shielded(mod, doc, s, p)]
        assert [(mod.name, w) for mod, w in _cues(lp, doc, s)] == want, (lang, s.text)
