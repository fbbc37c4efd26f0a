"""`releasewatch demo` runs the whole pipeline offline and shows the alerts."""

from bot.cli import main


def test_demo_prints_alerts_and_keeps_the_backlog_quiet(capsys, tmp_path):
    assert main(["demo", "--db", str(tmp_path / "demo.db")]) == 0
    out = capsys.readouterr().out
    polls = out.split("== poll ")
    assert len(polls) == 4, out
    # The first poll of a new feed stores its backlog without alerting.
    assert "(3 new articles)" in polls[1] and "(no alert)" in polls[1]
    # The day's news: one pardon alert for three outlets in three languages, and its deportation.
    alerts = polls[2].split("── ")[1:]
    reported = [a for a in alerts if "early signal" not in a]
    pardons = [a for a in reported if "#pardon " in a]
    assert len(pardons) == 1
    assert "#pardon " in pardons[0] and " 18\n" in pardons[0]
    for outlet in ("Demo Herald", "Демо-Новости", "Дэма-Навіны"):
        assert outlet in pardons[0]
    assert any("#deportation " in a and "Lithuania" in a for a in reported)
    assert any("#tally " in a and "1110" in a for a in reported)
    # The envoy's hope is an early signal: its own alert, only for chats that opted in.
    early = [a for a in alerts if "early signal" in a]
    assert len(early) == 1 and "#pardon " in early[0]
