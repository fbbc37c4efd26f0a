"""`releasewatch classify` and `releasewatch eval` through the real CLI dispatch."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

import bot.evaluate
from bot.cli import main

ARTICLE = {
    "id": "x1", "lang": "en", "published": "2025-09-12", "title": "Belarus frees 52 prisoners",
    "text": "Belarus freed 52 political prisoners on Thursday. They were taken to Lithuania.",
}


def test_classify_writes_one_line_per_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = {"id": "x2", "title": "Weather", "text": "Rain in Minsk tomorrow."}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(ARTICLE) + "\n\n" + json.dumps(other) + "\n", encoding="utf-8")
    assert main(["classify", str(src)]) == 0
    out = capsys.readouterr()
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert [line["id"] for line in lines] == ["x1", "x2"]
    got = {(e["type"], e["certainty"], e["count"], e["date"]) for e in lines[0]["events"]}
    assert ("pardon", "reported", 52, "2025-09-11") in got
    assert ("deportation", "reported", 52, "2025-09-11") in got
    place = next(e["place"] for e in lines[0]["events"] if e["type"] == "deportation")
    assert place == "Lithuania"
    assert lines[1]["events"] == []


def test_classify_reports_bad_lines_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "title": "t", "text": "x"}\n{not json\n[1, 2]\n'
                   + json.dumps(ARTICLE) + "\n", encoding="utf-8")
    assert main(["classify", str(src)]) == 0
    out = capsys.readouterr()
    assert [json.loads(line)["id"] for line in out.out.splitlines()] == ["a", "x1"]
    assert f"{src}:2:" in out.err and f"{src}:3:" in out.err


def test_classify_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(ARTICLE | {"lang": None}) + "\n"))
    assert main(["classify", "-"]) == 0
    line = json.loads(capsys.readouterr().out)
    assert any(e["type"] == "pardon" for e in line["events"])


def test_classify_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["classify", str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_eval_on_given_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labelled = ARTICLE | {"events": [
        {"type": "pardon", "certainty": "reported", "counts": [52], "date": "2025-09-11"},
        {"type": "rearrest", "certainty": "reported", "counts": [], "date": None},
    ]}
    src = tmp_path / "dev-x.jsonl"
    src.write_text(json.dumps(labelled) + "\n", encoding="utf-8")
    assert main(["eval", str(src), "--misses"]) == 0
    out = capsys.readouterr().out
    assert "pardon       en    1.00  1.00" in out
    assert "rearrest     en    1.00  0.00" in out
    assert "MISS  x1 rearrest" in out
    assert "FALSE x1 deportation" in out
    assert "count accuracy 1.00 (1/1)" in out


def test_eval_says_when_no_corpus(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(bot.evaluate, "shared_corpus_dir", lambda: None)
    assert main(["eval"]) == 2
    assert "no labelled files" in capsys.readouterr().err


def test_eval_dedup_is_delegated(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    fake = types.ModuleType("bot.replay")
    fake.cmd_eval_dedup = lambda args: seen.append(args.files) or 3  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bot.replay", fake)
    assert main(["eval", "--dedup", "a.jsonl"]) == 3
    assert seen == [["a.jsonl"]]


def test_classify_takes_the_day_of_a_timestamp(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(ARTICLE | {"published": "2025-09-12T08:30:00+03:00"}) + "\n"
                   + json.dumps(ARTICLE | {"id": "x3", "published": "not a date"}) + "\n",
                   encoding="utf-8")
    assert main(["classify", str(src)]) == 0
    first, second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {e["date"] for e in first["events"] if e["type"] == "pardon"} == {"2025-09-11"}
    # Without a publication day, "on Thursday" cannot be resolved: the event stays undated.
    assert {e["date"] for e in second["events"] if e["type"] == "pardon"} == {None}
