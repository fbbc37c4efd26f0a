"""Conditional GET of one feed with httpx -> Fetched | NotModified, or FetchError.

httpx errors are translated here, once:

    FetchError (status, retry_after)
     ├── HTTP status other than 2xx/304   status set; retry_after from 429/503 Retry-After
     ├── timeout of the whole exchange    status None
     ├── network / TLS / protocol error   status None
     ├── too many redirects (a loop)      status None
     ├── a redirect the guard refuses     status of the redirect (3xx)
     └── body larger than max_bytes       status 200; reading stops at the cap
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import zlib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version

import httpx

from feeds.model import Fetched, NotModified

try:
    _VERSION = version("releasewatch")
except PackageNotFoundError:  # running from a plain checkout
    _VERSION = "0"

USER_AGENT = f"releasewatch/{_VERSION} (+https://github.com/releasewatch/releasewatch)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_TIMEOUT = 30.0


class FetchError(Exception):
    """The feed could not be fetched; `status` is the HTTP status if one came."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


# (from_url, to_url) -> why the redirect must not be followed, or None to follow it.
RedirectGuard = Callable[[str, str], Awaitable[str | None]]


def make_client(
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = MAX_REDIRECTS,
    redirect_guard: RedirectGuard | None = None,
) -> httpx.AsyncClient:
    """The one HTTP client the poller shares: our User-Agent, redirects followed and limited,
    each one first asked of `redirect_guard` if given."""
    hooks: dict[str, list[Callable[[httpx.Response], Awaitable[None]]]] = {}
    if redirect_guard is not None:
        guard = redirect_guard

        async def check_redirect(response: httpx.Response) -> None:
            if not response.has_redirect_location:
                return
            source = str(response.request.url)
            target = str(response.request.url.join(response.headers["Location"]))
            why = await guard(source, target)
            if why:
                raise FetchError(f"redirect refused: {why}", status=response.status_code)

        hooks["response"] = [check_redirect]
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=max_redirects,
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        event_hooks=hooks,
    )


async def fetch_feed(
    client: httpx.AsyncClient,
    url: str,
    etag: str | None = None,
    last_modified: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Fetched | NotModified:
    """GET `url` with the stored validators; the whole exchange is bounded by `timeout`."""
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(timeout):
            return await _exchange(client, url, headers, max_bytes)
    except TimeoutError as e:
        raise FetchError(f"timed out after {timeout:g} s") from e
    except httpx.TooManyRedirects as e:
        raise FetchError(f"too many redirects (more than {client.max_redirects})") from e
    except httpx.TimeoutException as e:
        raise FetchError(f"timed out ({type(e).__name__})") from e
    except httpx.InvalidURL as e:
        raise FetchError(f"invalid URL: {e}") from e
    except httpx.UnsupportedProtocol as e:
        raise FetchError(f"unsupported URL scheme: {e}") from e
    except httpx.DecodingError as e:
        raise FetchError(f"cannot decode the response body: {e}", status=200) from e
    except httpx.HTTPError as e:
        raise FetchError(f"network error: {type(e).__name__}: {e or 'connection failed'}") from e


async def _exchange(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int
) -> Fetched | NotModified:
    async with client.stream("GET", url, headers=headers, follow_redirects=True) as response:
        final = str(response.url)
        status = response.status_code
        if status == 304:
            return NotModified(url=final)
        if not 200 <= status < 300 or status == 204:
            retry = None
            if status in (429, 503):
                retry = parse_retry_after(response.headers.get("Retry-After"), response.headers)
            reason = response.reason_phrase or "error"
            raise FetchError(f"HTTP {status} {reason}", status=status, retry_after=retry)
        declared = response.headers.get("Content-Length", "")
        if (
            declared.isdigit()
            and int(declared) > max_bytes
            and "content-encoding" not in response.headers
        ):
            raise FetchError(
                f"body of {int(declared):,} bytes is over the {max_bytes:,}-byte limit",
                status=status,
            )
        chunks: list[bytes] = []
        size = 0
        inflater = _Inflater(response.headers.get("Content-Encoding", ""))
        async for raw in response.aiter_raw():
            # Inflated piece by piece, never beyond the cap: a small gzip bomb stays small.
            for chunk in inflater.inflate(raw, max_bytes - size + 1):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        f"body is over the {max_bytes:,}-byte limit (stopped reading)",
                        status=status,
                    )
                chunks.append(chunk)
        return Fetched(
            body=b"".join(chunks),
            url=final,
            status=status,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=response.headers.get("Content-Type"),
            headers={k.lower(): v for k, v in response.headers.items()},
        )


class _Inflater:
    """Content-Encoding gzip/deflate undone with zlib's output bound; anything else passes."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self._zlib = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header
        self._raw_deflate = encoding == "deflate"

    def inflate(self, data: bytes, limit: int) -> Iterator[bytes]:
        """The inflated pieces of `data`, each at most `limit` bytes (the caller stops early)."""
        if self._zlib is None:
            yield data
            return
        while data:
            try:
                piece = self._zlib.decompress(data, max(limit, 1))
            except zlib.error as e:
                if not self._raw_deflate:
                    raise httpx.DecodingError(str(e)) from e
                # Some servers send deflate without its zlib header.
                self._zlib, self._raw_deflate = zlib.decompressobj(-zlib.MAX_WBITS), False
                continue
            self._raw_deflate = False
            yield piece
            data = self._zlib.unconsumed_tail


def parse_retry_after(value: str | None, headers: Mapping[str, str] | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date (against the Date header)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    # The server's own clock is the better reference for its date; ours if it sent none.
    reference = datetime.now(UTC)
    date_header = (headers or {}).get("Date") or (headers or {}).get("date")
    if date_header:
        try:
            reference = email.utils.parsedate_to_datetime(date_header)
            if reference.tzinfo is None:
                reference = reference.replace(tzinfo=UTC)
        except (TypeError, ValueError, IndexError):
            pass
    return max(0.0, (when - reference).total_seconds())


_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def cache_max_age(headers: Mapping[str, str]) -> float | None:
    """Seconds from Cache-Control max-age, if the server set one."""
    match = _MAX_AGE.search(headers.get("cache-control", "") or headers.get("Cache-Control", ""))
    return float(match.group(1)) if match else None
