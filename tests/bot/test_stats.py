"""/stats: numbers from a prepared database, the chart photo and its cache, and speed."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest

from bot.i18n import translator
from bot.stats import latest_tallies, period_totals
from bot.telegram.stats import stats_text
from tests.bot.handlers_harness import Harness

USER = 901
TODAY = date(2025, 9, 20)


def add_alert(db, type_, day, count, *, certainty="reported", alerting=1, source=None,
              people=(), url=None):
    article = None
    if url:
        db.execute(
            "INSERT INTO articles (content_hash, title, text, published, first_seen, url)"
            " VALUES (?, 't', 't', ?, ?, ?)", [url, day, day, url],
        )
        article = db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()[0]
    db.execute(
        "INSERT INTO alerts (type, certainty, count, date, people, source, evidence,"
        " first_article_id, alerting, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, 'e', ?, ?, ?, ?)",
        [type_, certainty, count, day, json.dumps(list(people)), source, article, alerting,
         day, day],
    )


def prepare(db):
    add_alert(db, "tally", "2025-09-18", 1184, source="Viasna", url="https://spring96.org/t1")
    add_alert(db, "tally", "2025-08-01", 1150, source="Viasna", url="https://spring96.org/t0")
    add_alert(db, "tally", "2025-09-10", 1210, source="Dissidentby", url="https://dissidentby.com/x")
    add_alert(db, "pardon", "2025-09-11", 52)                       # in week? no: 9 days ago
    add_alert(db, "pardon", "2025-09-19", 16)                       # week
    add_alert(db, "pardon", "2025-03-01", 30, alerting=0)           # old occasion: year only
    add_alert(db, "pardon", "2025-09-18", 1000, certainty="expected")  # never counted
    add_alert(db, "pardon", "2024-12-31", 7)                        # last year: not counted
    add_alert(db, "deportation", "2025-09-11", 52)
    add_alert(db, "rearrest", "2025-09-17", None, people=["Ihar Losik"])
    add_alert(db, "recognition", "2025-09-15", 8)
    add_alert(db, "recognition", "2025-09-21", 99)                  # tomorrow: not yet


def test_latest_tally_per_source_newest_first(tmp_path):
    from bot.store import open_db

    db = open_db(tmp_path / "s.db")
    prepare(db)
    tallies = latest_tallies(db)
    assert [(t.source, t.count, t.date) for t in tallies] == [
        ("Viasna", 1184, "2025-09-18"), ("Dissidentby", 1210, "2025-09-10")]
    assert tallies[0].url == "https://spring96.org/t1"


def test_period_totals_sum_reported_alerts_alerting_or_not(tmp_path):
    from bot.store import open_db

    db = open_db(tmp_path / "s.db")
    prepare(db)
    totals = period_totals(db, TODAY)
    assert totals["week"] == {"pardon": 16, "deportation": 0, "rearrest": 1, "recognition": 8}
    assert totals["month"] == {"pardon": 68, "deportation": 52, "rearrest": 1, "recognition": 8}
    assert totals["year"] == {"pardon": 98, "deportation": 52, "rearrest": 1, "recognition": 8}


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [("en", ["1 184: <a href=\"https://spring96.org/t1\">Viasna</a>, as of 2025-09-18",
             "freed: 16 people", "re-arrested: 1 person", "deported: 52 people"]),
     ("ru", ["1 184: <a href=\"https://spring96.org/t1\">Viasna</a>, на 2025-09-18",
             "освобождены: 16 человек", "повторно арестованы: 1 человек",
             "депортированы: 52 человека"]),
     ("be", ["вызваленыя: 16 чалавек", "паўторна арыштаваныя: 1 чалавек",
             "дэпартаваныя: 52 чалавекі", "З 1 студзеня 2025"])],
)
def test_stats_text_in_each_language(tmp_path, lang, phrases):
    from bot.store import open_db

    db = open_db(tmp_path / "s.db")
    prepare(db)
    text = stats_text(translator(lang), db, TODAY)
    for phrase in phrases:
        assert phrase in text


async def test_stats_command_sends_numbers_and_a_cached_chart(fake_bot_api, tmp_path):
    async with Harness(fake_bot_api, tmp_path) as bot:
        prepare(bot.db)
        await bot.command("/stats", chat_id=USER, user_id=USER, language_code="ru")
        texts = fake_bot_api.sent_texts(USER)
        assert "Политзаключённых сейчас" in texts[0] and "Viasna" in texts[0]
        (photo,) = fake_bot_api.photos[USER]
        assert photo.startswith(b"\x89PNG")
        charts = bot.app.bot_data["stats_charts"]
        (cached,) = charts.values()
        assert cached.file_id == "photo1"
        await bot.command("/stats", chat_id=USER, user_id=USER, language_code="ru")
        assert list(charts.values()) == [cached]  # no new tally: the same chart, not drawn again
        assert fake_bot_api.calls_to("sendPhoto")[-1].params["photo"] == "photo1"
        assert len(fake_bot_api.photos[USER]) == 1  # nor uploaded again
        add_alert(bot.db, "tally", "2025-09-20", 1190, source="Viasna")
        await bot.command("/stats", chat_id=USER, user_id=USER, language_code="ru")
        assert next(iter(charts.values())) is not cached
        assert len(fake_bot_api.photos[USER]) == 2
        assert "takes no arguments" in await bot.command("/stats now", chat_id=USER, user_id=USER)
        assert bot.errors == []


def test_stats_answer_fast_from_a_big_database(tmp_path):
    from bot.store import open_db

    db = open_db(tmp_path / "big.db")
    types = ["pardon", "deportation", "rearrest", "recognition", "tally"]
    with db.atomic():
        for i in range(20000):
            day = date.fromordinal(TODAY.toordinal() - i % 1500).isoformat()
            db.execute(
                "INSERT INTO alerts (type, certainty, count, date, source, evidence, created_at,"
                " updated_at) VALUES (?, 'reported', ?, ?, ?, 'e', ?, ?)",
                [types[i % 5], i % 40 + 1, day, f"S{i % 4}", day, day],
            )
    start = time.perf_counter()
    text = stats_text(translator("en"), db, TODAY)
    elapsed = time.perf_counter() - start
    assert "S0" in text
    assert elapsed < 0.2, elapsed


def test_long_tally_series_are_thinned_but_keep_the_newest(tmp_path):
    from bot.stats import tally_series
    from bot.store import open_db

    db = open_db(tmp_path / "s.db")
    for i in range(400):
        day = date.fromordinal(TODAY.toordinal() - 399 + i).isoformat()
        add_alert(db, "tally", day, 1000 + i, source="Viasna")
    points = tally_series(db)["Viasna"]
    assert 50 <= len(points) <= 120
    assert points[-1] == (TODAY.isoformat(), 1399)
    assert [d for d, _ in points] == sorted(d for d, _ in points)
