"""The rules on articles written apart from the dev corpus (tests/rules/data): a bar on
generalisation, per language, for `reported` events."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.evaluate import TYPES, Report, Score, evaluate, format_report, read_articles

DATA = Path(__file__).parent / "data"
FILES = ["heldout.jsonl", "paraphrases.jsonl", "unseen.jsonl"]
BAR_PRECISION = 0.90
BAR_RECALL = 0.85


def _articles(name: str) -> list[dict]:
    err = io.StringIO()
    with open(DATA / name, encoding="utf-8") as f:
        out = list(read_articles(f, name, err))
    assert not err.getvalue(), err.getvalue()
    return out


@pytest.fixture(scope="module", params=FILES)
def report(request: pytest.FixtureRequest) -> Report:
    return evaluate(_articles(request.param))


def _overall(rep: Report, lang: str) -> Score:
    parts = [rep.score(t, lang) for t in TYPES]
    return Score(sum(p.tp for p in parts), sum(p.fp for p in parts), sum(p.fn for p in parts))


@pytest.mark.parametrize("lang", ["en", "ru", "be"])
def test_bar_per_language(report: Report, lang: str) -> None:
    s = _overall(report, lang)
    assert s.tp + s.fn >= 5, f"too few labelled {lang} events to measure"
    why = format_report(report) + "\n" + "\n".join(report.misses)
    assert s.precision >= BAR_PRECISION, why
    assert s.recall >= BAR_RECALL, why


@pytest.mark.parametrize("name", FILES)
def test_every_trap_article_stays_quiet(name: str) -> None:
    # Articles labelled with no reported event (predictions, demands, sums, served sentences,
    # other countries, negations, first arrests) must yield none.
    quiet = [a for a in _articles(name)
             if not any(e["certainty"] == "reported" for e in a["events"])]
    assert len(quiet) >= 5
    rep = evaluate(quiet)
    false = [m for m in rep.misses if m.startswith("FALSE")]
    assert not false, "\n".join(false)


def test_paraphrases_cover_every_language_and_trap() -> None:
    rows = _articles("paraphrases.jsonl")
    for lang in ("en", "ru", "be"):
        assert sum(r["lang"] == lang for r in rows) >= 15, lang
    traps = {t for r in rows for t in r.get("traps", [])}
    assert {"prediction", "demand", "aggregate", "negation", "served-sentence",
            "other-country", "context-mention"} <= traps
