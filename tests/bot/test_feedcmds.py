"""`releasewatch poll --once` and `releasewatch feeds` through bot.cli.main, against a local server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import tests.feeds.conftest as feed_fixtures
from bot.cli import main
from tests.feeds.documents import Item, rss

# The 127.0.0.1 feed server of the feeds tests.
_running_server = feed_fixtures._running_server
feed_server = feed_fixtures.feed_server

RU = "Вызвалілі трох палітвязняў"


def feeds_file(tmp_path: Path, server: HTTPServer, *paths: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(
        "".join(
            f'[[feed]]\nname = "Outlet {p.strip("/")}"\nurl = "{server.url_for(p)}"\nlang = "be"\n'
            for p in paths
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RELEASEWATCH_DB", "RELEASEWATCH_POLL_SECONDS"):
        monkeypatch.delenv(name, raising=False)


def test_poll_once_prints_new_articles_and_errors(
    feed_server: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [
        Item(RU, "<p>Тэкст</p>", link="https://example.by/news/1", guid="g1"),
        Item("Second story", "Body", link="/news/2", guid="g2"),
    ]
    feed_server.expect_request("/good").respond_with_data(
        rss(items, encoding="windows-1251"),
        content_type="application/rss+xml; charset=windows-1251",
    )
    feed_server.expect_request("/bad").respond_with_data("gone", status=500)
    args = ["poll", "--once", "--feeds", str(feeds_file(tmp_path, feed_server, "/good", "/bad"))]
    args += ["--db", str(tmp_path / "rw.db")]

    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"Outlet good <{feed_server.url_for('/good')}>: 2 new of 2 items (first poll" in out
    assert f"  - {RU}\n    https://example.by/news/1\n" in out
    assert f"  - Second story\n    {feed_server.url_for('/news/2')}\n" in out
    assert f"Outlet bad <{feed_server.url_for('/bad')}>: ERROR HTTP 500" in out
    assert out.rstrip().endswith("2 feeds polled, 2 new articles, 1 feeds failed")

    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Outlet good" in out and ": 0 new of 2 items\n" in out and RU not in out

    assert main(["feeds", "--feeds", args[3], "--db", args[5]]) == 0
    out = capsys.readouterr().out
    good, bad = out.split("Outlet bad")
    assert "last success" in good and "(2 items)" in good and "next poll" in good
    assert (
        "never succeeded" in bad and "FAILING since" in bad and "2 errors in a row: HTTP 500" in bad
    )
    assert out.rstrip().endswith("2 feeds, 1 failing")


def test_feeds_before_any_poll(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "f.toml"
    path.write_text('[[feed]]\nurl = "http://127.0.0.1:9/feed"\n', encoding="utf-8")
    assert main(["feeds", "--feeds", str(path), "--db", str(tmp_path / "none.db")]) == 0
    assert (
        capsys.readouterr().out
        == "(no name)  http://127.0.0.1:9/feed\n  never polled\n1 feeds, 0 failing\n"
    )
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("command", ["poll", "feeds"])
def test_usage_errors_exit_2_with_a_message(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["--once"] if command == "poll" else []
    missing = tmp_path / "nope.toml"
    assert main([command, *extra, "--feeds", str(missing), "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert f"releasewatch {command}: {missing}: cannot read the feeds file" in err

    bad = tmp_path / "bad.toml"
    bad.write_text('[[feed]]\nurl = "https://a/x"\ninterval = 0\n', encoding="utf-8")
    assert main([command, *extra, "--feeds", str(bad), "--db", str(tmp_path / "x.db")]) == 2
    assert "feed #1 (https://a/x): field 'interval'" in capsys.readouterr().err

    assert main([command, *extra, "--db", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_database_from_a_newer_release_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.store.db import open_db

    db = open_db(tmp_path / "new.db")
    db.execute("INSERT INTO _migrations (name, applied_at) VALUES ('999_future', 'x')")
    db.close()
    assert main(["feeds", "--db", str(tmp_path / "new.db")]) == 2
    assert "999_future" in capsys.readouterr().err
