"""Replay benchmark: 10,000 synthetic articles (the dev corpus varied) through rules and dedup.

Each copy of the corpus is moved --step days later, its counts raised and its surnames given
a per-copy syllable (in the article's script), so copies are new occasions for deduplication.

    python benchmarks/bench_replay.py [--n 10000] [--step 21] [--labels] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.pipeline import detect
from bot.replay import corpus_files, labelled_detector, read_jsonl, replay, report, score_dedup
from bot.store import open_db
from bot.store.alerts import StoredArticle
from rules.model import Event

SYLLABLES = [("Bo", "Бо"), ("Ma", "Ма"), ("Ku", "Ку"), ("Te", "Те"), ("Lo", "Ло"), ("Pa", "Па")]
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _prefix(copy: int, cyrillic: bool) -> str:
    a, b = SYLLABLES[copy % 6], SYLLABLES[(copy // 6) % 6]
    return (a[1] + b[1].lower()) if cyrillic else (a[0] + b[0].lower())


def _vary_name(name: str, copy: int) -> str:
    *first, last = name.split() or [name]
    new_last = _prefix(copy, bool(_CYRILLIC.search(last))) + last.lower()
    return " ".join([*first, new_last])


def _shift(day: str | None, days: int) -> str | None:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat() if day else None


def vary(row: dict[str, Any], copy: int, step: int) -> dict[str, Any]:
    """One corpus article as it might appear `copy` * `step` days later, about other people."""
    title, text = f"{row['title']} ({copy})", f"{row['text']}\n\n[{copy}]"
    events = []
    for e in row.get("events", []):
        people = [_vary_name(p, copy) for p in e.get("people") or []]
        for old, new in zip(e.get("people") or [], people, strict=True):
            old_last, new_last = old.split()[-1], new.split()[-1]
            title, text = title.replace(old_last, new_last), text.replace(old_last, new_last)
        events.append(
            {
                **e,
                "counts": [c * (1 + copy % 3) for c in e.get("counts") or []],
                "people": people,
                "date": _shift(e.get("date"), copy * step),
                "key": f"{copy}:{e['key']}",
            }
        )
    return {
        **row,
        "id": f"{copy}:{row['id']}",
        "published": _shift(row["published"], copy * step),
        "title": title,
        "text": text,
        "events": events,
    }


def synthetic(corpus: list[dict[str, Any]], n: int, step: int = 21) -> list[dict[str, Any]]:
    return [vary(corpus[i % len(corpus)], i // len(corpus), step) for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--step", type=int, default=21, help="days between corpus copies")
    p.add_argument("--labels", action="store_true", help="labelled events instead of the rules")
    p.add_argument("--db", help="keep the database here (default: a temporary file)")
    p.add_argument("files", nargs="*", help="corpus JSONL (default: ../shared/corpus/dev*.jsonl)")
    args = p.parse_args(argv)
    corpus = read_jsonl(args.files or corpus_files())
    rows = synthetic(corpus, args.n, args.step)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db or Path(tmp) / "bench.db")
        db = open_db(path)
        inner = labelled_detector(rows) if args.labels else detect
        detecting = [0.0]

        def timed(article: StoredArticle) -> list[Event]:
            t = time.perf_counter()
            try:
                return inner(article)
            finally:
                detecting[0] += time.perf_counter() - t

        start = time.perf_counter()
        replay(db, rows, detector=timed)
        elapsed = time.perf_counter() - start
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = path.stat().st_size
        alerts = db.execute("SELECT count(*) FROM alerts").fetchone()[0]
        score = score_dedup(db, rows)
        db.conn.close()
    mode = "labelled events" if args.labels else "rules.detect"
    print(
        json.dumps(
            {
                "articles": len(rows),
                "input": mode,
                "step_days": args.step,
                "seconds": round(elapsed, 2),
                "ms_per_article": round(1000 * elapsed / len(rows), 2),
                "ms_per_article_without_detection": round(
                    1000 * (elapsed - detecting[0]) / len(rows), 2
                ),
                "db_bytes": size,
                "db_mb": round(size / 1e6, 2),
                "alerts": alerts,
            }
        )
    )
    # With the rules, copies differ only where the labels did (dates in the text are not
    # moved), so only the labelled run's score says anything about deduplication.
    summary = [line for line in _lines(score) if line.startswith("reported keys")]
    print(summary[0] if summary else "")
    return 0


def _lines(score: Any) -> list[str]:
    import io

    buf = io.StringIO()
    report(score, out=buf)
    return buf.getvalue().splitlines()


if __name__ == "__main__":
    sys.exit(main())
