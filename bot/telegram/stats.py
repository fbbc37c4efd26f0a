"""/stats: latest tallies and period sums as text, and the tally chart as a photo (cached)."""

from __future__ import annotations

import asyncio
import html
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


async def chart_png(context: Context, title: str) -> bytes | None:
    """The tally chart (one per language), drawn again only when a tally was added or changed."""
    db = db_of(context)
    version = tally_version(db)
    charts: dict[str, tuple[object, bytes | None]] = context.bot_data.setdefault("stats_charts", {})
    cached = charts.get(title)
    if cached and cached[0] == version:
        return cached[1]
    series = tally_series(db)
    # Drawing takes ~0.2 s: off the event loop, so other chats are answered meanwhile.
    png = await asyncio.to_thread(render_chart, series, title) if series else None
    charts[title] = (version, png)
    return png


async def cmd_stats(update: Update, context: Context) -> None:
    if await reject_arguments(update, context, "stats"):
        return
    t = tr(update, context)
    await reply(update, stats_text(t, db_of(context), utcnow().date()))
    png = await chart_png(context, t.gettext("Political prisoners in Belarus, by source"))
    message = update.effective_message
    if png is not None and message is not None:
        thread = thread_of(message)
        await context.bot.send_photo(message.chat_id, png, message_thread_id=thread or None)
