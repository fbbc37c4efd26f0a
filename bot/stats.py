"""Numbers for /stats from deduplicated alerts: latest tally per source, period sums, a chart.

Only `reported` alerts count, `alerting = 0` ones included (old occasions still happened).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

COUNTED = ("pardon", "deportation", "rearrest", "recognition")
PERIODS = ("week", "month", "year")


@dataclass(frozen=True)
class Tally:
    """A source's latest statement of the total, from the alerts table to the /stats message."""

    source: str | None
    count: int
    date: str
    url: str | None


def latest_tallies(db: sqlite_utils.Database) -> list[Tally]:
    """Each source's newest tally, newest first."""
    rows = db.execute(
        """
        SELECT source, count, date, url FROM (
            SELECT a.source, a.count, a.date, ar.url,
                   ROW_NUMBER() OVER (PARTITION BY a.source ORDER BY a.date DESC, a.id DESC) AS n
            FROM alerts a LEFT JOIN articles ar ON ar.id = a.first_article_id
            WHERE a.type = 'tally' AND a.certainty = 'reported'
              AND a.count IS NOT NULL AND a.date IS NOT NULL
        ) WHERE n = 1 ORDER BY date DESC, count DESC
        """
    ).fetchall()
    return [Tally(source=r[0], count=r[1], date=r[2], url=r[3]) for r in rows]


def period_starts(today: date) -> dict[str, date]:
    return {
        "week": today - timedelta(days=6),
        "month": today - timedelta(days=29),
        "year": date(today.year, 1, 1),
    }


def period_totals(db: sqlite_utils.Database, today: date) -> dict[str, dict[str, int]]:
    """People per type for the last 7 and 30 days (today included) and since 1 January.

    An alert without a stated count counts the people it names.
    """
    starts = period_starts(today)
    earliest = min(starts.values())
    totals = {p: dict.fromkeys(COUNTED, 0) for p in PERIODS}
    marks = ",".join("?" for _ in COUNTED)
    rows = db.execute(
        f"""
        SELECT type,
               SUM(CASE WHEN date >= ? THEN n ELSE 0 END),
               SUM(CASE WHEN date >= ? THEN n ELSE 0 END),
               SUM(CASE WHEN date >= ? THEN n ELSE 0 END)
        FROM (
            SELECT type, date, COALESCE(count, json_array_length(people)) AS n FROM alerts
            WHERE type IN ({marks}) AND certainty = 'reported' AND date >= ? AND date <= ?
        ) GROUP BY type
        """,
        [
            starts["week"].isoformat(),
            starts["month"].isoformat(),
            starts["year"].isoformat(),
            *COUNTED,
            earliest.isoformat(),
            today.isoformat(),
        ],
    ).fetchall()
    for type_, week, month, year in rows:
        totals["week"][type_] = int(week or 0)
        totals["month"][type_] = int(month or 0)
        totals["year"][type_] = int(year or 0)
    return totals


def tally_version(db: sqlite_utils.Database) -> tuple[object, ...]:
    """Changes whenever a tally is added or updated: the chart cache key."""
    return tuple(
        db.execute(
            "SELECT COUNT(*), MAX(id), MAX(updated_at) FROM alerts WHERE type = 'tally'"
        ).fetchone()
    )


def tally_series(
    db: sqlite_utils.Database, *, sources: int = 3
) -> dict[str, list[tuple[str, int]]]:
    """(date, count) points per source for the sources with the most tallies."""
    series: dict[str, list[tuple[str, int]]] = {}
    for source, day, count in db.execute(
        "SELECT COALESCE(source, '?'), date, MAX(count) FROM alerts"
        " WHERE type = 'tally' AND certainty = 'reported' AND count IS NOT NULL"
        " AND date IS NOT NULL GROUP BY 1, 2 ORDER BY 2"
    ):
        series.setdefault(source, []).append((day, count))
    biggest = sorted(series, key=lambda s: -len(series[s]))[:sources]
    return {s: series[s] for s in biggest}


def render_chart(series: dict[str, list[tuple[str, int]]], title: str) -> bytes:
    """A PNG line chart of tallies over time."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.dates import AutoDateFormatter, AutoDateLocator, date2num
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.5), dpi=100)
    ax = fig.subplots()
    for source, points in series.items():
        xs = date2num([date.fromisoformat(d) for d, _ in points])
        ys = [c for _, c in points]
        ax.plot(xs, ys, marker="o", markersize=3, label=source)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(AutoDateFormatter(locator))
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    if series:
        ax.legend()
    fig.autofmt_xdate()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
