"""The feeds file (TOML, `[[feed]]` tables) -> list[FeedSource]; the bundled list lives beside it.

Every mistake raises SourcesError naming the file, the entry and the field.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feeds.model import FeedSource

BUNDLED = Path(__file__).with_name("feeds.toml")
MIN_INTERVAL = 10  # seconds; anything faster is a typo or abuse of someone's server
MAX_INTERVAL = 7 * 24 * 3600
_FIELDS = {"url", "name", "lang", "interval"}
_LANG = re.compile(r"^[a-z]{2}$")


class SourcesError(ValueError):
    """The feeds file cannot be read or has an invalid entry; the message says where."""


def load_sources(path: str | Path | None = None) -> list[FeedSource]:
    """Read the feeds file at `path` (None: the bundled feeds/feeds.toml)."""
    file = Path(path) if path is not None else BUNDLED
    try:
        raw = file.read_bytes()
    except OSError as e:
        raise SourcesError(f"{file}: cannot read the feeds file: {e.strerror or e}") from e
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise SourcesError(f"{file}: not UTF-8 text: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise SourcesError(f"{file}: not valid TOML: {e}") from e
    return parse_sources(data, origin=str(file))


def parse_sources(data: dict[str, Any], *, origin: str) -> list[FeedSource]:
    """Validate an already-decoded feeds document; `origin` names it in errors."""
    unknown = set(data) - {"feed"}
    if unknown:
        raise SourcesError(
            f"{origin}: unknown top-level key(s) {sorted(unknown)}; feeds go in [[feed]] tables"
        )
    entries = data.get("feed", [])
    if not isinstance(entries, list):
        raise SourcesError(f"{origin}: 'feed' must be an array of tables ([[feed]])")
    sources: list[FeedSource] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        source = _parse_entry(entry, f"{origin}: feed #{number}")
        if source.url in seen:
            raise SourcesError(
                f"{origin}: feed #{number}: field 'url': {source.url} is already feed #{seen[source.url]}"
            )
        seen[source.url] = number
        sources.append(source)
    return sources


def _parse_entry(entry: object, where: str) -> FeedSource:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: must be a table with at least 'url'")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise SourcesError(
            f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_FIELDS)}"
        )
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        raise SourcesError(f"{where}: field 'url' is required and must be a string")
    url = url.strip()
    where = f"{where} ({url})"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourcesError(f"{where}: field 'url' must be an http(s) URL with a host")

    name = entry.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise SourcesError(f"{where}: field 'name' must be a non-empty string")

    lang = entry.get("lang")
    if lang is not None:
        if not isinstance(lang, str) or not _LANG.match(lang.strip().lower()):
            raise SourcesError(
                f"{where}: field 'lang' must be a 2-letter code such as 'be', got {lang!r}"
            )
        lang = lang.strip().lower()

    interval = entry.get("interval")
    if interval is not None:
        if isinstance(interval, bool) or not isinstance(interval, int):
            raise SourcesError(f"{where}: field 'interval' must be a whole number of seconds")
        if not MIN_INTERVAL <= interval <= MAX_INTERVAL:
            raise SourcesError(
                f"{where}: field 'interval' must be between {MIN_INTERVAL} and {MAX_INTERVAL} seconds, got {interval}"
            )
    return FeedSource(url=url, name=name.strip() if name else None, lang=lang, interval=interval)
