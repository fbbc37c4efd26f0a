"""The pipeline on a real SQLite file: events fold into alerts, outbox rows appear with them."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.pipeline import process_articles, process_pending
from bot.store import open_db
from bot.store.alerts import StoredArticle, insert_article
from rules.model import Certainty, DateBasis, Event, EventType


def ev(type_="pardon", *, count=None, people=(), day=None, certainty="reported", source=None):
    return Event(
        type=EventType(type_),
        certainty=Certainty(certainty),
        count=count,
        people=tuple(people),
        date=date.fromisoformat(day) if day else None,
        place=None,
        evidence="evidence sentence",
        date_basis=DateBasis.stated if day else DateBasis.none,
        source=source,
    )


class Newsroom:
    """Articles stored in the database, each with the events the rules would report."""

    def __init__(self, db):
        self.db = db
        self.events: dict[str, list[Event]] = {}

    def detector(self, article: StoredArticle) -> list[Event]:
        return self.events[article.title]

    def add(self, title, day, events, *, source="Outlet", text=None, backlog=False) -> int:
        self.events[title] = events
        published = datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)
        article_id = insert_article(
            self.db, guid=title, title=title, text=text or f"{title}: full text.", lang="en",
            source=source, url=f"https://news.example/{abs(hash(title))}", published=published,
        )  # fmt: skip
        if backlog:
            self.db.execute("UPDATE articles SET backlog = 1 WHERE id = ?", [article_id])
        return article_id

    def run(self, *ids: int, day: str):
        now = datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)
        return process_articles(self.db, list(ids), now=now, detector=self.detector)


@pytest.fixture
def room(db_path):
    db = open_db(db_path)
    yield Newsroom(db)
    db.conn.close()


def subscribe(db, chat_id: int, *, topics=None, expected=0, digest=None) -> None:
    db.execute(
        "INSERT INTO chats (chat_id, kind, topics, expected, digest, created_at)"
        " VALUES (?, 'private', ?, ?, ?, '2025-01-01T00:00:00+00:00')",
        [
            chat_id,
            json.dumps(topics or ["pardon", "deportation", "rearrest", "tally"]),
            expected,
            digest,
        ],
    )


def rows(db, sql, params=()):
    return [tuple(r) for r in db.execute(sql, params).fetchall()]


def test_same_pardon_in_three_languages_is_one_alert_updated_twice(room):
    subscribe(room.db, 11)
    en = room.add(
        "52 freed", "2025-09-11", [ev(count=52, people=["Mikola Statkevich"], day="2025-09-11")]
    )
    ru = room.add(
        "Освобождены 52",
        "2025-09-11",
        [ev(count=52, people=["Николай Статкевич"], day="2025-09-11")],
        source="Зеркало",
    )
    be = room.add(
        "Вызвалілі 52",
        "2025-09-13",
        [ev(count=51, people=["Мікола Статкевіч", "Ігар Лосік"], day="2025-09-11")],
        source="Свабода",
    )
    first = room.run(en, day="2025-09-11")
    assert [(c.change, c.outbox) for c in first] == [("created", 1)]
    assert [c.change for c in room.run(ru, day="2025-09-11")] == ["updated"]
    assert [c.change for c in room.run(be, day="2025-09-13")] == ["updated"]
    (alert,) = room.db.query("SELECT * FROM alerts")
    assert (alert["count"], alert["version"], alert["updates"]) == (52, 3, 2)
    assert json.loads(alert["people"]) == ["Mikola Statkevich", "Ігар Лосік"]
    assert rows(room.db, "SELECT article_id FROM alert_articles ORDER BY article_id") == [
        (en,),
        (ru,),
        (be,),
    ]
    assert rows(room.db, "SELECT count(*) FROM outbox") == [(1,)]
    decisions = [json.loads(d) for (d,) in rows(room.db, "SELECT decision FROM events ORDER BY id")]
    assert [d["action"] for d in decisions] == ["new", "merge", "merge"]
    assert decisions[2]["alert"] == alert["id"] and decisions[2]["changed"] == ["people"]


def test_two_pardons_on_different_days_with_equal_counts_stay_two(room):
    a = room.add("Sixteen freed", "2025-07-02", [ev(count=16, day="2025-07-02")])
    b = room.add("Another sixteen freed", "2025-09-16", [ev(count=16, day="2025-09-16")])
    room.run(a, day="2025-07-02")
    room.run(b, day="2025-09-16")
    assert rows(room.db, "SELECT date, count, alerting FROM alerts ORDER BY id") == [
        ("2025-07-02", 16, 1),
        ("2025-09-16", 16, 1),
    ]


def test_context_mention_weeks_later_updates_without_new_outbox_row(room):
    subscribe(room.db, 11)
    news = room.add(
        "Bialiatski freed",
        "2025-12-13",
        [ev(count=123, people=["Ales Bialiatski"], day="2025-12-13")],
    )
    later = room.add(
        "New Year pardon",
        "2025-12-30",
        [ev(count=20, day="2025-12-30"), ev(count=100, people=["Алесь Бяляцкі"])],
        source="AFP",
    )
    room.run(news, day="2025-12-13")
    changes = room.run(later, day="2025-12-30")
    assert sorted((c.change, c.version) for c in changes) == [("created", 1), ("updated", 2)]
    old = next(room.db.query("SELECT * FROM alerts WHERE date = '2025-12-13'"))
    assert (old["count"], old["version"], old["updates"]) == (123, 2, 1)
    assert rows(room.db, "SELECT alert_id FROM outbox ORDER BY alert_id") == [
        (old["id"],),
        (old["id"] + 1,),
    ]


def test_reprint_by_the_same_outlet_links_without_a_visible_change(room):
    wire = "Belarus freed 52 political prisoners on Thursday and took them to Lithuania, officials said."
    a = room.add(
        "Belarus frees 52 prisoners", "2025-09-11", [ev(count=52, day="2025-09-11")], text=wire
    )
    b = room.add("Belarus frees 52 prisoners (update)", "2025-09-12", [], text=wire + " More soon.")
    c = room.add(
        "Belarus frees 52 prisoners!", "2025-09-12", [], text=wire + " Read more.", source="Other"
    )
    room.run(a, day="2025-09-11")
    assert [(x.change, x.version) for x in room.run(b, day="2025-09-12")] == [("linked", 1)]
    assert [(x.change, x.version) for x in room.run(c, day="2025-09-12")] == [("updated", 2)]
    assert rows(room.db, "SELECT count(*), sum(alerting) FROM alerts") == [(1, 1)]
    assert rows(room.db, "SELECT count(*) FROM alert_articles") == [(3,)]


def test_an_old_occasion_is_stored_but_never_alerts_even_when_reported_again(room):
    subscribe(room.db, 11)
    old = room.add(
        "Background", "2025-09-15", [ev("rearrest", people=["Mikola Statkevich"], day="2020-05-31")]
    )
    again = room.add(
        "Again", "2025-09-16", [ev("rearrest", people=["Statkevich"], day="2020-05-31")], source="B"
    )
    vague = room.add("Vague", "2025-09-16", [ev(count=7)], source="C")
    room.run(old, again, vague, day="2025-09-16")
    assert rows(room.db, "SELECT type, alerting, updates FROM alerts ORDER BY id") == [
        ("rearrest", 0, 1),
        ("pardon", 0, 0),
    ]
    assert rows(room.db, "SELECT count(*) FROM outbox") == [(0,)]
    why = json.loads(rows(room.db, "SELECT decision FROM events WHERE article_id = ?", [old])[0][0])
    assert (
        why["action"] == "stored"
        and why["alerting"] is False
        and "before the first report" in why["why"]
    )


def test_tallies_of_two_sources_on_one_day_stay_two(room):
    a = room.add(
        "Viasna count", "2025-09-18", [ev("tally", count=1184, day="2025-09-18", source="Viasna")]
    )
    b = room.add(
        "Dissidentby count",
        "2025-09-18",
        [ev("tally", count=1190, day="2025-09-18", source="Dissidentby")],
    )
    room.run(a, b, day="2025-09-18")
    assert rows(room.db, "SELECT source, count FROM alerts ORDER BY id") == [
        ("Viasna", 1184),
        ("Dissidentby", 1190),
    ]


def test_a_backlog_article_never_produces_outbox_rows(room):
    subscribe(room.db, 11)
    a = room.add(
        "Fresh news in a new feed", "2025-09-11", [ev(count=52, day="2025-09-11")], backlog=True
    )
    b = room.add("Next item", "2025-09-11", [ev(count=52, day="2025-09-11")], source="B")
    changes = room.run(a, b, day="2025-09-11")
    assert [(c.change, c.alerting, c.outbox) for c in changes] == [
        ("created", False, 0),
        ("updated", False, 0),
    ]
    assert rows(room.db, "SELECT count(*) FROM outbox") == [(0,)]


def test_expected_and_reported_stay_separate_and_reach_opted_in_chats(room):
    subscribe(room.db, 11)
    subscribe(room.db, 12, expected=1)
    subscribe(room.db, 13, topics=["tally"])
    subscribe(room.db, 14, digest="08:00")
    a = room.add("Release of 1,300 expected", "2025-08-15", [ev(count=1300, certainty="expected")])
    b = room.add("1,300 released", "2025-08-16", [ev(count=1300, day="2025-08-16")])
    room.run(a, b, day="2025-08-16")
    assert rows(
        room.db,
        "SELECT a.certainty, o.chat_id, o.state FROM outbox o JOIN alerts a ON a.id = o.alert_id ORDER BY o.id",
    ) == [
        ("expected", 12, "pending"),
        ("reported", 11, "pending"),
        ("reported", 12, "pending"),
    ]


def test_outbox_rows_are_written_in_the_alerts_transaction(room):
    subscribe(room.db, 11)
    subscribe(room.db, 13)
    room.db.execute(
        "CREATE TRIGGER no_13 BEFORE INSERT ON outbox WHEN NEW.chat_id = 13"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    a = room.add("52 freed", "2025-09-11", [ev(count=52, day="2025-09-11")])
    with pytest.raises(sqlite3.IntegrityError):
        room.run(a, day="2025-09-11")
    assert rows(room.db, "SELECT count(*) FROM alerts") == [(0,)]
    assert rows(room.db, "SELECT count(*) FROM outbox") == [(0,)]
    assert rows(room.db, "SELECT processed FROM articles") == [(0,)]


def test_process_pending_redoes_an_interrupted_article_without_doubling(room, db_path):
    subscribe(room.db, 11)
    a = room.add(
        "52 freed",
        "2025-09-11",
        [ev(count=52, day="2025-09-11"), ev("tally", count=1184, day="2025-09-11")],
    )
    # The tally's event row fails after the pardon's alert and outbox row were written.
    room.db.execute(
        "CREATE TRIGGER crash BEFORE INSERT ON events WHEN NEW.type = 'tally'"
        " BEGIN SELECT RAISE(ABORT, 'crash'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        room.run(a, day="2025-09-11")
    assert rows(room.db, "SELECT count(*) FROM alerts") == [(0,)]
    assert rows(room.db, "SELECT count(*) FROM outbox") == [(0,)]
    room.db.execute("DROP TRIGGER crash")

    reopened = open_db(db_path)  # as after a restart
    changes = process_pending(
        reopened, now=datetime(2025, 9, 11, 10, tzinfo=UTC), detector=room.detector
    )
    assert sorted(c.change for c in changes) == ["created", "created"]
    # Processing it once more (a crash after commit cannot cause this, but a replay can) doubles nothing.
    reopened.execute("UPDATE articles SET processed = 0")
    assert process_pending(reopened, now=datetime.now(UTC), detector=room.detector) == []
    counts = "SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM events), (SELECT count(*) FROM alert_articles), (SELECT count(*) FROM outbox), (SELECT max(version) FROM alerts)"
    assert rows(reopened, counts) == [(2, 2, 2, 2, 1)]
    assert (
        process_pending(reopened, now=datetime.now(UTC) + timedelta(days=1), detector=room.detector)
        == []
    )
    reopened.conn.close()


KILLED_MID_TRANSACTION = """
import os, sys
from datetime import UTC, datetime
from bot.pipeline import process_articles
from bot.store import open_db
from rules.model import Certainty, DateBasis, Event, EventType

db = open_db(sys.argv[1])
db.conn.create_function("die", 0, lambda: os.kill(os.getpid(), 9))
db.execute("CREATE TEMP TRIGGER die_after_alert AFTER INSERT ON alerts BEGIN SELECT die(); END")
event = Event(EventType.pardon, Certainty.reported, 52, (), datetime(2025, 9, 11).date(), None,
              "evidence", DateBasis.stated)
process_articles(db, [int(sys.argv[2])], now=datetime.now(UTC), detector=lambda a: [event])
"""


def test_kill_9_inside_the_transaction_leaves_the_article_to_process_again(room, db_path):
    import subprocess
    import sys

    subscribe(room.db, 11)
    a = room.add("52 freed", "2025-09-11", [ev(count=52, day="2025-09-11")])
    done = subprocess.run([sys.executable, "-c", KILLED_MID_TRANSACTION, str(db_path), str(a)])
    assert done.returncode == -9
    assert rows(room.db, "SELECT (SELECT count(*) FROM alerts), processed FROM articles") == [
        (0, 0)
    ]
    changes = process_pending(room.db, now=datetime.now(UTC), detector=room.detector)
    assert [(c.change, c.outbox) for c in changes] == [("created", 1)]


def test_an_article_the_rules_fail_on_does_not_hold_back_the_others(room, caplog):
    bad = room.add("Breaks the rules", "2025-09-11", [])
    good = room.add("52 freed", "2025-09-11", [ev(count=52, day="2025-09-11")])

    def detector(article):
        if article.id == bad:
            raise ValueError("a rule bug")
        return room.detector(article)

    changes = process_articles(room.db, [bad, good], now=datetime.now(UTC), detector=detector)
    assert [c.article_id for c in changes] == [good]
    assert rows(room.db, "SELECT id, processed FROM articles ORDER BY id") == [(bad, 0), (good, 1)]
    assert "detection failed on article" in caplog.text


def test_two_connections_on_one_article_fold_it_once(room, db_path):
    a = room.add("52 freed", "2025-09-11", [ev(count=52, day="2025-09-11")])
    other = open_db(db_path)
    now = datetime(2025, 9, 11, 10, tzinfo=UTC)

    def slow_detector(article):
        # While this connection detects, another process folds the same article.
        assert [
            c.change for c in process_articles(other, [a], now=now, detector=room.detector)
        ] == ["created"]
        return room.detector(article)

    assert process_articles(room.db, [a, a], now=now, detector=slow_detector) == []
    assert rows(room.db, "SELECT (SELECT count(*) FROM alerts), (SELECT count(*) FROM events)") == [
        (1, 1)
    ]
    other.conn.close()


def test_a_reprint_adds_detail_but_opens_no_alert(room):
    subscribe(room.db, 11)
    wire = "Belarus freed 52 political prisoners on Thursday and took them to Lithuania, officials said."
    a = room.add("Belarus frees 52", "2025-09-11", [ev(count=52, day="2025-09-11")], text=wire)
    extended = [
        ev(count=52, people=["Ihar Losik"], day="2025-09-11"),  # the tail names someone
        ev("tally", count=1184, day="2025-09-11"),  # the tail's total: a reprint opens nothing
    ]
    b = room.add("Belarus frees 52.", "2025-09-11", extended, text=wire + " Ihar Losik ...")
    room.run(a, b, day="2025-09-11")
    assert rows(room.db, "SELECT type, people, version FROM alerts") == [
        ("pardon", '["Ihar Losik"]', 2)
    ]
    decisions = [json.loads(d) for (d,) in rows(room.db, "SELECT decision FROM events ORDER BY id")]
    assert [d["action"] for d in decisions] == ["new", "merge", "reprint"]
    assert rows(room.db, "SELECT count(*) FROM outbox") == [(1,)]


def test_a_bare_mention_folds_into_its_articles_occasion_of_that_period(room):
    """A bare mention ("he was re-arrested last week"), even told before the dated one, joins
    the article's occasion in its period; one "in May 2020" is stored apart."""
    from dataclasses import replace

    last_week = replace(ev("rearrest"), period=(date(2025, 9, 2), date(2025, 9, 14)))
    may_2020 = replace(ev("rearrest"), period=(date(2020, 5, 1), date(2020, 5, 31)))
    dated = ev("rearrest", people=("Statkevich",), day="2025-09-11")
    a = room.add("Statkevich back in prison", "2025-09-15", [last_week, may_2020, dated])
    room.run(a, day="2025-09-15")
    assert rows(room.db, "SELECT date, alerting FROM alerts ORDER BY id") == [
        ("2025-09-11", 1),
        (None, 0),
    ]
    assert rows(
        room.db,
        "SELECT alert_id, json_extract(decision, '$.action') FROM events ORDER BY alert_id, id",
    ) == [(1, "new"), (1, "merge"), (2, "stored")]
