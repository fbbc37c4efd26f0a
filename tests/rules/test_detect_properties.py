"""Property tests: no text, title, language or date makes detection raise."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.detect import detect_events
from rules.model import Event
from rules.sentences import normalise, split_sentences

WORDS = st.sampled_from([
    "Belarus", "Lukashenko", "freed", "52", "political prisoners", "on Thursday", "not", "since 2020",
    "will", "Лукашенко", "помиловал", "политзаключенных", "вчера", "не", "Лукашэнка", "вызвалілі",
    "палітвязняў", "зноў у калоніі", "Lithuania", "re-arrested", "recognised", "new", "1,184",
    "remain", ".", ",", "\n", "—", "«", "»", "more than", "двадцать", "as of September 18",
])
TEXT = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=60).map(" ".join))
LANG = st.one_of(st.none(), st.sampled_from(["en", "ru", "be", "uk", "pl", "de", "", "EN-us"]))
DATE = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)))


@settings(max_examples=150, deadline=None)
@given(title=TEXT, text=TEXT, lang=LANG, published=DATE)
def test_detection_never_raises(title: str, text: str, lang: str | None, published: date | None) -> None:
    events = detect_events(title, text, lang, published)
    assert all(isinstance(e, Event) for e in events)
    for e in events:
        assert e.evidence
        assert e.count is None or e.count >= 0
        assert e.to_json()["type"] in {"pardon", "deportation", "rearrest", "recognition", "tally"}


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_sentences_cover_the_text_in_order(text: str) -> None:
    sentences = split_sentences(text)
    assert len(normalise(text)) == len(text)
    last = 0
    for s in sentences:
        assert s.start >= last and text[s.start:s.end] == s.text and s.text.strip()
        last = s.end
