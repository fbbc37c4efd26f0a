"""load_sources: the bundled list and every kind of mistake, named by file, entry and field."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from feeds.model import FeedSource
from feeds.sources import BUNDLED, SourcesError, load_sources


def test_bundled_list_is_valid_and_has_the_outlets() -> None:
    sources = load_sources(None)
    assert len(sources) >= 30
    names = {s.name for s in sources}
    assert {"Viasna", "Radio Svaboda", "Nasha Niva", "Zerkalo", "Belsat", "BelTA"} <= names
    assert all(s.lang in {"en", "ru", "be"} for s in sources)
    assert not any("tut.by" in s.url or "citydog" in s.url for s in sources)  # defunct
    queries = [
        parse_qs(urlsplit(s.url).query)["q"][0] for s in sources if "news.google.com" in s.url
    ]
    assert queries == ["политзаключенные Беларусь", "палітвязні", '"Belarus" "political prisoners"']


def test_a_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[feed]]\nurl = "https://a.example/rss"\nname = "A"\nlang = "BE"\ninterval = 600\n'
        '[[feed]]\nurl = "http://b.example/feed"\n',
        encoding="utf-8",
    )
    assert load_sources(path) == [
        FeedSource(url="https://a.example/rss", name="A", lang="be", interval=600),
        FeedSource(url="http://b.example/feed"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[feed]]\nname = "A"\n', r"feed #1: field 'url' is required"),
        ('[[feed]]\nurl = "ftp://a/x"\n', r"feed #1 \(ftp://a/x\): field 'url' must be an http"),
        (
            '[[feed]]\nurl = "https://a/x"\nlang = "russian"\n',
            r"feed #1 \(https://a/x\): field 'lang'",
        ),
        (
            '[[feed]]\nurl = "https://a/x"\ninterval = "5m"\n',
            r"field 'interval' must be a whole number",
        ),
        ('[[feed]]\nurl = "https://a/x"\ninterval = 1\n', r"field 'interval' must be between 10"),
        ('[[feed]]\nurl = "https://a/x"\nurls = 1\n', r"unknown field\(s\) \['urls'\]"),
        (
            '[[feed]]\nurl = "https://a/x"\n[[feed]]\nurl = "https://a/x"\n',
            r"feed #2: field 'url'.*already feed #1",
        ),
        ('[feeds]\nurl = "https://a/x"\n', r"unknown top-level key\(s\) \['feeds'\]"),
        ('[[feed]\nurl = "x"', r"not valid TOML"),
    ],
)
def test_mistakes_name_file_entry_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError, match=message) as info:
        load_sources(path)
    assert str(info.value).startswith(str(path))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="cannot read the feeds file"):
        load_sources(tmp_path / "missing.toml")
    assert BUNDLED.is_file()
