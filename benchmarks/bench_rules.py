"""Throughput of the rules engine over the dev corpus, repeated: articles/s and MB/s.

Usage: python benchmarks/bench_rules.py [REPEAT] [--feeds]
Default: the dev corpus (../shared/corpus/dev*.jsonl), every article about the pack's
country. --feeds: every item of the real feed documents (../shared/feeds-corpus/real/),
parsed by feeds.parse and classified as the pipeline does (the feed's language, else
detection): what a news monitor mostly reads, articles about anything.
The machine may be shared: the figures are the best pass, in CPU time.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bot.evaluate import shared_corpus_dir
from rules.detect import detect_events
from rules.pack import load_pack


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    repeat = int(args[0]) if args else 20
    corpus = shared_corpus_dir()
    if corpus is None:
        print("no ../shared/corpus beside the checkout", file=sys.stderr)
        return 2
    articles = _feed_items(corpus.parent / "feeds-corpus" / "real") if "--feeds" in sys.argv else _dev(corpus)
    size = sum(len((t + x).encode("utf-8")) for t, x, _, _ in articles)
    t0 = time.perf_counter()
    load_pack()
    detect_events(*articles[0])  # warm the extractors' own caches
    warm = time.perf_counter() - t0
    best_wall = best_cpu = float("inf")
    each = [float("inf")] * len(articles)  # each article's best time, CPU
    clock = time.process_time
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), clock()
        for i, a in enumerate(articles):
            a0 = clock()
            detect_events(*a)
            each[i] = min(each[i], clock() - a0)
        best_wall = min(best_wall, time.perf_counter() - t0)
        # The machine may be busy: CPU time is what we cost, the best pass what we can do.
        best_cpu = min(best_cpu, clock() - c0)
    n = len(articles)
    kb = size / 1024
    with_events = sum(1 for a in articles if detect_events(*a))
    # Per article: its best time over its own size (UTF-8: a Cyrillic letter is two bytes).
    per_kb = sorted(t * 1000 / (len((a[0] + a[1]).encode("utf-8")) / 1024) for t, a in zip(each, articles, strict=True))
    print(f"articles       {n} x {repeat} passes, {size / 1e6:.2f} MB per pass ({with_events} with events)")
    print(f"first call     {warm * 1000:.0f} ms (pack compile and warm-up)")
    print(f"articles/s     {n / best_cpu:.0f} (best pass, CPU)")
    print(f"MB/s           {size / 1e6 / best_cpu:.2f} (best pass, CPU)")
    print(f"ms per KB      {best_cpu * 1000 / kb:.3f} CPU, {best_wall * 1000 / kb:.3f} wall (best pass)")
    print(f"per article    ms per KB median {statistics.median(per_kb):.2f}, "
          f"90th percentile {per_kb[int(0.9 * (n - 1))]:.2f}, most {per_kb[-1]:.2f}; "
          f"{sum(x < 1 for x in per_kb)} of {n} under 1")
    return 0


def _dev(corpus: Path) -> list[tuple[str, str, str | None, date]]:
    out = []
    for path in sorted(corpus.glob("dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                a = json.loads(line)
                out.append((a["title"], a["text"], a.get("lang"), date.fromisoformat(a["published"])))
    return out


def _feed_items(folder: Path) -> list[tuple[str, str, str | None, date]]:
    from feeds.parse import ParseError, parse_feed

    now = datetime(2026, 11, 22, tzinfo=UTC)
    out = []
    for path in sorted(folder.glob("*.xml")):
        try:
            feed = parse_feed(path.read_bytes(), url=f"http://127.0.0.1/{path.name}", now=now)
        except ParseError:
            continue
        out += [(a.title, a.text, a.lang, a.published.date()) for a in feed.articles]
    return out


if __name__ == "__main__":
    sys.exit(main())
