"""`classify` and `eval` commands: run the rules over JSON-lines articles and score them.

Scoring is per article: an event type counts once per article, `reported` events only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from rules.detect import detect_events
from rules.model import Certainty, Event, EventType

TYPES = [str(t) for t in EventType]


def shared_corpus_dir() -> Path | None:
    """../shared/corpus beside the checkout, or $RELEASEWATCH_SHARED/corpus."""
    env = os.environ.get("RELEASEWATCH_SHARED")
    repo = Path(__file__).resolve().parents[1]
    for base in ([Path(env)] if env else []) + [repo.parent / "shared", Path.cwd().parent / "shared"]:
        if (base / "corpus").is_dir():
            return base / "corpus"
    return None


def _parse_date(value: Any) -> date | None:
    """"2025-09-12" or the day of "2025-09-12T10:00:00+03:00"; None when not a date."""
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None
    except ValueError:
        return None


def read_articles(lines: Iterable[str], name: str, err: TextIO) -> Iterator[dict[str, Any]]:
    """Valid article objects; a bad line is reported on `err` with its number and skipped."""
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"{name}:{no}: not JSON ({e.msg}); line skipped", file=err)
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text", ""), str) \
                or not isinstance(obj.get("title", ""), str):
            print(f"{name}:{no}: expected an object with string title/text; line skipped", file=err)
            continue
        yield obj


def classify(obj: dict[str, Any]) -> list[Event]:
    lang = obj.get("lang") if isinstance(obj.get("lang"), str) else None
    return detect_events(obj.get("title", "") or "", obj.get("text", "") or "", lang,
                         _parse_date(obj.get("published")))


def cmd_classify(args: argparse.Namespace) -> int:
    name = args.file or "-"
    try:
        stream = sys.stdin if name == "-" else open(name, encoding="utf-8")  # noqa: SIM115
    except OSError as e:
        print(f"classify: cannot read {name}: {e.strerror}", file=sys.stderr)
        return 2
    with stream:
        for obj in read_articles(stream, "<stdin>" if name == "-" else name, sys.stderr):
            events = classify(obj)
            print(json.dumps({"id": obj.get("id"), "events": [e.to_json() for e in events]},
                             ensure_ascii=False), flush=True)
    return 0


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Scores of one evaluation run: per (type, lang) and per type over all languages."""

    scores: dict[tuple[str, str], Score] = field(default_factory=lambda: defaultdict(Score))
    counts_right: int = 0
    counts_total: int = 0
    dates_right: int = 0
    dates_total: int = 0
    articles: int = 0
    misses: list[str] = field(default_factory=list)

    def score(self, etype: str, lang: str = "all") -> Score:
        return self.scores[(etype, lang)]

    @property
    def count_accuracy(self) -> float:
        return self.counts_right / self.counts_total if self.counts_total else 1.0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.dates_total if self.dates_total else 1.0


def _pair(gold: dict[str, Any], found: list[Event]) -> Event | None:
    """The detected event that stands for a labelled one: same type, same day if any."""
    same = [e for e in found if str(e.type) == gold.get("type")]
    want = _parse_date(gold.get("date"))
    return next((e for e in same if e.date == want), same[0] if same else None)


def evaluate(articles: Iterable[dict[str, Any]]) -> Report:
    rep = Report()
    for art in articles:
        rep.articles += 1
        lang = str(art.get("lang") or "?")
        found = [e for e in classify(art) if e.certainty == Certainty.reported]
        gold = [g for g in art.get("events") or [] if g.get("certainty") == "reported"]
        gtypes, ftypes = {g.get("type") for g in gold}, {str(e.type) for e in found}
        for t in TYPES:
            for key in ((t, lang), (t, "all")):
                s = rep.scores[key]
                s.tp += t in gtypes and t in ftypes
                s.fp += t in ftypes and t not in gtypes
                s.fn += t in gtypes and t not in ftypes
            if t in gtypes and t not in ftypes:
                g = next(g for g in gold if g.get("type") == t)
                rep.misses.append(f"MISS  {art.get('id')} {t} (labelled counts {g.get('counts')}, "
                                  f"date {g.get('date')}): {str(art.get('title', ''))[:120]}")
            if t in ftypes and t not in gtypes:
                ev = next(e for e in found if str(e.type) == t)
                rep.misses.append(f"FALSE {art.get('id')} {t}: {ev.evidence[:300]}")
        for g in gold:
            e = _pair(g, found)
            if e is None:
                continue
            if g.get("counts"):
                rep.counts_total += 1
                ok = e.count in g["counts"]
                rep.counts_right += ok
                if not ok:
                    rep.misses.append(f"COUNT {art.get('id')} {g['type']}: {e.count} not in {g['counts']}")
            rep.dates_total += 1
            ok = e.date == _parse_date(g.get("date"))
            rep.dates_right += ok
            if not ok:
                rep.misses.append(f"DATE  {art.get('id')} {g['type']}: {e.date} != {g.get('date')}")
    return rep


def format_report(rep: Report) -> str:
    langs = sorted({lang for (_, lang) in rep.scores if lang != "all"}) + ["all"]
    lines = [f"{rep.articles} articles; reported events, scored per article", "",
             f"{'type':<12} {'lang':<4} {'P':>5} {'R':>5} {'F1':>5}  tp fp fn"]
    for t in TYPES:
        for lang in langs:
            s = rep.scores.get((t, lang))
            if s is None or s.tp + s.fp + s.fn == 0:
                continue
            lines.append(f"{t:<12} {lang:<4} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  "
                         f"{s.tp:2} {s.fp:2} {s.fn:2}")
    lines.append("")
    lines.append(f"count accuracy {rep.count_accuracy:.2f} ({rep.counts_right}/{rep.counts_total})")
    lines.append(f"date accuracy  {rep.date_accuracy:.2f} ({rep.dates_right}/{rep.dates_total})")
    return "\n".join(lines)


def _labelled(paths: list[Path]) -> Iterator[dict[str, Any]]:
    for p in paths:
        with open(p, encoding="utf-8") as f:
            yield from read_articles(f, str(p), sys.stderr)


def cmd_eval(args: argparse.Namespace) -> int:
    if getattr(args, "dedup", False):
        from bot.replay import cmd_eval_dedup

        return int(cmd_eval_dedup(args) or 0)
    files = [Path(f) for f in args.files or []]
    if not files:
        corpus = shared_corpus_dir()
        files = sorted(corpus.glob("dev*.jsonl")) if corpus else []
        if not files:
            print("eval: no labelled files given and no ../shared/corpus/dev*.jsonl beside the "
                  "checkout (set RELEASEWATCH_SHARED)", file=sys.stderr)
            return 2
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"eval: no such file: {missing[0]}", file=sys.stderr)
        return 2
    rep = evaluate(_labelled(files))
    print(format_report(rep))
    if args.misses:
        print("")
        print("\n".join(rep.misses) if rep.misses else "no misses")
    return 0
