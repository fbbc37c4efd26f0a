"""The Ukrainian and Polish rules on articles written before those packs grew
(tests/rules/data/uk_pl.jsonl): a modest bar per language for `reported` events, as
tests/rules/test_heldout.py holds for en/ru/be."""

from __future__ import annotations

import pytest

from bot.evaluate import TYPES, Report, evaluate, format_report
from tests.rules.test_heldout import _articles, _overall

NAME = "uk_pl.jsonl"
BAR_PRECISION = 0.85
BAR_RECALL = 0.85


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(_articles(NAME))


@pytest.mark.parametrize("lang", ["uk", "pl"])
def test_bar_per_language(report: Report, lang: str) -> None:
    s = _overall(report, lang)
    assert s.tp + s.fn >= 8, f"too few labelled {lang} events to measure"
    why = format_report(report) + "\n" + "\n".join(report.misses)
    assert s.precision >= BAR_PRECISION, why
    assert s.recall >= BAR_RECALL, why


@pytest.mark.parametrize("etype", TYPES)
def test_every_type_is_found_in_both_languages(report: Report, etype: str) -> None:
    for lang in ("uk", "pl"):
        assert report.score(etype, lang).tp >= 1, (etype, lang)


def test_data_covers_the_traps() -> None:
    rows = _articles(NAME)
    for lang in ("uk", "pl"):
        assert sum(r["lang"] == lang for r in rows) >= 10, lang
        quiet = [r for r in rows if r["lang"] == lang
                 and not any(e["certainty"] == "reported" for e in r["events"])]
        assert len(quiet) >= 4, lang
    traps = {t for r in rows for t in r.get("traps", [])}
    assert {"prediction", "demand", "aggregate", "negation", "served-sentence", "other-country"} <= traps
