from datetime import UTC, datetime, timedelta

from bot.cli import main
from bot.health import Health, check_health, write_health

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def health(at: datetime, ok: bool = True, problem: str | None = None) -> Health:
    return Health(at=at.isoformat(), poll_seconds=60, feeds=3, feeds_failing=0,
                  outbox_pending=0, last_poll_at=None, ok=ok, problem=problem)


def test_fresh_file_is_healthy(tmp_path):
    write_health(tmp_path / "h.json", health(NOW - timedelta(seconds=30)))
    assert check_health(tmp_path / "h.json", now=NOW) is None


def test_stale_file_is_unhealthy(tmp_path):
    write_health(tmp_path / "h.json", health(NOW - timedelta(seconds=600)))
    assert "old" in check_health(tmp_path / "h.json", now=NOW)


def test_reported_problem_and_missing_file(tmp_path):
    write_health(tmp_path / "h.json", health(NOW, ok=False, problem="database is locked"))
    assert "database is locked" in check_health(tmp_path / "h.json", now=NOW)
    assert "no health file" in check_health(tmp_path / "none.json", now=NOW)
    (tmp_path / "bad.json").write_text("{not json")
    assert "unreadable" in check_health(tmp_path / "bad.json", now=NOW)


def test_health_command_exit_codes(tmp_path, monkeypatch, capsys):
    path = tmp_path / "h.json"
    monkeypatch.setenv("RELEASEWATCH_HEALTH_FILE", str(path))
    assert main(["health"]) == 1
    write_health(path, health(datetime.now(UTC)))
    assert main(["health"]) == 0
    assert "healthy" in capsys.readouterr().out
