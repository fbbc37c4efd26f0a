"""Small feed documents built for tests (RSS 2.0), in any encoding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    title: str
    description: str = ""
    link: str | None = None
    guid: str | None = None
    pub_date: str | None = "Sat, 21 Nov 2026 10:00:00 GMT"
    content: str | None = None  # content:encoded


def rss(
    items: Sequence[Item],
    *,
    title: str = "Test feed",
    language: str | None = None,
    encoding: str = "utf-8",
    declare: bool = True,
) -> bytes:
    parts = []
    if declare:
        parts.append(f'<?xml version="1.0" encoding="{encoding}"?>')
    parts.append(
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
    )
    parts.append(f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>")
    if language:
        parts.append(f"<language>{language}</language>")
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title>")
        if item.description:
            parts.append(f"<description>{escape(item.description)}</description>")
        if item.content:
            parts.append(f"<content:encoded><![CDATA[{item.content}]]></content:encoded>")
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f"<guid>{escape(item.guid)}</guid>")
        if item.pub_date:
            parts.append(f"<pubDate>{item.pub_date}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode(encoding)


def news(n: int, *, prefix: str = "Story", site: str = "https://news.example.org") -> list[Item]:
    """n distinct items with links and GUIDs."""
    return [
        Item(
            title=f"{prefix} {i}",
            description=f"<p>Body of {prefix.lower()} number {i}.</p>",
            link=f"{site}/{prefix.lower()}/{i}",
            guid=f"{site}/{prefix.lower()}/{i}",
        )
        for i in range(1, n + 1)
    ]
