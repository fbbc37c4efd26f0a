"""Property tests of the bot's argument parsing: /follow, /mute, /forget person, /digest, /tz and
/lang with arbitrary Unicode, control characters and huge arguments, through the real dispatch
path. No handler raises; every answer is sent and stays within Telegram's 4096 characters."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.telegram.digest import parse_offset, parse_time
from bot.telegram.people import person_key
from bot.telegram.topics import find_topic
from tests.bot.handlers_harness import Harness
from tests.fakebotapi import FakeBotApi

USER = 77
COMMANDS = ["/follow", "/mute", "/follow person", "/mute person", "/forget person",
            "/digest", "/digest daily", "/tz", "/lang", "/only people"]
# Any character but surrogates (not encodable), including controls, RTL marks, emoji.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
HUGE_TEXT = st.builds(lambda s, n: (s * n)[:4000], st.text(min_size=1, max_size=20),
                      st.integers(min_value=100, max_value=4000))


@given(ANY_TEXT)
def test_pure_parsers_never_raise(text: str) -> None:
    at = parse_time(text)
    assert at is None or (len(at) == 5 and at[2] == ":")
    offset = parse_offset(text)
    assert offset is None or -12 * 60 <= offset <= 14 * 60
    assert find_topic(text) in (None, "pardon", "deportation", "rearrest", "recognition", "tally")
    assert isinstance(person_key(text), str)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Harness, asyncio.AbstractEventLoop]]:
    """One bot and one event loop for all examples (hypothesis calls the test many times)."""
    loop = asyncio.new_event_loop()
    with FakeBotApi() as api:
        harness = Harness(api, tmp_path_factory.mktemp("props"))
        loop.run_until_complete(harness.__aenter__())
        loop.run_until_complete(harness.command("/start", chat_id=USER, user_id=USER))
        yield harness, loop
        loop.run_until_complete(harness.__aexit__(None, None, None))
    loop.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(COMMANDS), argument=st.one_of(ANY_TEXT, HUGE_TEXT))
def test_commands_with_any_argument_answer_within_the_limit(
    bot: tuple[Harness, asyncio.AbstractEventLoop], command: str, argument: str
) -> None:
    harness, loop = bot
    sent = len(harness.api.sent_texts(USER))
    text = f"{command} {argument}"[:4096]  # Telegram's own limit on what a user can send
    loop.run_until_complete(harness.command(text, chat_id=USER, user_id=USER))
    assert harness.errors == []
    answers = harness.api.sent_texts(USER)[sent:]
    assert answers, text  # every command is answered
    assert all(0 < len(a) <= 4096 for a in answers)

