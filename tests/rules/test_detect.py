"""Golden case tables (tests/rules/cases/*.toml): each short article and the events it yields."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from rules.detect import detect_events
from rules.model import Certainty, EventType

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list[dict]:
    out = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            out.append(case | {"lang": case.get("lang", path.stem)})
    return out


CASES = _cases()


def test_every_case_explains_itself() -> None:
    assert len(CASES) >= 40
    for c in CASES:
        assert c.get("why"), c["id"]
        assert c.get("expect") or c.get("absent"), c["id"]
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict) -> None:
    published = date.fromisoformat(case["published"])
    events = detect_events(case.get("title", ""), case["text"], case["lang"], published)
    why = case["why"]
    for want in case.get("expect", []):
        same = [e for e in events if e.type == EventType(want["type"])
                and e.certainty == Certainty(want["certainty"])]
        assert same, f"{why}: no {want['type']}/{want['certainty']} in {events}"
        if "count" in want:
            assert want["count"] in [e.count for e in same], f"{why}: counts {[e.count for e in same]}"
        if "people" in want:
            assert any(list(e.people) == want["people"] for e in same), \
                f"{why}: people {[e.people for e in same]}"
        if "date" in want:
            dates = [e.date.isoformat() if e.date else "none" for e in same]
            assert want["date"] in dates, f"{why}: dates {dates}"
        if "place" in want:
            assert want["place"] in [e.place for e in same], f"{why}: places {[e.place for e in same]}"
        assert all(e.evidence for e in same)
    for etype in case.get("absent", []):
        bad = [e for e in events if e.type == EventType(etype) and e.certainty == Certainty.reported]
        assert not bad, f"{why}: unexpected {etype}: {bad[0].evidence if bad else ''}"
    for etype in case.get("absent_expected", []):
        bad = [e for e in events if e.type == EventType(etype) and e.certainty == Certainty.expected]
        assert not bad, f"{why}: unexpected expected {etype}: {bad[0].evidence if bad else ''}"


def test_events_are_one_per_occasion() -> None:
    text = ("Belarus freed 52 political prisoners on Thursday. The 52 prisoners freed on Thursday "
            "included six Lithuanians. Belarus released them after talks.")
    events = detect_events("Belarus frees 52 prisoners", text, "en", date(2025, 9, 12))
    pardons = [e for e in events if e.type == EventType.pardon]
    assert len(pardons) == 1
    assert pardons[0].count == 52 and pardons[0].date == date(2025, 9, 11)


def test_two_occasions_stay_two_events() -> None:
    text = ("Belarus freed 52 prisoners on September 11. "
            "On September 16 it freed a further 25 prisoners.")
    events = detect_events("Belarus releases", text, "en", date(2025, 10, 1))
    got = sorted((e.date, e.count) for e in events if e.type == EventType.pardon)
    assert got == [(date(2025, 9, 11), 52), (date(2025, 9, 16), 25)]


def test_language_is_detected_when_not_given() -> None:
    text = "Лукашэнка памілаваў 16 палітвязняў. Іх вызвалілі ў пятніцу."
    events = detect_events("Памілаванне ў Беларусі", text, None, date(2025, 7, 5))
    assert [e.type for e in events if e.certainty == Certainty.reported] == [EventType.pardon]


def test_tally_source_is_kept() -> None:
    text = "According to Viasna, there are 1,150 political prisoners in Belarus as of today."
    events = detect_events("Political prisoners", text, "en", date(2025, 11, 1))
    tally = [e for e in events if e.type == EventType.tally]
    assert tally and tally[0].source == "Viasna" and tally[0].count == 1150
    assert tally[0].date == date(2025, 11, 1)


def test_a_headline_total_is_the_total_its_body_attributes() -> None:
    # The headline names no source; the body gives the same figure as Viasna's: one tally.
    events = detect_events("На 30 верасьня ў Беларусі 1 033 палітвязьні",
                           "Паводле праваабарончага цэнтру «Вясна», на 30 верасьня ў Беларусі "
                           "было 1 033 палітвязьні.", "be", date(2026, 10, 1))
    tallies = [e for e in events if e.type == EventType.tally]
    assert [(t.count, t.date, t.source) for t in tallies] == [(1033, date(2026, 9, 30), "Viasna")]


def test_totals_of_two_sources_stay_two() -> None:
    text = ("Viasna counts 1,150 political prisoners in Belarus as of today. "
            "Dissidentby counts 1,300 political prisoners in Belarus as of today.")
    events = detect_events("Political prisoners in Belarus", text, "en", date(2026, 3, 2))
    assert sorted((e.count, e.source) for e in events if e.type == EventType.tally) == [
        (1150, "Viasna"), (1300, "Dissidentby")]


def test_a_total_told_of_the_sentence_before_shows_both_as_evidence() -> None:
    text = "Four new names were added to the list of political prisoners. This brings the total to 1,162."
    tally = [e for e in detect_events("Belarus news", text, "en", date(2025, 9, 12)) if e.type == EventType.tally]
    assert [e.count for e in tally] == [1162]
    assert "political prisoners" in tally[0].evidence and "1,162" in tally[0].evidence
