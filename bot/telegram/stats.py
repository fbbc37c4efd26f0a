"""/stats: latest tallies and period sums as text, and the tally chart as a photo (cached)."""

from __future__ import annotations

import asyncio
import html
from dataclasses import dataclass
from datetime import date

import sqlite_utils
from telegram import Update

from bot.i18n import Translator
from bot.stats import latest_tallies, period_totals, render_chart, tally_series, tally_version
from bot.telegram.common import Context, db_of, reject_arguments, reply, thread_of, tr, utcnow


def stats_text(t: Translator, db: sqlite_utils.Database, today: date) -> str:
    heading = t.gettext("Political prisoners now")
    lines = [f"<b>{html.escape(heading)}</b>"]
    tallies = latest_tallies(db)
    if not tallies:
        lines.append(html.escape(t.gettext("No totals yet.")))
    for tally in tallies:
        source = html.escape(tally.source or t.gettext("unknown source"))
        if tally.url:
            source = f'<a href="{html.escape(tally.url, quote=True)}">{source}</a>'
        lines.append(
            t.gettext(
                "{count}: {source}, as of {date}",
                count=f"{tally.count:,}".replace(",", " "),
                source=source,
                date=tally.date,
            )
        )
    totals = period_totals(db, today)
    names = {
        "week": t.gettext("Last 7 days"),
        "month": t.gettext("Last 30 days"),
        "year": t.gettext("Since 1 January {year}", year=today.year),
    }
    for period, sums in totals.items():
        lines.append("")
        lines.append(f"<b>{html.escape(names[period])}</b>")
        lines.append(t.ngettext("freed: {n} person", "freed: {n} people", sums["pardon"]))
        lines.append(
            t.ngettext("deported: {n} person", "deported: {n} people", sums["deportation"])
        )
        lines.append(
            t.ngettext("re-arrested: {n} person", "re-arrested: {n} people", sums["rearrest"])
        )
        lines.append(
            t.ngettext(
                "newly recognised: {n} person", "newly recognised: {n} people", sums["recognition"]
            )
        )
    return "\n".join(lines)


@dataclass
class Chart:
    """A drawn tally chart for one language, and Telegram's file id once it was uploaded."""

    version: tuple[object, ...]
    png: bytes | None
    file_id: str | None = None


async def chart_for(context: Context, title: str) -> Chart:
    """The tally chart (one per language), drawn again only when a tally was added or changed."""
    db = db_of(context)
    version = tally_version(db)
    charts: dict[str, Chart] = context.bot_data.setdefault("stats_charts", {})
    cached = charts.get(title)
    if cached and cached.version == version:
        return cached
    series = tally_series(db)
    # Drawing takes ~0.2 s: off the event loop, so other chats are answered meanwhile.
    png = await asyncio.to_thread(render_chart, series, title) if series else None
    charts[title] = Chart(version, png)
    return charts[title]


async def cmd_stats(update: Update, context: Context) -> None:
    if await reject_arguments(update, context, "stats"):
        return
    t = tr(update, context)
    await reply(update, stats_text(t, db_of(context), utcnow().date()))
    chart = await chart_for(context, t.gettext("Political prisoners in Belarus, by source"))
    message = update.effective_message
    if chart.png is None or message is None:
        return
    thread = thread_of(message)
    sent = await context.bot.send_photo(
        message.chat_id, chart.file_id or chart.png, message_thread_id=thread or None
    )
    if sent.photo and chart.file_id is None:
        chart.file_id = sent.photo[-1].file_id  # later answers reuse the upload
