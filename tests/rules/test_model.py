"""rules.model's fast copies of frozen dataclasses agree with the dataclasses' own."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from rules.extract.counts import NumberSpan
from rules.extract.dates import DateSpan
from rules.extract.people import PersonSpan
from rules.extract.places import PlaceSpan
from rules.match import Mention
from rules.model import Certainty, DateBasis, Event, EventType, built, replaced
from rules.sentences import Sentence

_MADE = [
    NumberSpan(1, 3, 52, False, False, "count"),
    DateSpan(4, 9, date(2025, 9, 11), DateBasis.stated, False, None, None),
    PersonSpan(0, 12, "Ales Bialiatski"),
    PlaceSpan(20, 29, "Lithuania"),
    Sentence(0, 10, "52 freed.", None),
    Mention("r", EventType.pardon, Certainty.reported, 0, (0, 5), 52, None, ("A B",), None, "52 freed."),
    Event(EventType.tally, Certainty.reported, 1150, (), date(2025, 9, 1), None, "x", DateBasis.stated, "Viasna"),
]


@pytest.mark.parametrize("made", _MADE, ids=lambda x: type(x).__name__)
def test_built_is_the_constructor(made: object) -> None:
    # Every class the engine builds fast: the same object as its __init__ makes, and no
    # __post_init__ that `built` would skip.
    cls = type(made)
    fields = {f.name: getattr(made, f.name) for f in dataclasses.fields(made)}  # type: ignore[arg-type]
    copy = built(cls, **fields)
    assert copy == made and copy.__dict__ == made.__dict__
    assert not hasattr(cls, "__post_init__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.start = 99  # type: ignore[attr-defined]  # still frozen


def test_replaced_is_dataclasses_replace() -> None:
    m, e = _MADE[-2], _MADE[-1]
    assert replaced(m, count=None, source="Viasna") == dataclasses.replace(m, count=None, source="Viasna")
    assert replaced(e, period=(date(2025, 8, 1), date(2025, 8, 31))) == dataclasses.replace(
        e, period=(date(2025, 8, 1), date(2025, 8, 31)))
