"""`releasewatch doctor` against a fake Bot API and a local feed server."""

from bot.cli import main

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>http://example.org/1</link><description>x</description></item>
</channel></rss>"""


def write_feeds(tmp_path, *urls):
    path = tmp_path / "feeds.toml"
    path.write_text("".join(f'[[feed]]\nurl = "{u}"\nname = "F{i}"\n' for i, u in enumerate(urls)))
    return path


def test_all_good(tmp_path, monkeypatch, capsys, httpserver, fake_bot_api):
    httpserver.expect_request("/good.xml").respond_with_data(RSS, content_type="application/rss+xml")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake_bot_api.token)
    monkeypatch.setenv("TELEGRAM_API_URL", fake_bot_api.base_url)
    feeds = write_feeds(tmp_path, httpserver.url_for("/good.xml"))
    code = main(["doctor", "--feeds", str(feeds), "--db", str(tmp_path / "rw.db")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "@releasewatch_test_bot" in out
    assert "1 items" in out
    assert fake_bot_api.token not in out


def test_failures_are_named(tmp_path, monkeypatch, capsys, httpserver, fake_bot_api):
    httpserver.expect_request("/good.xml").respond_with_data(RSS, content_type="application/rss+xml")
    httpserver.expect_request("/gone.xml").respond_with_data("no", status=404)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:WRONG")
    monkeypatch.setenv("TELEGRAM_API_URL", fake_bot_api.base_url)
    feeds = write_feeds(tmp_path, httpserver.url_for("/good.xml"), httpserver.url_for("/gone.xml"))
    code = main(["doctor", "--feeds", str(feeds), "--db", str(tmp_path / "rw.db")])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  telegram: the Bot API rejected TELEGRAM_BOT_TOKEN" in out
    assert "FAIL  F1:" in out and "404" in out
    assert "ok    F0:" in out
    assert "999:WRONG" not in out


def test_unusable_database_and_feeds_file(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    bad_db = tmp_path / "bad.db"
    bad_db.write_bytes(b"garbage" * 1000)
    code = main(["doctor", "--feeds", str(tmp_path / "missing.toml"), "--db", str(bad_db)])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  database:" in out and "not a usable SQLite file" in out
    assert "FAIL  feeds file:" in out
