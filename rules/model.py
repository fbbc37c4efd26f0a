"""Event records, named exactly as EVENTS.md names them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar


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


# The members as module constants: on Python 3.11 a member read off its enum class costs
# several times the comparison the engine's loops make with it, mention after mention.
PARDON, DEPORTATION, REARREST = EventType.pardon, EventType.deportation, EventType.rearrest
RECOGNITION, TALLY = EventType.recognition, EventType.tally
REPORTED, EXPECTED = Certainty.reported, Certainty.expected


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


_D = TypeVar("_D")


def replaced(x: _D, **fields: Any) -> _D:
    """dataclasses.replace for a frozen dataclass of fields only (a Mention, an Event): the
    copy's own __dict__ written as replace would write it, at a fraction of its cost (the
    engine copies mentions and events of every article)."""
    out = object.__new__(type(x))  # type: ignore[call-overload]
    kept = out.__dict__
    kept.update(x.__dict__)
    kept.update(fields)
    return out


def built(cls: type[_D], **fields: Any) -> _D:
    """cls(**fields) for a frozen dataclass of fields only, given every field: its __dict__
    written as its __init__ would write it (one object.__setattr__ call per field), at a
    fraction of the cost."""
    out = object.__new__(cls)  # type: ignore[call-overload]
    out.__dict__.update(fields)
    return out
