"""Alert messages as Telegram HTML: pure, every outside string escaped, never over 4096 characters.

Labels are in the chat's language; the evidence stays in the article's language.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from bot.i18n import Translator, translator

MAX_MESSAGE = 4096
MAX_PEOPLE_TEXT = 1000  # so the head alone always fits, whatever the article lists
MAX_FIELD = 200
MIN_EVIDENCE = 600  # evidence is cut to this before links are dropped


def _outlet(article: Mapping[str, Any]) -> str:
    if article.get("source"):
        return str(article["source"])
    host = urlsplit(article.get("url") or "").hostname or "link"
    return host.removeprefix("www.")


def people_of(alert: Mapping[str, Any]) -> list[str]:
    people = alert.get("people") or []
    return [str(p) for p in (json.loads(people) if isinstance(people, str) else people)]


def headline(t: Translator, type_: str, count: int | None) -> str:
    """'52 people pardoned' in the chat's language, with CLDR plural forms."""
    if count is None:
        plain = {
            "pardon": t.gettext("Pardon"),
            "deportation": t.gettext("Deportation"),
            "rearrest": t.gettext("Re-arrest"),
            "recognition": t.gettext("New political prisoners"),
            "tally": t.gettext("Political prisoners total"),
        }
        return plain.get(type_, type_)
    if type_ == "pardon":
        return t.ngettext("{n} person freed", "{n} people freed", count)
    if type_ == "deportation":
        return t.ngettext("{n} person deported", "{n} people deported", count)
    if type_ == "rearrest":
        return t.ngettext("{n} person re-arrested", "{n} people re-arrested", count)
    if type_ == "recognition":
        return t.ngettext("{n} new political prisoner", "{n} new political prisoners", count)
    if type_ == "tally":
        return t.ngettext("{n} political prisoner now", "{n} political prisoners now", count)
    return str(count)


def _link(article: Mapping[str, Any]) -> str:
    return (
        f'<a href="{html.escape(str(article["url"]), quote=True)}">'
        f"{html.escape(_outlet(article))}</a>"
    )


@functools.cache
def _territory_codes() -> dict[str, str]:
    return {name: code for code, name in Locale("en").territories.items()}


@functools.cache
def place_name(place: str, lang: str) -> str:
    """A country as the rules name it ("Lithuania") in the chat's language, from CLDR via Babel;
    unchanged when CLDR does not know it."""
    code = _territory_codes().get(place)
    if code is None:
        return place
    try:
        return str(Locale.parse(lang).territories.get(code, place))
    except (ValueError, UnknownLocaleError):
        return place


def render_alert(alert: Mapping[str, Any], articles: Sequence[Mapping[str, Any]], lang: str) -> str:
    """The message for `alert` (an alerts row) in the chat's language `lang`.

    `articles` are the alert's member articles, the one that triggered it first.
    """
    t = translator(lang)
    head = [f"#{alert['type']}"]
    if alert.get("date"):
        head.append(str(alert["date"]))
    if alert.get("count") is not None:
        head.append(str(alert["count"]))
    top = [html.escape(" ".join(head))]
    if alert.get("certainty") == "expected":
        top.append(html.escape(t.gettext("Early signal: expected, not yet reported as done.")))
    top.append(f"<b>{html.escape(headline(t, str(alert['type']), alert.get('count')))}</b>")
    people = people_of(alert)
    if people:
        named = ", ".join(people)
        if len(named) > MAX_PEOPLE_TEXT:
            named = named[:MAX_PEOPLE_TEXT].rsplit(",", 1)[0] + ", …"
        top.append(html.escape(t.gettext("People: {people}", people=named)))
    if alert.get("place"):
        place = place_name(str(alert["place"]), lang)[:MAX_FIELD]
        top.append(html.escape(t.gettext("Where: {place}", place=place)))
    if alert.get("type") == "tally" and alert.get("source"):
        top.append(
            html.escape(t.gettext("Source: {source}", source=str(alert["source"])[:MAX_FIELD]))
        )
    tail = []
    if int(alert.get("updates") or 0) > 0:
        tail.append(
            html.escape(t.ngettext("updated: {n} source", "updated: {n} sources", len(articles)))
        )
    links = [_link(a) for a in articles if a.get("url")]
    evidence = str(alert.get("evidence") or "")
    return fit(top, evidence, links, tail)


def fit(top: list[str], evidence: str, links: list[str], tail: list[str]) -> str:
    """Join the parts within 4096 characters: shorten the evidence to a readable length, then
    drop later links (the triggering outlet stays), then shorten the evidence further.

    Cuts happen in the raw text before escaping, so no tag or entity is ever split.
    """

    def join(cut: int, n_links: int) -> str:
        parts = list(top)
        ev = evidence if cut >= len(evidence) else evidence[:cut].rstrip() + "…"
        if ev.strip("…"):
            parts.append(f"<blockquote>{html.escape(ev)}</blockquote>")
        if n_links:
            parts.append(" · ".join(links[:n_links]))
        return "\n".join(parts + tail)

    def shorten(cut: int, n_links: int, floor: int) -> int:
        while cut > floor and len(join(cut, n_links)) > MAX_MESSAGE:
            over = len(join(cut, n_links)) - MAX_MESSAGE
            cut = max(floor, cut - max(over // 2, 1))  # escaping may double a character's length
        return cut

    readable, size = 0, 0  # the longest cut whose escaped text is at most MIN_EVIDENCE
    for ch in evidence:
        size += len(html.escape(ch))
        if size > MIN_EVIDENCE:
            break
        readable += 1
    cut, n_links = len(evidence), len(links)
    cut = shorten(cut, n_links, readable)
    while n_links > 1 and len(join(cut, n_links)) > MAX_MESSAGE:
        n_links -= 1
    cut = shorten(cut, n_links, 0)
    while n_links and len(join(cut, n_links)) > MAX_MESSAGE:
        n_links -= 1
    text = join(cut, n_links)
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE].rsplit("\n", 1)[0]


def render_digest(
    alerts: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]], lang: str, day: str
) -> list[str]:
    """The day's alerts as one or more messages (each under 4096 characters)."""
    t = translator(lang)
    heading = t.gettext("Digest for {day}", day=day)
    title = f"<b>{html.escape(heading)}</b>"
    if not alerts:
        return [title + "\n" + html.escape(t.gettext("Nothing new today."))]
    messages: list[str] = []
    current = title + "\n" + html.escape(t.ngettext("{n} occasion", "{n} occasions", len(alerts)))
    for alert, articles in alerts:
        block = render_alert(alert, articles, lang)
        if len(current) + 2 + len(block) > MAX_MESSAGE:
            messages.append(current)
            current = block
        else:
            current += "\n\n" + block
    messages.append(current)
    return messages
