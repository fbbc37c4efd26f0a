import pytest

from bot.settings import DEFAULT_API_URL, SettingsError, load_settings


def test_defaults_with_empty_environment():
    s = load_settings({})
    assert s.token is None
    assert s.api_url == DEFAULT_API_URL
    assert str(s.db_path) == "releasewatch.db"
    assert s.admins == frozenset()


def test_values_are_parsed():
    s = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": "123:abc",
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/bot",
            "RELEASEWATCH_DB": "/data/rw.db",
            "RELEASEWATCH_POLL_SECONDS": "60",
            "RELEASEWATCH_ADMINS": "11, 22",
        }
    )
    assert s.token == "123:abc"
    assert s.poll_seconds == 60
    assert s.admins == {11, 22}
    assert "123:abc" not in repr(s)


@pytest.mark.parametrize(
    "env, word",
    [
        ({"RELEASEWATCH_POLL_SECONDS": "soon"}, "RELEASEWATCH_POLL_SECONDS"),
        ({"RELEASEWATCH_POLL_SECONDS": "0"}, "at least 1"),
        ({"RELEASEWATCH_ADMINS": "alice"}, "RELEASEWATCH_ADMINS"),
        ({"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
    ],
)
def test_bad_values_name_the_variable(env, word):
    with pytest.raises(SettingsError, match=word):
        load_settings(env)
