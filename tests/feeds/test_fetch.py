"""fetch_feed against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feeds.fetch import (
    USER_AGENT,
    FetchError,
    cache_max_age,
    fetch_feed,
    make_client,
    parse_retry_after,
)
from feeds.model import Fetched, NotModified
from tests.feeds.documents import news, rss

BODY = rss(news(2))


async def test_200_returns_body_validators_and_sends_our_user_agent(
    feed_server: HTTPServer,
) -> None:
    seen: dict[str, str] = {}

    def handler(request: Request) -> Response:
        seen.update(request.headers)
        return Response(
            BODY,
            headers={"ETag": '"v1"', "Last-Modified": "Sat, 21 Nov 2026 10:00:00 GMT"},
            content_type="application/rss+xml; charset=utf-8",
        )

    feed_server.expect_request("/feed").respond_with_handler(handler)
    async with make_client() as client:
        got = await fetch_feed(
            client, feed_server.url_for("/feed"), None, None, max_bytes=10**6, timeout=5
        )
    assert isinstance(got, Fetched)
    assert got.body == BODY and got.status == 200
    assert got.etag == '"v1"' and got.last_modified == "Sat, 21 Nov 2026 10:00:00 GMT"
    assert got.content_type == "application/rss+xml; charset=utf-8"
    assert seen["User-Agent"] == USER_AGENT and USER_AGENT.startswith("releasewatch/")
    assert "If-None-Match" not in seen


async def test_conditional_get_gives_not_modified(feed_server: HTTPServer) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"' and request.headers.get(
            "If-Modified-Since"
        ):
            return Response(status=304)
        return Response(BODY, headers={"ETag": '"v1"'})

    feed_server.expect_request("/feed").respond_with_handler(handler)
    async with make_client() as client:
        got = await fetch_feed(
            client,
            feed_server.url_for("/feed"),
            '"v1"',
            "Sat, 21 Nov 2026 10:00:00 GMT",
            max_bytes=10**6,
            timeout=5,
        )
    assert isinstance(got, NotModified)


async def test_gzip_transfer_is_decoded(feed_server: HTTPServer) -> None:
    def handler(request: Request) -> Response:
        assert "gzip" in request.headers.get("Accept-Encoding", "")
        return Response(gzip.compress(BODY), headers={"Content-Encoding": "gzip"})

    feed_server.expect_request("/feed").respond_with_handler(handler)
    async with make_client() as client:
        got = await fetch_feed(client, feed_server.url_for("/feed"), max_bytes=10**6, timeout=5)
    assert isinstance(got, Fetched) and got.body == BODY


async def test_http_error_carries_status(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/feed").respond_with_data("nope", status=500)
    async with make_client() as client:
        with pytest.raises(FetchError) as info:
            await fetch_feed(client, feed_server.url_for("/feed"), max_bytes=10**6, timeout=5)
    assert info.value.status == 500 and info.value.retry_after is None
    assert "HTTP 500" in str(info.value)


async def test_429_retry_after_seconds_and_503_http_date(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/a").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    feed_server.expect_request("/b").respond_with_data(
        "maintenance", status=503, headers={"Retry-After": format_datetime(later, usegmt=True)}
    )
    async with make_client() as client:
        with pytest.raises(FetchError) as a:
            await fetch_feed(client, feed_server.url_for("/a"), max_bytes=10**6, timeout=5)
        with pytest.raises(FetchError) as b:
            await fetch_feed(client, feed_server.url_for("/b"), max_bytes=10**6, timeout=5)
    assert a.value.status == 429 and a.value.retry_after == 120.0
    assert b.value.status == 503 and b.value.retry_after is not None
    assert 3500 < b.value.retry_after <= 3600


def test_parse_retry_after_against_server_date() -> None:
    headers = {"Date": "Sat, 21 Nov 2026 10:00:00 GMT"}
    assert parse_retry_after("Sat, 21 Nov 2026 10:05:00 GMT", headers) == 300.0
    assert parse_retry_after("Sat, 21 Nov 2026 09:00:00 GMT", headers) == 0.0
    assert parse_retry_after("soon", headers) is None
    assert parse_retry_after(None) is None
    assert cache_max_age({"cache-control": "public, max-age=600"}) == 600.0
    assert cache_max_age({"cache-control": "no-cache"}) is None


async def test_body_over_the_cap_is_cut_off(feed_server: HTTPServer) -> None:
    big = b"<rss>" + b"x" * 10_000_000

    def stream() -> object:  # no Content-Length: the cap must hold while streaming
        for i in range(0, len(big), 65536):
            yield big[i : i + 65536]

    feed_server.expect_request("/chunked").respond_with_handler(lambda r: Response(stream()))
    feed_server.expect_request("/declared").respond_with_data(big)
    async with make_client() as client:
        for path in ("/chunked", "/declared"):
            with pytest.raises(FetchError) as info:
                await fetch_feed(client, feed_server.url_for(path), max_bytes=1_000_000, timeout=10)
            assert "1,000,000-byte limit" in str(info.value), path
            assert info.value.status == 200


async def test_redirect_loop_is_an_error_and_a_redirect_is_followed(
    feed_server: HTTPServer,
) -> None:
    feed_server.expect_request("/loop").respond_with_response(
        Response(status=302, headers={"Location": "/loop"})
    )
    feed_server.expect_request("/old").respond_with_response(
        Response(status=301, headers={"Location": "/new"})
    )
    feed_server.expect_request("/new").respond_with_data(BODY)
    async with make_client() as client:
        with pytest.raises(FetchError, match="too many redirects"):
            await fetch_feed(client, feed_server.url_for("/loop"), max_bytes=10**6, timeout=5)
        got = await fetch_feed(client, feed_server.url_for("/old"), max_bytes=10**6, timeout=5)
    assert isinstance(got, Fetched) and got.url.endswith("/new")


async def test_slow_server_times_out_on_the_whole_exchange(feed_server: HTTPServer) -> None:
    def trickle() -> object:  # each chunk comes within httpx's read timeout; the total does not
        for _ in range(20):
            time.sleep(0.1)
            yield b" "

    feed_server.expect_request("/slow").respond_with_handler(lambda r: Response(trickle()))
    started = time.monotonic()
    async with make_client(timeout=5) as client:
        with pytest.raises(FetchError, match="timed out"):
            await fetch_feed(client, feed_server.url_for("/slow"), max_bytes=10**6, timeout=0.5)
    assert time.monotonic() - started < 1.5


async def test_connection_refused_is_a_network_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with make_client() as client:
        with pytest.raises(FetchError, match="network error") as info:
            await fetch_feed(client, f"http://127.0.0.1:{port}/feed", max_bytes=10**6, timeout=5)
    assert info.value.status is None
    assert isinstance(info.value.__cause__, httpx.HTTPError)
