"""Throughput of the rules engine over the dev corpus, repeated: articles/s and MB/s.

Usage: python benchmarks/bench_rules.py [REPEAT]   (corpus: ../shared/corpus/dev*.jsonl)
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date

from bot.evaluate import shared_corpus_dir
from rules.detect import detect_events
from rules.pack import load_pack


def main() -> int:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    corpus = shared_corpus_dir()
    if corpus is None:
        print("no ../shared/corpus beside the checkout", file=sys.stderr)
        return 2
    articles = []
    for path in sorted(corpus.glob("dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                a = json.loads(line)
                articles.append((a["title"], a["text"], a.get("lang"), date.fromisoformat(a["published"])))
    size = sum(len((t + x).encode("utf-8")) for t, x, _, _ in articles)
    t0 = time.perf_counter()
    load_pack()
    detect_events(*articles[0])  # warm the extractors' own caches
    warm = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for a in articles:
            detect_events(*a)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0  # the machine may be busy: CPU time is what we cost
    n = len(articles) * repeat
    print(f"articles       {n} ({len(articles)} x {repeat}), {size * repeat / 1e6:.2f} MB")
    print(f"first call     {warm * 1000:.0f} ms (pack compile and warm-up)")
    print(f"articles/s     {n / elapsed:.0f}")
    print(f"MB/s           {size * repeat / 1e6 / elapsed:.2f}")
    print(f"ms per KB      {elapsed * 1000 / (size * repeat / 1024):.3f} wall, "
          f"{cpu * 1000 / (size * repeat / 1024):.3f} CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
