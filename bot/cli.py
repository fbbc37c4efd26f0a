"""The `releasewatch` command line: argparse -> one function per command; no logic here."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from bot.logs import configure_logging

# command -> "module:function"; each function takes the parsed args and returns an exit code.
COMMANDS = {
    "run": "bot.app:cmd_run",
    "demo": "bot.demo:cmd_demo",
    "poll": "bot.feedcmds:cmd_poll",
    "feeds": "bot.feedcmds:cmd_feeds",
    "classify": "bot.evaluate:cmd_classify",
    "eval": "bot.evaluate:cmd_eval",
    "replay": "bot.replay:cmd_replay",
    "doctor": "bot.doctor:cmd_doctor",
    "health": "bot.health:cmd_health",
}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="releasewatch",
        description="Watch the news for political prisoners in Belarus; alert on Telegram.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def feeds_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--feeds", metavar="FILE", help="feeds file (TOML); default: bundled list")

    def db_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--db", metavar="PATH", help="SQLite file (default: $RELEASEWATCH_DB)")

    sp = sub.add_parser("run", help="run the service: poll, detect, deduplicate, deliver")
    feeds_arg(sp)
    db_arg(sp)

    sp = sub.add_parser("demo", help="run the whole pipeline offline on bundled sample articles")
    db_arg(sp)

    sp = sub.add_parser("poll", help="poll every feed and print what was new, per feed")
    sp.add_argument("--once", action="store_true", required=True, help="poll each feed once")
    feeds_arg(sp)
    db_arg(sp)

    sp = sub.add_parser("feeds", help="list feeds with their health")
    feeds_arg(sp)
    db_arg(sp)

    sp = sub.add_parser("classify", help="detect events in JSON-lines articles")
    sp.add_argument("file", nargs="?", default="-", help="JSON lines file, or - for stdin")

    sp = sub.add_parser("eval", help="score the rules (or with --dedup, deduplication)")
    sp.add_argument("files", nargs="*", help="labelled JSONL (default: ../shared/corpus/dev*.jsonl)")
    sp.add_argument("--dedup", action="store_true", help="score deduplication instead")
    sp.add_argument("--labels", action="store_true", help="with --dedup: labelled events as input")
    sp.add_argument("--misses", action="store_true", help="list every miss and false alarm")

    sp = sub.add_parser("replay", help="feed JSONL articles through rules and deduplication")
    sp.add_argument("file", help="JSON lines file, or - for stdin")
    sp.add_argument("--labels", action="store_true", help="use the file's labelled events")
    db_arg(sp)

    sp = sub.add_parser("doctor", help="check the token, the database and every feed")
    feeds_arg(sp)
    db_arg(sp)

    sp = sub.add_parser("health", help="exit 0 when the running service's health file is fresh")
    sp.add_argument("--max-age", type=int, metavar="SECONDS", help="default: 3 poll intervals")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(
        verbose=args.verbose,
        json_lines=os.environ.get("RELEASEWATCH_LOG_FORMAT", "").strip().lower() == "json",
        secrets=[os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()],
    )
    module, func = COMMANDS[args.command].split(":")
    try:
        return int(getattr(importlib.import_module(module), func)(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
