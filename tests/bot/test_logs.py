import json
import logging

from bot.logs import REDACTED, configure_logging

TOKEN = "1234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_token_never_reaches_the_log(capsys):
    configure_logging(secrets=["custom-secret"])
    log = logging.getLogger("releasewatch.test")
    log.warning("POST https://api.telegram.org/bot%s/sendMessage failed", TOKEN)
    try:
        raise RuntimeError(f"url http://127.0.0.1/bot{TOKEN}/getMe and custom-secret")
    except RuntimeError:
        log.exception("boom")
    err = capsys.readouterr().err
    assert TOKEN not in err and "custom-secret" not in err
    assert err.count(REDACTED) >= 3


def test_json_lines(capsys):
    configure_logging(json_lines=True)
    logging.getLogger("releasewatch.test").info("polled", extra={"feed_id": 3})
    line = capsys.readouterr().err.strip().splitlines()[-1]
    entry = json.loads(line)
    assert entry["message"] == "polled" and entry["feed_id"] == 3 and entry["level"] == "INFO"


def test_http_request_lines_are_quiet():
    configure_logging()
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
