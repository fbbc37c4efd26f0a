"""Extractor speed over the labelled corpus: microseconds per KB of article text, per function.

Run: python benchmarks/bench_extract.py [path/to/shared]
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

from rules.extract.counts import find_numbers
from rules.extract.dates import find_dates
from rules.extract.people import find_people
from rules.extract.places import find_places
from rules.langdetect import detect_language
from rules.names import same_person

REPEAT = 5


def load(shared: Path) -> list[tuple[str, str, dt.date]]:
    arts = []
    for path in sorted((shared / "corpus").glob("dev-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            a = json.loads(line)
            arts.append((a["title"] + "\n" + a["text"], a["lang"], dt.date.fromisoformat(a["published"])))
    return arts


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared"
    arts = load(shared)
    kb = sum(len(t.encode("utf-8")) for t, _, _ in arts) / 1024
    detect_language("warm up the detector")
    word_re = re.compile(r"\w+")
    jobs = {
        "(reference: one regex word pass)": lambda t, lang, pub: word_re.findall(t),
        "find_numbers": lambda t, lang, pub: find_numbers(t, lang),
        "find_dates": lambda t, lang, pub: find_dates(t, lang, pub),
        "find_people": lambda t, lang, pub: find_people(t, lang),
        "find_places": lambda t, lang, pub: find_places(t, lang),
        "detect_language": lambda t, lang, pub: detect_language(t),
    }
    print(f"{len(arts)} articles, {kb:.0f} KB")
    def per_sentence(t: str, lang: str, pub: dt.date) -> None:
        for sentence in re.split(r"(?<=[.!?])\s+", t):
            find_numbers(sentence, lang)
            find_dates(sentence, lang, pub)
            find_places(sentence, lang)

    jobs["sentences n+d+p"] = per_sentence
    extractors = [jobs[name] for name in ("find_numbers", "find_dates", "find_people", "find_places")]
    jobs["all four, shared cache"] = lambda t, lang, pub: [job(t, lang, pub) for job in extractors]
    print("best of", REPEAT, "passes, CPU time of this process")
    for name, job in jobs.items():
        best = float("inf")
        for _ in range(REPEAT):
            start = time.process_time()
            for t, lang, pub in arts:
                job(t, lang, pub)
            best = min(best, time.process_time() - start)
        us = best * 1e6
        print(f"{name:34s} {us / kb:8.1f} us/KB  {us / len(arts):8.1f} us/article")
    names = ["Mikola Statkevich", "Николай Статкевич", "Алесь Бяляцкі", "Maria Kolesnikova"] * 250
    start = time.process_time()
    for n in names:
        same_person("Statkevič", n)
    print(f"{'same_person':34s} {(time.process_time() - start) / len(names) * 1e6:8.1f} us/pair")


if __name__ == "__main__":
    main()
