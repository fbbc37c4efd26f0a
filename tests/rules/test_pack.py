"""The rule pack: it loads, a typo fails with file, rule and field, and every rule's own
examples and counterexamples hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.detect import rule_mentions
from rules.model import Certainty
from rules.pack import PACKS_DIR, PackError, load_pack, load_pack_from

PACK = load_pack()
RULES = [(lang, r) for lang, lp in PACK.languages.items() for r in lp.rules]


def test_bundled_pack_loads_every_language_and_type() -> None:
    assert set(PACK.languages) == {"en", "ru", "be", "uk", "pl"}
    for lang in ("en", "ru", "be"):
        types = {str(r.type) for r in PACK.languages[lang].rules}
        assert types == {"pardon", "deportation", "rearrest", "recognition", "tally"}, lang
    assert load_pack() is PACK  # compiled once


@pytest.mark.parametrize(("lang", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rule_examples_and_counterexamples(lang: str, rule) -> None:
    # Examples yield the rule's event (an `expected` one for rules that only announce);
    # counterexamples yield no event of it at all.
    want = Certainty.expected if rule.keep == "expected" else Certainty.reported
    for text in rule.examples:
        found = [m for m in rule_mentions(rule.id, text, lang) if m.certainty == want]
        assert found, f"{rule.id} misses its example: {text}"
    for text in rule.counterexamples:
        found = [m for m in rule_mentions(rule.id, text, lang) if m.certainty == want]
        assert not found, f"{rule.id} fires on its counterexample: {text}"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "belarus"
    shutil.copytree(PACKS_DIR / "belarus", dest)
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_copy_of_the_pack_loads(pack_dir: Path) -> None:
    assert len(load_pack_from(pack_dir).languages["en"].rules) == len(PACK.languages["en"].rules)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('type = "pardon"', 'type = "pardn"', "en.toml: rule en.pardon.verb: field type"),
        ("triggers = ['pardoned", "trigers = ['pardoned", "en.toml: rule en.pardon.verb: unknown field trigers"),
        ("triggers = ['pardoned\\b'", "triggers = ['(pardoned\\b'", "en.toml: rule en.pardon.verb: field triggers: bad pattern"),
        ("requires = [['counted', 'subset', 'PERSON', 'freed']]", "requires = [['counted', 'subjects']]",
         "en.toml: rule en.pardon.verb: field requires: unknown group 'subjects'"),
        ("requires = [['total_noun'], ['NUMBER'], ['BEFORE:subset']]",
         "requires = [['total_noun'], ['NUMBER'], ['BEFORE:subsets']]",
         "en.toml: rule en.tally.anaphoric: field requires: unknown group 'subsets' in 'BEFORE:subsets'"),
        ("window = 8\nblock", "window = 0\nblock", "en.toml: rule en.pardon.verb: field window"),
        ('effect = "drop"', 'effect = "maybe"', "en.toml: modality negation: field effect"),
        ('id = "en.pardon.passive"', 'id = "en.pardon.verb"', "en.toml: rule en.pardon.verb: field id: used twice"),
    ],
)
def test_typo_names_file_rule_and_field(pack_dir: Path, old: str, new: str, message: str) -> None:
    _edit(pack_dir / "en.toml", old, new)
    with pytest.raises(PackError) as err:
        load_pack_from(pack_dir)
    assert message in str(err.value)


def test_rule_without_examples_fails(pack_dir: Path) -> None:
    text = (pack_dir / "ru.toml").read_text(encoding="utf-8")
    start = text.index("examples", text.index('id = "ru.rearrest.again"'))
    end = text.index("\n", start)
    (pack_dir / "ru.toml").write_text(text[:start] + "examples = []" + text[end:], encoding="utf-8")
    with pytest.raises(PackError, match="ru.toml: rule ru.rearrest.again: field examples"):
        load_pack_from(pack_dir)


def test_broken_toml_and_missing_country_fail(pack_dir: Path) -> None:
    _edit(pack_dir / "be.toml", 'lang = "be"', 'lang = "be')
    with pytest.raises(PackError, match="be.toml"):
        load_pack_from(pack_dir)
    _edit(pack_dir / "be.toml", 'lang = "be', 'lang = "be"')
    _edit(pack_dir / "pack.toml", "pl = [", "xx = [")
    with pytest.raises(PackError, match="pack.toml: field country.pl"):
        load_pack_from(pack_dir)


def test_a_trigger_word_is_data(pack_dir: Path) -> None:
    """An expert adds a trigger word to a rule file; no Python changes."""
    from datetime import date

    from rules.detect import detect_events

    text = "Belarus manumitted 9 political prisoners on Monday."
    before = load_pack_from(pack_dir)
    assert not detect_events("", text, "en", date(2025, 1, 7), pack=before)
    _edit(pack_dir / "en.toml", "triggers = ['pardoned\\b'", "triggers = ['manumitted\\b', 'pardoned\\b'")
    after = load_pack_from(pack_dir)
    events = detect_events("", text, "en", date(2025, 1, 7), pack=after)
    assert [(str(e.type), e.count, e.date) for e in events] == [("pardon", 9, date(2025, 1, 6))]


def test_first_letter_index_never_hides_a_trigger() -> None:
    """Each rule is tried only at word starts its triggers can begin with: on every example,
    the indexed search finds exactly what a full regex scan finds."""
    from rules.firstchars import first_chars
    from rules.match import trigger_spans
    from rules.sentences import normalise

    assert first_chars(r"(?<!\w)(?:(was|were) freed|Pardon\w*)", 2) == frozenset("wp")
    assert first_chars(r"(?:x)?y") == frozenset("xy")
    assert first_chars(r"\w+ freed") is None and first_chars(r"(?:a)?") is None
    for lang, lp in PACK.languages.items():
        for ri, rule in enumerate(lp.rules):
            for text in rule.examples + rule.counterexamples:
                doc = normalise(text)
                full = {m.start() for m in rule.triggers.finditer(doc)}
                indexed = {span[0] for span in trigger_spans(lp, doc).get(ri, [])}
                assert full <= indexed, (lang, rule.id, text)


def _example_words() -> list[str]:
    words = {w for lp in PACK.languages.values() for r in lp.rules
             for x in r.examples + r.counterexamples for w in x.split()}
    # and letters the engine folds to others ("ı", "ſ", "ᲀ"): such a text is scanned by first
    # letters, not by heads
    return sorted(words)[:400] + [" ", ", ", ". ", "\n", "-", "'", "ı", "ſ", "ᲀ"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_example_words()), min_size=1, max_size=25),
       st.sampled_from(sorted(PACK.languages)))
def test_trigger_scan_finds_each_rule_wherever_its_expression_matches(words: list[str], lang: str) -> None:
    """The scan by heads (LanguagePack.trigger_table) gives, per rule, the trigger spans a
    test of the rule's expression at every offset gives."""
    from rules.match import trigger_spans
    from rules.sentences import normalise

    lp = PACK.languages[lang]
    doc = normalise(" ".join(words))
    got = trigger_spans(lp, doc)
    for ri, rule in enumerate(lp.rules):
        want = [m.span() for p in range(len(doc)) if (m := rule.triggers.regex.match(doc, p))]
        assert got.get(ri, []) == want, (rule.id, doc)
