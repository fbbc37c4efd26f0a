"""Prometheus metrics on RELEASEWATCH_METRICS_PORT: counts only (outbox states, feeds,
delivery outcomes), never a chat id. The service's thread fills them; the server only reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils
from prometheus_client import CollectorRegistry, Gauge, start_http_server


class Metrics:
    """The gauges and their HTTP server; `refresh` from the thread that owns the database."""

    def __init__(self, port: int, *, addr: str = "0.0.0.0") -> None:
        self.registry = CollectorRegistry()
        self.outbox = Gauge("releasewatch_outbox_rows", "Outbox rows by state", ["state"],
                            registry=self.registry)
        self.feeds = Gauge("releasewatch_feeds", "Active feeds", registry=self.registry)
        self.feeds_failing = Gauge("releasewatch_feeds_failing", "Active feeds failing now",
                                   registry=self.registry)
        self.delivery = Gauge("releasewatch_delivery_events", "Delivery events since start",
                              ["event"], registry=self.registry)
        self._server, self._thread = start_http_server(port, addr=addr, registry=self.registry)

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    def refresh(self, db: sqlite_utils.Database, delivery_counts: Mapping[str, int]) -> None:
        states: dict[str, Any] = dict.fromkeys(
            ("pending", "sending", "sent", "failed", "dropped", "unknown"), 0
        )
        states.update(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
        for state, n in states.items():
            self.outbox.labels(state).set(n)
        total, failing = db.execute(
            "SELECT COUNT(*), COALESCE(SUM(failing_since IS NOT NULL), 0) FROM feeds"
            " WHERE active = 1"
        ).fetchone()
        self.feeds.set(total)
        self.feeds_failing.set(failing)
        for event, n in delivery_counts.items():
            self.delivery.labels(event).set(n)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
