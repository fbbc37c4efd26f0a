"""Feed faults the poller must survive, each against a real server on 127.0.0.1 (or a host name
that never resolves): the feed gets a clear error in its health and backs off, the others are
polled on time, nothing raises."""

from __future__ import annotations

import functools
import socket
import ssl
import subprocess
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlite_utils
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from feeds.fetch import FetchError, fetch_feed, make_client
from feeds.model import FeedSource
from tests.feeds.documents import Item, news, rss
from tests.feeds.test_poller import NOW, count, feed_row, poller

OK_ITEMS = 3


def serve_ok(feed_server: HTTPServer) -> FeedSource:
    feed_server.expect_request("/ok").respond_with_data(
        rss(news(OK_ITEMS, prefix="Fine")), content_type="application/rss+xml"
    )
    return FeedSource(url=feed_server.url_for("/ok"))


async def poll_beside_a_healthy_feed(
    db: sqlite_utils.Database, client: Any, bad: FeedSource, ok: FeedSource, **kw: Any
) -> Any:
    """Poll the bad feed and a healthy one together; the healthy one must not suffer."""
    bad_result, ok_result = await poller(db, client, **kw).poll_once([bad, ok])
    assert ok_result.outcome == "ok" and len(ok_result.new_ids) == OK_ITEMS
    return bad_result


def assert_backed_off(db: sqlite_utils.Database, url: str, error: str) -> None:
    row = feed_row(db, url)
    assert row["last_error"] and error in row["last_error"]
    assert row["error_count"] == 1
    # The next try is later than a healthy feed's (300 s in the middle of the jitter).
    assert row["next_poll_at"] > (NOW + timedelta(seconds=300)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_dns_failure_is_a_network_error_and_backs_off(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    bad = FeedSource(url="http://does-not-exist.invalid/feed")
    result = await poll_beside_a_healthy_feed(db, client, bad, serve_ok(feed_server))
    assert result.outcome == "error" and "network error" in (result.error or "")
    assert_backed_off(db, bad.url, "network error")


async def test_5xx_backs_off_without_delaying_others(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    feed_server.expect_request("/down").respond_with_data("oops", status=502)
    bad = FeedSource(url=feed_server.url_for("/down"))
    result = await poll_beside_a_healthy_feed(db, client, bad, serve_ok(feed_server))
    assert result.status == 502
    assert_backed_off(db, bad.url, "HTTP 502")


@pytest.fixture
def plain_tcp_port() -> Iterator[int]:
    """A plain-text HTTP-ish listener that answers a TLS ClientHello with garbage."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    stop = threading.Event()

    def serve() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield sock.getsockname()[1]
    stop.set()
    thread.join(2)
    sock.close()


async def test_tls_handshake_against_plain_http_is_a_network_error(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any, plain_tcp_port: int
) -> None:
    bad = FeedSource(url=f"https://127.0.0.1:{plain_tcp_port}/feed")
    result = await poll_beside_a_healthy_feed(db, client, bad, serve_ok(feed_server))
    assert result.outcome == "error" and "network error" in (result.error or "")
    assert "SSL" in (result.error or "") or "TLS" in (result.error or "")
    assert_backed_off(db, bad.url, "network error")


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate (openssl)."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context, threaded=True)
    server.expect_request("/feed").respond_with_data(rss(news(1)))
    server.start()
    yield server.port
    server.stop()


async def test_self_signed_certificate_is_refused(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any, self_signed: int
) -> None:
    bad = FeedSource(url=f"https://127.0.0.1:{self_signed}/feed")
    result = await poll_beside_a_healthy_feed(db, client, bad, serve_ok(feed_server))
    assert result.outcome == "error" and "CERTIFICATE_VERIFY_FAILED" in (result.error or "")
    assert_backed_off(db, bad.url, "network error")


async def test_50_mb_body_is_cut_at_the_cap(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    chunk = b"<item><title>x</title></item>" * 1000

    def endless(request: Request) -> Response:
        # Streamed without Content-Length: the cap must hold while reading.
        return Response((chunk for _ in range(50_000_000 // len(chunk))), mimetype="text/xml")

    feed_server.expect_request("/big").respond_with_handler(endless)
    bad = FeedSource(url=feed_server.url_for("/big"))
    result = await poll_beside_a_healthy_feed(
        db, client, bad, serve_ok(feed_server), max_bytes=2_000_000
    )
    assert "byte limit (stopped reading)" in (result.error or "")
    assert_backed_off(db, bad.url, "byte limit")


@functools.cache
def gzip_bomb() -> bytes:
    """About 300 KB of gzip that inflates to 300 MB (built piece by piece, once)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * 1_000_000
    parts = [packer.compress(b"<rss>")] + [packer.compress(zeros) for _ in range(300)]
    return b"".join([*parts, packer.flush()])


async def test_gzip_bomb_is_cut_while_inflating(feed_server: HTTPServer) -> None:
    bomb = gzip_bomb()
    assert len(bomb) < 400_000
    feed_server.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml"
    )
    tracemalloc.start()
    try:
        async with make_client() as c:
            with pytest.raises(FetchError, match="byte limit") as caught:
                await fetch_feed(c, feed_server.url_for("/bomb"), max_bytes=2_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.status == 200
    # Inflating stops near the cap (2 MB, a few copies of it at most), never a whole network
    # chunk's worth: inflating 64 KB chunks whole peaked near 150 MB here.
    assert peak < 40_000_000


async def test_gzip_bomb_without_content_encoding_is_a_parse_error(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    feed_server.expect_request("/bomb").respond_with_data(
        gzip_bomb(), content_type="application/octet-stream"
    )
    bad = FeedSource(url=feed_server.url_for("/bomb"))
    result = await poll_beside_a_healthy_feed(db, client, bad, serve_ok(feed_server))
    assert result.outcome == "error" and "inflates beyond" in (result.error or "")
    assert_backed_off(db, bad.url, "inflates beyond")


@pytest.mark.parametrize("content_type", [None, "text/html", "application/octet-stream"])
async def test_wrong_or_missing_content_type_still_parses(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any, content_type: str | None
) -> None:
    response = Response(rss(news(2, prefix="Typed")))
    if content_type is None:
        del response.headers["Content-Type"]
    else:
        response.headers["Content-Type"] = content_type
    feed_server.expect_request("/typed").respond_with_response(response)
    source = FeedSource(url=feed_server.url_for("/typed"))
    result = await poll_beside_a_healthy_feed(db, client, source, serve_ok(feed_server))
    assert result.outcome == "ok" and len(result.new_ids) == 2


async def test_invalid_xml_that_is_no_feed_is_a_health_error(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    feed_server.expect_request("/junk").respond_with_data(
        b"<<<not xml at all &&& \x00\x01", content_type="application/rss+xml"
    )
    bad = FeedSource(url=feed_server.url_for("/junk"))
    result = await poll_beside_a_healthy_feed(db, client, bad, serve_ok(feed_server))
    assert result.outcome == "error" and "not a feed" in (result.error or "")
    assert_backed_off(db, bad.url, "not a feed")


async def test_wrong_declared_encoding_keeps_the_items(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    # windows-1251 bytes declared as utf-8 in both the header and the prolog.
    body = rss([Item("Палітвязні вызваленыя", link="https://x.example/1")], encoding="cp1251")
    body = body.replace(b'encoding="cp1251"', b'encoding="utf-8"')
    feed_server.expect_request("/enc").respond_with_data(
        body, content_type="application/rss+xml; charset=utf-8"
    )
    source = FeedSource(url=feed_server.url_for("/enc"))
    result = await poll_beside_a_healthy_feed(db, client, source, serve_ok(feed_server))
    assert result.outcome == "ok" and len(result.new_ids) == 1
    title = db.execute("SELECT title FROM articles WHERE id = ?", [result.new_ids[0]]).fetchone()
    assert title[0] == "Палітвязні вызваленыя"


async def test_duplicate_and_missing_guids_links_and_future_dates(
    feed_server: HTTPServer, db: sqlite_utils.Database, client: Any
) -> None:
    items = [
        Item("Same guid one", "First text.", link="https://x.example/a", guid="dup"),
        Item("Same guid two", "Second text.", link="https://x.example/b", guid="dup"),
        Item("No guid", "Third text.", link="https://x.example/c", guid=None),
        Item("No link, no guid", "Fourth text.", link=None, guid=None),
        Item(
            "From the future",
            "Fifth text.",
            link="https://x.example/e",
            guid="e",
            pub_date="Fri, 01 Jan 2100 00:00:00 GMT",
        ),
    ]
    feed_server.expect_request("/odd").respond_with_data(rss(items))
    source = FeedSource(url=feed_server.url_for("/odd"))
    result = await poll_beside_a_healthy_feed(db, client, source, serve_ok(feed_server))
    assert result.outcome == "ok" and len(result.new_ids) == 5
    (again,) = await poller(db, client).poll_once([source])  # nothing stored twice
    assert again.outcome == "ok" and again.new_ids == ()
    rows = {r["title"]: r for r in db.query("SELECT * FROM articles")}
    assert rows["No link, no guid"]["url"] is None
    assert rows["From the future"]["published"] <= NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert count(db) == 5 + OK_ITEMS


async def test_a_redirect_the_guard_refuses_is_a_fetch_error(feed_server: HTTPServer) -> None:
    feed_server.expect_request("/feed").respond_with_response(
        Response(status=302, headers={"Location": "/inside"})
    )
    feed_server.expect_request("/inside").respond_with_data(rss(news(1)))
    asked: list[tuple[str, str]] = []

    async def guard(source: str, target: str) -> str | None:
        asked.append((source, target))
        return "the host resolves to a non-public address 127.0.0.1"

    async with make_client(redirect_guard=guard) as c:
        with pytest.raises(FetchError, match="redirect refused: .*non-public") as caught:
            await fetch_feed(c, feed_server.url_for("/feed"))
    assert caught.value.status == 302
    assert asked == [(feed_server.url_for("/feed"), feed_server.url_for("/inside"))]
    assert [r.path for r, _ in feed_server.log] == ["/feed"]  # the target was never asked
