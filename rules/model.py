"""Event records, named exactly as EVENTS.md names them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class EventType(StrEnum):
    pardon = "pardon"
    deportation = "deportation"
    rearrest = "rearrest"
    recognition = "recognition"
    tally = "tally"


class Certainty(StrEnum):
    reported = "reported"
    expected = "expected"


class DateBasis(StrEnum):
    """How an event's date was found; deduplication and alerting depend on it."""

    stated = "stated"  # an explicit date in the text ("on 11 September 2025")
    relative = "relative"  # resolved against publication ("on Thursday", "вчера")
    published = "published"  # undated news of the day: the publication date
    none = "none"  # unknown or vague ("in June", "last month"): date is None


@dataclass(frozen=True)
class Event:
    """One event an article reports, from rules.detect to deduplication and storage."""

    type: EventType
    certainty: Certainty
    count: int | None
    people: tuple[str, ...]
    date: date | None
    place: str | None
    evidence: str
    date_basis: DateBasis = DateBasis.none
    source: str | None = None  # for tally: whose count it is ("Viasna"), when stated
    # For an undated event told with a vague reference ("last week", "in May 2020"): the
    # first and last day it can be (rules.extract.dates); None otherwise. Not in to_json.
    period: tuple[dt.date, dt.date] | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "type": str(self.type),
            "certainty": str(self.certainty),
            "count": self.count,
            "people": list(self.people),
            "date": self.date.isoformat() if self.date else None,
            "place": self.place,
            "evidence": self.evidence,
        }
