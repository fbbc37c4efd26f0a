"""Fixtures for the feeds tests: a real threaded HTTP server on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from feeds.fetch import make_client


@pytest.fixture(scope="session")
def _running_server() -> Iterator[HTTPServer]:
    # One server for the session: stopping one takes half a second.
    # Its request lines would be logged by handler threads that outlive a test's capture.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def feed_server(_running_server: HTTPServer) -> Iterator[HTTPServer]:
    """The shared server, with no handlers and an empty log for this test."""
    _running_server.clear()
    yield _running_server
    _running_server.clear()


@pytest.fixture
async def client() -> AsyncIterator[Any]:
    """The poller's HTTP client."""
    async with make_client() as c:
        yield c
