"""Load and validate a rule pack (TOML data) into compiled patterns; no detection here.

Errors name the file, the rule and the field. `load_pack()` is cached: compile once per process.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from rules.firstchars import Openings, first_chars, openings, openings_of, required_literals
from rules.model import EventType
from rules.sentences import normalise
from rules.textindex import ODD_CHAR, Terms, at_head

PACKS_DIR = Path(__file__).resolve().parent / "packs"
# Groups the engine fills from the extractors rather than from word lists.
SPECIAL_GROUPS = frozenset({"NUMBER", "DATE", "PERSON", "PLACE"})
# A requirement "BEFORE:group" holds when the group occurs in the sentence before the
# trigger's ("... nine more political prisoners. The total now stands at 1,150.").
BEFORE = "BEFORE:"
EFFECTS = ("drop", "expected")
# Groups the engine itself reads: what a count counts, and the political-prisoner subset.
ENGINE_GROUPS = ("counted", "subset")
_RULE_KEYS = {"id", "type", "triggers", "requires", "window", "block", "keep", "examples",
              "counterexamples", "why"}
KEEPS = ("any", "expected")
_MODALITY_KEYS = {"effect", "before", "after", "cues", "unless", "types", "why"}


_PUNCT = frozenset(";:,.!?—–- ")


class PackError(ValueError):
    """A rule file is malformed; the message names file, rule and field."""


@dataclass(frozen=True)
class Rule:
    """One trigger rule of one language; from pack.py to detect.py."""

    id: str
    type: EventType
    triggers: Terms
    requires: tuple[tuple[str, ...], ...]  # AND over the tuple, OR inside each inner tuple
    window: int  # words between trigger and each required group
    block: Terms | None  # sentence-level exclusions for this rule
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...]
    keep: str = "any"  # "expected": a rule for verb forms that only ever announce (infinitives)


@dataclass(frozen=True)
class Modality:
    """A cue family ("negation", "future" ...) and what it does to a trigger in its scope."""

    name: str
    effect: str  # "drop" (no event) or "expected"
    before: int  # words before the trigger
    after: int  # words after the trigger
    cues: Terms
    unless: Terms | None = None  # a cue right after one of these is no cue ("held since 2020")
    first: frozenset[str] = frozenset()  # letters the cues other than `loose` start with
    # Cues that may start with any letter ("\\d+ years ago"), compiled alone: one search of a
    # sentence tells whether the family must be tried at every word start there.
    loose: Terms | None = None
    types: frozenset[EventType] | None = None  # the event types it applies to (None: all)


def _word_scan(parts: list[str], punct: list[str]) -> tuple[Openings | None, dict[str, re.Pattern[str]] | None]:
    """What a Terms scan needs of the entries: their openings and, per first letter, the
    entries (in their order) that can begin with it; (None, None) when an entry is
    punctuation or may begin with any letter (then the expression scans the text)."""
    if punct or not parts:
        return None, None
    firsts = [first_chars(b, re.IGNORECASE) for b in parts]
    opened = openings_of([(b, re.IGNORECASE) for b in parts])
    # The scan visits word starts only: an entry that opens with a quote ("«Весн") is no scan's.
    if opened is None or any(f is None or not all(c.isalnum() or c == "_" for c in f)
                             or not all(map(_folds_simply, f)) for f in firsts):
        return None, None
    letters = {c for f in firsts if f is not None for c in f}
    return opened, {c: re.compile("|".join(b for b, f in zip(parts, firsts, strict=True)
                                           if f is not None and c in f), re.IGNORECASE)
                    for c in letters}


# An opening -> (a pattern of every entry that can begin with it, ((index, the pattern of that
# list's own such entries) for each list that has some)).
HeadTable = dict[str, tuple[re.Pattern[str], tuple[tuple[int, re.Pattern[str]], ...]]]


def _head_table(lists: list[tuple[int, list[str]]]) -> HeadTable | None:
    """The HeadTable of numbered entry lists (rules' triggers, cue families' cues); lists
    without entries take no part."""
    own = [(i, head_patterns(parts)) for i, parts in lists if parts]
    every = head_patterns([b for _, parts in lists for b in parts])
    if every is None or any(hp is None for _, hp in own):
        return None
    table: HeadTable = {}
    for key, pattern in every.items():
        pairs = ((i, at_head(hp, key)) for i, hp in own if hp is not None)
        table[key] = (pattern, tuple((i, p) for i, p in pairs if p is not None))
    return table


def head_patterns(parts: list[str]) -> dict[str, re.Pattern[str]] | None:
    """Each opening of the entries -> one pattern of the entries (in their order) that can
    begin with it: at a word start whose head (its first three characters) an opening begins,
    only those are tried (see textindex.at_head). None when an entry's openings are unknown
    or hold a character that case-insensitive matching holds equal to another letter (a head
    would then not tell which entries can match)."""
    found = [openings(b, re.IGNORECASE) for b in parts]
    mine = [o for o in found if o is not None]
    if not parts or len(mine) < len(found) or any(
            ODD_CHAR.search(k) or not all(map(_folds_simply, k)) for o in mine for k in o):
        return None
    keys = {k for o in mine for k in o}
    return {k: re.compile("|".join(b for b, o in zip(parts, mine, strict=True)
                                   if any(k.startswith(x) for x in o)), re.IGNORECASE)
            for k in keys}


@dataclass(frozen=True)
class LanguagePack:
    """The compiled rules of one language."""

    lang: str
    rules: tuple[Rule, ...]
    groups: dict[str, Terms]
    modalities: tuple[Modality, ...]
    # Rules by the first letters their triggers can start with, and those that may start
    # anywhere: the engine tries a rule only at word starts where its trigger can begin.
    rules_by_first: dict[str, tuple[int, ...]]
    rules_anywhere: tuple[int, ...]
    # Per first letter, every trigger entry that can begin with it: one cheap test per word
    # start before any rule is tried there.
    prefilter: dict[str, re.Pattern[str]]
    # Cue families by the first letters their cues can start with (ranks, in order), and
    # those with loose cues that may start anywhere; the cue prefilter holds no loose cue.
    modalities_by_first: dict[str, tuple[int, ...]]
    modalities_anywhere: tuple[int, ...]
    cue_prefilter: dict[str, re.Pattern[str]]
    # What the text must begin with at a word start for a trigger (or a cue other than a loose
    # one) to match there; None when some may begin anywhere.
    trigger_openings: Openings | None = None
    cue_openings: Openings | None = None
    # Per opening (textindex.at_head finds a word start's): one pattern of every trigger entry
    # (or cue other than a loose one) that can begin with it, and each rule's (cue family's)
    # pattern of its own such entries; None when an opening cannot tell (head_patterns).
    trigger_table: HeadTable | None = None
    cue_table: HeadTable | None = None


@dataclass(frozen=True)
class RulePack:
    """A whole pack: scope cues per language, sources, and the language packs."""

    name: str
    home_place: str  # canonical country the pack watches ("Belarus"): never a deportation place
    country: dict[str, Terms]
    topic: tuple[Terms, ...]  # the pack's own terms: in scope, yet no country
    foreign: Terms | None  # other states' actors, all languages together
    sources: tuple[tuple[str, Terms], ...]  # canonical name, cue pattern
    languages: dict[str, LanguagePack]


def compile_terms(terms: list[str], where: str) -> Terms:
    """Entries are regexes matched at a word start; a match runs on to the end of the word
    (a stem) unless the entry ends in a non-letter or `\\b`. Entries that begin with
    punctuation match anywhere."""
    parts, punct = term_bodies(terms, where)
    # One word-start check in front keeps the scan fast; punctuation entries (";", ", but")
    # mark clause breaks and need no word start.
    alternatives = [r"(?<!\w)(?:" + _by_first_char(parts) + ")"] if parts else []
    alternatives += punct
    regex = re.compile("|".join(alternatives), re.IGNORECASE)
    opened, by_letter = _word_scan(parts, punct)
    return Terms(regex, opened, by_letter, None if by_letter is not None else _needs(regex),
                 head_patterns(parts) if by_letter is not None else None)


def _needs(regex: re.Pattern[str]) -> tuple[tuple[str, ...], ...] | None:
    """The two most telling sets of required_literals, of plain strings only (see
    textindex.DocIndex.plain); None when there are none. (Each string is looked for alone: a
    search for one of several strings as one pattern costs several times as much.)"""
    found = required_literals(regex.pattern, regex.flags) or ()
    kept: list[frozenset[str]] = []
    for ws in found:
        # A set that a kept one implies tells nothing more: a text holding " in " holds "in ".
        if not any(ODD_CHAR.search(w) for w in ws) and not any(
                all(any(w in k for w in ws) for k in other) for other in kept):
            kept.append(ws)
    return tuple(tuple(sorted(ws)) for ws in kept[:2]) or None


def _entry_first_chars(term: str, where: str) -> frozenset[str] | None:
    """first_chars of one entry as compile_terms reads it."""
    parts, punct = term_bodies([term], where)
    return first_chars((parts or punct)[0], re.IGNORECASE)


def _by_first_char(bodies: list[str]) -> str:
    """The alternation of `bodies` as one group per first character behind a one-character
    look-ahead, so the engine tries only the entries that can begin where it stands. Each
    group keeps the entries' order, so the same entry wins; flat when an entry may begin
    with any character or with one whose case folding is not one to one."""
    groups: dict[str, list[str]] = {}
    for body in bodies:
        first = first_chars(body, re.IGNORECASE)
        if first is None or len(first) > _GROUPS_PER_ENTRY or not all(map(_folds_simply, first)):
            return "|".join(bodies)
        for c in sorted(first):
            groups.setdefault(c, []).append(body)
    return "|".join(f"(?={re.escape(c)})(?:{'|'.join(b)})" for c, b in groups.items())


_GROUPS_PER_ENTRY = 4  # an entry opening with a wide class ("[а-я]") keeps the pattern flat


def _folds_simply(c: str) -> bool:
    """Is `c` the one lower-case form of its case class ("ı", "ſ", "ς" are not), so that no
    other character of the text can match two groups' look-aheads?"""
    return c.lower() == c and len(c.upper()) == 1 and c.upper().lower() == c


def term_bodies(terms: list[str], where: str) -> tuple[list[str], list[str]]:
    """The regex of each entry (word-start entries, punctuation entries), validated."""
    parts: list[str] = []
    punct: list[str] = []
    for t in terms:
        if not isinstance(t, str) or not t.strip():
            raise PackError(f"{where}: empty or non-string entry {t!r}")
        t = normalise(t)  # patterns see the same folded text as the articles
        try:
            re.compile(t)
        except re.error as e:
            raise PackError(f"{where}: bad pattern {t!r}: {e}") from e
        body = f"(?:{t})" if t.endswith("\\b") or not t[-1].isalpha() else f"(?:{t})\\w*"
        (punct if t[0] in _PUNCT else parts).append(body)
    return parts, punct


def _str_list(value: Any, where: str, allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackError(f"{where}: must be a list of strings")
    if not value and not allow_empty:
        raise PackError(f"{where}: must not be empty")
    return value


def _int(value: Any, where: str, lo: int, hi: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise PackError(f"{where}: must be an integer from {lo} to {hi}")
    return value


def _compile_rule(raw: Any, file: str, groups: dict[str, Terms], lang: str) -> Rule:
    if not isinstance(raw, dict):
        raise PackError(f"{file}: every [[rule]] must be a table")
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise PackError(f"{file}: rule without an id: field id is required")
    where = f"{file}: rule {rid}"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise PackError(f"{where}: unknown field {sorted(unknown)[0]}")
    try:
        etype = EventType(str(raw.get("type")))
    except ValueError:
        raise PackError(f"{where}: field type: {raw.get('type')!r} is not an event type") from None
    triggers = compile_terms(_str_list(raw.get("triggers"), f"{where}: field triggers"), f"{where}: field triggers")
    req_raw = raw.get("requires", [])
    if not isinstance(req_raw, list):
        raise PackError(f"{where}: field requires: must be a list of lists of group names")
    requires = []
    for alt in req_raw:
        names = _str_list(alt, f"{where}: field requires")
        for n in names:
            if n.startswith(BEFORE) and n[len(BEFORE):] not in groups:
                raise PackError(f"{where}: field requires: unknown group {n[len(BEFORE):]!r} in {n!r}")
            if not n.startswith(BEFORE) and n not in groups and n not in SPECIAL_GROUPS:
                raise PackError(f"{where}: field requires: unknown group {n!r}")
        requires.append(tuple(names))
    window = _int(raw.get("window", 8), f"{where}: field window", 1, 60)
    block_terms = _str_list(raw.get("block", []), f"{where}: field block", allow_empty=True)
    block = compile_terms(block_terms, f"{where}: field block") if block_terms else None
    examples = _str_list(raw.get("examples"), f"{where}: field examples")
    counter = _str_list(raw.get("counterexamples"), f"{where}: field counterexamples")
    keep = raw.get("keep", "any")
    if keep not in KEEPS:
        raise PackError(f"{where}: field keep: must be one of {', '.join(KEEPS)}")
    return Rule(rid, etype, triggers, tuple(requires), window, block, tuple(examples), tuple(counter), keep)


# Belarusian is written in two orthographies: the classical one marks a consonant softened by
# the next with a soft sign ("палітвязьні", "сьвет", "вызваленьне"), the official one does not.
_CONSONANTS = frozenset("бвгджзклмнпрстфхцчшўБВГДЖЗКЛМНПРСТФХЦЧШЎ")
_SOFTENED = frozenset("зсцндлЗСЦНДЛ")  # the consonants that mark may follow


def optional_soft_sign(term: str) -> str:
    """`term` matching either orthography: a soft sign between two consonants becomes
    optional, and one may stand after a softened consonant before another. Character
    classes and escapes are left as written."""
    out: list[str] = []
    i, n, in_class = 0, len(term), False
    while i < n:
        c = term[i]
        nxt = term[i + 1] if i + 1 < n else ""
        if c == "\\":
            out.append(term[i:i + 2])
            i += 2
            continue
        if in_class or c == "[":
            in_class = c != "]" and (in_class or c == "[")
            out.append(c)
            i += 1
            continue
        prev = term[i - 1] if i > 0 and (i < 2 or term[i - 2] != "\\") else ""
        if c in "ьЬ" and prev in _CONSONANTS and nxt in _CONSONANTS:
            out.append(c + "?")
        elif c in _SOFTENED and nxt in _CONSONANTS:
            out.append(c + "ь?")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _with_optional_soft_sign(data: dict[str, Any]) -> dict[str, Any]:
    """A language file's data with every term made to match both orthographies."""

    def terms(v: Any) -> Any:
        return [optional_soft_sign(t) for t in v] if isinstance(v, list) and all(isinstance(t, str) for t in v) else v

    out = dict(data)
    if isinstance(data.get("groups"), dict):
        out["groups"] = {k: terms(v) for k, v in data["groups"].items()}
    if isinstance(data.get("modality"), dict):
        out["modality"] = {k: {f: terms(x) if f in ("cues", "unless") else x for f, x in m.items()}
                           if isinstance(m, dict) else m for k, m in data["modality"].items()}
    if isinstance(data.get("rule"), list):
        out["rule"] = [{f: terms(x) if f in ("triggers", "block") else x for f, x in r.items()}
                       if isinstance(r, dict) else r for r in data["rule"]]
    return out


def _load_language(path: Path) -> LanguagePack:
    file = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise PackError(f"{file}: {e}") from e
    lang = data.get("lang")
    if lang != path.stem:
        raise PackError(f"{file}: field lang: must be {path.stem!r}")
    unknown = set(data) - {"lang", "groups", "modality", "rule", "optional_soft_sign"}
    if unknown:
        raise PackError(f"{file}: unknown field {sorted(unknown)[0]}")
    soft = data.get("optional_soft_sign", False)
    if not isinstance(soft, bool):
        raise PackError(f"{file}: field optional_soft_sign: must be true or false")
    if soft:
        data = _with_optional_soft_sign(data)
    raw_groups = data.get("groups", {})
    if not isinstance(raw_groups, dict):
        raise PackError(f"{file}: field groups: must be a table of lists")
    groups = {
        name: compile_terms(_str_list(v, f"{file}: group {name}"), f"{file}: group {name}")
        for name, v in raw_groups.items()
    }
    for needed in ENGINE_GROUPS:
        if needed not in groups:
            raise PackError(f"{file}: group {needed}: required by the engine")
    modalities = []
    raw_mod = data.get("modality", {})
    if not isinstance(raw_mod, dict):
        raise PackError(f"{file}: field modality: must be a table")
    for name, m in raw_mod.items():
        where = f"{file}: modality {name}"
        if not isinstance(m, dict):
            raise PackError(f"{where}: must be a table")
        unknown = set(m) - _MODALITY_KEYS
        if unknown:
            raise PackError(f"{where}: unknown field {sorted(unknown)[0]}")
        effect = m.get("effect")
        if effect not in EFFECTS:
            raise PackError(f"{where}: field effect: must be one of {', '.join(EFFECTS)}")
        cue_terms = _str_list(m.get("cues"), f"{where}: field cues")
        cues = compile_terms(cue_terms, f"{where}: field cues")
        firsts = [_entry_first_chars(t, f"{where}: field cues") for t in cue_terms]
        loose_terms = [t for t, f in zip(cue_terms, firsts, strict=True) if f is None]
        loose = compile_terms(loose_terms, f"{where}: field cues") if loose_terms else None
        before = _int(m.get("before", 6), f"{where}: field before", 0, 200)
        after = _int(m.get("after", 0), f"{where}: field after", 0, 200)
        unless_terms = _str_list(m.get("unless", []), f"{where}: field unless", allow_empty=True)
        unless = compile_terms(unless_terms, f"{where}: field unless") if unless_terms else None
        types = None
        if "types" in m:
            try:
                types = frozenset(EventType(t) for t in _str_list(m["types"], f"{where}: field types"))
            except ValueError as e:
                raise PackError(f"{where}: field types: {e}") from None
        starts = frozenset(c for f in firsts if f is not None for c in f)
        modalities.append(Modality(name, effect, before, after, cues, unless, starts, loose, types))
    # "drop" wins over "expected": a negated prediction is no event at all.
    modalities.sort(key=lambda m: EFFECTS.index(m.effect))
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise PackError(f"{file}: field rule: at least one [[rule]] is required")
    rules = tuple(_compile_rule(r, file, groups, lang) for r in raw_rules)
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise PackError(f"{file}: rule {sorted(dup)[0]}: field id: used twice")
    by_first: dict[str, list[int]] = {}
    anywhere = []
    for i, r in enumerate(rules):
        first = first_chars(r.triggers.pattern, r.triggers.flags)
        if first is None:
            anywhere.append(i)
            continue
        for c in first:
            by_first.setdefault(c, []).append(i)
    prefilter = _prefilter([r["triggers"] for r in raw_rules], set(by_first), file)
    mod_anywhere = tuple(i for i, m in enumerate(modalities) if m.loose is not None)
    letters = {c for m in modalities for c in m.first}
    mod_by_first = {c: tuple(i for i, m in enumerate(modalities) if c in m.first) for c in letters}
    # Each family's cues other than its loose ones: what the cue prefilter, openings and table hold.
    fixed_cues = [[t for t in raw_mod[m.name]["cues"] if _entry_first_chars(t, file) is not None]
                  for m in modalities]
    cue_bodies = [term_bodies(cues, file)[0] for cues in fixed_cues]
    cue_prefilter = _prefilter(fixed_cues, letters, file)
    trigger_openings = openings_of([(r.triggers.pattern, r.triggers.flags) for r in rules])
    cue_openings = openings_of([(body, re.IGNORECASE) for bodies in cue_bodies for body in bodies])
    trigger_table = None if anywhere else _head_table(
        [(i, term_bodies(r["triggers"], file)[0]) for i, r in enumerate(raw_rules)])
    cue_table = _head_table(list(enumerate(cue_bodies)))
    return LanguagePack(lang, rules, groups, tuple(modalities),
                        {c: tuple(v) for c, v in by_first.items()}, tuple(anywhere), prefilter,
                        mod_by_first, mod_anywhere, cue_prefilter, trigger_openings, cue_openings,
                        trigger_table, cue_table)


def _prefilter(term_lists: list[list[str]], letters: set[str], where: str) -> dict[str, re.Pattern[str]]:
    """First letter -> one pattern of every entry that can begin with it."""
    bodies: dict[str, list[str]] = {c: [] for c in letters}
    for terms in term_lists:
        for body in term_bodies(terms, where)[0]:
            first = first_chars(body, re.IGNORECASE)
            for c in letters if first is None else first & letters:
                bodies[c].append(body)
    return {c: re.compile(r"(?<!\w)(?:" + "|".join(b) + ")", re.IGNORECASE)
            for c, b in bodies.items() if b}


def load_pack_from(directory: Path) -> RulePack:
    """Read pack.toml and every <lang>.toml it lists from `directory`."""
    meta_path = directory / "pack.toml"
    file = meta_path.name
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise PackError(f"{file}: {e}") from e
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        raise PackError(f"{file}: field name: required")
    home = meta.get("home_place")
    if not isinstance(home, str) or not home:
        raise PackError(f"{file}: field home_place: required")
    langs = _str_list(meta.get("languages"), f"{file}: field languages")
    raw_country = meta.get("country", {})
    if not isinstance(raw_country, dict):
        raise PackError(f"{file}: field country: must be a table of lists")
    country = {}
    for lang in langs:
        if lang not in raw_country:
            raise PackError(f"{file}: field country.{lang}: required for every language")
        country[lang] = compile_terms(_str_list(raw_country[lang], f"{file}: country.{lang}"), f"{file}: country.{lang}")
    raw_topic = meta.get("topic", {})
    if not isinstance(raw_topic, dict):
        raise PackError(f"{file}: field topic: must be a table of lists")
    topic = tuple(compile_terms(_str_list(v, f"{file}: topic.{lang}"), f"{file}: topic.{lang}")
                  for lang, v in raw_topic.items())
    raw_sources = meta.get("sources", {})
    if not isinstance(raw_sources, dict):
        raise PackError(f"{file}: field sources: must be a table of lists")
    sources = tuple(
        (canon, compile_terms(_str_list(v, f"{file}: sources.{canon}"), f"{file}: sources.{canon}"))
        for canon, v in raw_sources.items()
    )
    raw_foreign = meta.get("foreign", {})
    if not isinstance(raw_foreign, dict):
        raise PackError(f"{file}: field foreign: must be a table of lists")
    foreign_terms = [t for lang, v in raw_foreign.items() for t in _str_list(v, f"{file}: foreign.{lang}")]
    foreign = compile_terms(foreign_terms, f"{file}: foreign") if foreign_terms else None
    languages = {lang: _load_language(directory / f"{lang}.toml") for lang in langs}
    return RulePack(name, home, country, topic, foreign, sources, languages)


@cache
def load_pack(name: str = "belarus") -> RulePack:
    """The bundled pack `name`, compiled once per process."""
    return load_pack_from(PACKS_DIR / name)
