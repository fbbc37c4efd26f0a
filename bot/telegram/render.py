"""Alert messages as Telegram HTML: pure, every outside string escaped, never over 4096 characters."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

MAX_MESSAGE = 4096


def _outlet(article: Mapping[str, Any]) -> str:
    if article.get("source"):
        return str(article["source"])
    host = urlsplit(article.get("url") or "").hostname or "link"
    return host.removeprefix("www.")


def render_alert(alert: Mapping[str, Any], articles: Sequence[Mapping[str, Any]], lang: str) -> str:
    """The message for `alert` (an alerts row) in the chat's language `lang`.

    `articles` are the alert's member articles, the one that triggered it first.
    """
    people = json.loads(alert["people"]) if isinstance(alert["people"], str) else alert["people"]
    head = [f"#{alert['type']}"]
    if alert.get("date"):
        head.append(str(alert["date"]))
    if alert.get("count") is not None:
        head.append(str(alert["count"]))
    lines = [html.escape(" ".join(head))]
    if people:
        lines.append(html.escape(", ".join(people)))
    if alert.get("place"):
        lines.append(html.escape(str(alert["place"])))
    lines.append(f"<blockquote>{html.escape(alert['evidence'])}</blockquote>")
    links = [
        f'<a href="{html.escape(a["url"], quote=True)}">{html.escape(_outlet(a))}</a>'
        for a in articles
        if a.get("url")
    ]
    text = "\n".join(lines)
    if links:
        text += "\n" + " · ".join(links)
    return text[:MAX_MESSAGE]
