"""The rules scored on the labelled dev corpus (../shared/corpus): the quality bar."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluate import Report, evaluate, format_report, read_articles

# Precision and recall for `reported` events, per type, in each of en, ru and be.
BAR_PRECISION = 0.95
BAR_RECALL = 0.90
BAR_COUNTS = 0.90


@pytest.fixture(scope="module")
def report(shared: Path) -> Report:
    import sys

    articles = []
    for path in sorted((shared / "corpus").glob("dev*.jsonl")):
        with open(path, encoding="utf-8") as f:
            articles += list(read_articles(f, str(path), sys.stderr))
    assert articles, "no dev*.jsonl in the shared corpus"
    return evaluate(articles)


@pytest.mark.parametrize("lang", ["en", "ru", "be"])
@pytest.mark.parametrize("etype", ["pardon", "deportation", "rearrest", "recognition", "tally"])
def test_bar_per_type_and_language(report: Report, etype: str, lang: str) -> None:
    s = report.score(etype, lang)
    assert s.precision >= BAR_PRECISION, format_report(report)
    assert s.recall >= BAR_RECALL, format_report(report)


def test_counts_are_right(report: Report) -> None:
    assert report.counts_total >= 30
    assert report.count_accuracy >= BAR_COUNTS, "\n".join(m for m in report.misses if m.startswith("COUNT"))


def test_dates_are_mostly_right(report: Report) -> None:
    # No bar is set for dates; this floor holds the measured level (0.90) against regressions.
    assert report.date_accuracy >= 0.85, "\n".join(m for m in report.misses if m.startswith("DATE"))


def test_scoring_counts_misses_and_false_alarms() -> None:
    articles = [
        {"id": "a", "lang": "en", "published": "2025-09-12", "title": "Belarus frees 52 prisoners",
         "text": "Belarus freed 52 political prisoners on Thursday.",
         "events": [{"type": "pardon", "certainty": "reported", "counts": [52], "date": "2025-09-11"},
                    {"type": "tally", "certainty": "reported", "counts": [1100], "date": "2025-09-12"}]},
        {"id": "b", "lang": "en", "published": "2025-09-12", "title": "Belarus frees 3 prisoners",
         "text": "Belarus freed 3 political prisoners on Thursday.", "events": []},
    ]
    rep = evaluate(articles)
    pardon, tally = rep.score("pardon", "en"), rep.score("tally", "en")
    assert (pardon.tp, pardon.fp, pardon.fn) == (1, 1, 0)
    assert (tally.tp, tally.fp, tally.fn) == (0, 0, 1)
    assert pardon.precision == 0.5 and tally.recall == 0.0
    assert (rep.counts_right, rep.counts_total) == (1, 1)
    assert (rep.dates_right, rep.dates_total) == (1, 1)
    assert any(m.startswith("MISS  a tally") for m in rep.misses)
    assert any(m.startswith("FALSE b pardon") for m in rep.misses)
