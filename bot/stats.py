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
    newest = db.execute(
        "SELECT source, MAX(date) FROM alerts WHERE type = 'tally' AND certainty = 'reported'"
        " AND count IS NOT NULL AND date IS NOT NULL GROUP BY source"
    ).fetchall()
    tallies = []
    for source, day in newest:
        count, url = db.execute(
            "SELECT a.count, ar.url FROM alerts a LEFT JOIN articles ar ON ar.id = a.first_article_id"
            " WHERE a.type = 'tally' AND a.certainty = 'reported' AND a.source IS ? AND a.date = ?"
            " AND a.count IS NOT NULL ORDER BY a.id DESC LIMIT 1",
            [source, day],
        ).fetchone()
        tallies.append(Tally(source=source, count=count, date=day, url=url))
    return sorted(tallies, key=lambda t: (t.date, t.count), reverse=True)


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
    newest_id = db.execute("SELECT MAX(id) FROM alerts WHERE type = 'tally'").fetchone()[0]
    newest_change = db.execute(
        "SELECT MAX(updated_at) FROM alerts WHERE type = 'tally'"
    ).fetchone()[0]
    return (newest_id, newest_change)


def tally_series(
    db: sqlite_utils.Database, *, sources: int = 3, points: int = 120
) -> dict[str, list[tuple[str, int]]]:
    """(date, count) per source for the sources with the most tallies; long series keep the
    last tally of each week (or month), so the chart stays readable and quick to draw."""
    series: dict[str, list[tuple[str, int]]] = {}
    for source, day, count in db.execute(
        "SELECT COALESCE(source, '?'), date, MAX(count) FROM alerts"
        " WHERE type = 'tally' AND certainty = 'reported' AND count IS NOT NULL"
        " AND date IS NOT NULL GROUP BY 1, 2 ORDER BY 2"
    ):
        series.setdefault(source, []).append((day, count))
    biggest = sorted(series, key=lambda s: -len(series[s]))[:sources]
    return {s: _thin(series[s], points) for s in biggest}


def _thin(points: list[tuple[str, int]], limit: int) -> list[tuple[str, int]]:
    if len(points) <= limit:
        return points
    for bucket in (_week, _month):
        last: dict[str, tuple[str, int]] = {}
        for day, count in points:
            last[bucket(day)] = (day, count)
        if len(last) <= limit:
            break
    return list(last.values())[-limit:]


def _week(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-{week:02d}"


def _month(day: str) -> str:
    return day[:7]


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
