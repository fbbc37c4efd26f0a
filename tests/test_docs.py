"""The README stays honest: every setting, CLI command and bot command is documented, and CI
runs the README's own test command."""

import re
from pathlib import Path

from telegram.ext import ApplicationBuilder, CommandHandler

from bot.cli import COMMANDS
from bot.telegram import register_handlers

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_documented():
    for command in COMMANDS:
        assert f"`releasewatch {command}" in README, command


def test_every_environment_variable_is_documented():
    names = set()
    for path in (REPO / "bot").rglob("*.py"):
        names |= set(re.findall(r"\b(?:RELEASEWATCH|TELEGRAM)_[A-Z_]+\b", path.read_text()))
    assert names, "no settings found: the scan is broken"
    for name in sorted(names):
        assert f"`{name}`" in README, name


def test_every_bot_command_is_documented():
    app = ApplicationBuilder().token("1:docs").build()
    register_handlers(app)
    commands = {
        c for group in app.handlers.values() for h in group
        if isinstance(h, CommandHandler) for c in h.commands
    }
    assert {"start", "stop", "forget", "stats"} <= commands
    for command in sorted(commands):
        assert f"/{command}" in README, command


def test_quick_start_has_two_commands_and_ci_runs_the_test_one():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert len(blocks) == 2
    # The second block ends with the test command proper: install with test extras, run pytest.
    test_command = re.search(r"pip install -e '\.\[test\]' && pytest$", blocks[1].strip())
    assert test_command is not None, blocks[1]
    ci = (REPO / ".ci" / "run").read_text()
    assert test_command.group(0) in ci
