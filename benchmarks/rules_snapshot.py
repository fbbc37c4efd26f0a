"""Everything the rules engine says about a fixed set of articles, as one JSON file: the
equivalence check for speed work (an optimisation must leave it byte-identical).

Usage: python benchmarks/rules_snapshot.py OUT.json [--check BEFORE.json]
Articles: ../shared/corpus/dev*.jsonl, tests/rules/data/*.jsonl, tests/rules/cases/*.toml.
Per article: detect_events, and each extractor over the whole text and over every sentence.
Then detect_events over every item of the real feed documents (../shared/feeds-corpus/real).
"""

from __future__ import annotations

import dataclasses
import json
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from bot.evaluate import shared_corpus_dir
from rules.detect import detect_events
from rules.extract.counts import find_numbers
from rules.extract.dates import find_dates
from rules.extract.people import find_people
from rules.extract.places import find_places
from rules.langdetect import detect_language
from rules.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]


def _articles() -> list[tuple[str, str, str | None, date | None]]:
    paths = sorted(shared_corpus_dir().glob("dev*.jsonl")) if shared_corpus_dir() else []
    paths += sorted((ROOT / "tests/rules/data").glob("*.jsonl"))
    out: list[tuple[str, str, str | None, date | None]] = []
    for path in paths:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                a = json.loads(line)
                out.append((a.get("title", ""), a.get("text", ""), a.get("lang"),
                            date.fromisoformat(a["published"]) if a.get("published") else None))
    for path in sorted((ROOT / "tests/rules/cases").glob("*.toml")):
        for c in tomllib.loads(path.read_text("utf-8")).get("case", []):
            pub = c.get("published")
            out.append((c.get("title", ""), c.get("text", ""), c.get("lang", path.stem),
                        date.fromisoformat(pub) if isinstance(pub, str) else pub))
    return out


def _plain(x: Any) -> Any:
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    return x if x is None or isinstance(x, (int, float, bool)) else str(x)


def snapshot() -> list[dict[str, Any]]:
    out = []
    for title, text, lang, pub in _articles():
        raw = f"{title}\n\n{text}"
        lg = (lang or "en").split("-")[0]
        row: dict[str, Any] = {
            "title": title,
            "events": _plain(detect_events(title, text, lang, pub)),
            "language": detect_language(raw),
            "numbers": _plain(find_numbers(raw, lg)),
            "dates": _plain(find_dates(raw, lg, pub)),
            "people": _plain(find_people(raw, lg)),
            "places": _plain(find_places(raw, lg)),
        }
        row["sentences"] = [
            _plain([find_numbers(s.text, lg), find_dates(s.text, lg, pub), find_places(s.text, lg)])
            for s in split_sentences(raw)
        ]
        out.append(row)
    corpus = shared_corpus_dir()
    if corpus is not None:
        from bench_rules import _feed_items

        for title, text, lang, pub in _feed_items(corpus.parent / "feeds-corpus" / "real"):
            out.append({"title": title, "events": _plain(detect_events(title, text, lang, pub))})
    return out


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    text = json.dumps(snapshot(), ensure_ascii=False, indent=1, sort_keys=True)
    Path(sys.argv[1]).write_text(text, "utf-8")
    if len(sys.argv) == 4 and sys.argv[2] == "--check":
        before = Path(sys.argv[3]).read_text("utf-8")
        if before != text:
            print(f"DIFFERENT: {sys.argv[3]} vs {sys.argv[1]}", file=sys.stderr)
            return 1
        print("identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
