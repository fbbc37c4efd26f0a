"""`releasewatch replay` and `eval --dedup`: JSONL articles through rules and deduplication.

Replay stores each article as if polled at its `published` moment; the scorer compares the
resulting alerts with the corpus's labelled occasion keys.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.pipeline import Detector, process_articles
from bot.store import open_db
from bot.store.alerts import StoredArticle, insert_article
from rules.dedupe import counts_compatible, shares_person
from rules.model import Certainty, DateBasis, Event, EventType

GUID_PREFIX = "replay:"


def read_jsonl(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in paths:
        lines = sys.stdin if str(p) == "-" else Path(p).read_text(encoding="utf-8").splitlines()
        rows.extend(json.loads(line) for line in lines if line.strip())
    return rows


def _published(row: dict[str, Any]) -> datetime:
    d = datetime.fromisoformat(str(row["published"]).replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def label_event(label: dict[str, Any]) -> Event:
    """A corpus label as the detector would have reported it."""
    counts = label.get("counts") or []
    d = date.fromisoformat(label["date"]) if label.get("date") else None
    return Event(
        type=EventType(label["type"]),
        certainty=Certainty(label["certainty"]),
        count=counts[0] if counts else None,
        people=tuple(label.get("people") or ()),
        date=d,
        place=label.get("place"),
        evidence=label.get("evidence") or "(labelled)",
        date_basis=DateBasis.stated if d else DateBasis.none,
    )


def labelled_detector(rows: list[dict[str, Any]]) -> Detector:
    by_text = {(r.get("title") or "", r.get("text") or ""): r for r in rows}

    def detector(article: StoredArticle) -> list[Event]:
        row = by_text.get((article.title, article.text))
        return [label_event(e) for e in (row or {}).get("events", [])]

    return detector


def replay(
    db: sqlite_utils.Database, rows: list[dict[str, Any]], *, detector: Detector | None = None
) -> None:
    """Store and process the rows in order of `published`, each at its own moment."""
    for row in sorted(rows, key=_published):
        seen = _published(row)
        article_id = insert_article(
            db,
            guid=f"{GUID_PREFIX}{row['id']}",
            title=row.get("title") or "",
            text=row.get("text") or "",
            lang=row.get("lang"),
            source=row.get("source"),
            url=row.get("url"),
            published=seen,
        )
        process_articles(db, [article_id], now=seen, detector=detector)


def alert_lines(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    members: dict[int, list[str]] = defaultdict(list)
    for r in db.query(
        """SELECT aa.alert_id, ar.guid, ar.id FROM alert_articles aa
           JOIN articles ar ON ar.id = aa.article_id ORDER BY ar.published, ar.id"""
    ):
        guid = r["guid"] or ""
        members[r["alert_id"]].append(guid.removeprefix(GUID_PREFIX) or str(r["id"]))
    return [
        {
            "alert": a["id"],
            "type": a["type"],
            "certainty": a["certainty"],
            "count": a["count"],
            "date": a["date"],
            "people": json.loads(a["people"]),
            "place": a["place"],
            "articles": members[a["id"]],
            "updates": a["updates"],
            "alerting": bool(a["alerting"]),
            "version": a["version"],
        }
        for a in db.query("SELECT * FROM alerts ORDER BY id")
    ]


def cmd_replay(args: argparse.Namespace) -> int:
    rows = read_jsonl([args.file])
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(args.db or Path(tmp) / "replay.db")
        replay(
            db, rows, detector=labelled_detector(rows) if getattr(args, "labels", False) else None
        )
        for line in alert_lines(db):
            print(json.dumps(line, ensure_ascii=False))
        db.conn.close()
    return 0


@dataclass
class DedupScore:
    """Deduplication measured against labelled keys (from `score_dedup` to the report)."""

    keys: dict[str, set[int]] = field(default_factory=dict)  # key -> alerts carrying it
    certainty: dict[str, str] = field(default_factory=dict)
    key_type: dict[str, str] = field(default_factory=dict)
    alerts: dict[int, set[str]] = field(default_factory=dict)  # alert -> keys it carries

    def reported(self) -> list[str]:
        return [k for k in self.keys if self.certainty[k] == "reported"]

    def single(self, keys: list[str]) -> list[str]:
        return [k for k in keys if len(self.keys[k]) == 1]

    def lost(self, keys: list[str]) -> list[str]:
        return [k for k in keys if not self.keys[k]]

    def mixed(self) -> list[int]:
        """Alerts carrying two keys of one type: a wrong merge."""
        return [a for a, ks in self.alerts.items() if len({self.key_type[k] for k in ks}) < len(ks)]

    def unlabelled(self) -> list[int]:
        return [a for a, ks in self.alerts.items() if not ks]


def _slot_fit(label: dict[str, Any], slot: dict[str, Any]) -> float:
    score = 0.0
    if label.get("date") and label["date"] == slot["date"]:
        score += 2
    counts = label.get("counts") or []
    if slot["count"] is not None and any(
        counts_compatible(c, slot["count"], strict=True) for c in counts
    ):
        score += 2
    if shares_person(label.get("people") or [], json.loads(slot["people"])):
        score += 1
    return score


def score_dedup(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> DedupScore:
    """Assign each labelled event to an alert of its article, and tally keys per alert."""
    s = DedupScore()
    s.alerts = {r["id"]: set() for r in db.query("SELECT id FROM alerts")}
    for row in rows:
        art = db.execute("SELECT id FROM articles WHERE guid = ?", [GUID_PREFIX + row["id"]])
        found = art.fetchone()
        slots = _slots(db, found[0]) if found else []
        for label in row.get("events", []):
            key = label["key"]
            s.keys.setdefault(key, set())
            s.certainty[key], s.key_type[key] = label["certainty"], label["type"]
            fitting = [
                sl for sl in slots
                if sl["type"] == label["type"] and sl["certainty"] == label["certainty"]
            ]  # fmt: skip
            if not fitting:
                continue
            best = max(fitting, key=lambda sl: _slot_fit(label, sl))  # ties: first in order
            slots.remove(best)
            s.keys[key].add(best["alert_id"])
            s.alerts[best["alert_id"]].add(key)
    return s


def _slots(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """The article's events with their alerts, then alerts it joined without an event
    (a reprint's)."""
    rows = list(
        db.query(
            """SELECT alert_id, type, certainty, date, count, people FROM events
               WHERE article_id = ? AND alert_id IS NOT NULL ORDER BY id""",
            [article_id],
        )
    )
    seen = {r["alert_id"] for r in rows}
    linked = db.query(
        """SELECT a.id AS alert_id, a.type, a.certainty, a.date, a.count, a.people
           FROM alert_articles aa JOIN alerts a ON a.id = aa.alert_id
           WHERE aa.article_id = ? ORDER BY a.id""",
        [article_id],
    )
    return rows + [r for r in linked if r["alert_id"] not in seen]


def run_dedup_eval(
    paths: list[str | Path], *, labels: bool, db_path: str | Path
) -> tuple[DedupScore, list[dict[str, Any]]]:
    rows = read_jsonl(paths)
    db = open_db(db_path)
    replay(db, rows, detector=labelled_detector(rows) if labels else None)
    score = score_dedup(db, rows)
    db.conn.close()
    return score, rows


def corpus_files() -> list[Path]:
    env = os.environ.get("RELEASEWATCH_SHARED")
    repo = Path(__file__).resolve().parents[1]
    for base in ([Path(env)] if env else []) + [repo.parent / "shared"]:
        files = sorted((base / "corpus").glob("dev*.jsonl"))
        if files:
            return files
    return []


def report(score: DedupScore, out: Any = None) -> None:
    out = out or sys.stdout
    print(f"{'key':48} {'cert':9} alerts", file=out)
    for key in sorted(score.keys):
        n = len(score.keys[key])
        mark = "" if n == 1 else ("  LOST" if n == 0 else f"  SPLIT {sorted(score.keys[key])}")
        print(f"{key:48} {score.certainty[key]:9} {n}{mark}", file=out)
    for alert_id in score.mixed():
        print(f"alert {alert_id} mixes {sorted(score.alerts[alert_id])}", file=out)
    rep = score.reported()
    exp = [k for k in score.keys if k not in rep]
    print(
        f"reported keys: {len(score.single(rep))}/{len(rep)} in exactly one alert "
        f"({100 * len(score.single(rep)) / max(1, len(rep)):.1f}%), "
        f"lost {len(score.lost(rep))}; expected keys: {len(score.single(exp))}/{len(exp)}; "
        f"alerts {len(score.alerts)}, mixing keys {len(score.mixed())}, "
        f"without a key {len(score.unlabelled())}",
        file=out,
    )


def cmd_eval_dedup(args: argparse.Namespace) -> int:
    files = list(args.files or corpus_files())
    if not files:
        print("no corpus files given and ../shared/corpus/dev*.jsonl not found", file=sys.stderr)
        return 2
    labels = bool(getattr(args, "labels", False))
    if not labels:
        try:
            import rules.detect  # noqa: F401
        except ImportError:
            print("rules.detect is not available: use --labels", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        score, _ = run_dedup_eval(files, labels=labels, db_path=Path(tmp) / "eval.db")
    source = "labelled events" if labels else "detected events"
    print(f"deduplication of {source} in {', '.join(str(f) for f in files)}")
    report(score)
    return 0
